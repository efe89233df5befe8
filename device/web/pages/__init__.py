"""The phone page's pages as Flask blueprints, one module per page group: pair (the only page open
without a session), nights (Tonight, Progress), settings (Bedtimes), routines, data (export,
backup, restore) and device (checks, paired phones). Each module's `pages` is its blueprint;
`device.web.app` registers them all."""

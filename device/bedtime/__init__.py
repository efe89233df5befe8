"""Bedtime: which nights get a prompt (plan), `schedule` on the injected wall clock
(schedule_clock), the nightly prompt task (prompt), and the once-a-night memory in the state dir
(memory). The wall clock and zones are `device.clocks`."""

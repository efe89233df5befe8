"""Bedtime: which nights get a prompt (plan), the wall clock and zone (clock), the nightly
prompt task on `schedule` (prompt), and the once-a-night memory in the state dir (memory)."""

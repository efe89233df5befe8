"""Bedtime: which nights get a prompt (plan), the wall clock and zone (clock), `schedule` on that
clock (schedule_clock), the nightly prompt task (prompt), and the once-a-night memory in the state
dir (memory)."""

"""Generated configs, routine files, journals and argument lists through the real `psoas` entry
point, in-process: no exception escapes, nothing hangs, exit codes are as documented, an error
names its file, and what the checks accept is what the commands accept.

Sized for CI (see `EXAMPLES`); `bench/fuzz.py` runs the same cases for longer.
"""

from __future__ import annotations

import re
import socket
import tempfile
from pathlib import Path

from fuzz_cli import (
    Sandbox,
    argv_cases,
    config_texts,
    describe,
    journal_cases,
    problems,
    routine_dir_cases,
    web_cases,
)
from hypothesis import HealthCheck, assume, given, settings

from device.journal.schema import FILE_NAME

EXAMPLES = {"configs": 500, "routine_dirs": 300, "journals": 400, "journal_demo": 10, "argv": 800, "web": 150}


def fuzz(kind: str):
    return settings(max_examples=EXAMPLES[kind], deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(result, names=(), codes=None):
    found = problems(result, names, codes) if codes is not None else problems(result, names)
    assert not found, "; ".join(found) + "\n" + describe(result)


@fuzz("configs")
@given(config_texts(quiet=True))
def test_generated_configs_are_one_line_each_and_the_check_agrees_with_run(data):
    with tempfile.TemporaryDirectory() as directory:
        box = Sandbox(Path(directory))
        box.config.write_bytes(data)
        checked = box.run(["config", "--check", str(box.config)])
        shown_config = box.run(["config", "--config", str(box.config)])
        listed = box.run(["routines", "list", "--config", str(box.config)])
        ran = box.run(["run", "--emulate", "--nightly", "--config", str(box.config), "--state-dir", str(box.state)])
        check(checked, (box.config,), {0, 1})
        for result in (shown_config, listed, ran):
            check(result, (box.config,), {0, 2})
        assert (checked.code == 0) == (ran.code == 0), describe(checked) + describe(ran)
        assert shown_config.code == listed.code, describe(shown_config) + describe(listed)
        if shown_config.code:
            assert checked.code == 1


@fuzz("routine_dirs")
@given(routine_dir_cases())
def test_generated_routine_dirs_check_exactly_what_list_skips(lay_out):
    with tempfile.TemporaryDirectory() as directory:
        box = Sandbox(Path(directory))
        box.write_quiet_config()
        paths = lay_out(box)
        listed = box.run(["routines", "list"])
        checked = box.run(["routines", "check"])
        checked_dir = box.run(["routines", "check", str(box.routines)])
        config_check = box.run(["config", "--check", str(box.config)])
        ran = box.run(["run", "--emulate", "--nightly"])  # a broken routine file never stops the device
        check(listed, codes={0})
        check(ran, codes={0})
        for result in (checked, checked_dir, config_check):
            check(result, tuple(paths), {0, 1})
        skipped = re.findall(r"^psoas routines: skipped (.*): it has problems", listed.err, re.MULTILINE)
        assert (checked.code == 0) == (not skipped), describe(listed) + describe(checked)
        assert checked.code == checked_dir.code == config_check.code, describe(checked) + describe(checked_dir)
        for name in re.findall(rf"^(\S+) +\d+\.\d min  {re.escape(str(box.routines))}/", listed.out, re.MULTILINE):
            check(box.run(["routines", "show", "--", name]), codes={0})  # a name may start with "-"


@fuzz("journals")
@given(journal_cases())
def test_a_damaged_journal_is_one_line_and_never_stops_run(write):
    with tempfile.TemporaryDirectory() as directory:
        box = Sandbox(Path(directory))
        box.write_quiet_config()
        how = write(box.state)
        journal = box.state / FILE_NAME
        before = [box.run(["stats"]), box.run(["export", "--csv", "-", "--json", "-"]),
                  box.run(["stats", "--png", str(box.root / "stats.png")])]
        for result in before:
            check(result, (journal,), {0, 1})
            lines = result.err.splitlines()
            assert len(lines) <= 1 or result.code == 0 and len(lines) <= 2, how + describe(result)
        ran = box.run(["run", "--emulate", "--nightly"])
        check(ran, codes={0})
        notes = [r.getMessage() for r in ran.logs if r.name == "psoas.journal"]
        assert len(notes) <= 1, how + describe(ran)
        kept = sorted(box.state.glob(FILE_NAME + ".corrupt-*"))
        after = box.run(["stats"])
        if "newer than this program" in before[0].err:  # from a newer version: left untouched
            assert not kept and after.code == 1 and "newer" in after.err, how + describe(after)
            return
        if before[0].code:  # unreadable before: moved aside, one line naming both files
            assert kept and notes and str(journal) in notes[0] and str(kept[0]) in notes[0], how + describe(ran)
        check(after, codes={0})


@fuzz("journal_demo")
@given(journal_cases())
def test_a_damaged_journal_never_keeps_a_routine_from_running(write):
    with tempfile.TemporaryDirectory() as directory:
        box = Sandbox(Path(directory))
        box.write_quiet_config()
        write(box.state)
        demo = box.run(["demo", "--routine", "quick", "--speed", "1000", "--state-dir", str(box.state)])
        check(demo, codes={0})
        assert demo.out.splitlines()[-1].startswith("finished: Quick done"), describe(demo)
        stats = box.run(["stats"])
        if "newer than this program" in stats.err:  # from a newer version: left untouched, not saved to
            return
        check(stats, codes={0})
        assert re.search(r"Nights +[1-9]\d* in all", stats.out), describe(stats)


@fuzz("argv")
@given(argv_cases())
def test_generated_argument_lists_end_as_documented(build):
    with tempfile.TemporaryDirectory() as directory:
        box = Sandbox(Path(directory))
        argv = build(box)
        check(box.run(argv))


@fuzz("web")
@given(web_cases())
def test_web_told_to_listen_where_it_cannot_fails_at_once_naming_what_is_wrong(case):
    if case.how == "not here" and bindable(case.host):
        assume(False)  # this machine's network lets a program listen there (some sandboxes route whole ranges)
    with tempfile.TemporaryDirectory() as directory:
        box = Sandbox(Path(directory))
        result, names, code = case.run(box)  # serving instead counts as a hang (the time limit)
        check(result, names, {code})
        assert len(result.err.splitlines()) == 1, describe(result)
        if case.how == "no host" and case.by == "config":  # the check agrees with `web`
            check(box.run(["config", "--check", str(box.config)]), (box.config,), {1})


def bindable(host: str) -> bool:
    """Whether this machine lets a program listen on `host` (some sandboxes route whole ranges here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, 0))
        except OSError:
            return False
    return True

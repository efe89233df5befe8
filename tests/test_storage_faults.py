"""A failing SD card never costs the person their history: faults injected into the real
commands with strace (EIO, ENOSPC, a power cut at a call), a read-only and a full filesystem,
and a full filesystem with 1 KiB blocks (where SQLite's -shm could raise SIGBUS).

A representative sample of `storage_faults.cases()`: every command, every kind of call,
both errors; `bench/storage_faults.py` runs the wide sweep and prints the figures. Needs
strace (`.ci/run` installs it); the whole-filesystem cases need root (mount), else the same
faults are injected with strace on every call.
"""

import os
import shutil
import subprocess

import pytest

import storage_faults as sf
from device.journal.reader import read_history
from device.journal.schema import FILE_NAME

pytestmark = pytest.mark.skipif(sf.STRACE is None and os.environ.get("CI") != "true",
                                reason="needs strace (apt install strace); .ci/run installs it")

SAMPLE = [
    # the issue's item 1: one read error in the start-up check must not move the journal aside
    sf.Case("demo", "journal.sqlite3", "read", "EIO", "5"),
    sf.Case("demo", "journal.sqlite3", "read", "EIO", "5+"),
    sf.Case("run", "journal.sqlite3", "read", "EIO", "3"),
    sf.Case("morning", "journal.sqlite3", "read", "EIO", "5"),
    sf.Case("stats", "journal.sqlite3", "read", "EIO", "5"),
    sf.Case("export", "journal.sqlite3", "read", "EIO", "2+"),
    # item 2: a full write-ahead log in `psoas morning`
    sf.Case("morning", "journal.sqlite3-wal", "write", "ENOSPC", "2"),
    sf.Case("morning", "journal.sqlite3-wal", "fsync", "EIO", "1"),
    sf.Case("morning", "journal.sqlite3-shm", "write", "ENOSPC", "1"),
    sf.Case("demo", "journal.sqlite3-wal", "write", "ENOSPC", "3"),
    sf.Case("demo", "journal.sqlite3-wal", "fsync", "EIO", "2+"),
    sf.Case("demo", "journal.sqlite3", "write", "EIO", "1"),
    sf.Case("demo", "journal.sqlite3", "fsync", "ENOSPC", "1"),
    sf.Case("demo", "<dir>", "fsync", "EIO", "1"),
    sf.Case("run", "journal.sqlite3-wal", "write", "EIO", "2"),
    sf.Case("run", "bedtime.json", "read", "EIO", "1"),
    sf.Case("run", "*", "fsync", "ENOSPC", "1"),
    sf.Case("run", "*", "rename", "EIO", "1"),
    sf.Case("stats", "journal.sqlite3-wal", "read", "EIO", "1"),
    sf.Case("export", "*", "fsync", "ENOSPC", "1"),
    sf.Case("export", "*", "rename", "EIO", "1"),
    # power cuts: the process killed at that call, the state dir as it was left
    sf.Case("demo", "journal.sqlite3-wal", "write", "KILL", "3"),
    sf.Case("demo", "journal.sqlite3-wal", "fsync", "KILL", "2"),
    sf.Case("morning", "journal.sqlite3", "fsync", "KILL", "1"),
    sf.Case("run", "*", "rename", "KILL", "1"),
    sf.Case("run", "*", "fsync", "KILL", "2"),
]


@pytest.fixture(scope="module")
def workspace():
    with sf.workspace() as (work, history):
        yield work, history


@pytest.mark.parametrize("case", SAMPLE, ids=str)
def test_a_fault_costs_no_history_and_stops_no_routine(case, workspace):
    work, history = workspace
    outcome = sf.run_case(case, work, history)
    assert outcome.injected, f"{case}: the fault never fired (strace log: {(work / 'strace.log').read_text()[-300:]})"
    assert outcome.problems == {}


def test_the_issues_reproduction_keeps_the_journal_and_the_next_run_shows_every_night(workspace):
    work, history = workspace
    state_dir = work / "repro"
    shutil.rmtree(state_dir, ignore_errors=True)
    shutil.copytree(history, state_dir)
    nights = len(read_history(state_dir).nights)
    done = subprocess.run(
        [sf.STRACE, "-f", "-qq", "-o", "/dev/null", "-P", str(state_dir / FILE_NAME), "-e", "trace=pread64",
         "-e", "inject=pread64:error=EIO:when=5", *sf.PSOAS, "demo", "--speed", "500", "--state-dir", str(state_dir)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=sf.environment(), timeout=120)
    assert done.returncode == 0 and "finished:" in done.stdout
    assert "I/O error" in done.stderr and "moved" in done.stderr  # "nothing was moved or deleted"
    assert sorted(p.name for p in state_dir.glob(f"{FILE_NAME}*") if "corrupt" in p.name) == []
    again = subprocess.run([*sf.PSOAS, "stats", "--state-dir", str(state_dir)], capture_output=True, text=True,
                           env=sf.environment(), timeout=60)
    assert again.returncode == 0
    assert len(read_history(state_dir).nights) >= nights + 1  # the old nights and tonight's
    assert f"Nights     {len({n.night_date for n in read_history(state_dir).nights})} in all" in again.stdout


def test_morning_names_a_full_card_never_a_rollback(workspace):
    work, history = workspace
    case = sf.Case("morning", "journal.sqlite3-wal", "write", "ENOSPC", "2")
    outcome = sf.run_case(case, work, history)
    text = (work / "output.txt").read_text()
    assert outcome.code == 1 and "no transaction is active" not in text
    assert "the storage is full" in text or "I/O error" in text


MOUNTS = sf.can_mount()


@pytest.fixture
def filesystem(request):
    if not MOUNTS:
        pytest.skip("mounting needs root; the same faults are injected with strace below")
    if request.param == "ext4-1k" and not shutil.which("mkfs.ext4") and os.environ.get("CI") != "true":
        pytest.skip("needs mkfs.ext4 (apt install e2fsprogs); .ci/run installs it")
    with sf.mounted(request.param, 8192) as folder:
        yield folder


def whole_filesystem_problems(state_dir, work, commands, before, expect_saved: bool) -> tuple[list[str], list]:
    """Run `commands` on the faulty filesystem; (problems, results for `sf.check_afterwards`)."""
    problems, results = [], []
    for command in commands:
        code, text = sf.run_plain(command, state_dir, work)
        result = sf.Outcome_(sf.Case(command, "*", "write", "fs", "1"), True, code, 0.0)
        results.append(result)
        if expect_saved:
            sf.check(result, text, state_dir, before, afterwards=False)
        else:
            _check_read_only(result, text, state_dir, before)
        if result.problems:
            problems.append(f"{command}: {result.problems}")
        if code < 0 or code > 128:
            problems.append(f"{command}: killed by signal ({code}): {text[-200:]}")
    return problems, results


def _check_read_only(result, text, state_dir, before):
    """As `check`, without the write afterwards (the filesystem stays read-only)."""
    case, problems = result.case, result.problems
    if "Traceback (most recent call last)" in text:
        problems["tracebacks"] = text[-400:]
    if result.code not in sf._expected_codes(case.command):
        problems["wrong exit codes"] = f"exit {result.code}: {text[-300:]}"
    if sf.rows(state_dir) != before:  # read-only: read as the main file stands (immutable)
        problems["rows lost"] = "the history changed"
    if case.command == "demo" and "finished:" not in text or case.command == "run" and "screen: done" not in text:
        problems["routines interrupted"] = text[-300:]
    if case.command == "morning" and "read-only" not in text:
        problems["wrong exit codes"] = f"the cause is not named: {text[-300:]}"


@pytest.mark.parametrize("filesystem", ["tmpfs"], indirect=True)
def test_a_card_remounted_read_only_keeps_every_routine_running(filesystem, workspace):
    work, history = workspace
    state_dir = filesystem / "state"
    shutil.copytree(history, state_dir)
    before = sf.rows(state_dir)
    sf.remount_read_only(filesystem)
    problems, _ = whole_filesystem_problems(state_dir, work, sf.COMMANDS, before, expect_saved=False)
    assert problems == []


@pytest.mark.parametrize("filesystem", ["tmpfs", "ext4-1k"], indirect=True)
@pytest.mark.parametrize("free_kib", [0, 20, 48])
def test_a_full_card_keeps_every_routine_running_and_never_raises_sigbus(filesystem, free_kib, workspace):
    """With 1 KiB blocks and 20 KiB free, SQLite's -shm mapping met unallocated blocks and the
    process died of SIGBUS before the free-space guard (`faults.check_room`)."""
    work, history = workspace
    state_dir = filesystem / "state"
    shutil.copytree(history, state_dir)
    before = sf.rows(state_dir)
    sf.fill(filesystem, free_kib * 1024)
    problems, results = whole_filesystem_problems(state_dir, work, ("demo", "morning", "stats", "demo"), before,
                                                  expect_saved=True)
    assert problems == []
    (filesystem / "filler").unlink()  # room again: nothing lost, the next run not blocked
    for result in results:
        sf.check_afterwards(result, state_dir, before)
        assert result.problems == {}


@pytest.mark.skipif(MOUNTS, reason="the real filesystems above are used")
@pytest.mark.parametrize("command", sf.COMMANDS)
@pytest.mark.parametrize("error", ["EROFS", "ENOSPC"])
def test_without_mounts_every_write_fails_as_on_a_read_only_or_full_card(command, error, workspace):
    work, history = workspace
    outcome = sf.run_case(sf.Case(command, "journal.sqlite3-wal", "write", error, "1+"), work, history)
    assert outcome.problems == {}

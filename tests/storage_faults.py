"""Storage faults injected into the real commands, and what must hold afterwards.

Shared by `tests/test_storage_faults.py` (a sample, in CI) and `bench/storage_faults.py` (the
wide sweep, with figures). Each `Case` runs one real `psoas` command in a subprocess under
`strace -f -P FILE -e inject=SYSCALLS:error=EIO|ENOSPC:when=N` (or `signal=KILL`: a power cut
at that moment, the state dir left as the page cache had it), on a state dir holding a known
history. `check` then looks, without injection:

- a traceback anywhere in the output;
- the exit status: 0 for `demo` and `run` (the routine always goes on), 0 or 1 with a one-line
  message for `morning`, `stats`, `export`; a signal (SIGBUS) is always wrong;
- rows lost: every night, hold and morning there before must still read back, and a morning
  `psoas morning` said it saved must be there;
- a healthy journal moved aside (`journal.sqlite3.corrupt-*`);
- a run blocked afterwards: the journal must open for writing, save and read back, with no
  fault injected;
- a routine interrupted: `demo` must end with its `finished: ... done` line, `run` must reach
  the done screen.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fakes import FakeWallClock

from device.bedtime.memory import PromptedNights
from device.journal.reader import read_history
from device.journal.schema import FILE_NAME
from device.journal.writer import Journal
from device.storage.sweep import STALE_SECONDS, sweep
from routines.events import Event, StepRecord
from routines.outcomes import Outcome, Side

REPO = Path(__file__).resolve().parents[1]
PSOAS = [sys.executable, "-m", "device.cli.main"]
STRACE = shutil.which("strace")
SYSCALLS = {  # the kinds of call a fault is injected into, as strace names them (x86-64 and ARM)
    "read": "pread64,read",
    "write": "pwrite64,write,ftruncate",
    "fsync": "fsync,fdatasync",
    "rename": "rename,renameat,renameat2",
}
ERRORS = ("EIO", "ENOSPC")
COMMANDS = ("demo", "run", "morning", "stats", "export")
# The state files each command touches; "<dir>" is the state dir itself (its fsync), "*" any
# file: the atomic writer's temporary files (random names: by call number, fsync and rename).
FILES = {
    "demo": ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm", "<dir>", "*"),
    "run": ("journal.sqlite3", "journal.sqlite3-wal", "bedtime.json", "<dir>", "*"),
    "morning": ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm", "*"),
    "stats": ("journal.sqlite3", "journal.sqlite3-wal"),
    "export": ("journal.sqlite3", "*"),
}
TIMEOUT_SECONDS = 90


@dataclass(frozen=True)
class Case:
    command: str  # one of COMMANDS
    file: str  # one of FILES[command]
    kind: str  # one of SYSCALLS
    error: str  # "EIO", "ENOSPC", or "KILL" (a power cut at that call)
    when: str  # strace's when=: "1", "3", "2+" (that call and every later one)

    def __str__(self) -> str:
        return f"{self.command}:{self.file}:{self.kind}:{self.error}:{self.when}"


@dataclass
class Outcome_:
    """What one case did and what was wrong afterwards (empty `problems`: all held)."""

    case: Case
    injected: bool  # strace reported the fault injected (the call happened at all)
    code: int
    seconds: float
    problems: dict[str, str] = field(default_factory=dict)  # figure name -> detail


FIGURES = ("tracebacks", "wrong exit codes", "rows lost", "healthy journals moved aside",
           "runs blocked afterwards", "routines interrupted")


def config_text(now: datetime) -> str:
    """A config whose bedtime was a minute ago, every day, so `run` prompts at once, with the
    short routine."""
    at = datetime.fromtimestamp(now.timestamp() - 60).astimezone().strftime("%H:%M")
    days = "\n".join(f'{day} = "{at}"' for day in
                     ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    return f'[bedtime]\n{days}\n\n[routine]\ndefault = "quick"\ndone_seconds = 5\n'


def environment() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PSOAS_STATE_DIR", None)
    env.pop("STATE_DIRECTORY", None)
    return env


def make_history(state_dir: Path) -> None:
    """A journal with two nights of holds and a morning answer, and a bedtime memory."""
    state_dir.mkdir(parents=True, exist_ok=True)
    state_dir.chmod(0o700)
    moments = iter([datetime(2026, 1, 5, 22, 15).astimezone(), datetime(2026, 1, 6, 22, 15).astimezone()])
    for moment in moments:
        with Journal(state_dir, wall=FakeWallClock(moment)) as journal:
            journal.record(Event(at=0, started="full"))
            for n in range(3):
                journal.record(Event(at=n, record=StepRecord(f"s{n}", Side.LEFT, 30.0, 30.0, 0.0, False)))
            journal.record(Event(at=9, outcome=Outcome.FINISHED, summary={"n": 3}))
            journal.save_morning(moment.date(), 4, source="command")
    PromptedNights(state_dir).add(datetime(2026, 1, 6).date(), datetime(2026, 1, 6, 22, 15).astimezone())


def with_wal(state_dir: Path, copy: Path) -> None:
    """Copy `state_dir` to `copy` while the journal has a committed morning still in its -wal
    file, as the daemon leaves it when the power goes: reads must replay the -wal."""
    path = state_dir / FILE_NAME
    holder = sqlite3.connect(path)  # while it is open, the other's close neither checkpoints nor deletes
    holder.execute("SELECT count(*) FROM nights").fetchall()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO mornings (morning_date, stiffness, answered_at, source)"
                   " VALUES ('2026-01-07', 5, '2026-01-07T07:30:00+00:00', 'button')")
    shutil.copytree(state_dir, copy)
    writer.close()
    holder.close()


def rows(state_dir: Path) -> set[tuple]:
    """Every night, hold and morning that reads back, as comparable tuples."""
    history = read_history(state_dir)
    found: set[tuple] = set()
    for night in history.nights:
        found.add(("night", night.id, night.started_at))
        found.update(("hold", night.id, n, step.stretch_id) for n, step in enumerate(night.steps))
    found.update(("morning", m.morning_date.isoformat(), m.stiffness) for m in history.mornings)
    return found


def argv(command: str, state_dir: Path, work: Path) -> list[str]:
    state = ["--state-dir", str(state_dir)]
    config = ["--config", str(work / "config.toml")]
    return {
        "demo": [*PSOAS, "demo", "--speed", "1000", *config, *state],
        "run": [*PSOAS, "run", "--emulate", *config, *state],
        "morning": [*PSOAS, "morning", "3", *config, *state],
        "stats": [*PSOAS, "stats", *config, *state],
        "export": [*PSOAS, "export", *config, *state, "--json", str(work / "export.json")],
    }[command]


def strace_argv(case: Case, state_dir: Path, work: Path) -> list[str]:
    if case.file == "<dir>":
        paths = [state_dir]
    elif case.file == "*":
        paths = []
    else:
        paths = [state_dir / case.file]
    action = "signal=KILL" if case.error == "KILL" else f"error={case.error}"
    syscalls = SYSCALLS[case.kind]
    if case.kind == "rename":  # strace -P matches a rename by its first path only: the temporary file's
        paths = []
    if case.file == "*":  # no -P: the atomic writer's temporary files have random names
        syscalls = {"fsync": "fsync,fdatasync", "rename": "rename,renameat,renameat2"}.get(case.kind, "fsync")
    return [STRACE, "-f", "-qq", "-o", str(work / "strace.log"), *(a for p in paths for a in ("-P", str(p))),
            "-e", f"trace={syscalls}", "-e", f"inject={syscalls}:{action}:when={case.when}"]


KEY_FOR_SCREEN = {"bedtime": " ", "safety": " ", "setup": "h", "hold": "h", "done": "q"}  # skip each step
KEY_GAP_SECONDS = 0.8  # keys further apart than a double press


def _feed_keys(process: subprocess.Popen, output: Path) -> None:
    """Drive `psoas run --emulate` like a person, from what it shows (its `screen:` lines):
    start at the bedtime prompt, go past the safety card, skip each step, quit once done."""
    seen, last_key = 0, 0.0
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            screens = re.findall(r"^screen: (\w+)", output.read_text(errors="replace"), re.M)
            if len(screens) == seen and time.monotonic() - last_key < 3 * KEY_GAP_SECONDS + 2:
                continue
            seen = len(screens)
            key = KEY_FOR_SCREEN.get(screens[-1]) if screens else None
            if key is None:
                continue
            time.sleep(max(0.0, last_key + KEY_GAP_SECONDS - time.monotonic()))
            process.stdin.write(key.encode())
            process.stdin.flush()
            last_key = time.monotonic()
            if key == "q":
                process.stdin.close()
                return
    except (BrokenPipeError, ValueError, OSError):
        pass


def run_to_end(argv_: list[str], command: str, work: Path) -> int:
    """Run `argv_` in `work` (output in output.txt; `psoas run` fed its keys) until it exits or
    `TIMEOUT_SECONDS` pass (then killed); its exit status."""
    with open(work / "output.txt", "wb") as out:
        process = subprocess.Popen(argv_, stdin=subprocess.PIPE if command == "run" else subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT, env=environment(), cwd=work)
        if command == "run":
            threading.Thread(target=_feed_keys, args=(process, work / "output.txt"), daemon=True).start()
        try:
            process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def run_case(case: Case, work: Path, history: Path) -> Outcome_:
    """Run `case` on a fresh copy of the state dir `history`, in `work`; then check it."""
    state_dir = work / "state"
    shutil.rmtree(state_dir, ignore_errors=True)
    shutil.copytree(history, state_dir)
    (work / "export.json").write_text("{}\n")  # there already: strace -P needs a path that exists
    (work / "config.toml").write_text(config_text(datetime.now().astimezone()))
    before = rows(state_dir)
    command = strace_argv(case, state_dir, work) + argv(case.command, state_dir, work)
    started = time.monotonic()
    returncode = run_to_end(command, case.command, work)
    seconds = time.monotonic() - started
    text = (work / "output.txt").read_bytes().decode("utf-8", "replace")
    log = (work / "strace.log").read_text(errors="replace") if (work / "strace.log").exists() else ""
    injected = "INJECTED" in log or (case.error == "KILL" and "+++ killed by SIGKILL" in log)
    result = Outcome_(case, injected, returncode, seconds)
    check(result, text, state_dir, before)
    return result


def _expected_codes(command: str) -> tuple[int, ...]:
    return (0,) if command in ("demo", "run") else (0, 1)


def check(result: Outcome_, text: str, state_dir: Path, before: set[tuple], afterwards: bool = True) -> None:
    """Fill `result.problems` (see the module docstring); `afterwards=False`: the caller calls
    `check_afterwards` itself (once the filesystem has room again)."""
    case, problems = result.case, result.problems
    killed = case.error == "KILL"
    if "Traceback (most recent call last)" in text:
        problems["tracebacks"] = text[text.index("Traceback"):][:600]
    if not killed and result.code not in _expected_codes(case.command):
        problems["wrong exit codes"] = f"exit {result.code}: {text[-300:]}"
    if not killed and result.code == 1 and len([ln for ln in text.splitlines() if ln.startswith("psoas ")]) != 1:
        problems["wrong exit codes"] = f"exit 1 without one line saying why: {text[-300:]}"
    if list(state_dir.glob(f"{FILE_NAME}.corrupt-*")):
        problems["healthy journals moved aside"] = ", ".join(p.name for p in state_dir.glob("*.corrupt-*"))
    if not killed:
        if case.command == "demo" and not re.search(r"^finished: .* done:", text, re.M):
            problems["routines interrupted"] = text[-300:]
        if case.command == "run" and "screen: done" not in text:
            problems["routines interrupted"] = text[-300:]
    if afterwards:
        check_afterwards(result, state_dir, before)


def check_afterwards(result: Outcome_, state_dir: Path, before: set[tuple]) -> None:
    """The checks made with the storage healthy again: rows lost, runs blocked afterwards."""
    case, problems = result.case, result.problems
    try:
        after = rows(state_dir)
    except Exception as error:  # noqa: BLE001 - a figure, not a crash
        after = set()
        problems["rows lost"] = f"the journal does not read back: {error}"
    missing = before - after
    if case.command == "morning" and result.code == 0 and case.error != "KILL" and not any(
            r[0] == "morning" and r[2] == 3 for r in after):
        missing.add(("morning", "today", 3))
    if missing and "rows lost" not in problems:
        problems["rows lost"] = f"{len(missing)} rows: {sorted(missing)[:3]}"
    blocked = blocked_afterwards(state_dir)
    if blocked:
        problems["runs blocked afterwards"] = blocked


def blocked_afterwards(state_dir: Path) -> str:
    """"" when a later run works with no fault injected: the sweep tidies up, the journal
    opens (not moved aside), saves a night and reads it back; else what went wrong."""
    sweep(state_dir, now=time.time() + 2 * STALE_SECONDS)
    leftovers = [p.name for p in state_dir.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".")]
    if leftovers:
        return f"leftovers the sweep did not remove: {leftovers}"
    moment = datetime(2026, 2, 1, 22, 0).astimezone()
    with Journal(state_dir, wall=FakeWallClock(moment)) as journal:
        if not journal.enabled:
            return "the journal did not open"
        journal.record(Event(at=0, started="after"))
        journal.record(Event(at=1, outcome=Outcome.FINISHED, summary={}))
    if list(state_dir.glob(f"{FILE_NAME}.corrupt-*")):
        return "the journal was moved aside when opened afterwards"
    try:
        if not any(n.routine == "after" for n in read_history(state_dir).nights):
            return "a night saved afterwards does not read back"
    except Exception as error:  # noqa: BLE001
        return f"the journal does not read afterwards: {error}"
    return ""


def cases(commands=COMMANDS, errors=(*ERRORS, "KILL"), whens=("1", "2", "3", "5", "8", "1+")) -> list[Case]:
    """Every combination (the bench's wide sweep); a fault that never fires is counted apart."""
    found = []
    for command in commands:
        for file in FILES[command]:
            for kind in SYSCALLS:
                if kind == "rename" and file != "*":
                    continue  # a rename is injected by call number, whatever the file (see strace_argv)
                if file == "*" and kind not in ("fsync", "rename"):
                    continue
                if file == "<dir>" and kind not in ("fsync",):
                    continue
                if file.endswith("-shm") and kind not in ("write",):
                    continue
                if command in ("stats", "export") and file.startswith("journal") and kind != "read":
                    continue
                for error in errors:
                    for when in whens:
                        if error == "KILL" and when.endswith("+"):
                            continue
                        found.append(Case(command, file, kind, error, when))
    return found


@contextlib.contextmanager
def workspace(prefix: str = "psoas-faults-"):
    """A scratch folder holding the known history (`history/`) and room for one case."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        work = Path(folder)
        make_history(work / "made")
        with_wal(work / "made", work / "history")
        yield work, work / "history"


def tally(outcomes: list[Outcome_]) -> dict[str, int]:
    """The bench's figures over `outcomes`."""
    counts = {"injected runs": sum(o.injected for o in outcomes)}
    for name in FIGURES:
        counts[name] = sum(name in o.problems for o in outcomes)
    return counts


# -- whole filesystems: read-only, full, and full with 1 KiB blocks (root only) -----------------

def can_mount() -> bool:
    """True when this process may mount filesystems (root with CAP_SYS_ADMIN)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    with tempfile.TemporaryDirectory(prefix="psoas-mount-") as folder:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder], capture_output=True)
        if done.returncode != 0:
            return False
        subprocess.run(["umount", folder], capture_output=True)
    return True


@contextlib.contextmanager
def mounted(kind: str, size_kib: int = 2048):
    """A fresh filesystem mounted on a temporary folder: "tmpfs" (size= caps it, 4 KiB pages) or
    "ext4-1k" (a loop-mounted image made with 1 KiB blocks, as `mkfs.ext4` makes a small one)."""
    folder = Path(tempfile.mkdtemp(prefix=f"psoas-{kind}-"))
    image = folder.with_suffix(".img")
    try:
        if kind == "tmpfs":
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(folder)],
                           check=True, capture_output=True)
        else:
            with open(image, "wb") as out:
                out.truncate(size_kib * 1024)
            subprocess.run(["mkfs.ext4", "-q", "-F", "-b", "1024", "-m", "0", str(image)], check=True,
                           capture_output=True)
            subprocess.run(["mount", "-o", "loop", str(image), str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        image.unlink(missing_ok=True)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)


def fill(folder: Path, leave_bytes: int = 0) -> None:
    """Fill `folder`'s filesystem until at most `leave_bytes` are free for users (`f_bavail`)."""
    filler = folder / "filler"
    with open(filler, "ab", buffering=0) as out:
        for chunk in (65536, 4096, 1024):
            while True:
                info = os.statvfs(folder)
                if info.f_bavail * info.f_frsize - chunk < leave_bytes:
                    break
                try:
                    out.write(b"\0" * chunk)
                    os.fsync(out.fileno())
                except OSError:
                    break


def run_plain(command: str, state_dir: Path, work: Path) -> tuple[int, str]:
    """Run `command` without strace (for whole-filesystem faults); (exit status, output)."""
    (work / "export.json").unlink(missing_ok=True)
    (work / "config.toml").write_text(config_text(datetime.now().astimezone()))
    returncode = run_to_end(argv(command, state_dir, work), command, work)
    return returncode, (work / "output.txt").read_text(errors="replace")

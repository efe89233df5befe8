"""Debian Bookworm root filesystems for ARM, as a Pi's fresh OS, run on this machine by qemu-user.

`python3 tests/arm_rootfs.py ARCH [CACHE]` (arm64 or armhf) builds one with debootstrap, or
finds it built: `CACHE/bookworm-ARCH` (default /var/cache/psoas-arm, outside the checkout),
kept between runs and rebuilt when missing or made by another recipe (its `.psoas-rootfs`
holds the recipe). It prints the folder. Each build goes into a `.partial` folder first, so an
interrupted one is never taken for done. tests/test_arm.py starts both builds at once (they take
about 7 and 12 minutes) and boots each folder read-only, with a tmpfs on top.

Also here: `binfmt_problem()`, which makes the kernel run ARM programs through
qemu-user-static (binfmt_misc mounted, the interpreters registered with the F flag, so they
work inside a container too), and `arm_wheelhouse()`, the wheels an ARM pip needs, fetched on
this machine with `pip download --platform` (binary wheels only, as install.sh asks for).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from wheelhouse import requirements

CACHE = Path("/var/cache/psoas-arm")
SUITE = "bookworm"
ARCHES = {"arm64": ("aarch64", "qemu-aarch64"), "armhf": ("armv7l", "qemu-arm")}  # Debian's: (uname -m, binfmt)
# systemd and dbus to boot; Python 3.11 and its venv, as on Raspberry Pi OS Lite. install.sh adds the rest.
PACKAGES = ("systemd", "systemd-sysv", "dbus", "python3", "python3-venv")
# Timers that would run apt while install.sh does (a Pi has them too, but not in the first minutes).
MASKED = ("apt-daily.timer", "apt-daily-upgrade.timer", "e2scrub_all.timer", "fstrim.timer")
STAMP = ".psoas-rootfs"
PYTHON = "3.11"  # Bookworm's
GLIBC_MINORS = range(17, 37)  # manylinux_2_17 .. Bookworm's glibc 2.36


def mirror(sources: Path = Path("/etc/apt")) -> str:
    """The Debian mirror this machine's apt uses (deb.debian.org when none is found)."""
    texts = [path.read_text(errors="replace") for path in
             [sources / "sources.list", *sorted((sources / "sources.list.d").glob("*"))] if path.is_file()]
    for text in texts:
        for match in re.finditer(r"^(?:URIs:\s*|deb\s+(?:\[[^]]*\]\s+)?)(\S+)", text, re.M):
            uri = match.group(1).rstrip("/")
            if uri.startswith("http") and uri.endswith("/debian") and f"/{SUITE}" not in uri:
                return uri
    return "http://deb.debian.org/debian"


def recipe(arch: str) -> dict:
    return {"suite": SUITE, "arch": arch, "variant": "minbase", "packages": list(PACKAGES), "masked": list(MASKED),
            "mirror": mirror(), "version": 1}


def built(arch: str, cache: Path = CACHE) -> Path | None:
    """The cached root filesystem, if one made by this recipe is there."""
    folder = cache / f"{SUITE}-{arch}"
    try:
        return folder if json.loads((folder / STAMP).read_text()) == recipe(arch) else None
    except (OSError, ValueError):
        return None


def build(arch: str, cache: Path = CACHE, log=sys.stderr) -> Path:
    """Build (or find) the root filesystem for `arch`; raises RuntimeError with debootstrap's last line."""
    done = built(arch, cache)
    if done:
        return done
    wanted = recipe(arch)
    cache.mkdir(parents=True, exist_ok=True)
    folder, partial = cache / f"{SUITE}-{arch}", cache / f"{SUITE}-{arch}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    command = ["debootstrap", f"--arch={arch}", f"--variant={wanted['variant']}",
               f"--include={','.join(PACKAGES)}", SUITE, str(partial), wanted["mirror"]]
    result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        last = (partial / "debootstrap/debootstrap.log")
        said = last.read_text(errors="replace").strip().splitlines()[-1:] if last.exists() else []
        raise RuntimeError(f"debootstrap {arch} exited {result.returncode}: {said[0] if said else 'see its output'}")
    finish(partial, arch)
    (partial / STAMP).write_text(json.dumps(wanted))
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder


def finish(root: Path, arch: str) -> None:
    """What a Pi's image has and debootstrap leaves out: a host name, an empty machine id (set at
    first boot), the apt timers masked (see MASKED)."""
    (root / "etc/hostname").write_text(f"psoas-{arch}\n")
    (root / "etc/machine-id").write_text("")
    for unit in MASKED:
        link = root / "etc/systemd/system" / unit
        link.unlink(missing_ok=True)
        link.symlink_to("/dev/null")


def binfmt_problem(arch: str) -> str | None:
    """Make the kernel run `arch` programs through qemu-user-static; None when it does, else why not."""
    binfmt = Path("/proc/sys/fs/binfmt_misc")
    if not (binfmt / "register").exists():
        result = subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", str(binfmt)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            return f"cannot mount binfmt_misc: {result.stderr.strip()}"
    entry = binfmt / ARCHES[arch][1]
    if not entry.exists() and shutil.which("update-binfmts"):
        subprocess.run(["update-binfmts", "--enable", ARCHES[arch][1]], capture_output=True)
    if not entry.exists():
        return f"{entry.name} is not registered: apt-get install -y qemu-user-static binfmt-support (.ci/run does)"
    text = entry.read_text()
    if not text.startswith("enabled"):
        return f"{entry} is disabled: update-binfmts --enable {entry.name}"
    flags = re.search(r"^flags: *(\S*)", text, re.M)
    if not flags or "F" not in flags.group(1):
        return f"{entry} lacks the F flag (the interpreter is not found inside a container)"
    return None


def platforms(machine: str) -> list[str]:
    """pip's platform tags an ARM Bookworm accepts, newest first."""
    return ([f"manylinux_2_{minor}_{machine}" for minor in reversed(GLIBC_MINORS)]
            + [f"manylinux2014_{machine}", f"linux_{machine}"])


def arm_wheelhouse(arch: str, cache: Path) -> tuple[Path, list[str]]:
    """Binary wheels of everything install.sh's pip may need on `arch`, in `cache/wheels-ARCH-HASH`;
    and the requirements PyPI has no wheel of for it (armhf: Pillow; apt brings those).

    The versions are those pip picks for arm64, where every wheel exists; on armhf a requirement
    without a wheel of that version takes the newest that has one (cbor2: 5.9, pure Python).
    """
    machine = ARCHES[arch][0]
    wanted = requirements()
    key = hashlib.sha256(json.dumps([wanted, PYTHON, machine]).encode()).hexdigest()[:12]
    target = cache / f"wheels-{arch}-{key}"
    if (target / ".complete").exists():
        return target, json.loads((target / ".complete").read_text())
    partial = cache / f"wheels-{arch}-{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    tags = ["--python-version", PYTHON, "--implementation", "cp", "--abi", f"cp{PYTHON.replace('.', '')}",
            "--abi", "abi3", "--abi", "none", "--only-binary=:all:"]

    def download(what: list[str], machine: str, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(partial), *tags,
                               *(f"--platform={tag}" for tag in platforms(machine)), *extra, *what],
                              capture_output=True, text=True, timeout=600)

    with tempfile.TemporaryDirectory() as scratch:
        resolved = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--dest", scratch, *tags,
                                   *(f"--platform={tag}" for tag in platforms("aarch64")), *wanted],
                                  capture_output=True, text=True, timeout=600)
        if resolved.returncode != 0:
            raise RuntimeError(f"pip download for aarch64 failed: {last_line(resolved)}")
        pins = sorted(pin_of(wheel) for wheel in Path(scratch).glob("*.whl"))
    missing = []
    for name, version in pins:
        if download([f"{name}=={version}"], machine, "--no-deps").returncode == 0:
            continue
        if download([name], machine, "--no-deps").returncode != 0:
            missing.append(name)
    (partial / ".complete").write_text(json.dumps(missing))
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target, missing


def pin_of(wheel: Path) -> tuple[str, str]:
    """('name', 'version') from a wheel's file name."""
    name, version = wheel.name.split("-")[:2]
    return name.replace("_", "-").lower(), version


def last_line(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in (result.stderr or result.stdout).strip().splitlines() if not line.startswith("WARN")]
    return lines[-1] if lines else f"exit {result.returncode}"


if __name__ == "__main__":
    if os.geteuid() != 0 or len(sys.argv) not in (2, 3) or sys.argv[1] not in ARCHES:
        sys.exit(f"usage: sudo {sys.argv[0]} {{{','.join(ARCHES)}}} [CACHE]")
    try:
        print(build(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) == 3 else CACHE))
    except RuntimeError as error:
        sys.exit(str(error))

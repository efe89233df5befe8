"""Wheels of the project's dependencies, built once and kept, so install.sh's pip needs no index.

`wheelhouse(cache, python)` runs `pip wheel` for `[project] dependencies`, the build
backend and lgpio (install.sh's on a Pi without python3-lgpio) into `cache/wheels-<hash>` (the hash covers those and Python's X.Y) and reuses it
afterwards. Tests then run install.sh with `PIP_NO_INDEX=1 PIP_FIND_LINKS=<it>`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class WheelhouseError(RuntimeError):
    """pip could not build the wheels (no index reachable?); the message is pip's last line."""


PI_ONLY = ["lgpio"]  # install.sh adds it on a Pi whose apt has no python3-lgpio


def requirements() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    return project["project"]["dependencies"] + project["build-system"]["requires"] + PI_ONLY


def wheel_cache(config) -> Path:
    """Where the wheels are kept: pytest's cache, or a folder in /tmp when that is off (-p no:cacheprovider)."""
    cache = getattr(config, "cache", None)
    if cache is not None:
        return cache.mkdir("psoas-wheels")
    folder = Path(tempfile.gettempdir()) / "psoas-wheels"
    folder.mkdir(exist_ok=True)
    return folder


def python_version(python: str) -> str:
    return subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          capture_output=True, text=True, check=True).stdout.strip()


def wheelhouse(cache: Path, python: str = sys.executable) -> Path:
    """The wheels for `python`'s X.Y (built with this interpreter's pip when the X.Y match)."""
    version = python_version(python)
    wanted = requirements()
    key = hashlib.sha256(json.dumps([wanted, version]).encode()).hexdigest()[:12]
    target = cache / f"wheels-{key}"
    if (target / ".complete").exists():
        return target
    partial = cache / f"wheels-{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        pip = [sys.executable, "-m", "pip"]
        if version != "%d.%d" % sys.version_info[:2]:  # another Python: a venv of it has a pip
            subprocess.run([python, "-m", "venv", f"{scratch}/venv"], check=True, capture_output=True)
            pip = [f"{scratch}/venv/bin/python", "-m", "pip"]
        result = subprocess.run([*pip, "wheel", "--quiet", "--wheel-dir", str(partial), *wanted],
                                capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise WheelhouseError(f"pip wheel failed: {lines[-1] if lines else result.returncode}")
    (partial / ".complete").touch()
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target

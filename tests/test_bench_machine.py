"""bench/'s header says where its figures were made: the architecture, and emulation when it is."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from _common import architecture  # noqa: E402 - bench/ is not a package


@pytest.mark.parametrize(("kernel", "machine", "said"), [
    ("x86_64", "x86_64", "x86_64"),
    ("x86_64", "aarch64", "aarch64, emulated (qemu-user) on x86_64"),
    ("x86_64", "armv7l", "armv7l, emulated (qemu-user) on x86_64"),
    ("aarch64", "armv7l", "armv7l"),  # Raspberry Pi OS 32-bit on a Pi 4's 64-bit kernel: native
    ("aarch64", "x86_64", "x86_64, emulated on aarch64"),
])
def test_the_architecture_and_whether_it_is_emulated(tmp_path, kernel, machine, said):
    (tmp_path / "arch").write_text(f"{kernel}\n")
    assert architecture(tmp_path / "arch", machine) == said


def test_without_the_kernels_word_it_is_this_pythons():
    assert architecture(Path("/nonexistent/arch"), "aarch64") == "aarch64"

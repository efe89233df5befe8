"""Reference-image checks: compare pixel by pixel; `UPDATE_GOLDENS=1` writes new references."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"


def assert_matches_golden(image: Image.Image, path: Path, what: str = "") -> None:
    """Fail unless `image` equals the reference PNG at `path` pixel for pixel."""
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path)
    if not path.exists():
        pytest.fail(f"no reference image {path}; create it with UPDATE_GOLDENS=1 make test")
    reference = Image.open(path).convert(image.mode)
    assert image.size == reference.size, f"{what or path}: size {image.size} != {reference.size}"
    difference = ImageChops.difference(image, reference).getbbox()
    assert difference is None, f"{what or path} differs from {path} in box {difference}"

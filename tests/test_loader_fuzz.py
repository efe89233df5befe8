"""Arbitrary TOML and raw bytes: only `RoutineError` ever leaves the loader, naming the file."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routines.errors import RoutineError
from routines.loading.catalog import built_in_stretches, load_catalog
from routines.loading.routine_file import (
    ALL_STEP_KEYS,
    BREATHING_KEYS,
    ROUTINE_KEYS,
    read_routine,
)

STRETCHES = built_in_stretches()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
keys = st.sampled_from(sorted(ROUTINE_KEYS | ALL_STEP_KEYS | BREATHING_KEYS)) | text
scalars = (
    st.integers(-10**6, 10**6) | st.floats(allow_nan=True, allow_infinity=True) | st.booleans()
    | text | st.sampled_from(["leg-dangle", "knee-hug", "each", "both", "rest", "info", "countdown"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)
steps = st.lists(st.dictionaries(keys, values, max_size=6), max_size=4)
documents = st.tuples(st.dictionaries(keys, values, max_size=6), steps, st.booleans())


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items()) + "}"


def to_toml(document: tuple) -> str:
    """A TOML text: top-level keys, then the steps as [[step]] tables or one inline array."""
    top, step_tables, as_headers = document
    lines = [f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in top.items() if k != "step"]
    if as_headers:
        for table in step_tables:
            lines.append("[[step]]")
            lines += [f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in table.items()]
    elif step_tables:
        lines.append(f"step = {toml_value(step_tables)}")
    return "\n".join(lines) + "\n"


def assert_only_routine_errors(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzz.toml"
        path.write_bytes(data)
        try:
            read_routine(path, STRETCHES)
        except RoutineError as exc:
            assert exc.problems and all(line.startswith(str(path)) for line in exc.problems), exc.problems
        catalog = load_catalog([Path(directory)])  # a broken user file never stops the device
        assert catalog.routine("full").source == "built-in"
        assert all(line.startswith(str(path)) for line in catalog.problems + catalog.warnings)


@FUZZ
@given(documents)
def test_generated_routine_documents_only_raise_routine_error(document):
    assert_only_routine_errors(to_toml(document).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=300))
def test_raw_bytes_only_raise_routine_error(data):
    assert_only_routine_errors(data)


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_only_raises_routine_error(data):
    assert_only_routine_errors(data.encode("utf-8", "surrogatepass"))


def test_deeply_nested_toml_is_a_routine_error_too():
    assert_only_routine_errors(b"a = " + b"[" * 5000 + b"]" * 5000)

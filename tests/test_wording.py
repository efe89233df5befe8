"""Counted words agree with their numbers, wherever a count is written."""

from __future__ import annotations

import pytest

from routines.wording import counted, plural


@pytest.mark.parametrize(("count", "word", "expected"), [
    (1, "stretch", "1 stretch"), (2, "stretch", "2 stretches"), (0, "hold", "0 holds"),
    (1, "hold", "1 hold"), (3, "press", "3 presses"), (1, "missed night", "1 missed night"),
    (8, "week", "8 weeks"),
])
def test_counted_words_agree_with_their_number(count, word, expected):
    assert counted(count, word) == expected


def test_an_irregular_plural_is_given_once():
    assert counted(2, "child", "children") == "2 children" and plural(1, "child", "children") == "child"

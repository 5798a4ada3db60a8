"""Typed numbers as row ids and offsets (qualcode.domain.ids)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.ids import LARGEST, as_id, as_offset


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("0", 0), ("42", 42), (str(LARGEST), LARGEST), (7, 7), ("007", 7)],
)
def test_ids_a_row_can_have(typed: str | int, expected: int) -> None:
    assert as_id(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "²", "٣", "4²", "-1", "1.0", " 1", "Fokus", str(LARGEST + 1), "9" * 40, -1, 2**40]
)
def test_anything_else_is_not_an_id(typed: str | int) -> None:
    assert as_id(typed) is None


def test_offsets_keep_their_sign() -> None:
    assert as_offset("-5") == -5
    assert as_offset("17") == 17
    assert as_offset("--5") is None
    assert as_offset("-") is None
    assert as_offset("²") is None


@given(st.text(max_size=12))
def test_an_id_is_always_a_storable_integer_or_none(typed: str) -> None:
    found = as_id(typed)
    assert found is None or (0 <= found <= LARGEST and int(typed) == found)

"""LineIndex agrees with TextArea's own (slow) offset converters and round-trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets.text_area import Document

from qualcode.tui.line_index import LineIndex

# canonical text holds no line break but \n (see qualcode.domain.text.normalise)
OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
texts = st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters=OTHER_BREAKS))


@given(texts, st.data())
def test_offsets_round_trip_and_match_textarea(text: str, data: st.DataObject) -> None:
    index = LineIndex(text)
    document = Document(text)
    offset = data.draw(st.integers(0, len(text)))
    location = index.location(offset)
    assert index.offset(location) == offset
    assert location == document.get_location_from_index(offset)
    assert document.get_index_from_location(location) == offset


@given(texts)
def test_line_bounds_cover_each_line(text: str) -> None:
    index = LineIndex(text)
    lines = text.split("\n")
    assert index.line_count == len(lines)
    for row, line in enumerate(lines):
        assert text[index.line_start(row) : index.line_end(row)] == line


@pytest.mark.parametrize("offset", [-1, 6])
def test_offsets_outside_the_text_are_refused(offset: int) -> None:
    with pytest.raises(ValueError, match="outside the text"):
        LineIndex("ab\ncd").location(offset)

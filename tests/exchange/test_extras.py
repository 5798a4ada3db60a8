"""What REFI-QDA has no element for travels in a Description line and comes back whole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qualcode.exchange.extras import code_description, pack, split_code_description, unpack

TEXT = st.none() | st.text(max_size=40)
SECTIONS = ("Include", "Exclude", "Example")


@given(text=TEXT, extras=st.dictionaries(st.sampled_from("abc"), st.text(min_size=1)))
def test_pack_then_unpack_gives_back_text_and_extras(
    text: str | None, extras: dict[str, str]
) -> None:
    body, found = unpack(pack(text, extras))
    assert found == extras
    if extras:
        assert body == (text or None)


@given(definition=TEXT, values=st.tuples(TEXT, TEXT, TEXT))
def test_code_definition_comes_back_from_its_description(
    definition: str | None, values: tuple[str | None, str | None, str | None]
) -> None:
    sections = dict(zip(SECTIONS, values, strict=True))
    written = code_description(definition, sections)
    assert split_code_description(written, sections) == (definition or None)


def test_a_description_edited_elsewhere_is_kept_whole() -> None:
    assert unpack("Just text\nqualcode: not json") == ("Just text\nqualcode: not json", {})
    sections = {"Include": "x", "Exclude": None, "Example": None}
    assert split_code_description("Rewritten by hand", sections) == "Rewritten by hand"

"""Narrowing a query to the codings the coder may see (blind mode, one coder shown)."""

from __future__ import annotations

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.domain.query import QuerySyntaxError
from qualcode.tui.coding_view import CoderFilter
from qualcode.tui.query_scope import scope_query

EVERYONE = CoderFilter(me="anna")
BLIND = CoderFilter(me="anna", blind=True)
KNOWN = {"anna", "bertil"}


@pytest.mark.parametrize(
    ("typed", "view", "sent"),
    [
        ("ACT.WAIT", EVERYONE, "ACT.WAIT"),
        ("ACT.WAIT", BLIND, "ACT.WAIT AND coder:anna"),
        ("ACT.WAIT AND role:participant", BLIND, "ACT.WAIT AND role:participant AND coder:anna"),
        ("ACT.WAIT OR ACT.LESS", BLIND, "(ACT.WAIT OR ACT.LESS) AND coder:anna"),
        ("ACT.WAIT AND coder:anna", BLIND, "ACT.WAIT AND coder:anna"),
        ("ACT.WAIT", CoderFilter(me="anna", only="bertil"), "ACT.WAIT AND coder:bertil"),
    ],
)
def test_the_query_is_narrowed_to_the_visible_codings(
    typed: str, view: CoderFilter, sent: str
) -> None:
    assert scope_query(typed, view, KNOWN).text == sent


def test_blind_mode_refuses_a_query_naming_another_coder() -> None:
    with pytest.raises(InvalidInput, match="coder:bertil"):
        scope_query("ACT.WAIT AND coder:bertil", BLIND, KNOWN)


def test_a_coder_without_codings_finds_words_but_no_coded_passages() -> None:
    newcomer = CoderFilter(me="carla", blind=True)
    assert scope_query('text:"på is"', newcomer, KNOWN).text == 'text:"på is"'
    nothing = scope_query("ACT.WAIT", newcomer, KNOWN)
    assert nothing.text is None and "carla has no codings" in nothing.why


def test_a_syntax_error_keeps_the_columns_as_typed() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        scope_query("ACT.WAIT AND", BLIND, KNOWN)
    assert caught.value.column == len("ACT.WAIT AND") + 1

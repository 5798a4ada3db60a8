"""Keeping retrieval within the codings the coder may see.

In blind mode a second coder must not find the first coder's passages by querying
their codes, so the query is narrowed with ``coder:`` to the coder's own codings
(and, when one coder is shown, to that coder's). The codes listed beside a passage
are filtered the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from qualcode.domain import query as q
from qualcode.domain.errors import InvalidInput
from qualcode.services.retrieval import Passage
from qualcode.tui.coding_view import CoderFilter


@dataclass(frozen=True, slots=True)
class ScopedQuery:
    """What to ask the retrieval service; ``None`` when nothing can match (the codings
    that would count do not exist), with ``why`` to tell the user."""

    text: str | None
    why: str = ""


def whose(view: CoderFilter) -> str | None:
    """The one coder whose codings count, or None for everyone's."""
    return view.me if view.blind else view.only


def scope_query(text: str, view: CoderFilter, known_coders: Collection[str]) -> ScopedQuery:
    """``text`` narrowed to the codings ``view`` shows; raises ``QuerySyntaxError``
    (columns as typed) for a query that does not parse."""
    parsed = q.parse(text)
    coder = whose(view)
    if coder is None:
        return ScopedQuery(text)
    named = {n.value for n in q.walk(parsed) if isinstance(n, q.Filter) and n.field == "coder"}
    if named - {coder}:
        raise InvalidInput(
            f"{view.describe()}: only {coder}'s codings count, so the query cannot name "
            f"coder:{', coder:'.join(sorted(named - {coder}))}"
        )
    if named:
        return ScopedQuery(text)
    if coder not in known_coders:
        # the service refuses a coder without codings; with no codings that count,
        # a code term finds nothing, while words and speakers are still found
        if q.code_keys(parsed):
            return ScopedQuery(None, f"{coder} has no codings yet, so no passage is coded that way")
        return ScopedQuery(text)
    operands = parsed.operands if isinstance(parsed, q.And) else (parsed,)
    return ScopedQuery(q.to_text(q.And((*operands, q.Filter("coder", coder)))))


def visible_codes(passage: Passage, view: CoderFilter) -> list[str]:
    """The passage's code keys, each once, from the codings the view shows."""
    return list(dict.fromkeys(key for key, coder in passage.codes if view.shows(coder)))


def code_counts(passages: Iterable[Passage], view: CoderFilter) -> Counter[str]:
    """Passages per code key, counting only visible codings."""
    return Counter(key for passage in passages for key in visible_codes(passage, view))

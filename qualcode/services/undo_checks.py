"""What stands in the way of an undo or redo, said as one sentence naming whose change.

Undo and redo only ever put back what the action itself changed, and only while
nothing else has happened to it since: a later change by anyone (another coder, or
the same coder through an action that is not undone first) makes the reversal a
refusal that names who made that change. Work of others that hangs on the object
(a memo on a coding, codings with a code) refuses it too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.errors import Conflict
from qualcode.domain.records import Event
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import events


def _touches(session: Session, later: Event, entity: str, entity_id: int) -> bool:
    if later.entity == entity and later.entity_id == entity_id:
        return True
    source = later
    if later.kind != "do" and later.target_event_id is not None:
        source = events.get_event(session, later.target_event_id)
    for side in (source.before or {}, source.after or {}):
        if entity == "code" and str(entity_id) in (side.get("codes") or {}):
            return True
        if entity == "coding" and entity_id in (side.get("moved_codings") or ()):
            return True
        if entity == "coding" and any(
            item["coding"]["id"] == entity_id for item in side.get("set_aside") or ()
        ):
            return True
    return False


def who_changed(session: Session, original: Event, entity: str, entity_id: int) -> str:
    """Who last changed ``entity`` ``entity_id`` after ``original``: a name, "you" for
    the coder undoing, or "someone" when the log does not say."""
    scope = {"code": ("code", "codebook"), "coding": ("coding", "code")}.get(entity, (entity,))
    for later in events.events_after(session, original.id, entities=scope):
        if _touches(session, later, entity, entity_id):
            if later.coder == original.coder:
                return "you"
            return later.coder or "someone"
    return "someone"


def author_phrase(session: Session, original: Event, author_id: int | None) -> str:
    name = coder_repo.name_of(session, author_id)
    if name == original.coder:
        return "your"
    return f"{name}'s" if name else "an unsigned"


def check_no_memos_on_coding(
    session: Session, original: Event, memos: list[dict[str, Any]], allowed: frozenset[int]
) -> None:
    """Refuse when memos hang on a coding the reversal would delete."""
    for memo in memos:
        if memo["id"] not in allowed:
            raise Conflict(
                f"{author_phrase(session, original, memo['author_id'])} memo {memo['id']} is on "
                f"coding {memo['coding_id']}; deleting the coding would delete the memo"
            )

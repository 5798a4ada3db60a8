"""Undo and redo of a merge of another project (``project.merge``).

The event holds snapshots of every code, coding and memo the merge added. Undo takes
them out again (memos, then codings, then codes), each only while it is still as the
merge left it; redo puts them back in the other order. Coders the merge created stay:
they have no work left after an undo, and other events may name them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualcode.domain.errors import Conflict
from qualcode.domain.records import Event
from qualcode.services.undo_checks import who_changed
from qualcode.services.undo_codes import set_codes
from qualcode.services.undo_steps import delete_coding_as_left, restore_coding
from qualcode.store.repositories import memos as memo_repo


def undo_project_merge(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    for memo in event.after["memos"]:
        current = memo_repo.snapshot_or_none(session, memo["id"])
        if current is None or current["text"] != memo["text"]:
            who = who_changed(session, event, "memo", memo["id"])
            verb = "removed" if current is None else "changed"
            raise Conflict(f"memo {memo['id']}, merged in, was {verb} since (by {who})")
    for memo in event.after["memos"]:
        memo_repo.delete_memo(session, memo["id"])
    for coding in event.after["codings"]:
        delete_coding_as_left(session, event, dict(coding), frozenset())
    set_codes(session, event, dict(event.after["codes"]), dict(event.before["codes"]))


def redo_project_merge(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    set_codes(session, event, dict(event.before["codes"]), dict(event.after["codes"]))
    for coding in event.after["codings"]:
        restore_coding(session, event, dict(coding))
    for memo in event.after["memos"]:
        if memo_repo.exists(session, memo["id"]):
            raise Conflict(f"memo {memo['id']} exists already")
        memo_repo.restore(session, dict(memo))

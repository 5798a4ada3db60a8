"""Undo and redo of a coder's recent actions, read from the event log.

The log is append-only: undoing appends an ``undo`` event naming the action it
reverses, redoing appends a ``redo`` event naming the same original action. Replaying
a coder's recent events as an editor would (a new action clears the redo stack) gives
the two stacks; nothing else is stored. An action is only reversed if the data is
still as the action left it, so undo never overwrites somebody else's later change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.errors import Conflict, InvalidInput
from qualcode.domain.records import Event
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import memos as memo_repo

# how far back undo reaches, in a coder's undoable events
HISTORY_DEPTH = 500


@dataclass(frozen=True, slots=True)
class Reversal:
    """What an undo or redo did: the original action and a sentence for the user."""

    event_id: int
    action: str
    entity_id: int | None
    description: str


def _delete_coding(session: Session, data: dict[str, Any]) -> None:
    if not coding_repo.exists(session, data["id"]):
        raise Conflict(f"coding {data['id']} no longer exists")
    coding_repo.delete_coding(session, data["id"])


def _restore_coding(session: Session, data: dict[str, Any]) -> None:
    if coding_repo.exists(session, data["id"]):
        raise Conflict(f"coding {data['id']} exists already")
    coding_repo.restore(session, data)


def _undo_apply(session: Session, event: Event) -> None:
    assert event.after is not None
    _delete_coding(session, dict(event.after))


def _redo_apply(session: Session, event: Event) -> None:
    assert event.after is not None
    _restore_coding(session, dict(event.after))


def _undo_remove(session: Session, event: Event) -> None:
    assert event.before is not None
    _restore_coding(session, event.before["coding"])
    for memo in event.before["memos"]:
        memo_repo.restore(session, memo)


def _redo_remove(session: Session, event: Event) -> None:
    assert event.before is not None
    _delete_coding(session, event.before["coding"])


def _undo_memo_add(session: Session, event: Event) -> None:
    assert event.after is not None
    memo_repo.delete_memo(session, event.after["id"])


def _redo_memo_add(session: Session, event: Event) -> None:
    assert event.after is not None
    memo_repo.restore(session, dict(event.after))


def _set_memo_text(session: Session, expected: dict[str, Any], wanted: dict[str, Any]) -> None:
    current = memo_repo.snapshot(session, expected["id"])
    if current["text"] != expected["text"]:
        raise Conflict(f"memo {expected['id']} was changed since")
    memo_repo.update_memo(session, expected["id"], wanted["text"])


def _undo_memo_edit(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    _set_memo_text(session, dict(event.after), dict(event.before))


def _redo_memo_edit(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    _set_memo_text(session, dict(event.before), dict(event.after))


def _undo_memo_delete(session: Session, event: Event) -> None:
    assert event.before is not None
    memo_repo.restore(session, dict(event.before))


def _redo_memo_delete(session: Session, event: Event) -> None:
    assert event.before is not None
    memo_repo.delete_memo(session, event.before["id"])


Step = Callable[[Session, Event], None]
REVERSIBLE: dict[str, tuple[Step, Step, str]] = {
    "coding.apply": (_undo_apply, _redo_apply, "applying {code} to {span}"),
    "coding.remove": (_undo_remove, _redo_remove, "removing {code} from {span}"),
    "memo.add": (_undo_memo_add, _redo_memo_add, "adding memo {id}"),
    "memo.edit": (_undo_memo_edit, _redo_memo_edit, "editing memo {id}"),
    "memo.delete": (_undo_memo_delete, _redo_memo_delete, "deleting memo {id}"),
}


def _stacks(session: Session, coder_id: int) -> tuple[list[int], list[int]]:
    history = events.recent_events(
        session, coder_id=coder_id, actions=tuple(REVERSIBLE), limit=HISTORY_DEPTH
    )
    undo_stack: list[int] = []
    redo_stack: list[int] = []
    for event in reversed(history):
        if event.kind == "do":
            undo_stack.append(event.id)
            redo_stack.clear()
        elif event.kind == "undo" and event.target_event_id in undo_stack:
            undo_stack.remove(event.target_event_id)
            redo_stack.append(event.target_event_id)
        elif event.kind == "redo" and event.target_event_id in redo_stack:
            redo_stack.remove(event.target_event_id)
            undo_stack.append(event.target_event_id)
    return undo_stack, redo_stack


def _describe(session: Session, event: Event) -> str:
    data = dict(event.after or event.before or {})
    coding = data.get("coding", data)
    code_key = "a code"
    if event.entity == "coding" and coding.get("code_id") is not None:
        code_key = code_repo.key_of(session, coding["code_id"]) or code_key
    span = f"{coding.get('start')}..{coding.get('end')}"
    return REVERSIBLE[event.action][2].format(code=code_key, span=span, id=event.entity_id)


def _reverse(project: Project, coder: str, kind: str) -> Reversal:
    with project.database.write() as session:
        who = coder_repo.find_coder(session, coder)
        if who is None:
            raise InvalidInput(f"coder {coder!r} has nothing to {kind}")
        undo_stack, redo_stack = _stacks(session, who.id)
        stack = undo_stack if kind == "undo" else redo_stack
        if not stack:
            raise InvalidInput(f"{coder} has nothing to {kind}")
        original = events.get_event(session, stack[-1])
        undo_step, redo_step, _ = REVERSIBLE[original.action]
        try:
            (undo_step if kind == "undo" else redo_step)(session, original)
        except Conflict as exc:
            raise Conflict(f"cannot {kind} {original.action} (event {original.id}): {exc}") from exc
        events.record_event(
            session,
            action=original.action,
            entity=original.entity,
            entity_id=original.entity_id,
            coder_id=who.id,
            kind=kind,
            target_event_id=original.id,
        )
        verb = "Undid" if kind == "undo" else "Redid"
        return Reversal(
            original.id,
            original.action,
            original.entity_id,
            f"{verb} {_describe(session, original)}",
        )


def undo(project: Project, *, coder: str) -> Reversal:
    """Reverse ``coder``'s most recent action that is not yet undone."""
    return _reverse(project, coder, "undo")


def redo(project: Project, *, coder: str) -> Reversal:
    """Replay ``coder``'s most recently undone action, unless a new action came since."""
    return _reverse(project, coder, "redo")

"""Undo and redo of a coder's recent actions, read from the event log.

The log is append-only: undoing appends an ``undo`` event naming the action it
reverses, redoing appends a ``redo`` event naming the same original action. Replaying
a coder's recent events as an editor would (a new action clears the redo stack) gives
the two stacks; nothing else is stored.

Undo touches only what the action itself changed, and only while it is still as the
action left it: when anybody changed it since, or another coder's work hangs on it (a
memo on a coding, codings with a code), the undo is refused with a sentence naming
whose change stands in the way. Codebook actions are on the stack like any other, so
undo never reaches past one to an older action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.errors import Conflict, InvalidInput
from qualcode.domain.records import Event
from qualcode.services import undo_codes, undo_merge, undo_steps
from qualcode.services.code_events import CODE_ACTIONS
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import events

# how far back undo reaches, in a coder's undoable events
HISTORY_DEPTH = 500


@dataclass(frozen=True, slots=True)
class Reversal:
    """What an undo or redo did: the original action and a sentence for the user."""

    event_id: int
    action: str
    entity_id: int | None
    description: str


Step = Callable[[Session, Event], None]
REVERSIBLE: dict[str, tuple[Step, Step]] = {
    "coding.apply": (undo_steps.undo_apply, undo_steps.redo_apply),
    "coding.remove": (undo_steps.undo_remove, undo_steps.redo_remove),
    "memo.add": (undo_steps.undo_memo_add, undo_steps.redo_memo_add),
    "memo.edit": (undo_steps.undo_memo_edit, undo_steps.redo_memo_edit),
    "memo.delete": (undo_steps.undo_memo_delete, undo_steps.redo_memo_delete),
    "code.merge": (undo_codes.undo_merge, undo_codes.redo_merge),
    "project.merge": (undo_merge.undo_project_merge, undo_merge.redo_project_merge),
    **{
        action: (undo_codes.undo_codes, undo_codes.redo_codes)
        for action in CODE_ACTIONS
        if action != "code.merge"
    },
}


def _reversible(event: Event) -> bool:
    """Codebook events written before they could be undone lack the code snapshots
    undo needs; they stay in the log but are not on the stack."""
    if event.action not in CODE_ACTIONS or event.kind != "do":
        return True
    return "codes" in (event.after or {}) and "codes" in (event.before or {})


def _stacks(session: Session, coder_id: int) -> tuple[list[int], list[int]]:
    history = events.recent_events(
        session, coder_id=coder_id, actions=tuple(REVERSIBLE), limit=HISTORY_DEPTH
    )
    undo_stack: list[int] = []
    redo_stack: list[int] = []
    for event in reversed(history):
        if event.kind == "do":
            if _reversible(event):
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
    data: dict[str, Any] = dict(event.after or event.before or {})
    if event.action in ("coding.apply", "coding.remove"):
        coding = dict(data.get("coding", data))
        code_key = code_repo.key_of(session, coding["code_id"]) or "a code"
        verb = "applying" if event.action == "coding.apply" else "removing"
        preposition = "to" if event.action == "coding.apply" else "from"
        return f"{verb} {code_key} {preposition} {coding['start']}..{coding['end']}"
    if event.action.startswith("memo."):
        doing = {"memo.add": "adding", "memo.edit": "editing", "memo.delete": "deleting"}
        return f"{doing[event.action]} memo {event.entity_id}"
    if event.action == "code.merge":
        assert event.before is not None and event.after is not None
        source = next(iter(event.before["codes"].values()))
        return f"merging {source['key']} into {event.after['into_key']}"
    if event.action == "project.merge":
        counts = dict(data.get("counts", {}))
        return (
            f"merging {data.get('from', 'a project')} ({counts.get('codings_added', 0)} codings, "
            f"{counts.get('memos_added', 0)} memos)"
        )
    if event.action == "codebook.apply":
        return f"applying a codebook file ({len(data.get('codes', {}))} codes changed)"
    snapshots = [
        s
        for s in (
            *(event.after or {}).get("codes", {}).values(),
            *(event.before or {}).get("codes", {}).values(),
        )
        if s
    ]
    key = snapshots[0]["key"] if snapshots else "a code"
    verb = {
        "code.create": "creating",
        "code.update": "editing",
        "code.rename": "renaming",
        "code.move": "moving",
        "code.retire": "retiring or unretiring",
    }[event.action]
    return f"{verb} code {key}"


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
        undo_step, redo_step = REVERSIBLE[original.action]
        try:
            (undo_step if kind == "undo" else redo_step)(session, original)
        except Conflict as exc:
            raise Conflict(
                f"cannot {kind} {_describe(session, original)} (event {original.id}): {exc}"
            ) from exc
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

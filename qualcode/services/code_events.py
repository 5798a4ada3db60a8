"""How codebook actions are logged so that undo can reverse them.

Every action that changes codes (creating, editing, moving, renaming, retiring,
merging, deleting, applying a YAML file) records one event whose ``before`` and
``after`` hold ``{"codes": {id: snapshot or None}}`` for each code it touched: None
means the code did not exist on that side. Undo puts the ``before`` side back, redo
the ``after`` side, each only while the codes are still as the other side left them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import events

CODE_ACTIONS = (
    "code.create",
    "code.update",
    "code.rename",
    "code.move",
    "code.retire",
    "code.merge",
    "codebook.apply",
)


def snapshots(session: Session, code_ids: list[int]) -> dict[str, dict[str, Any] | None]:
    return {str(code_id): code_repo.snapshot_by_id(session, code_id) for code_id in code_ids}


def record_code_change(
    session: Session,
    *,
    action: str,
    coder_id: int,
    before: dict[str, dict[str, Any] | None],
    after: dict[str, dict[str, Any] | None],
    entity_id: int | None = None,
    extra_before: dict[str, Any] | None = None,
    extra_after: dict[str, Any] | None = None,
) -> int:
    return events.record_event(
        session,
        action=action,
        entity="codebook" if action == "codebook.apply" else "code",
        entity_id=entity_id,
        coder_id=coder_id,
        before={"codes": before, **(extra_before or {})},
        after={"codes": after, **(extra_after or {})},
    )


def edit_action(changes: set[str], renamed: bool, moved: bool) -> str:
    """The name an edit of one code goes by in the log and in undo's messages."""
    if changes == {"retired"} and not moved:
        return "code.retire"
    if moved and not changes:
        return "code.move"
    if changes == {"name"} or (renamed and not changes - {"name"}):
        return "code.rename"
    return "code.update"

"""Moving the codings of one code to another, and back (merging codes, undoing it).

A coding whose coder already coded the same span with the target code cannot move
(a coder codes a span with a code once). It is set aside rather than lost: its full
snapshot goes into the merge's event, its memos move to the coding it duplicates, and
undoing the merge restores it and moves the memos back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import memos as memo_repo


def _span_key(snap: dict[str, Any]) -> tuple[int, int, int, int]:
    return (snap["version_id"], snap["coder_id"], snap["start"], snap["end"])


def plan_merge(
    session: Session, source_id: int, target_id: int
) -> tuple[list[int], list[tuple[dict[str, Any], int]]]:
    """Which codings of ``source_id`` would move, and which would be set aside (with
    the id of the target coding each duplicates)."""
    on_target = {
        _span_key(snap): snap["id"]
        for snap in (
            coding_repo.snapshot(session, coding_id)
            for coding_id in coding_repo.ids_with_code(session, target_id)
        )
    }
    moved: list[int] = []
    duplicates: list[tuple[dict[str, Any], int]] = []
    for coding_id in coding_repo.ids_with_code(session, source_id):
        snap = coding_repo.snapshot(session, coding_id)
        kept = on_target.get(_span_key(snap))
        if kept is None:
            moved.append(coding_id)
        else:
            duplicates.append((snap, kept))
    return moved, duplicates


def merge_codings(
    session: Session, source_id: int, target_id: int
) -> tuple[list[int], list[dict[str, Any]]]:
    """Carry out the merge of codings; returns the moved ids and the set-aside records
    (``{"coding": snapshot, "kept": id, "memos": [memo ids moved]}``)."""
    moved, duplicates = plan_merge(session, source_id, target_id)
    set_aside: list[dict[str, Any]] = []
    for snap, kept in duplicates:
        memo_ids = [memo["id"] for memo in memo_repo.snapshots_for_coding(session, snap["id"])]
        memo_repo.move_to_coding(session, memo_ids, kept)
        coding_repo.delete_coding(session, snap["id"])
        set_aside.append({"coding": snap, "kept": kept, "memos": memo_ids})
    coding_repo.set_code(session, moved, target_id)
    return moved, set_aside


def unmerge_codings(
    session: Session, source_id: int, moved: list[int], set_aside: list[dict[str, Any]]
) -> None:
    """Undo ``merge_codings`` (the source code must exist again)."""
    coding_repo.set_code(session, moved, source_id)
    for item in set_aside:
        coding_repo.restore(session, dict(item["coding"]))
        back = [
            memo["id"]
            for memo in memo_repo.snapshots_for_coding(session, item["kept"])
            if memo["id"] in item["memos"]
        ]
        memo_repo.move_to_coding(session, back, item["coding"]["id"])

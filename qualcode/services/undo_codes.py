"""The reversal of codebook actions: creating, editing, moving, renaming, retiring,
merging codes and applying a YAML codebook (see ``code_events`` for what they log)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.errors import Conflict
from qualcode.domain.records import Event
from qualcode.services.code_merge import merge_codings, plan_merge, unmerge_codings
from qualcode.services.undo_checks import author_phrase, who_changed
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import codings as coding_repo

Snapshots = dict[str, dict[str, Any] | None]

# position is renumbered by every codebook apply; a later reordering does not make a
# code "changed" for undo, though undo puts the recorded position back
_IGNORED = {"position"}


def _same(current: dict[str, Any] | None, expected: dict[str, Any] | None) -> bool:
    if current is None or expected is None:
        return current is expected
    return all(current[name] == expected.get(name) for name in current if name not in _IGNORED)


def _label(snapshot: dict[str, Any] | None, code_id: str) -> str:
    return f"code {snapshot['key']}" if snapshot else f"code {code_id}"


def _check_unused(
    session: Session, original: Event, code_id: int, key: str, leaving: set[int]
) -> None:
    """Refuse to delete a code something still hangs on."""
    users = code_repo.users_of(session, code_id)
    for coder_id, count in sorted(users["codings"].items()):
        owner = author_phrase(session, original, coder_id)
        raise Conflict(f"{owner} {count} coding(s) use code {key}, which would be gone")
    for memo_id, author_id in users["memos"]:
        owner = author_phrase(session, original, author_id)
        raise Conflict(f"{owner} memo {memo_id} is on code {key}")
    for child in users["children"]:
        if child not in leaving:
            raise Conflict(f"code {code_repo.key_of(session, child)} was put under {key} since")


def set_codes(session: Session, original: Event, expected: Snapshots, wanted: Snapshots) -> None:
    """Bring the codes named in ``wanted`` to that state, if they are as ``expected``."""
    for code_id, snapshot in expected.items():
        current = code_repo.snapshot_by_id(session, int(code_id))
        if not _same(current, snapshot):
            who = who_changed(session, original, "code", int(code_id))
            what = _label(snapshot or current, code_id)
            if current is None:
                raise Conflict(f"{what} was merged or deleted since (by {who})")
            raise Conflict(f"{who} changed {what} since")
    leaving = {int(code_id) for code_id, snapshot in wanted.items() if snapshot is None}
    for gone in leaving:
        current = code_repo.snapshot_by_id(session, gone)
        if current is not None:
            _check_unused(session, original, gone, current["key"], leaving)
    for code_id, snapshot in wanted.items():
        if snapshot is None:
            continue
        clash = code_repo.find_id(session, snapshot["key"])
        if clash is not None and clash != int(code_id) and str(clash) not in wanted:
            who = who_changed(session, original, "code", clash)
            raise Conflict(f"{who} created another code {snapshot['key']} since")
    # free keys, hotkeys and parents first: codes may swap them within one action
    for gone in leaving:
        code_repo.detach(session, gone)
    for snapshot in wanted.values():
        if snapshot is not None:
            code_repo.put_snapshot(session, _parked(snapshot), with_parent=False)
    for gone in leaving:
        code_repo.delete_by_id(session, gone)
    for snapshot in wanted.values():
        if snapshot is not None:
            code_repo.put_snapshot(session, dict(snapshot))


def _parked(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with its unique values set aside, for a first pass of a swap."""
    return {**snapshot, "key": f"~undo~{snapshot['id']}", "hotkey": None}


def undo_codes(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    set_codes(session, event, dict(event.after["codes"]), dict(event.before["codes"]))


def redo_codes(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    set_codes(session, event, dict(event.before["codes"]), dict(event.after["codes"]))


def _merge_parts(event: Event) -> tuple[int, int, list[int], list[dict[str, Any]]]:
    assert event.before is not None and event.after is not None
    source_id = int(next(iter(event.before["codes"])))
    return (
        source_id,
        int(event.after["into"]),
        list(event.after["moved_codings"]),
        list(event.before["set_aside"]),
    )


def undo_merge(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    source_id, target_id, moved, set_aside = _merge_parts(event)
    if code_repo.key_of(session, target_id) is None:
        who = who_changed(session, event, "code", target_id)
        raise Conflict(f"code {event.after['into_key']} was merged or deleted since (by {who})")
    for coding_id in moved:
        current = coding_repo.snapshot_or_none(session, coding_id)
        if current is None or current["code_id"] != target_id:
            who = who_changed(session, event, "coding", coding_id)
            verb = "removed" if current is None else "changed"
            raise Conflict(f"coding {coding_id}, moved by the merge, was {verb} since (by {who})")
    for item in set_aside:
        if coding_repo.exists(session, item["coding"]["id"]):
            raise Conflict(f"coding {item['coding']['id']} exists already")
    set_codes(session, event, dict(event.after["codes"]), dict(event.before["codes"]))
    unmerge_codings(session, source_id, moved, set_aside)


def redo_merge(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    source_id, target_id, moved, set_aside = _merge_parts(event)
    if code_repo.key_of(session, target_id) is None:
        who = who_changed(session, event, "code", target_id)
        raise Conflict(f"the code merged into was merged or deleted since (by {who})")
    planned_moves, planned_dupes = plan_merge(session, source_id, target_id)
    if planned_moves != sorted(moved) or sorted(d["id"] for d, _ in planned_dupes) != sorted(
        item["coding"]["id"] for item in set_aside
    ):
        others = set(planned_moves) - set(moved)
        who = "someone"
        if others:
            snapshot = coding_repo.snapshot(session, min(others))
            who = coder_repo.name_of(session, snapshot["coder_id"]) or who
        raise Conflict(f"the codings of either code were changed since (by {who})")
    expected = dict(event.before["codes"])
    current = code_repo.snapshot_by_id(session, source_id)
    if not _same(current, expected[str(source_id)]):
        who = who_changed(session, event, "code", source_id)
        raise Conflict(f"{who} changed {_label(current, str(source_id))} since")
    merge_codings(session, source_id, target_id)
    set_codes(session, event, expected, dict(event.after["codes"]))

"""The reversal of each coding and memo action: undo puts ``before`` back, redo
``after``, each after checking nothing else has changed the object since."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.errors import Conflict
from qualcode.domain.records import Event
from qualcode.services.undo_checks import check_no_memos_on_coding, who_changed
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import memos as memo_repo
from qualcode.store.repositories import transcripts as transcript_repo

# what identifies a coding's place: if any of these changed, it is not the same coding
_CODING_IDENTITY = ("version_id", "code_id", "coder_id", "start", "end")


def _check_coding_as_left(session: Session, original: Event, expected: dict[str, Any]) -> None:
    current = coding_repo.snapshot_or_none(session, expected["id"])
    if current is None:
        who = who_changed(session, original, "coding", expected["id"])
        raise Conflict(f"coding {expected['id']} was removed since (by {who})")
    if any(current[name] != expected[name] for name in _CODING_IDENTITY):
        who = who_changed(session, original, "coding", expected["id"])
        raise Conflict(f"{who} changed coding {expected['id']} since")


def delete_coding_as_left(
    session: Session, original: Event, expected: dict[str, Any], allowed: frozenset[int]
) -> None:
    _check_coding_as_left(session, original, expected)
    check_no_memos_on_coding(
        session, original, memo_repo.snapshots_for_coding(session, expected["id"]), allowed
    )
    coding_repo.delete_coding(session, expected["id"])


def restore_coding(session: Session, original: Event, data: dict[str, Any]) -> None:
    if coding_repo.exists(session, data["id"]):
        raise Conflict(f"coding {data['id']} exists already")
    if code_repo.key_of(session, data["code_id"]) is None:
        who = who_changed(session, original, "code", data["code_id"])
        raise Conflict(f"its code was merged or deleted since (by {who})")
    if not transcript_repo.version_exists(session, data["version_id"]):
        raise Conflict("its transcript was deleted or revised since")
    same = coding_repo.find_coding(
        session,
        version_id=data["version_id"],
        code_id=data["code_id"],
        coder_id=data["coder_id"],
        start=data["start"],
        end=data["end"],
    )
    if same is not None:
        raise Conflict(f"the same span has been coded with the same code since (coding {same})")
    coding_repo.restore(session, data)


def undo_apply(session: Session, event: Event) -> None:
    assert event.after is not None
    delete_coding_as_left(session, event, dict(event.after), frozenset())


def redo_apply(session: Session, event: Event) -> None:
    assert event.after is not None
    restore_coding(session, event, dict(event.after))


def undo_remove(session: Session, event: Event) -> None:
    assert event.before is not None
    restore_coding(session, event, dict(event.before["coding"]))
    for memo in event.before["memos"]:
        if not memo_repo.exists(session, memo["id"]):
            memo_repo.restore(session, dict(memo))


def redo_remove(session: Session, event: Event) -> None:
    assert event.before is not None
    # the memos the removal took with it may go again, if nobody changed them since
    allowed = frozenset(memo["id"] for memo in event.before["memos"])
    for memo in event.before["memos"]:
        current = memo_repo.snapshot_or_none(session, memo["id"])
        if current is not None and current["text"] != memo["text"]:
            who = who_changed(session, event, "memo", memo["id"])
            raise Conflict(f"{who} changed memo {memo['id']} on it since")
    delete_coding_as_left(session, event, dict(event.before["coding"]), allowed)


def _check_memo_as_left(session: Session, original: Event, expected: dict[str, Any]) -> None:
    current = memo_repo.snapshot_or_none(session, expected["id"])
    if current is None:
        who = who_changed(session, original, "memo", expected["id"])
        raise Conflict(f"memo {expected['id']} was deleted since (by {who})")
    if current["text"] != expected["text"] or current["coding_id"] != expected["coding_id"]:
        who = who_changed(session, original, "memo", expected["id"])
        raise Conflict(f"{who} changed memo {expected['id']} since")


def _restore_memo(session: Session, original: Event, data: dict[str, Any]) -> None:
    if memo_repo.exists(session, data["id"]):
        raise Conflict(f"memo {data['id']} exists already")
    if data.get("coding_id") is not None and not coding_repo.exists(session, data["coding_id"]):
        who = who_changed(session, original, "coding", data["coding_id"])
        raise Conflict(f"the coding it was on, {data['coding_id']}, was removed since (by {who})")
    if data.get("code_id") is not None and code_repo.key_of(session, data["code_id"]) is None:
        who = who_changed(session, original, "code", data["code_id"])
        raise Conflict(f"the code it was on was merged or deleted since (by {who})")
    if data.get("transcript_id") is not None and not transcript_repo.exists(
        session, data["transcript_id"]
    ):
        raise Conflict("the transcript it was on was deleted since")
    memo_repo.restore(session, data)


def undo_memo_add(session: Session, event: Event) -> None:
    assert event.after is not None
    _check_memo_as_left(session, event, dict(event.after))
    memo_repo.delete_memo(session, event.after["id"])


def redo_memo_add(session: Session, event: Event) -> None:
    assert event.after is not None
    _restore_memo(session, event, dict(event.after))


def _set_memo_text(
    session: Session, original: Event, expected: dict[str, Any], wanted: dict[str, Any]
) -> None:
    _check_memo_as_left(session, original, expected)
    memo_repo.update_memo(session, expected["id"], wanted["text"])


def undo_memo_edit(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    _set_memo_text(session, event, dict(event.after), dict(event.before))


def redo_memo_edit(session: Session, event: Event) -> None:
    assert event.before is not None and event.after is not None
    _set_memo_text(session, event, dict(event.before), dict(event.after))


def undo_memo_delete(session: Session, event: Event) -> None:
    assert event.before is not None
    _restore_memo(session, event, dict(event.before))


def redo_memo_delete(session: Session, event: Event) -> None:
    assert event.before is not None
    _check_memo_as_left(session, event, dict(event.before))
    memo_repo.delete_memo(session, event.before["id"])

"""Memos on the project, a transcript, a code or a coding."""

from __future__ import annotations

from qualcode.domain.errors import InvalidInput
from qualcode.domain.ids import as_id
from qualcode.domain.records import Memo
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import memos as memo_repo
from qualcode.store.repositories import transcripts as transcript_repo

TARGETS = ("project", "transcript", "code", "coding")


def _target_id(session, target: str, ref: str | None) -> int | None:
    if target not in TARGETS:
        raise InvalidInput(f"a memo attaches to one of {', '.join(TARGETS)}, not {target!r}")
    if target == "project":
        return None
    if not ref:
        raise InvalidInput(f"say which {target} the memo is about")
    if target == "transcript":
        return transcript_repo.resolve_transcript(session, ref).id
    if target == "code":
        return code_repo.get_code(session, ref).id
    coding_id = as_id(ref)
    if coding_id is None:
        raise InvalidInput(f"a coding is named by its id, not {ref!r}")
    return coding_repo.get_coding(session, coding_id).id


def add_memo(project: Project, *, target: str, ref: str | None, text: str, coder: str) -> Memo:
    if not text.strip():
        raise InvalidInput("a memo needs some text")
    with project.database.write() as session:
        target_id = _target_id(session, target, ref)
        who = ensure_coder(session, coder)
        memo_id = memo_repo.add_memo(
            session, target=target, target_id=target_id, text=text, author_id=who.id
        )
        events.record_event(
            session,
            action="memo.add",
            entity="memo",
            entity_id=memo_id,
            coder_id=who.id,
            after=memo_repo.snapshot(session, memo_id),
        )
        return memo_repo.get_memo(session, memo_id)


def edit_memo(project: Project, memo_id: int, *, text: str, coder: str) -> Memo:
    if not text.strip():
        raise InvalidInput("a memo needs some text; delete it instead")
    with project.database.write() as session:
        who = ensure_coder(session, coder)
        before = memo_repo.snapshot(session, memo_id)
        memo_repo.update_memo(session, memo_id, text)
        events.record_event(
            session,
            action="memo.edit",
            entity="memo",
            entity_id=memo_id,
            coder_id=who.id,
            before=before,
            after=memo_repo.snapshot(session, memo_id),
        )
        return memo_repo.get_memo(session, memo_id)


def delete_memo(project: Project, memo_id: int, *, coder: str) -> Memo:
    with project.database.write() as session:
        who = ensure_coder(session, coder)
        memo = memo_repo.get_memo(session, memo_id)
        before = memo_repo.snapshot(session, memo_id)
        memo_repo.delete_memo(session, memo_id)
        events.record_event(
            session,
            action="memo.delete",
            entity="memo",
            entity_id=memo_id,
            coder_id=who.id,
            before=before,
        )
        return memo


def list_memos(
    project: Project, *, target: str | None = None, ref: str | None = None
) -> list[Memo]:
    with project.database.read() as session:
        target_id = _target_id(session, target, ref) if target and ref else None
        if target and target not in TARGETS:
            raise InvalidInput(f"a memo attaches to one of {', '.join(TARGETS)}, not {target!r}")
        return memo_repo.list_memos(session, target=target, target_id=target_id)

"""Applying, removing and listing codings."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.domain.errors import Conflict, InvalidInput, NotFound
from qualcode.domain.records import Coding
from qualcode.services.coders import ensure_coder
from qualcode.services.placement import check_placement, check_span, insert_coding
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import memos as memo_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.coding_target import coding_target


def apply_code(
    project: Project, *, transcript: str | int, code: str, start: int, end: int, coder: str
) -> Coding:
    """Code ``[start, end)`` of the transcript's current text; committed at once."""
    with project.database.write() as session:
        # one query for the transcript, code, coder and duplicate (the per-fact reads
        # were most of a coding's time); the checks and their order are unchanged
        found = coding_target(
            session,
            project.database.texts,
            transcript=transcript,
            code=code,
            coder=coder,
            start=start,
            end=end,
        )
        if found.version is None:
            raise NotFound(f"no transcript with id or title {str(transcript)!r}")
        if found.code is None:
            raise NotFound(f"no code with key {code!r} in the codebook")
        version, target = found.version, found.code
        duplicate = found.duplicate_id
        if found.coder is not None:
            who = found.coder
            check_span(version, target, start, end)
        else:  # a new name (or one that differs from a stored one by spaces)
            who = ensure_coder(session, coder)
            duplicate = check_placement(session, version, target, who.id, start, end)
        if duplicate is not None:
            raise Conflict(
                f"{coder} already coded {start}..{end} of {version.title!r} with {code} "
                f"(coding {duplicate})"
            )
        snapshot = insert_coding(session, version, target.id, who.id, start, end)
        events.record_event(
            session,
            action="coding.apply",
            entity="coding",
            entity_id=snapshot["id"],
            coder_id=who.id,
            after=snapshot,
        )
        return coding_repo.from_snapshot(snapshot, version.title, target.key, who.name)


def remove_coding(project: Project, coding_id: int, *, coder: str) -> Coding:
    """Remove one of ``coder``'s codings (and its memos), keeping both in the event log.

    A coder cannot remove another coder's coding: that would silently change the
    other person's data, which agreement and adjudication rely on.
    """
    with project.database.write() as session:
        coding = coding_repo.get_coding(session, coding_id)
        if coding.coder != coder:
            raise InvalidInput(
                f"coding {coding_id} belongs to coder {coding.coder!r}, not {coder!r}; "
                "only its own coder can remove it"
            )
        who = coder_repo.get_coder(session, coder)
        before = {
            "coding": coding_repo.snapshot(session, coding_id),
            "memos": memo_repo.snapshots_for_coding(session, coding_id),
        }
        coding_repo.delete_coding(session, coding_id)
        events.record_event(
            session,
            action="coding.remove",
            entity="coding",
            entity_id=coding_id,
            coder_id=who.id,
            before=before,
        )
        return coding


def find_coding_id(
    project: Project, *, transcript: str | int, code: str, start: int, end: int, coder: str
) -> int:
    """The id of ``coder``'s coding of exactly this span with this code."""
    with project.database.read() as session:
        found = transcript_repo.resolve_transcript(session, transcript)
        version = transcript_repo.current_version(session, found.id)
        target = code_repo.get_code(session, code)
        who = coder_repo.get_coder(session, coder)
        coding_id = coding_repo.find_coding(
            session,
            version_id=version.version_id,
            code_id=target.id,
            coder_id=who.id,
            start=start,
            end=end,
        )
        if coding_id is None:
            raise InvalidInput(
                f"{coder} has no coding of {start}..{end} in {found.title!r} with {code}"
            )
        return coding_id


def list_codings(
    project: Project,
    *,
    transcripts: Sequence[str | int] = (),
    codes: Sequence[str] = (),
    coders: Sequence[str] = (),
    descendants: bool = True,
) -> list[Coding]:
    """Codings in transcript order; a code also selects its descendants unless
    ``descendants`` is False. Empty filters mean everything."""
    with project.database.read() as session:
        where = coding_repo.CodingFilter(
            transcript_ids=(
                {transcript_repo.resolve_transcript(session, t).id for t in transcripts}
                if transcripts
                else None
            ),
            code_ids=_code_ids(session, codes, descendants) if codes else None,
            coder_ids=({coder_repo.get_coder(session, c).id for c in coders} if coders else None),
        )
        return coding_repo.list_codings(session, where)


def _code_ids(session, keys: Sequence[str], descendants: bool) -> set[int]:
    ids: set[int] = set()
    for key in keys:
        code = code_repo.get_code(session, key)
        ids |= code_repo.descendant_ids(session, code.id) if descendants else {code.id}
    return ids

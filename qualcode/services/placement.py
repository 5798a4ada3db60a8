"""The one rule for putting a new coding into a transcript.

Every way of adding a coding — coding by hand (``apply_code``), settling a
disagreement into a consensus layer, importing a codings file, exchange formats —
checks it here and inserts it here, inside the caller's transaction, so they cannot
drift apart: a coding goes on the transcript's current text version, never with a
retired code, only inside the text, and at most once per (code, coder, span).
What to do with a duplicate differs (refuse, reuse, report the row), so the check
returns it and the caller decides.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import Code
from qualcode.domain.spans import validate_span
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories.transcripts import CurrentVersion


def check_placement(
    session: Session,
    version: CurrentVersion,
    code: Code,
    coder_id: int | None,
    start: int,
    end: int,
    *,
    retired_hint: str = "",
) -> int | None:
    """Refuse a retired code or a span outside the text; return the id of the same
    coding when the coder already has it (``coder_id`` None: a coder not yet created,
    who can have nothing)."""
    if code.retired:
        raise InvalidInput(
            f"code {code.key!r} is retired; it can no longer be applied{retired_hint}"
        )
    validate_span(start, end, len(version.text), f"transcript {version.title!r}")
    if coder_id is None:
        return None
    return coding_repo.find_coding(
        session,
        version_id=version.version_id,
        code_id=code.id,
        coder_id=coder_id,
        start=start,
        end=end,
    )


def insert_coding(
    session: Session, version: CurrentVersion, code_id: int, coder_id: int, start: int, end: int
) -> dict[str, Any]:
    """Insert a checked coding with its quote snapshot; its snapshot for the event log."""
    return coding_repo.add_coding(
        session,
        transcript_id=version.transcript_id,
        version_id=version.version_id,
        code_id=code_id,
        coder_id=coder_id,
        start=start,
        end=end,
        quote=version.text[start:end],
    )


def insert_codings(
    session: Session, placed: list[tuple[CurrentVersion, int, int, int, int]]
) -> list[int]:
    """Insert many checked codings ``(version, code id, coder id, start, end)`` in one
    statement (a bulk import's short write); their ids in the order given."""
    return coding_repo.add_codings(
        session,
        [
            {
                "transcript_id": version.transcript_id,
                "version_id": version.version_id,
                "code_id": code_id,
                "coder_id": coder_id,
                "start": start,
                "end": end,
                "quote": version.text[start:end],
            }
            for version, code_id, coder_id, start, end in placed
        ],
    )

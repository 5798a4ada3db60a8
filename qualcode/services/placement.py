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

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

from qualcode.domain.errors import InvalidInput
from qualcode.domain.spans import validate_span
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories.transcripts import CurrentVersion


class AppliedCode(Protocol):
    """What the rule needs of a code: a ``Code`` record, or the few facts the one-query
    path of ``apply_code`` reads."""

    @property
    def id(self) -> int: ...

    @property
    def key(self) -> str: ...

    @property
    def retired(self) -> bool: ...


def check_placement(
    session: Session,
    version: CurrentVersion,
    code: AppliedCode,
    coder_id: int | None,
    start: int,
    end: int,
    *,
    retired_hint: str = "",
) -> int | None:
    """Refuse a retired code or a span outside the text; return the id of the same
    coding when the coder already has it (``coder_id`` None: a coder not yet created,
    who can have nothing)."""
    check_span(version, code, start, end, retired_hint=retired_hint)
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


def check_span(
    version: CurrentVersion, code: AppliedCode, start: int, end: int, *, retired_hint: str = ""
) -> None:
    """The part of the rule that needs no database: a live code, a span inside the text."""
    if code.retired:
        raise InvalidInput(
            f"code {code.key!r} is retired; it can no longer be applied{retired_hint}"
        )
    validate_span(start, end, len(version.text), f"transcript {version.title!r}")


def existing_placements(
    session: Session, versions: Collection[CurrentVersion]
) -> set[tuple[int, int, int, int, int]]:
    """For checking many codings at once: ``(version_id, code_id, coder_id, start, end)``
    of every coding already on these versions. A candidate whose key is in the set is
    the duplicate ``check_placement`` would find."""
    return coding_repo.existing_keys(session, {version.version_id for version in versions})


def insert_codings(
    session: Session,
    placements: Sequence[tuple[CurrentVersion, int, int, int, int]],
    *,
    uuids: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Insert many checked codings, ``(version, code_id, coder_id, start, end)`` each, in
    batches; their snapshots in the same order. ``uuids`` keeps the codings' identity
    from another project (a merge); without it each gets a new one."""
    kept = [{"uuid": uuid} for uuid in uuids] if uuids is not None else [{}] * len(placements)
    return coding_repo.add_codings(
        session,
        [
            {
                **identity,
                "transcript_id": version.transcript_id,
                "version_id": version.version_id,
                "code_id": code_id,
                "coder_id": coder_id,
                "start": start,
                "end": end,
                "quote": version.text[start:end],
            }
            for (version, code_id, coder_id, start, end), identity in zip(
                placements, kept, strict=True
            )
        ],
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

"""Transcripts, their text versions, speakers, turns, segments and units."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFound
from qualcode.domain.records import (
    Segment,
    Speaker,
    Transcript,
    TranscriptText,
    Turn,
    Unit,
)
from qualcode.domain.text import sha256_text
from qualcode.store.schema import (
    Base,
    CaseRow,
    SegmentRow,
    SpeakerRow,
    TextVersionRow,
    TranscriptRow,
    TurnRow,
    UnitRow,
    new_uuids,
)


@dataclass(frozen=True, slots=True)
class NewTurn:
    """A turn to store: its speaker label (None for unattributed text) and span."""

    start: int
    end: int
    speaker_label: str | None
    timestamp_ms: int | None = None
    verbatim: bool = True


@dataclass(frozen=True, slots=True)
class CurrentVersion:
    transcript_id: int
    version_id: int
    title: str
    text: str


_TRANSCRIPT_QUERY: Any = (  # built once: statements are immutable and reused
    select(TranscriptRow, TextVersionRow.length, TextVersionRow.word_count, CaseRow.name)
    .join(
        TextVersionRow,
        (TextVersionRow.transcript_id == TranscriptRow.id)
        & (TextVersionRow.version == TranscriptRow.version),
    )
    .outerjoin(CaseRow, CaseRow.id == TranscriptRow.case_id)
)


def _record(row: TranscriptRow, length: int, words: int, case: str | None) -> Transcript:
    return Transcript(
        id=row.id,
        uuid=row.uuid,
        title=row.title,
        mode=row.mode,
        language=row.language,
        date=row.date,
        source_name=row.source_name,
        source_sha256=row.source_sha256,
        version=row.version,
        length=length,
        word_count=words,
        created_at=row.created_at,
        case=case,
    )


def list_transcripts(session: Session) -> list[Transcript]:
    rows = session.execute(_TRANSCRIPT_QUERY.order_by(TranscriptRow.id))
    return [_record(*row) for row in rows]


def resolve_transcript(session: Session, ref: str | int) -> Transcript:
    """Find a transcript by id or by exact title (an id wins when both could match)."""
    query = _TRANSCRIPT_QUERY
    row = None
    if isinstance(ref, int) or str(ref).isdigit():
        row = session.execute(query.where(TranscriptRow.id == int(ref))).first()
    if row is None:
        row = session.execute(query.where(TranscriptRow.title == str(ref))).first()
    if row is None:
        raise NotFound(f"no transcript with id or title {str(ref)!r}")
    return _record(*row)


def find_by_source_sha(session: Session, sha256: str) -> Transcript | None:
    row = session.execute(_TRANSCRIPT_QUERY.where(TranscriptRow.source_sha256 == sha256)).first()
    return _record(*row) if row else None


def title_exists(session: Session, title: str) -> bool:
    found = session.scalar(select(func.count()).where(TranscriptRow.title == title))
    return bool(found)


_CURRENT_QUERY: Any = select(  # built once, as above
    TranscriptRow.id, TextVersionRow.id, TranscriptRow.title, TextVersionRow.text
).join(
    TextVersionRow,
    (TextVersionRow.transcript_id == TranscriptRow.id)
    & (TextVersionRow.version == TranscriptRow.version),
)


def current_version(session: Session, transcript_id: int) -> CurrentVersion:
    row = session.execute(_CURRENT_QUERY.where(TranscriptRow.id == transcript_id)).first()
    if row is None:
        raise NotFound(f"no transcript with id {transcript_id}")
    return CurrentVersion(*row)


def resolve_current_versions(session: Session, refs: Collection[str]) -> dict[str, CurrentVersion]:
    """Many transcripts named by id or title, resolved as ``resolve_current_version``
    does (an id first, then a title) in a few queries; refs that name none are left out."""
    ids = sorted({int(ref) for ref in refs if ref.isdigit()})
    titles = sorted(set(refs))
    by_id: dict[int, CurrentVersion] = {}
    by_title: dict[str, CurrentVersion] = {}
    for first in range(0, max(len(ids), len(titles)), 500):  # bounded IN lists
        query = _CURRENT_QUERY.where(
            TranscriptRow.id.in_(ids[first : first + 500])
            | TranscriptRow.title.in_(titles[first : first + 500])
        )
        for row in session.execute(query):
            version = CurrentVersion(*row)
            by_id[version.transcript_id] = version
            by_title[version.title] = version
    found = {}
    for ref in refs:
        hit = by_id.get(int(ref)) if ref.isdigit() else None
        hit = hit or by_title.get(ref)
        if hit is not None:
            found[ref] = hit
    return found


_CURRENT_BY_ID: Any = _CURRENT_QUERY.where(TranscriptRow.id == bindparam("id"))
_CURRENT_BY_TITLE: Any = _CURRENT_QUERY.where(TranscriptRow.title == bindparam("title"))


def resolve_current_version(session: Session, ref: str | int) -> CurrentVersion:
    """The current text version of a transcript named by id or title, in one query."""
    row = None
    if isinstance(ref, int) or str(ref).isdigit():
        row = session.execute(_CURRENT_BY_ID, {"id": int(ref)}).first()
    if row is None:
        row = session.execute(_CURRENT_BY_TITLE, {"title": str(ref)}).first()
    if row is None:
        raise NotFound(f"no transcript with id or title {str(ref)!r}")
    return CurrentVersion(*row)


def add_transcript(
    session: Session,
    *,
    title: str,
    mode: str,
    language: str,
    text: str,
    date: str | None = None,
    participants: int | None = None,
    source_name: str | None = None,
    source_sha256: str | None = None,
    encoding: str | None = None,
    transformations: dict[str, Any] | None = None,
    case_name: str | None = None,
) -> CurrentVersion:
    case_id = _case_id(session, case_name) if case_name else None
    transcript = TranscriptRow(
        title=title,
        mode=mode,
        language=language,
        date=date,
        participants=participants,
        source_name=source_name,
        source_sha256=source_sha256,
        version=1,
        case_id=case_id,
    )
    session.add(transcript)
    session.flush()
    version = TextVersionRow(
        transcript_id=transcript.id,
        version=1,
        text=text,
        sha256=sha256_text(text),
        length=len(text),
        word_count=len(text.split()),
        encoding=encoding,
        transformations=transformations or {},
    )
    session.add(version)
    session.flush()
    return CurrentVersion(transcript.id, version.id, title, text)


def add_version(
    session: Session,
    transcript_id: int,
    *,
    text: str,
    encoding: str | None,
    transformations: dict[str, Any],
    source_name: str,
    source_sha256: str,
) -> int:
    """Store the next text version and make it the transcript's current one."""
    transcript = session.get(TranscriptRow, transcript_id)
    if transcript is None:
        raise NotFound(f"no transcript with id {transcript_id}")
    transcript.version += 1
    transcript.source_name = source_name
    transcript.source_sha256 = source_sha256
    version = TextVersionRow(
        transcript_id=transcript_id,
        version=transcript.version,
        text=text,
        sha256=sha256_text(text),
        length=len(text),
        word_count=len(text.split()),
        encoding=encoding,
        transformations=transformations,
    )
    session.add(version)
    session.flush()
    return version.id


def add_structure(
    session: Session,
    transcript_id: int,
    version_id: int,
    *,
    turns: Sequence[NewTurn],
    segments: Sequence[tuple[int, int, int | None]],
    units: Sequence[tuple[int, int]],
    roles: dict[str, str],
) -> None:
    """Store speakers (created on first mention), turns, segments and units.

    ``segments`` are ``(start, end, turn_index)`` with an index into ``turns``.
    """
    speaker_ids: dict[str, int] = {
        label: sid
        for sid, label in session.execute(
            select(SpeakerRow.id, SpeakerRow.label).where(SpeakerRow.transcript_id == transcript_id)
        )
    }
    # bulk Core inserts into the tables (not the mapped classes, which would take
    # SQLAlchemy's per-row ORM path): a long transcript has thousands of sentences
    tables = Base.metadata.tables
    new_labels = [
        label
        for label in dict.fromkeys(t.speaker_label for t in turns if t.speaker_label is not None)
        if label not in speaker_ids
    ]
    if new_labels:
        session.execute(
            insert(tables["speakers"]),
            [
                {
                    "uuid": uuid,
                    "transcript_id": transcript_id,
                    "label": label,
                    "role": roles.get(label, "participant"),
                }
                for label, uuid in zip(new_labels, new_uuids(len(new_labels)), strict=True)
            ],
        )
        speaker_ids.update(
            (label, sid)
            for sid, label in session.execute(
                select(SpeakerRow.id, SpeakerRow.label).where(
                    SpeakerRow.transcript_id == transcript_id,
                    SpeakerRow.label.in_(new_labels),
                )
            )
        )
    turn_table = tables["turns"]
    turn_ids: list[int] = []
    if turns:
        # one executemany, then the ids by ordinal: RETURNING in parameter order makes
        # SQLAlchemy run a statement per row on SQLite
        session.execute(
            insert(turn_table),
            [
                {
                    "uuid": uuid,
                    "version_id": version_id,
                    "speaker_id": speaker_ids.get(turn.speaker_label or ""),
                    "ordinal": ordinal,
                    "start": turn.start,
                    "end": turn.end,
                    "timestamp_ms": turn.timestamp_ms,
                    "verbatim": turn.verbatim,
                }
                for (ordinal, turn), uuid in zip(
                    enumerate(turns), new_uuids(len(turns)), strict=True
                )
            ],
        )
        turn_ids = list(
            session.scalars(
                select(turn_table.c.id)
                .where(turn_table.c.version_id == version_id)
                .order_by(turn_table.c.ordinal)
            )
        )
    if segments:
        session.execute(
            insert(tables["segments"]),
            [
                {
                    "uuid": uuid,
                    "version_id": version_id,
                    "turn_id": turn_ids[turn_index] if turn_index is not None else None,
                    "ordinal": ordinal,
                    "start": start,
                    "end": end,
                }
                for (ordinal, (start, end, turn_index)), uuid in zip(
                    enumerate(segments), new_uuids(len(segments)), strict=True
                )
            ],
        )
    if units:
        session.execute(
            insert(tables["units"]),
            [
                {
                    "uuid": uuid,
                    "version_id": version_id,
                    "kind": "sentence",
                    "ordinal": ordinal,
                    "start": start,
                    "end": end,
                }
                for (ordinal, (start, end)), uuid in zip(
                    enumerate(units), new_uuids(len(units)), strict=True
                )
            ],
        )


def get_text(session: Session, ref: str | int) -> TranscriptText:
    transcript = resolve_transcript(session, ref)
    version = session.execute(
        select(TextVersionRow.id, TextVersionRow.text, TextVersionRow.sha256).where(
            TextVersionRow.transcript_id == transcript.id,
            TextVersionRow.version == transcript.version,
        )
    ).one()
    speakers = tuple(
        Speaker(r.id, r.uuid, r.label, r.role, r.pseudonym)
        for r in session.scalars(
            select(SpeakerRow)
            .where(SpeakerRow.transcript_id == transcript.id)
            .order_by(SpeakerRow.id)
        )
    )
    by_id = {s.id: s for s in speakers}
    turns = tuple(
        Turn(
            r.id,
            r.start,
            r.end,
            by_id[r.speaker_id].label if r.speaker_id else None,
            by_id[r.speaker_id].role if r.speaker_id else None,
            r.timestamp_ms,
            r.verbatim,
        )
        for r in session.scalars(
            select(TurnRow).where(TurnRow.version_id == version.id).order_by(TurnRow.ordinal)
        )
    )
    segments = tuple(
        Segment(start, end, turn_id)
        for start, end, turn_id in session.execute(
            select(SegmentRow.start, SegmentRow.end, SegmentRow.turn_id)
            .where(SegmentRow.version_id == version.id)
            .order_by(SegmentRow.ordinal)
        )
    )
    units = tuple(
        Unit(start, end, kind)
        for start, end, kind in session.execute(
            select(UnitRow.start, UnitRow.end, UnitRow.kind)
            .where(UnitRow.version_id == version.id)
            .order_by(UnitRow.ordinal)
        )
    )
    return TranscriptText(
        transcript, version.text, version.sha256, speakers, turns, segments, units
    )


def get_speaker(session: Session, transcript_id: int, label: str) -> Speaker:
    row = session.scalars(
        select(SpeakerRow).where(
            SpeakerRow.transcript_id == transcript_id, SpeakerRow.label == label
        )
    ).first()
    if row is None:
        raise NotFound(f"no speaker labelled {label!r} in this transcript")
    return Speaker(row.id, row.uuid, row.label, row.role, row.pseudonym)


def update_speaker(
    session: Session, speaker_id: int, *, role: str, pseudonym: str | None
) -> Speaker:
    row = session.get(SpeakerRow, speaker_id)
    if row is None:
        raise NotFound(f"no speaker with id {speaker_id}")
    row.role, row.pseudonym = role, pseudonym
    session.flush()
    return Speaker(row.id, row.uuid, row.label, row.role, row.pseudonym)


def _case_id(session: Session, name: str) -> int:
    case_id = session.scalar(select(CaseRow.id).where(CaseRow.name == name))
    if case_id is None:
        row = CaseRow(name=name)
        session.add(row)
        session.flush()
        case_id = row.id
    return case_id

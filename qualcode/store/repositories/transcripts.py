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
from qualcode.store.repositories.first_use import insert_or_get
from qualcode.store.schema import (
    CURRENT_VERSION,
    Base,
    CaseRow,
    SegmentRow,
    SpeakerRow,
    TextVersionRow,
    TranscriptCaseRow,
    TranscriptRow,
    TurnRow,
    UnitRow,
    new_uuid,
    utcnow,
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


_CASE_SEPARATOR = "\x1f"  # a control character no case name holds
_CASE_NAMES: Any = (  # the transcript's case names in one string, unordered
    select(func.aggregate_strings(CaseRow.name, _CASE_SEPARATOR))
    .join(TranscriptCaseRow, TranscriptCaseRow.case_id == CaseRow.id)
    .where(TranscriptCaseRow.transcript_id == TranscriptRow.id)
    .correlate(TranscriptRow)
    .scalar_subquery()
)
_TRANSCRIPT_QUERY: Any = (  # built once: statements are immutable and reused
    select(TranscriptRow, TextVersionRow.length, TextVersionRow.word_count, _CASE_NAMES).join(
        TextVersionRow,
        CURRENT_VERSION,
    )
)


def _record(row: TranscriptRow, length: int, words: int, names: str | None) -> Transcript:
    cases = tuple(sorted(names.split(_CASE_SEPARATOR))) if names else ()
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
        case=", ".join(cases) or None,
        cases=cases,
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
    CURRENT_VERSION,
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
    uuid: str | None = None,
) -> CurrentVersion:
    transcript = TranscriptRow(
        uuid=uuid or new_uuid(),
        title=title,
        mode=mode,
        language=language,
        date=date,
        participants=participants,
        source_name=source_name,
        source_sha256=source_sha256,
        version=1,
    )
    session.add(transcript)
    session.flush()
    if case_name:
        case_id = _case_id(session, case_name)
        session.add(TranscriptCaseRow(transcript_id=transcript.id, case_id=case_id))
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


@dataclass(frozen=True, slots=True)
class NewStructure:
    """One text version's turns, paragraph segments and sentence units to store.

    ``segments`` are ``(start, end, turn_index)`` with an index into ``turns``;
    ``roles`` gives a new speaker label its role.
    """

    transcript_id: int
    version_id: int
    turns: Sequence[NewTurn]
    segments: Sequence[tuple[int, int, int | None]]
    units: Sequence[tuple[int, int]]
    roles: dict[str, str]


def add_structures(session: Session, items: Sequence[NewStructure]) -> None:
    """Store speakers (created on first mention), turns, segments and units of one or
    many text versions: one INSERT per table, however many transcripts (a REFI-QDA
    project brings a thousand)."""
    transcript_ids = list({item.transcript_id for item in items})
    speaker_ids: dict[tuple[int, str], int] = {}
    for index in range(0, len(transcript_ids), 500):
        chunk = transcript_ids[index : index + 500]
        speaker_ids.update(
            ((transcript_id, label), sid)
            for sid, transcript_id, label in session.execute(
                select(SpeakerRow.id, SpeakerRow.transcript_id, SpeakerRow.label).where(
                    SpeakerRow.transcript_id.in_(chunk)
                )
            )
        )
    new_speakers: list[dict[str, Any]] = [
        {
            "uuid": new_uuid(),
            "transcript_id": item.transcript_id,
            "label": label,
            "role": item.roles.get(label, "participant"),
        }
        for item in items
        for label in dict.fromkeys(t.speaker_label for t in item.turns if t.speaker_label)
        if (item.transcript_id, label) not in speaker_ids
    ]
    # bulk Core inserts into the tables (not the mapped classes, which would take
    # SQLAlchemy's per-row ORM path): a long transcript has thousands of sentences
    tables = Base.metadata.tables
    if new_speakers:
        speaker_table = tables["speakers"]
        ids = session.scalars(
            insert(speaker_table).returning(speaker_table.c.id, sort_by_parameter_order=True),
            new_speakers,
        ).all()
        for row, sid in zip(new_speakers, ids, strict=True):
            speaker_ids[(row["transcript_id"], row["label"])] = sid
    turn_rows = [
        {
            "uuid": new_uuid(),
            "version_id": item.version_id,
            "speaker_id": speaker_ids.get((item.transcript_id, turn.speaker_label or "")),
            "ordinal": ordinal,
            "start": turn.start,
            "end": turn.end,
            "timestamp_ms": turn.timestamp_ms,
            "verbatim": turn.verbatim,
        }
        for item in items
        for ordinal, turn in enumerate(item.turns)
    ]
    turn_ids: list[int] = []
    if turn_rows:
        turn_table = tables["turns"]
        turn_ids = list(
            session.scalars(
                insert(turn_table).returning(turn_table.c.id, sort_by_parameter_order=True),
                turn_rows,
            )
        )
    segment_rows: list[dict[str, Any]] = []
    first_turn = 0
    for item in items:
        segment_rows.extend(
            {
                "uuid": new_uuid(),
                "version_id": item.version_id,
                "turn_id": turn_ids[first_turn + turn_index] if turn_index is not None else None,
                "ordinal": ordinal,
                "start": start,
                "end": end,
            }
            for ordinal, (start, end, turn_index) in enumerate(item.segments)
        )
        first_turn += len(item.turns)
    if segment_rows:
        session.execute(insert(tables["segments"]), segment_rows)
    unit_rows = [
        {
            "uuid": new_uuid(),
            "version_id": item.version_id,
            "kind": "sentence",
            "ordinal": ordinal,
            "start": start,
            "end": end,
        }
        for item in items
        for ordinal, (start, end) in enumerate(item.units)
    ]
    if unit_rows:
        session.execute(insert(tables["units"]), unit_rows)


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
        # two imports naming the same new case at once share one row
        case_id, _ = insert_or_get(
            session, CaseRow, "name", {"name": name, "uuid": new_uuid(), "created_at": utcnow()}
        )
    return case_id


def exists(session: Session, transcript_id: int) -> bool:
    return session.get(TranscriptRow, transcript_id) is not None


def version_exists(session: Session, version_id: int) -> bool:
    return session.get(TextVersionRow, version_id) is not None

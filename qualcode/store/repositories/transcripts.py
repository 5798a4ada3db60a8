"""Transcripts, their text versions, speakers, turns, segments and units."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFound
from qualcode.domain.ids import as_id
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
    new_uuids,
    utcnow,
)

IN_LIST = 500  # values per IN (...) list, well below every engine's limit


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
    if (transcript_id := as_id(ref)) is not None:
        row = session.execute(query.where(TranscriptRow.id == transcript_id)).first()
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


_CURRENT_SHA: Any = (
    select(TextVersionRow.sha256)
    .join(TranscriptRow, CURRENT_VERSION)
    .where(TranscriptRow.id == bindparam("id"))
)


def current_sha256(session: Session, transcript_id: int) -> str:
    """The hash of a transcript's current text (a short read: not the text)."""
    found: str | None = session.scalar(_CURRENT_SHA, {"id": transcript_id})
    if found is None:
        raise NotFound(f"no transcript with id {transcript_id}")
    return found


def current_version(session: Session, transcript_id: int) -> CurrentVersion:
    row = session.execute(_CURRENT_QUERY.where(TranscriptRow.id == transcript_id)).first()
    if row is None:
        raise NotFound(f"no transcript with id {transcript_id}")
    return CurrentVersion(*row)


def resolve_current_versions(session: Session, refs: Collection[str]) -> dict[str, CurrentVersion]:
    """Many transcripts named by id or title, resolved as ``resolve_current_version``
    does (an id first, then a title) in a few queries; refs that name none are left out."""
    ids = sorted({number for ref in refs if (number := as_id(ref)) is not None})
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
        hit = by_id.get(number) if (number := as_id(ref)) is not None else None
        hit = hit or by_title.get(ref)
        if hit is not None:
            found[ref] = hit
    return found


_CURRENT_BY_ID: Any = _CURRENT_QUERY.where(TranscriptRow.id == bindparam("id"))
_CURRENT_BY_TITLE: Any = _CURRENT_QUERY.where(TranscriptRow.title == bindparam("title"))


def resolve_current_version(session: Session, ref: str | int) -> CurrentVersion:
    """The current text version of a transcript named by id or title, in one query."""
    row = None
    if (transcript_id := as_id(ref)) is not None:
        row = session.execute(_CURRENT_BY_ID, {"id": transcript_id}).first()
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
        word_count=word_count(text),
        encoding=encoding,
        transformations=transformations or {},
    )
    session.add(version)
    session.flush()
    return CurrentVersion(transcript.id, version.id, title, text)


def word_count(text: str, chunk: int = 1 << 20) -> int:
    """``len(text.split())`` without a list of every word (a million-word transcript's
    list took 60 MB): counted a chunk at a time, each chunk ending at whitespace."""
    count = start = 0
    while start < len(text):
        end = min(len(text), start + chunk)
        while end < len(text) and not text[end].isspace():
            end += 1
        count += len(text[start:end].split())
        start = end
    return count


@dataclass(frozen=True, slots=True)
class NewTranscript:
    """A transcript to store with its first text version (see ``add_transcripts``)."""

    title: str
    mode: str
    language: str
    text: str
    date: str | None = None
    participants: int | None = None
    source_name: str | None = None
    source_sha256: str | None = None
    encoding: str | None = None
    transformations: dict[str, Any] | None = None
    case_name: str | None = None


def add_transcripts(session: Session, items: Sequence[NewTranscript]) -> list[CurrentVersion]:
    """Store many transcripts with their first text versions: one ``executemany`` per
    table (no RETURNING, which SQLite runs one statement per row), ids read back in a
    query per 500 rows."""
    if not items:
        return []
    tables = Base.metadata.tables
    uuids = new_uuids(len(items))
    now = utcnow()
    session.execute(
        insert(tables["transcripts"]),
        [
            {
                "uuid": uuid,
                "title": item.title,
                "mode": item.mode,
                "language": item.language,
                "date": item.date,
                "participants": item.participants,
                "source_name": item.source_name,
                "source_sha256": item.source_sha256,
                "version": 1,
                "created_at": now,
            }
            for uuid, item in zip(uuids, items, strict=True)
        ],
    )
    ids = _ids_by(session, TranscriptRow.uuid, TranscriptRow.id, uuids)
    transcript_ids = [ids[uuid] for uuid in uuids]
    cases = {name: _case_id(session, name) for name in {i.case_name for i in items} if name}
    if cases:
        session.execute(
            insert(tables["transcript_cases"]),
            [
                {"transcript_id": tid, "case_id": cases[item.case_name]}
                for tid, item in zip(transcript_ids, items, strict=True)
                if item.case_name
            ],
        )
    session.execute(
        insert(tables["text_versions"]),
        [
            {
                "transcript_id": tid,
                "version": 1,
                "text": item.text,
                "sha256": sha256_text(item.text),
                "length": len(item.text),
                "word_count": word_count(item.text),
                "encoding": item.encoding,
                "transformations": item.transformations or {},
                "created_at": now,
            }
            for tid, item in zip(transcript_ids, items, strict=True)
        ],
    )
    versions = _ids_by(session, TextVersionRow.transcript_id, TextVersionRow.id, transcript_ids)
    return [
        CurrentVersion(tid, versions[tid], item.title, item.text)
        for tid, item in zip(transcript_ids, items, strict=True)
    ]


def _ids_by(session: Session, key: Any, column: Any, values: Sequence[Any]) -> dict[Any, int]:
    """``key value -> column value`` for rows whose ``key`` is one of ``values``."""
    found: dict[Any, int] = {}
    for first in range(0, len(values), IN_LIST):
        chunk = list(values[first : first + IN_LIST])
        found.update(
            tuple(row) for row in session.execute(select(key, column).where(key.in_(chunk)))
        )
    return found


def titles_taken(session: Session, titles: Collection[str]) -> set[str]:
    """Those of ``titles`` a transcript has already."""
    wanted = sorted(set(titles))
    taken: set[str] = set()
    for first in range(0, len(wanted), IN_LIST):
        chunk = wanted[first : first + IN_LIST]
        taken.update(
            session.scalars(select(TranscriptRow.title).where(TranscriptRow.title.in_(chunk)))
        )
    return taken


def titles_by_source_sha(session: Session, digests: Collection[str]) -> dict[str, str]:
    """``sha256 -> title`` of transcripts imported from a file with one of ``digests``
    (the oldest when several were)."""
    wanted = sorted(set(digests))
    found: dict[str, str] = {}
    for first in range(0, len(wanted), IN_LIST):
        chunk = wanted[first : first + IN_LIST]
        rows = session.execute(
            select(TranscriptRow.source_sha256, TranscriptRow.title)
            .where(TranscriptRow.source_sha256.in_(chunk))
            .order_by(TranscriptRow.id.desc())
        )
        found.update((digest, title) for digest, title in rows if digest is not None)
    return found


def transcripts_by_id(session: Session, ids: Sequence[int]) -> dict[int, Transcript]:
    """The transcripts with these ids, as ``resolve_transcript`` gives them."""
    found: dict[int, Transcript] = {}
    for first in range(0, len(ids), IN_LIST):
        chunk = list(ids[first : first + IN_LIST])
        for row in session.execute(_TRANSCRIPT_QUERY.where(TranscriptRow.id.in_(chunk))):
            record = _record(*row)
            found[record.id] = record
    return found


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
        word_count=word_count(text),
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
    # the version's word index row (forms, packed offsets; ``domain.word_index``),
    # when the importer made one; a version without is indexed when a query needs it
    words: tuple[str, bytes] | None = None


def add_structures(session: Session, items: Sequence[NewStructure]) -> None:
    """Store speakers (created on first mention), turns, segments and units of one or
    many text versions: one ``executemany`` per table, however many transcripts (a
    folder or a REFI-QDA project brings a thousand). No RETURNING (SQLite runs an
    INSERT ... RETURNING one statement per row): the speaker and turn ids the next
    table needs are read back, one query per 500 transcripts or versions."""
    transcript_ids = list({item.transcript_id for item in items})
    speaker_ids = _speaker_ids(session, transcript_ids)
    new_speakers = [
        (item.transcript_id, label, item.roles.get(label, "participant"))
        for item in items
        for label in dict.fromkeys(t.speaker_label for t in item.turns if t.speaker_label)
        if (item.transcript_id, label) not in speaker_ids
    ]
    # bulk Core inserts into the tables (not the mapped classes, which would take
    # SQLAlchemy's per-row ORM path): a long transcript has thousands of sentences
    tables = Base.metadata.tables
    if new_speakers:
        session.execute(
            insert(tables["speakers"]),
            [
                {"uuid": uuid, "transcript_id": tid, "label": label, "role": role}
                for uuid, (tid, label, role) in zip(
                    new_uuids(len(new_speakers)), new_speakers, strict=True
                )
            ],
        )
        speaker_ids = _speaker_ids(session, transcript_ids)
    turns = [(item, ordinal, turn) for item in items for ordinal, turn in enumerate(item.turns)]
    _insert(
        session,
        "turns",
        (
            {
                "uuid": uuid,
                "version_id": item.version_id,
                "speaker_id": speaker_ids.get((item.transcript_id, turn.speaker_label or "")),
                "ordinal": ordinal,
                "start": turn.start,
                "end": turn.end,
                "timestamp_ms": turn.timestamp_ms,
                "verbatim": turn.verbatim,
            }
            for uuid, (item, ordinal, turn) in zip(_uuids(len(turns)), turns, strict=True)
        ),
    )
    turn_ids = _turn_ids(session, list({item.version_id for item in items if item.turns}))
    segments = [
        (item, ordinal, segment) for item in items for ordinal, segment in enumerate(item.segments)
    ]
    _insert(
        session,
        "segments",
        (
            {
                "uuid": uuid,
                "version_id": item.version_id,
                "turn_id": None if turn is None else turn_ids[(item.version_id, turn)],
                "ordinal": ordinal,
                "start": start,
                "end": end,
            }
            for uuid, (item, ordinal, (start, end, turn)) in zip(
                _uuids(len(segments)), segments, strict=True
            )
        ),
    )
    insert_rows(
        session,
        "word_index",
        (
            {"version_id": item.version_id, "words": item.words[0], "spans": item.words[1]}
            for item in items
            if item.words is not None
        ),
    )
    count = sum(len(item.units) for item in items)
    _insert(
        session,
        "units",
        (
            {
                "uuid": uuid,
                "version_id": item.version_id,
                "kind": "sentence",
                "ordinal": ordinal,
                "start": start,
                "end": end,
            }
            for uuid, (item, ordinal, (start, end)) in zip(
                _uuids(count),
                ((item, o, unit) for item in items for o, unit in enumerate(item.units)),
                strict=True,
            )
        ),
    )


SLICE = 10_000  # rows per executemany: the parameter rows of a slice are all in memory


def _uuids(count: int) -> Iterator[str]:
    """``new_uuids(count)`` made ``SLICE`` at a time, as the rows they go in."""
    for first in range(0, count, SLICE):
        yield from new_uuids(min(SLICE, count - first))


def insert_rows(session: Session, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """INSERT ``rows`` into ``table`` by ``executemany``, ``SLICE`` rows at a time (a
    long transcript or a folder has hundreds of thousands). The values must be plain
    numbers, strings, booleans or None. On SQLite the rows go to the driver as tuples
    (SQLAlchemy's per-row parameter processing cost more than SQLite's own insert)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    columns = list(first)
    rows = chain([first], rows)
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        statement = insert(Base.metadata.tables[table])
        while chunk := list(islice(rows, SLICE)):
            session.execute(statement, chunk)
        return
    quote = connection.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)})"
        f" VALUES ({', '.join('?' for _ in columns)})"
    )
    while values := [tuple(row[c] for c in columns) for row in islice(rows, SLICE)]:
        connection.exec_driver_sql(sql, values)


_insert = insert_rows


def release_cache(session: Session) -> None:
    """Hand SQLite's page cache back to the system before a long write (its 64 MiB
    would otherwise fill with the pages a folder import wrote); a no-op elsewhere."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA shrink_memory"))


def _speaker_ids(session: Session, transcript_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """``(transcript id, label) -> speaker id`` of these transcripts' speakers."""
    found: dict[tuple[int, str], int] = {}
    for first in range(0, len(transcript_ids), IN_LIST):
        chunk = list(transcript_ids[first : first + IN_LIST])
        query = select(SpeakerRow.id, SpeakerRow.transcript_id, SpeakerRow.label)
        for sid, tid, label in session.execute(query.where(SpeakerRow.transcript_id.in_(chunk))):
            found[(tid, label)] = sid
    return found


def _turn_ids(session: Session, version_ids: Sequence[int]) -> dict[tuple[int, int], int]:
    """``(version id, ordinal) -> turn id`` of these text versions' turns."""
    found: dict[tuple[int, int], int] = {}
    for first in range(0, len(version_ids), IN_LIST):
        chunk = list(version_ids[first : first + IN_LIST])
        query = select(TurnRow.id, TurnRow.version_id, TurnRow.ordinal)
        for tid, vid, ordinal in session.execute(query.where(TurnRow.version_id.in_(chunk))):
            found[(vid, ordinal)] = tid
    return found


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

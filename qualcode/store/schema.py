"""SQLAlchemy 2.x models: the tables of one qualcode project.

One database holds one project. Every table carries a ``uuid`` (stable across
databases, used for REFI-QDA exchange and for merging coders' projects) beside its
integer key. Offsets are code points of a text version's canonical text.
Schema changes go through Alembic (``qualcode/store/migrations``), never ``create_all``.
"""

from __future__ import annotations

import os
import time
import uuid as uuidlib
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    """A version-7 UUID (RFC 9562): a millisecond timestamp, then random bits.

    Time-ordered ids land next to each other in the unique uuid index, so a bulk
    import writes a few index pages instead of touching a random page per row.
    """
    millis = time.time_ns() // 1_000_000
    value = (millis & 0xFFFF_FFFF_FFFF) << 80 | int.from_bytes(os.urandom(10)) & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuidlib.UUID(int=value))


def new_uuids(count: int) -> list[str]:
    """``count`` version-7 UUIDs for a bulk insert, in increasing order: one timestamp,
    random bits to start from, then a counter (RFC 9562's monotonic method), so the
    rows land one after another at the end of the uuid index instead of at random
    places in it (measured: a third of a 190,000-row insert)."""
    millis = (time.time_ns() // 1_000_000) & 0xFFFF_FFFF_FFFF
    start = int.from_bytes(os.urandom(8)) >> 2  # 62 random bits, room for the counter
    found = []
    for n in range(count):
        value = millis << 80 | 0x7 << 76 | 0x2 << 62 | ((start + n) & ((1 << 62) - 1))
        text = f"{value:032x}"  # what str(UUID) gives, without building the object
        found.append(f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}")
    return found


def utcnow() -> datetime:
    return datetime.now(UTC)


# On SQLite a table without AUTOINCREMENT hands the id of its newest deleted row to
# the next row. The event log names rows by id, and undo restores a row under its old
# id, so the tables the log refers to never reuse an id (PostgreSQL never does).
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class HasUuid:
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)


class ProjectRow(HasUuid, Base):
    """The single project this database holds: its name, language and settings."""

    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseRow(HasUuid, Base):
    """A unit of analysis transcripts belong to, e.g. a municipality or city district."""

    __tablename__ = "cases"
    __table_args__ = (NEVER_REUSE_IDS,)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TranscriptRow(HasUuid, Base):
    __tablename__ = "transcripts"
    __table_args__ = (
        CheckConstraint(
            "mode IN ('focus_group','telephone','interview','survey_call','document')",
            name="mode",
        ),
        NEVER_REUSE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), unique=True)
    mode: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    date: Mapped[str | None] = mapped_column(String(10))
    participants: Mapped[int | None] = mapped_column(Integer)
    source_name: Mapped[str | None] = mapped_column(String(500))
    source_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Legacy single case (schema 0001–0002); migration 0003 moved every value into
    # ``transcript_cases`` and it is always NULL since. Kept only because dropping a
    # column on SQLite rebuilds the table, which foreign keys make unsafe in a migration.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TranscriptCaseRow(HasUuid, Base):
    """A transcript belongs to a case; a focus group may belong to several."""

    __tablename__ = "transcript_cases"
    __table_args__ = (UniqueConstraint("transcript_id", "case_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)


class SpeakerCaseRow(HasUuid, Base):
    """A speaker belongs to (at most) one case: a focus-group participant's municipality.

    A table of its own rather than a column on ``speakers`` so adding it never rebuilds
    the speakers table on SQLite.
    """

    __tablename__ = "speaker_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), unique=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)


class TextVersionRow(HasUuid, Base):
    """One immutable canonical text of a transcript; a revision adds a new version."""

    __tablename__ = "text_versions"
    __table_args__ = (UniqueConstraint("transcript_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(Integer)
    word_count: Mapped[int] = mapped_column(Integer)
    encoding: Mapped[str | None] = mapped_column(String(20))
    # what opt-in transformations changed (e.g. {"dehyphenate": 7}); recorded for citation
    transformations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SpeakerRow(HasUuid, Base):
    __tablename__ = "speakers"
    __table_args__ = (
        UniqueConstraint("transcript_id", "label"),
        CheckConstraint("role IN ('moderator','interviewer','participant')", name="role"),
        NEVER_REUSE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="participant")
    pseudonym: Mapped[str | None] = mapped_column(String(200))


class TurnRow(HasUuid, Base):
    """A speaker's turn: ``[start, end)`` covers the label, any timestamp and the speech."""

    __tablename__ = "turns"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("text_versions.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    timestamp_ms: Mapped[int | None] = mapped_column(Integer)
    verbatim: Mapped[bool] = mapped_column(Boolean, default=True)


class SegmentRow(HasUuid, Base):
    """A paragraph-sized piece of a turn (at most about 2,000 characters)."""

    __tablename__ = "segments"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("text_versions.id", ondelete="CASCADE"), index=True
    )
    turn_id: Mapped[int | None] = mapped_column(
        ForeignKey("turns.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class UnitRow(HasUuid, Base):
    """A sentence (or other unit) span: the grain of unit-level agreement and search."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("text_versions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="sentence")
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class CodeRow(HasUuid, Base):
    __tablename__ = "codes"
    __table_args__ = (NEVER_REUSE_IDS,)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    color: Mapped[str | None] = mapped_column(String(7))
    definition: Mapped[str | None] = mapped_column(Text)
    include: Mapped[str | None] = mapped_column(Text)
    exclude: Mapped[str | None] = mapped_column(Text)
    example: Mapped[str | None] = mapped_column(Text)
    # definition, include, exclude and example per language: field -> language -> text
    translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    hotkey: Mapped[str | None] = mapped_column(String(20), unique=True)
    exclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    patterns: Mapped[list[Any]] = mapped_column(default=list)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[CodeRow | None] = relationship(remote_side=[id])


class CoderRow(HasUuid, Base):
    __tablename__ = "coders"
    __table_args__ = (NEVER_REUSE_IDS,)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CodingRow(HasUuid, Base):
    """A code applied by a coder to ``[start, end)`` of one text version."""

    __tablename__ = "codings"
    __table_args__ = (
        UniqueConstraint("version_id", "code_id", "coder_id", "start", "end"),
        CheckConstraint('"start" >= 0 AND "end" > "start"', name="span"),
        Index("ix_codings_transcript_start", "transcript_id", "start"),
        NEVER_REUSE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("text_versions.id"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    quote_sha256: Mapped[str] = mapped_column(String(64))
    # set when a revision of the transcript could not place this coding with certainty
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    transcript: Mapped[TranscriptRow] = relationship()
    code: Mapped[CodeRow] = relationship()
    coder: Mapped[CoderRow] = relationship()


class MemoRow(HasUuid, Base):
    """A memo on the project (no target), a transcript, a code or a coding."""

    __tablename__ = "memos"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN transcript_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN code_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN coding_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_target",
        ),
        NEVER_REUSE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id"), index=True)
    coding_id: Mapped[int | None] = mapped_column(
        ForeignKey("codings.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[CoderRow | None] = relationship()


class AttributeRow(HasUuid, Base):
    """A typed variable describing transcripts or cases (county, mode, role, counts…)."""

    __tablename__ = "attributes"
    __table_args__ = (
        CheckConstraint("value_type IN ('text','number','date','boolean')", name="value_type"),
        CheckConstraint("scope IN ('transcript','case')", name="scope"),
        NEVER_REUSE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    value_type: Mapped[str] = mapped_column(String(10), default="text")
    scope: Mapped[str] = mapped_column(String(10), default="transcript")


class AttributeValueRow(HasUuid, Base):
    """One attribute's value for one transcript or case; a missing row is missing data."""

    __tablename__ = "attribute_values"
    __table_args__ = (
        UniqueConstraint("attribute_id", "transcript_id", "case_id"),
        CheckConstraint("(transcript_id IS NULL) <> (case_id IS NULL)", name="one_owner"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attributes.id", ondelete="CASCADE"), index=True
    )
    transcript_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    value_text: Mapped[str | None] = mapped_column(Text)
    value_number: Mapped[float | None] = mapped_column(Float)


class ReferenceValueRow(HasUuid, Base):
    """One figure of a reference population: e.g. asylum-seeking children in county
    Skåne at the end of 2011. ``attribute`` names the case attribute whose values
    ``group_value`` matches (the grouping of ``cases rates``)."""

    __tablename__ = "reference_values"
    __table_args__ = (UniqueConstraint("name", "group_value", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    attribute: Mapped[str] = mapped_column(String(200))
    group_value: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)


class EventRow(HasUuid, Base):
    """Append-only audit log of every change: who, when, what, before and after.

    ``kind`` is ``do`` for a user action, ``undo``/``redo`` for the reversal or
    replay of the event named by ``target_event_id``. Undo and redo read this log.
    """

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("kind IN ('do','undo','redo')", name="kind"),
        Index("ix_events_coder_id_id", "coder_id", "id"),
        NEVER_REUSE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    kind: Mapped[str] = mapped_column(String(8), default="do")
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    target_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)

    coder: Mapped[CoderRow | None] = relationship()


class CollectionRow(HasUuid, Base):
    """A named, ordered collection of quotes for a report, grouped by theme."""

    __tablename__ = "collections"
    __table_args__ = (NEVER_REUSE_IDS,)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CollectionItemRow(HasUuid, Base):
    """One quote in a collection: a link to the verbatim span, the words as they were
    when added, and the report author's edited version (edits are in the event log)."""

    __tablename__ = "collection_items"
    __table_args__ = (
        CheckConstraint('"start" >= 0 AND "end" > "start"', name="span"),
        NEVER_REUSE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str] = mapped_column(String(200), default="")
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("text_versions.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    verbatim_text: Mapped[str] = mapped_column(Text)
    edited_text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WordIndexRow(Base):
    """The words of one text version, stored at import: a row per text, not per word.
    ``words`` holds the lower-case forms, space-joined in text order; ``spans`` packs
    each word's ``(start, end)`` (``domain.word_index``). Derived data: no event
    records it, undo never touches it."""

    __tablename__ = "word_index"
    version_id: Mapped[int] = mapped_column(
        ForeignKey("text_versions.id", ondelete="CASCADE"), primary_key=True
    )
    words: Mapped[str] = mapped_column(Text)
    spans: Mapped[bytes] = mapped_column(LargeBinary)
    # the lemmatizer (``qualcode.nlp.LEMMATIZER``) whose lemmas of these forms are in
    # ``word_lemmas``; None until a query first needs lemmas (an import never loads a
    # lemmatizer's tables)
    lemmatizer: Mapped[str | None] = mapped_column(String(100))


class WordLemmaRow(Base):
    """The lemma of a word form, once per distinct form of the project's texts."""

    __tablename__ = "word_lemmas"
    lemmatizer: Mapped[str] = mapped_column(String(100), primary_key=True)
    language: Mapped[str] = mapped_column(String(20), primary_key=True)
    form: Mapped[str] = mapped_column(String(200), primary_key=True)
    lemma: Mapped[str] = mapped_column(Text)


# The join that pairs a transcript with its current text version: every repository that
# reads "the transcript as it stands" uses this one condition.
CURRENT_VERSION = (TextVersionRow.transcript_id == TranscriptRow.id) & (
    TextVersionRow.version == TranscriptRow.version
)

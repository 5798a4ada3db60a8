"""Frozen records the store returns and services, CLI and TUI pass around.

They are plain values: no database session behind them, safe to hand to a worker
thread or a widget. Offsets are code points of the transcript's canonical text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

TranscriptMode = Literal["focus_group", "telephone", "interview", "survey_call", "document"]
TRANSCRIPT_MODES: tuple[str, ...] = (
    "focus_group",
    "telephone",
    "interview",
    "survey_call",
    "document",
)
SpeakerRole = Literal["moderator", "interviewer", "participant"]
SPEAKER_ROLES: tuple[str, ...] = ("moderator", "interviewer", "participant")
MemoTarget = Literal["project", "transcript", "code", "coding"]


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    uuid: str
    name: str
    language: str
    settings: Mapping[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Transcript:
    id: int
    uuid: str
    title: str
    mode: str
    language: str
    date: str | None
    source_name: str | None
    source_sha256: str | None
    version: int
    length: int
    word_count: int
    created_at: datetime
    case: str | None = None  # the case names joined by ", " (see ``cases``)
    cases: tuple[str, ...] = ()  # every case the transcript belongs to, by name


@dataclass(frozen=True, slots=True)
class Speaker:
    id: int
    uuid: str
    label: str
    role: str
    pseudonym: str | None


@dataclass(frozen=True, slots=True)
class Turn:
    id: int
    start: int
    end: int
    speaker_label: str | None
    speaker_role: str | None
    timestamp_ms: int | None
    verbatim: bool


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    turn_id: int | None


@dataclass(frozen=True, slots=True)
class Unit:
    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class TranscriptText:
    """One transcript's current text version with its structure."""

    transcript: Transcript
    text: str
    text_sha256: str
    speakers: tuple[Speaker, ...]
    turns: tuple[Turn, ...]
    segments: tuple[Segment, ...]
    units: tuple[Unit, ...]


# what a code says about itself (beside its key, place in the tree and order): the
# fields a codebook file sets, an edit may change and an export writes
CODE_CONTENT_FIELDS: tuple[str, ...] = (
    "name", "labels", "color", "definition", "include", "exclude", "example",
    "translations", "hotkey", "exclusive", "patterns", "retired",
)  # fmt: skip
# the fields a codebook may give in several languages (beside the name's labels)
TRANSLATED_FIELDS: tuple[str, ...] = ("definition", "include", "exclude", "example")


@dataclass(frozen=True, slots=True)
class Code:
    id: int
    uuid: str
    key: str
    parent_key: str | None
    name: str
    labels: Mapping[str, str]
    color: str | None
    definition: str | None
    include: str | None
    exclude: str | None
    example: str | None
    # the texts of TRANSLATED_FIELDS per language, as the codebook gave them: field ->
    # language -> text; the field itself holds the text in the codebook's language
    translations: Mapping[str, Mapping[str, str]]
    hotkey: str | None
    exclusive: bool
    patterns: tuple[str, ...]
    retired: bool
    position: int

    def label(self, language: str) -> str:
        """The name in ``language``, falling back to the default name."""
        return self.labels.get(language, self.name)

    def label_in(self, language: str) -> tuple[str, str | None]:
        """The name in ``language`` and ``None``; when the codebook names the code in
        other languages but not this one, the first of those names and its language
        (so an export can mark the fallback). A name given without a language is the
        code's name in every language."""
        if language in self.labels:
            return self.labels[language], None
        if not self.labels:
            return self.name, None
        other = next(iter(self.labels))
        return self.labels[other], other

    def text_in(self, field: str, language: str) -> tuple[str | None, str | None]:
        """A definition, include, exclude or example in ``language`` and ``None``, or,
        when the codebook gives that field in other languages but not this one, the
        text it has and its language (so an export can mark the fallback). A text
        given without a language serves every language, as a name does."""
        texts = self.translations.get(field) or {}
        if language in texts:
            return texts[language], None
        value = getattr(self, field)
        if not texts:
            return value, None
        if not value:
            return None, None
        said_in = next((lang for lang, text in texts.items() if text == value), None)
        return value, said_in or next(iter(texts))

    def name_marked(self, language: str) -> str:
        """The name in ``language``; a fallback to another language ends in its code
        ("Case context [en]" in a Swedish export), so a reader sees the gap."""
        return _marked(*self.label_in(language))

    def text_marked(self, field: str, language: str) -> str | None:
        """``text_in`` as one string, a fallback marked like ``name_marked``'s."""
        text, fallback = self.text_in(field, language)
        return _marked(text, fallback) if text else None


def _marked(text: str, fallback: str | None) -> str:
    return f"{text} [{fallback}]" if fallback else text


@dataclass(frozen=True, slots=True)
class Coder:
    id: int
    uuid: str
    name: str


@dataclass(frozen=True, slots=True)
class Coding:
    id: int
    uuid: str
    transcript_id: int
    transcript_title: str
    code_key: str
    coder: str
    start: int
    end: int
    quote: str
    quote_sha256: str
    needs_review: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Memo:
    id: int
    uuid: str
    target: str
    target_ref: str | None
    text: str
    author: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    uuid: str
    at: datetime
    coder: str | None
    kind: str
    action: str
    entity: str
    entity_id: int | None
    before: Mapping[str, Any] | None = field(default=None)
    after: Mapping[str, Any] | None = field(default=None)
    target_event_id: int | None = None

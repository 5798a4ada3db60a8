"""The records a REFI-QDA file holds, as qualcode reads and writes them.

They follow the file's structure (GUIDs, references by GUID) rather than qualcode's
tables. Text positions are always code points of qualcode's canonical text (NFC,
``\\n`` newlines): the reader maps the file's own positions into it, the writer
writes the canonical text as the source file, so the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
Value = str | bool | int | Decimal | date | datetime


@dataclass(frozen=True, slots=True)
class ExUser:
    guid: str
    name: str


@dataclass(frozen=True, slots=True)
class ExCode:
    """A code and the codes nested under it; ``is_codable=False`` is a folder."""

    guid: str
    name: str
    is_codable: bool = True
    color: str | None = None
    description: str | None = None
    children: tuple[ExCode, ...] = ()
    note_refs: tuple[str, ...] = ()

    def walk(self, parent: ExCode | None = None) -> list[tuple[ExCode, ExCode | None]]:
        """This code and all below it, parents first, each with its parent."""
        found = [(self, parent)]
        for child in self.children:
            found.extend(child.walk(self))
        return found


@dataclass(frozen=True, slots=True)
class ExSet:
    guid: str
    name: str
    description: str | None = None
    member_codes: tuple[str, ...] = ()
    member_sources: tuple[str, ...] = ()
    member_notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExCodebook:
    """A .qdc file: the code tree and its sets."""

    codes: tuple[ExCode, ...]
    sets: tuple[ExSet, ...] = ()
    origin: str | None = None
    warnings: tuple[str, ...] = ()

    def all_codes(self) -> list[tuple[ExCode, ExCode | None]]:
        return [pair for code in self.codes for pair in code.walk()]


@dataclass(frozen=True, slots=True)
class ExCoding:
    """One code applied to a selection (a selection may carry several)."""

    guid: str
    code_guid: str
    creating_user: str | None = None
    created: datetime | None = None
    note_refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExSelection:
    """A ``PlainTextSelection``: ``[start, end)`` in canonical code points."""

    guid: str
    start: int
    end: int
    name: str | None = None
    description: str | None = None
    creating_user: str | None = None
    created: datetime | None = None
    codings: tuple[ExCoding, ...] = ()
    note_refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExVariable:
    guid: str
    name: str
    type: str  # one of VARIABLE_TYPES
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ExValue:
    """A variable's value; ``None`` is a missing value (written as no element)."""

    variable_guid: str
    value: Value | None


@dataclass(frozen=True, slots=True)
class ExSource:
    """A text source with its canonical text and its selections."""

    guid: str
    name: str
    text: str
    description: str | None = None
    creating_user: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    selections: tuple[ExSelection, ...] = ()
    values: tuple[ExValue, ...] = ()
    note_refs: tuple[str, ...] = ()
    # how the file was read: its encoding and the unit its positions counted
    encoding: str = "utf-8"
    position_unit: str = "code points"
    # the SHA-256 of the source file's bytes as stored in the archive
    file_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class ExNote:
    guid: str
    text: str
    name: str | None = None
    creating_user: str | None = None
    created: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExCase:
    guid: str
    name: str | None
    description: str | None = None
    values: tuple[ExValue, ...] = ()
    source_refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExProject:
    """A .qdpx project. ``not_carried`` names what the reader had to leave out."""

    name: str
    origin: str | None = None
    created: datetime | None = None
    description: str | None = None
    users: tuple[ExUser, ...] = ()
    codes: tuple[ExCode, ...] = ()
    variables: tuple[ExVariable, ...] = ()
    cases: tuple[ExCase, ...] = ()
    sources: tuple[ExSource, ...] = ()
    notes: tuple[ExNote, ...] = ()
    sets: tuple[ExSet, ...] = ()
    note_refs: tuple[str, ...] = ()
    not_carried: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    def all_codes(self) -> list[tuple[ExCode, ExCode | None]]:
        return [pair for code in self.codes for pair in code.walk()]

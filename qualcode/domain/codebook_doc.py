"""The codebook as a document for a methods appendix: the tree in reading order,
names in one language, each code's definition, include/exclude rules and example,
and optionally how many codings it has.

Built by ``qualcode.services.codebook.codebook_document``; written by
``qualcode.export.codebook_doc`` as Markdown, HTML or Word.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CodebookEntry:
    key: str
    name: str  # in the document's language
    depth: int  # 0 for a top-level code
    definition: str
    include: str
    exclude: str
    example: str
    retired: bool
    count: int | None  # codings of this code itself (not its sub-codes); None without counts


@dataclass(frozen=True, slots=True)
class CodebookDocument:
    title: str
    version: int | None
    language: str  # "sv" or "en": names and the document's own words
    entries: tuple[CodebookEntry, ...]
    counts: bool


# The document's own words, per language (the codes' names come from their labels).
WORDS = {
    "en": {
        "codebook": "Codebook",
        "version": "version",
        "definition": "Definition",
        "include": "Include",
        "exclude": "Exclude",
        "example": "Example",
        "codings": "Codings",
        "retired": "retired",
        "codes": "codes",
        "total": "codings in all",
    },
    "sv": {
        "codebook": "Kodbok",
        "version": "version",
        "definition": "Definition",
        "include": "Inkludera",
        "exclude": "Exkludera",
        "example": "Exempel",
        "codings": "Kodningar",
        "retired": "utgången",
        "codes": "koder",
        "total": "kodningar totalt",
    },
}

FIELDS = ("definition", "include", "exclude", "example")


def words(document: CodebookDocument) -> dict[str, str]:
    return WORDS.get(document.language, WORDS["en"])


def heading(document: CodebookDocument) -> str:
    """``Kodbok: Title (version 3)``."""
    said = words(document)
    version = f" ({said['version']} {document.version})" if document.version is not None else ""
    return f"{said['codebook']}: {document.title}{version}"


def summary(document: CodebookDocument) -> str:
    """``12 koder, 340 kodningar totalt`` (counts only when asked for)."""
    said = words(document)
    text = f"{len(document.entries)} {said['codes']}"
    if document.counts:
        text += f", {sum(e.count or 0 for e in document.entries)} {said['total']}"
    return text


def title_of(entry: CodebookEntry, document: CodebookDocument) -> str:
    """``ACT.WAIT Väntan (utgången)``."""
    retired = f" ({words(document)['retired']})" if entry.retired else ""
    return f"{entry.key} {entry.name}{retired}"

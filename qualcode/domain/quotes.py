"""A themed quote collection as frozen records: what every quote export writes.

Built by ``qualcode.services.quotes`` (retrieval, pseudonyms, attribution) and
rendered to bytes by the writers in ``qualcode.export``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    attribution: str
    transcript: str
    start: int
    end: int
    timestamp_ms: int | None
    codes: tuple[str, ...]
    verbatim: bool
    before: str = ""
    after: str = ""
    source_text: str = ""  # the verbatim words when ``text`` was edited, else ""
    transcript_id: int | None = None
    mode: str = ""
    speaker: str | None = None  # the pseudonym when one is set, else the label
    role: str | None = None
    coded_by: tuple[tuple[str, str], ...] = ()  # (code key, coder) of the codings it overlaps
    # what separates the context from the quote in the source: " " or "" (a comma
    # right after the quoted words stays attached: "**placerat**, vi")
    gap_before: str = " "
    gap_after: str = " "
    memos: tuple[str, ...] = ()  # memos on its codings, "author: text", when asked for

    @property
    def coders(self) -> tuple[str, ...]:
        """Whose codings the quote comes from, in the order first seen."""
        return tuple(dict.fromkeys(coder for _, coder in self.coded_by))


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    definition: str | None
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Collection:
    title: str
    query: str
    themes: tuple[Theme, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    # whose codings the quotes come from, in words ("the consensus layer", "coder anna",
    # "all coders; each quote names whose coding it is"); every format records it
    codings: str = ""
    pooled: bool = False  # several coders' codings together: each quote names its coders
    show_query: bool = False  # print a methods note with the query (else metadata only)
    language: str = "en"  # of the writers' own words ("Memo", "coded by", the methods note)

    @property
    def quotes(self) -> list[Quote]:
        return [quote for theme in self.themes for quote in theme.quotes]

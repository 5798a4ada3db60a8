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

    @property
    def quotes(self) -> list[Quote]:
        return [quote for theme in self.themes for quote in theme.quotes]

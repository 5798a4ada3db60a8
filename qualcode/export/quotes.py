"""From retrieved passages to a themed, pseudonymised, attributed quote collection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.domain.errors import InvalidInput
from qualcode.domain.pseudonyms import Leak, find_leaks, pseudonymise
from qualcode.services.codes import list_codes
from qualcode.services.files import write_atomically
from qualcode.services.project import Project
from qualcode.services.pseudonyms import pseudonym_list
from qualcode.services.retrieval import Passage, Retrieval

FORMATS = ("md", "html", "csv", "json")

# generic attributions, so a quote never names its speaker; a project can override
# them in its settings ("attribution": {"participant": "en socialsekreterare", ...})
ROLE_LABELS = {
    "sv": {"participant": "en deltagare", "moderator": "moderator", "interviewer": "intervjuare"},
    "en": {"participant": "a participant", "moderator": "moderator", "interviewer": "interviewer"},
}
MODE_LABELS = {
    "sv": {"focus_group": "fokusgrupp", "telephone": "telefonintervju", "interview": "intervju",
           "survey_call": "kartläggningssamtal", "document": "dokument"},
    "en": {"focus_group": "focus group", "telephone": "telephone interview",
           "interview": "interview", "survey_call": "mapping call", "document": "document"},
}  # fmt: skip


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


class LeakFound(InvalidInput):
    """The collection still contains a term from the pseudonymisation list."""


def build_collection(
    project: Project, retrieval: Retrieval, *, title: str | None = None
) -> Collection:
    """Group the passages by theme (their first code, in codebook order), replace
    listed terms and attribute each quote by role and mode only."""
    language = project.language if project.language in ROLE_LABELS else "en"
    with project.database.read() as session:
        from qualcode.store.repositories.project import get_project

        settings = get_project(session).settings
    roles = {**ROLE_LABELS[language], **settings.get("attribution", {})}
    modes = MODE_LABELS[language]
    replacements = pseudonym_list(project)
    codes = list_codes(project)
    order = {code.key: n for n, code in enumerate(codes)}
    by_key = {code.key: code for code in codes}
    grouped: dict[str, list[Quote]] = {}
    for passage in retrieval.passages:
        keys = sorted({key for key, _ in passage.codes}, key=lambda k: order.get(k, len(order)))
        theme = keys[0] if keys else ""
        grouped.setdefault(theme, []).append(_quote(passage, keys, roles, modes, replacements))
    themes = tuple(
        Theme(
            key=key,
            name=by_key[key].label(language) if key in by_key else "Uncoded",
            definition=by_key[key].definition if key in by_key else None,
            quotes=tuple(quotes),
        )
        for key, quotes in sorted(grouped.items(), key=lambda kv: order.get(kv[0], len(order)))
    )
    return Collection(title or f"Quotes: {retrieval.query}", retrieval.query, themes)


def _quote(
    passage: Passage,
    keys: list[str],
    roles: dict[str, str],
    modes: dict[str, str],
    replacements: dict[str, str],
) -> Quote:
    attribution = ", ".join(
        part for part in (roles.get(passage.role or "", ""), modes.get(passage.mode, "")) if part
    )
    clean: Callable[[str], str] = lambda text: pseudonymise(text, replacements)  # noqa: E731
    return Quote(
        text=clean(" ".join(passage.text.split())),
        attribution=attribution,
        transcript=clean(passage.transcript),
        start=passage.start,
        end=passage.end,
        timestamp_ms=passage.timestamp_ms,
        codes=tuple(keys),
        verbatim=passage.verbatim,
        before=clean(" ".join(passage.before.split())),
        after=clean(" ".join(passage.after.split())),
    )


def leaks(project: Project, collection: Collection) -> list[tuple[Quote, Leak]]:
    """Every listed term still present in a quote, its context or its source title."""
    terms = list(pseudonym_list(project))
    return [
        (quote, leak)
        for quote in collection.quotes
        for part in (quote.text, quote.before, quote.after, quote.transcript)
        for leak in find_leaks(part, terms)
    ]


def write_collection(
    project: Project, collection: Collection, fmt: str, path: Path, *, allow_leaks: bool = False
) -> Path:
    """Write the collection atomically; refuse when a listed term leaks through."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    found = leaks(project, collection)
    if found and not allow_leaks:
        shown = "; ".join(
            f"{leak.found!r} in the quote at {quote.transcript} {quote.start}..{quote.end}"
            for quote, leak in found[:10]
        )
        raise LeakFound(
            f"not written: {len(found)} listed name{'s' if len(found) > 1 else ''} would "
            f"appear in {path.name}: {shown} (add a pseudonym or use --allow-leaks)"
        )
    from qualcode.export import csvfile, html, jsonfile, markdown

    render = {"md": markdown.render, "html": html.render, "csv": csvfile.render,
              "json": jsonfile.render}[fmt]  # fmt: skip
    return write_atomically(path, render(collection))

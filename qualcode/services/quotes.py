"""From retrieved passages to a themed, pseudonymised, attributed quote collection,
and the collection written to a file through the writers in ``qualcode.export``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from qualcode.domain.errors import InvalidInput
from qualcode.domain.pseudonyms import Leak, find_leaks, pseudonymise
from qualcode.domain.quotes import Collection, Quote, Theme
from qualcode.export import registry
from qualcode.services.attribution import Attribution, attribution
from qualcode.services.codes import list_codes
from qualcode.services.collections import show_collection
from qualcode.services.files import write_atomically
from qualcode.services.project import Project
from qualcode.services.pseudonyms import pseudonym_list
from qualcode.services.retrieval import Passage, Retrieval, passages_for

FORMATS = registry.format_names("collection")


class LeakFound(InvalidInput):
    """The collection still contains a term from the pseudonymisation list."""


def build_collection(
    project: Project, retrieval: Retrieval, *, title: str | None = None
) -> Collection:
    """Group the passages by theme (their first code, in codebook order), replace
    listed terms and attribute each quote by role and mode only."""
    codes = list_codes(project)
    order = {code.key: n for n, code in enumerate(codes)}
    entries = []
    for passage in retrieval.passages:
        keys = sorted({key for key, _ in passage.codes}, key=lambda k: order.get(k, len(order)))
        entries.append((keys[0] if keys else "", passage, None))
    entries.sort(key=lambda entry: order.get(entry[0], len(order)))
    return _collection(project, title or f"Quotes: {retrieval.query}", retrieval.query, entries)


def stored_collection(project: Project, name: str, *, context: int = 0) -> Collection:
    """A saved collection (``services.collections``) in its own order, with each quote's
    edited words and, beside them, the verbatim words they came from."""
    view = show_collection(project, name)
    passages = passages_for(
        project,
        [(item.transcript_id, item.start, item.end) for item in view.items],
        context=context,
    )
    entries = [
        (item.theme, passage, item.edited_text)
        for item, passage in zip(view.items, passages, strict=True)
    ]
    themes_first_seen = list(dict.fromkeys(theme for theme, _, _ in entries))
    entries.sort(key=lambda entry: themes_first_seen.index(entry[0]))
    return _collection(project, view.info.title or view.info.name, f"collection {name}", entries)


def _collection(
    project: Project, title: str, query: str, entries: Sequence[tuple[str, Passage, str | None]]
) -> Collection:
    language = project.language
    attributed = attribution(project)
    replacements = pseudonym_list(project)
    by_key = {code.key: code for code in list_codes(project)}
    grouped: dict[str, list[Quote]] = {}
    for theme, passage, edited in entries:
        quote = _quote(passage, [k for k, _ in passage.codes], attributed, replacements)
        if edited is not None:
            quote = dataclasses.replace(
                quote, text=pseudonymise(edited, replacements), source_text=quote.text
            )
        grouped.setdefault(theme, []).append(quote)
    themes = tuple(
        Theme(
            key=key,
            name=by_key[key].label(language) if key in by_key else (key or "Uncoded"),
            definition=by_key[key].definition if key in by_key else None,
            quotes=tuple(quotes),
        )
        for key, quotes in grouped.items()
    )
    return Collection(title, query, themes)


def _quote(
    passage: Passage, keys: list[str], attributed: Attribution, replacements: dict[str, str]
) -> Quote:
    clean: Callable[[str], str] = lambda text: pseudonymise(text, replacements)  # noqa: E731
    return Quote(
        text=clean(" ".join(passage.text.split())),
        attribution=attributed.of(passage.role, passage.mode),
        transcript=clean(passage.transcript),
        start=passage.start,
        end=passage.end,
        timestamp_ms=passage.timestamp_ms,
        codes=tuple(dict.fromkeys(keys)),
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
        for part in (quote.text, quote.before, quote.after, quote.transcript, quote.source_text)
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
    return write_atomically(path, registry.render("collection", fmt, collection))

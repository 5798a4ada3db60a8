"""Words that every quote writer prints the same way, in the collection's language.

Code names, definitions, attributions and whose codings were used arrive already in
that language (the service chose them); these are the writers' own words around them.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.domain.quotes import Collection, Quote


@dataclass(frozen=True, slots=True)
class Words:
    summary: str  # beside a quote that is a written summary
    methods: str  # the methods note's heading
    contents: str  # a table of contents' heading
    memo: str
    coded_by: str
    unattributed: str
    codings_of: str  # file metadata: "Codings of coder anna"
    note: str  # the methods note, with {query} {codings} {quotes} {themes}
    quote: tuple[str, str]  # singular, plural
    theme: tuple[str, str]


WORDS = {
    "en": Words(
        summary="written summary, not verbatim",
        methods="About this collection",
        contents="Contents",
        memo="Memo",
        coded_by="coded by",
        unattributed="unattributed",
        codings_of="Codings of",
        note=(
            "Selected with {query} from the codings of {codings}: {quotes} under {themes}. "
            "Names on the project's pseudonym list are replaced; attributions give role "
            "and interview mode only."
        ),
        quote=("quote", "quotes"),
        theme=("theme", "themes"),
    ),
    "sv": Words(
        summary="skriftlig sammanfattning, inte ordagrant",
        methods="Om sammanställningen",
        contents="Innehåll",
        memo="Memo",
        coded_by="kodat av",
        unattributed="okänd talare",
        codings_of="Kodningar av",
        note=(
            "Urval med {query} ur kodningarna av {codings}: {quotes} under {themes}. "
            "Namn på projektets pseudonymlista är ersatta; citaten anges med roll och "
            "intervjuform."
        ),
        quote=("citat", "citat"),
        theme=("tema", "teman"),
    ),
}


def said(collection: Collection) -> Words:
    """The writers' words in the collection's language (English for any other)."""
    return WORDS.get(collection.language, WORDS["en"])


def memo_line(collection: Collection, memo: str) -> str:
    return f"{said(collection).memo} — {memo}"


def who(collection: Collection, quote: Quote) -> str:
    """The attribution line, naming whose codings the quote has when several coders'
    codings were pooled (a reader must be able to tell anna's reading from bertil's)."""
    words = said(collection)
    line = quote.attribution or words.unattributed
    if collection.pooled and quote.coders:
        line += f" ({words.coded_by} {', '.join(quote.coders)})"
    return line


def _count(number: int, forms: tuple[str, str]) -> str:
    return f"{number} {forms[0] if number == 1 else forms[1]}"


def methods_note(collection: Collection) -> str:
    """A paragraph a report can cite: how the passages were chosen and from whose codings."""
    words = said(collection)
    return words.note.format(
        query=collection.query,
        codings=collection.codings,
        quotes=_count(len(collection.quotes), words.quote),
        themes=_count(len(collection.themes), words.theme),
    )


def metadata(collection: Collection) -> dict[str, str]:
    """What every format keeps in its file metadata even when nothing is printed."""
    return {"query": collection.query, "codings": collection.codings}

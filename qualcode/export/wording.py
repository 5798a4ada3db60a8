"""Words that every quote writer prints the same way."""

from __future__ import annotations

from qualcode.domain.quotes import Collection, Quote

SUMMARY_NOTE = "written summary, not verbatim"
METHODS_HEADING = "About this collection"


def who(collection: Collection, quote: Quote) -> str:
    """The attribution line, naming whose codings the quote has when several coders'
    codings were pooled (a reader must be able to tell anna's reading from bertil's)."""
    line = quote.attribution or "unattributed"
    if collection.pooled and quote.coders:
        line += f" (coded by {', '.join(quote.coders)})"
    return line


def methods_note(collection: Collection) -> str:
    """A paragraph a report can cite: how the passages were chosen and from whose codings."""
    count = len(collection.quotes)
    return (
        f"Selected with {collection.query} from the codings of {collection.codings}: "
        f"{count} quote{'s' if count != 1 else ''} under {len(collection.themes)} "
        f"theme{'s' if len(collection.themes) != 1 else ''}. Names on the project's "
        "pseudonym list are replaced; attributions give role and interview mode only."
    )


def metadata(collection: Collection) -> dict[str, str]:
    """What every format keeps in its file metadata even when nothing is printed."""
    return {"query": collection.query, "codings": collection.codings}

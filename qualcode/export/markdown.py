"""A quote collection as Markdown: a heading per theme, quotes as block quotes."""

from __future__ import annotations

from qualcode.domain.quotes import Collection, Quote
from qualcode.export.wording import SUMMARY_NOTE


def _quote(quote: Quote) -> str:
    lines = [f"> {quote.text}"]
    if quote.before or quote.after:
        lines = [f"> {quote.before} **{quote.text}** {quote.after}".replace("  ", " ")]
    note = f" — *{SUMMARY_NOTE}*" if not quote.verbatim else ""
    lines.append(f">\n> — {quote.attribution or 'unattributed'}{note}")
    return "\n".join(lines)


def render(collection: Collection) -> bytes:
    parts = [f"# {collection.title}", "", f"Query: `{collection.query}`", ""]
    for theme in collection.themes:
        parts += [f"## {theme.name} ({theme.key})" if theme.key else f"## {theme.name}", ""]
        if theme.definition:
            parts += [f"*{theme.definition}*", ""]
        for quote in theme.quotes:
            parts += [_quote(quote), ""]
    return ("\n".join(parts).rstrip() + "\n").encode("utf-8")

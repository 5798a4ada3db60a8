"""A quote collection as Markdown: a heading per theme, quotes as block quotes.

The query and whose codings were used go into an HTML comment at the top (invisible
when the Markdown is rendered), and into a methods note at the end when asked for."""

from __future__ import annotations

from qualcode.domain.quotes import Collection, Quote
from qualcode.export.wording import memo_line, metadata, methods_note, said, who


def _quote(collection: Collection, quote: Quote) -> str:
    lines = [f"> {quote.text}"]
    if quote.before or quote.after:
        before = f"{quote.before}{quote.gap_before}" if quote.before else ""
        after = f"{quote.gap_after}{quote.after}" if quote.after else ""
        lines = [f"> {before}**{quote.text}**{after}"]
    note = f" — *{said(collection).summary}*" if not quote.verbatim else ""
    lines.append(f">\n> — {who(collection, quote)}{note}")
    lines += [f">\n> *{memo_line(collection, memo)}*" for memo in quote.memos]
    return "\n".join(lines)


def _comment(collection: Collection) -> str:
    # "--" may not appear inside an HTML comment
    fields = "; ".join(f"{k}: {v}" for k, v in metadata(collection).items())
    return f"<!-- qualcode: {fields.replace('--', '- -')} -->"


def render(collection: Collection) -> bytes:
    parts = [_comment(collection), "", f"# {collection.title}", ""]
    for theme in collection.themes:
        parts += [f"## {theme.name} ({theme.key})" if theme.key else f"## {theme.name}", ""]
        if theme.definition:
            parts += [f"*{theme.definition}*", ""]
        for quote in theme.quotes:
            parts += [_quote(collection, quote), ""]
    if collection.show_query:
        parts += [f"## {said(collection).methods}", "", methods_note(collection), ""]
    return ("\n".join(parts).rstrip() + "\n").encode("utf-8")

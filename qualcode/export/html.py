"""A quote collection as one self-contained HTML page with a table of contents."""

from __future__ import annotations

from html import escape

from qualcode.domain.quotes import Collection
from qualcode.export.wording import memo_line, metadata, methods_note, said, who

STYLE = """body{font-family:Georgia,serif;max-width:46em;margin:2em auto;line-height:1.5;color:#222}
blockquote{margin:1em 0 1.5em 2em;padding-left:1em;border-left:3px solid #999}
.context{color:#777}.who{font-style:italic;display:block;margin-top:.3em}
.summary{color:#a33}.definition{color:#555}
.memo{display:block;margin-top:.3em;color:#555;font-size:.9em}"""


def render(collection: Collection) -> bytes:
    words = said(collection)
    toc = "".join(
        f'<li><a href="#theme-{n}">{escape(theme.name)}</a> ({len(theme.quotes)})</li>'
        for n, theme in enumerate(collection.themes)
    )
    sections = []
    for n, theme in enumerate(collection.themes):
        body = [f'<h2 id="theme-{n}">{escape(theme.name)}</h2>']
        if theme.definition:
            body.append(f'<p class="definition">{escape(theme.definition)}</p>')
        for q in theme.quotes:
            before = (
                f'<span class="context">{escape(q.before)}{q.gap_before}</span>' if q.before else ""
            )
            after = (
                f'<span class="context">{q.gap_after}{escape(q.after)}</span>' if q.after else ""
            )
            note = f' <span class="summary">({words.summary})</span>' if not q.verbatim else ""
            memos = "".join(
                f'<span class="memo">{escape(memo_line(collection, m))}</span>' for m in q.memos
            )
            body.append(
                f"<blockquote>{before}{escape(q.text)}{after}"
                f'<span class="who">— {escape(who(collection, q))}{note}</span>{memos}</blockquote>'
            )
        sections.append("\n".join(body))
    if collection.show_query:
        sections.append(f"<h2>{words.methods}</h2><p>{escape(methods_note(collection))}</p>")
    meta = "".join(
        f'<meta name="qualcode-{key}" content="{escape(value)}">'
        for key, value in metadata(collection).items()
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{escape(collection.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(collection.title)}</title>{meta}<style>{STYLE}</style></head><body>"
        f"<h1>{escape(collection.title)}</h1>"
        f"<nav><h2>{words.contents}</h2><ol>{toc}</ol></nav>{''.join(sections)}</body></html>\n"
    )
    return page.encode("utf-8")

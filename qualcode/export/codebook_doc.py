"""The codebook as a document (``qualcode.domain.codebook_doc.CodebookDocument``):
Markdown, a self-contained HTML page, or Word with real headings, one heading per
code at the depth of the tree so a word processor's outline shows the tree."""

from __future__ import annotations

import html
import io

from qualcode.domain.codebook_doc import (
    FIELDS,
    CodebookDocument,
    CodebookEntry,
    heading,
    summary,
    title_of,
    words,
)


def _fields(entry: CodebookEntry, document: CodebookDocument) -> list[tuple[str, str]]:
    """The labelled paragraphs under a code's heading, empty ones left out."""
    said = words(document)
    found = [(said[name], getattr(entry, name)) for name in FIELDS if getattr(entry, name)]
    if document.counts:
        found.append((said["codings"], str(entry.count or 0)))
    return found


def render_md(document: CodebookDocument) -> bytes:
    lines = [f"# {heading(document)}", "", summary(document), ""]
    for entry in document.entries:
        lines += [f"{'#' * min(entry.depth + 2, 6)} {title_of(entry, document)}", ""]
        for label, text in _fields(entry, document):
            # a line break inside a field stays inside its paragraph
            lines += [f"**{label}:** " + text.strip().replace("\n", "  \n"), ""]
    return "\n".join(lines).encode("utf-8")


_STYLE = """
body { font-family: Georgia, serif; max-width: 46em; margin: 2em auto; line-height: 1.45; }
h1, h2, h3, h4, h5, h6 { font-family: Helvetica, Arial, sans-serif; margin-bottom: .3em; }
.key { font-family: monospace; color: #555; }
dl { margin: 0 0 1em 0; } dt { font-weight: bold; }
dd { margin: 0 0 .4em 1.5em; white-space: pre-line; }
"""


def render_html(document: CodebookDocument) -> bytes:
    """One page with its style inline: it opens anywhere, offline."""
    say = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{say(document.language)}"><head><meta charset="utf-8">',
        f"<title>{say(heading(document))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{say(heading(document))}</h1>",
        f"<p>{say(summary(document))}</p>",
    ]
    for entry in document.entries:
        level = min(entry.depth + 2, 6)
        name = title_of(entry, document).removeprefix(entry.key + " ")
        parts.append(
            f'<section><h{level} id="{say(entry.key)}"><span class="key">{say(entry.key)}</span> '
            f"{say(name)}</h{level}>"
        )
        fields = _fields(entry, document)
        if fields:
            parts.append("<dl>")
            parts += [f"<dt>{say(label)}</dt><dd>{say(text)}</dd>" for label, text in fields]
            parts.append("</dl>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def render_docx(document: CodebookDocument) -> bytes:
    from docx import Document

    from qualcode.export.officetext import xml_text

    doc = Document()
    doc.core_properties.title = xml_text(heading(document))
    doc.add_heading(xml_text(heading(document)), level=0)
    doc.add_paragraph(xml_text(summary(document)))
    for entry in document.entries:
        doc.add_heading(xml_text(title_of(entry, document)), level=min(entry.depth + 1, 9))
        for label, text in _fields(entry, document):
            paragraph = doc.add_paragraph()
            paragraph.add_run(xml_text(label) + ": ").bold = True
            paragraph.add_run(xml_text(text.strip()))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

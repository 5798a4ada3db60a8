"""Reading Word documents (.docx) with python-docx.

Paragraphs are read in document order, those in tables (cell by cell) included.
A paragraph's text is gathered from every run in it, also runs that python-docx's
``Paragraph.text`` leaves out (tracked insertions, content controls, fields), so
the text is the document as it reads with all tracked changes accepted. A
paragraph that opens with a bold ``Name:`` names a confirmed speaker.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.text.run import Run
from lxml import etree

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.base import ReadTranscript, join_paragraphs
from qualcode.ingest.labels import bold_speaker_label
from qualcode.ingest.zipsafe import open_archive

# the compound-file signature of old .doc files and of password-protected .docx files
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# text boxes are drawings beside the text flow; their paragraphs are not read
_PARAGRAPHS = ".//w:p[not(ancestor::w:txbxContent)]"
# runs of a paragraph, without deleted or moved-away text and text-box contents
_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"
)
# what is not read, as (XPath, what the warning calls it)
_SKIPPED = (
    (".//w:drawing[not(.//w:txbxContent)] | .//w:pict[not(.//w:txbxContent)]", "images"),
    # Word writes a text box twice, the second as a fallback for old readers
    (".//w:txbxContent[not(ancestor::*[local-name()='Fallback'])]", "text boxes"),
    (".//w:footnoteReference", "footnotes"),
    (".//w:endnoteReference", "endnotes"),
    (".//w:commentReference", "comments"),
)
_TRACKED_CHANGES = ".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"


# what python-docx raises on a package whose parts are present but wrong
_DAMAGED = (AttributeError, TypeError, IndexError, AssertionError, UnicodeError)


def read(data: bytes, name: str) -> ReadTranscript:
    document = _open_document(data, name)
    try:
        body = document.element.body
    except _DAMAGED as exc:
        raise InvalidInput(f"{name} is a damaged Word document (it has no body)") from exc
    if body is None:
        raise InvalidInput(f"{name} is a damaged Word document (it has no body)")
    entities = _unwrap_entities(body)
    paragraphs = []
    confirmed = set()
    for paragraph in body.xpath(_PARAGRAPHS):
        runs = [Run(r, document) for r in paragraph.xpath(_RUNS)]
        pieces = [(run.text, _is_bold(run)) for run in runs]
        label = bold_speaker_label(pieces)
        if label is not None:
            confirmed.add(label)
        paragraphs.append("".join(text for text, _ in pieces))
    return ReadTranscript(
        text=join_paragraphs(paragraphs, name),
        encoding=None,
        confirmed_speakers=frozenset(confirmed),
        warnings=_warnings(body, name) + _entity_warnings(entities, name),
        source_format="docx",
    )


def _open_document(data: bytes, name: str) -> WordDocument:
    if data.startswith(_OLE_SIGNATURE):
        raise InvalidInput(
            f"{name} is not a Word document (it looks like an old .doc file or a "
            "password-protected document: save it as .docx without a password)"
        )
    open_archive(data, name, "a Word document").close()
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InvalidInput(
            f"{name} is not a Word document (the zip holds no Word text part)"
        ) from exc
    except SyntaxError as exc:  # lxml's XMLSyntaxError is one
        raise InvalidInput(f"{name} is a damaged Word document (broken XML: {exc})") from exc
    except RuntimeError as exc:  # zipfile's error for an encrypted member
        raise InvalidInput(f"{name} is password-protected; save it without a password") from exc
    except (zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
        raise InvalidInput(f"{name} is a damaged Word document ({exc})") from exc
    except _DAMAGED as exc:
        # python-docx trusts a package's structure; a broken one fails in many ways
        raise InvalidInput(
            f"{name} is a damaged Word document (its parts do not fit together)"
        ) from exc


def _unwrap_entities(body: Any) -> list[str]:
    """Take out XML entity references (``&name;``), which python-docx leaves
    unexpanded (expanding them could let a file pull in other files or blow up), and
    keep the text after each: otherwise a run's text ends at its first entity.
    Returns the entities' names, for the warning."""
    names = []
    for entity in list(body.iter(etree.Entity)):
        names.append(entity.name)
        parent, tail = entity.getparent(), entity.tail or ""
        before = entity.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(entity)
    return names


def _entity_warnings(names: list[str], name: str) -> tuple[str, ...]:
    if not names:
        return ()
    shown = ", ".join(f"&{n};" for n in sorted(set(names))[:5])
    return (
        f"{name}: {len(names)} XML entity reference(s) ({shown}) not expanded; the text "
        "around them is kept, their own text is missing",
    )


def _is_bold(run: Run) -> bool:
    """Bold set on the run, else by its character style or the styles it is based on."""
    if run.bold is not None:
        return run.bold
    style = run.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _warnings(body: Any, name: str) -> tuple[str, ...]:
    warnings = [
        f"{name}: {what} not read ({len(found)})"
        for xpath, what in _SKIPPED
        if (found := body.xpath(xpath))
    ]
    if body.xpath(_TRACKED_CHANGES):
        warnings.append(f"{name} has tracked changes; read as if all were accepted")
    return tuple(warnings)

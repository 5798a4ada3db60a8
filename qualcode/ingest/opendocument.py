"""Reading OpenDocument text (.odt): ``content.xml`` from the zip, with defusedxml.

Headings and paragraphs are read in document order, also those in lists, sections
and tables. Text in notes, comments, frames and the tracked-changes log (deleted
text) is left out, so the text reads as the document with all changes accepted.
A paragraph that opens with a bold ``Name:`` names a confirmed speaker; bold is
found through the paragraph's and spans' styles.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.base import ReadTranscript, join_paragraphs
from qualcode.ingest.labels import bold_speaker_label
from qualcode.ingest.zipsafe import open_archive, read_member

KIND = "an OpenDocument text file"
TEXT_MIMETYPE = "application/vnd.oasis.opendocument.text"

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"

_PARAGRAPHS = (f"{_TEXT}p", f"{_TEXT}h")
# inside a paragraph, these hold text that is not the paragraph's own
_SKIPPED_INLINE = {f"{_TEXT}note": "footnotes or endnotes", f"{_OFFICE}annotation": "comments"}
# XML whitespace in ODF text is collapsed to one space; <text:s/> writes real spaces
_XML_SPACE = re.compile(r"[ \t\r\n]+")
_MAX_SPACES = 100

Pieces = list[tuple[str, bool]]


def read(data: bytes, name: str) -> ReadTranscript:
    with open_archive(data, name, KIND) as archive:
        _check_mimetype(archive, name)
        content = _parse(read_member(archive, "content.xml", name, KIND), name)
        styles_xml = (
            _parse(read_member(archive, "styles.xml", name, KIND), name)
            if "styles.xml" in archive.namelist()
            else None
        )
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise InvalidInput(f"{name} is not {KIND} (it has no text body)")
    bold_styles = _bold_styles([content, *([styles_xml] if styles_xml is not None else [])])
    skipped: Counter[str] = Counter()
    paragraphs = []
    confirmed = set()
    try:
        for paragraph in _paragraphs(body, skipped):
            pieces: Pieces = []
            _collect(paragraph, bold_styles, False, pieces, skipped)
            label = bold_speaker_label(pieces)
            if label is not None:
                confirmed.add(label)
            paragraphs.append("".join(text for text, _ in pieces))
    except RecursionError as exc:
        raise InvalidInput(f"{name} is nested too deeply to read") from exc
    return ReadTranscript(
        text=join_paragraphs(paragraphs, name),
        encoding=None,
        confirmed_speakers=frozenset(confirmed),
        warnings=tuple(f"{name}: {what} not read ({n})" for what, n in skipped.items()),
        source_format="odt",
    )


def _check_mimetype(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a spreadsheet or presentation saved with the .odt extension."""
    if "mimetype" not in archive.namelist():
        return
    mimetype = read_member(archive, "mimetype", name, KIND).decode("ascii", "replace").strip()
    if mimetype != TEXT_MIMETYPE:
        raise InvalidInput(f"{name} is not {KIND} (its type is {mimetype or 'missing'})")


def _parse(xml: bytes, name: str) -> Element:
    try:
        root: Element = fromstring(xml)
    except ParseError as exc:
        raise InvalidInput(f"{name} is a damaged OpenDocument file (broken XML: {exc})") from exc
    except DefusedXmlException as exc:
        raise InvalidInput(f"{name} is refused: its XML declares entities ({exc})") from exc
    return root


def _bold_styles(roots: list[Element]) -> dict[str, bool]:
    """Whether each named style is bold, following parent styles; a style that says
    nothing about weight is left out, so its text keeps the weight around it."""
    weights: dict[str, str | None] = {}
    parents: dict[str, str | None] = {}
    for root in roots:
        for style in root.iter(f"{_STYLE}style"):
            style_name = style.get(f"{_STYLE}name")
            if style_name is None:
                continue
            properties = style.find(f"{_STYLE}text-properties")
            weights[style_name] = (
                properties.get(f"{_FO}font-weight") if properties is not None else None
            )
            parents[style_name] = style.get(f"{_STYLE}parent-style-name")
    bold = {}
    for style_name in weights:
        current: str | None = style_name
        seen = set()
        while current is not None and current not in seen:
            seen.add(current)
            weight = weights.get(current)
            if weight is not None:
                bold[style_name] = weight == "bold" or (weight.isdigit() and int(weight) >= 600)
                break
            current = parents.get(current)
    return bold


def _paragraphs(element: Element, skipped: Counter[str]) -> Iterator[Element]:
    """Headings and paragraphs in document order, not those in frames or notes."""
    for child in element:
        if child.tag in _PARAGRAPHS:
            yield child
        elif child.tag == f"{_TEXT}tracked-changes":
            # the log of deleted text; inserted text is already in place
            skipped["tracked changes (deleted text)"] += 1
        elif child.tag.startswith(_DRAW):
            skipped[_drawing_kind(child)] += 1
        else:
            yield from _paragraphs(child, skipped)


def _collect(
    element: Element,
    bold_styles: dict[str, bool],
    bold: bool,
    pieces: Pieces,
    skipped: Counter[str],
) -> None:
    """Append the ``(text, bold)`` pieces of a paragraph or span to ``pieces``."""
    bold = bold_styles.get(element.get(f"{_TEXT}style-name", ""), bold)
    if element.text:
        pieces.append((_XML_SPACE.sub(" ", element.text), bold))
    for child in element:
        if child.tag == f"{_TEXT}s":
            pieces.append((" " * _space_count(child.get(f"{_TEXT}c", "1")), bold))
        elif child.tag == f"{_TEXT}tab":
            pieces.append(("\t", bold))
        elif child.tag == f"{_TEXT}line-break":
            pieces.append(("\n", bold))
        elif child.tag in _SKIPPED_INLINE:
            skipped[_SKIPPED_INLINE[child.tag]] += 1
        elif child.tag.startswith(_DRAW):
            skipped[_drawing_kind(child)] += 1
        else:
            _collect(child, bold_styles, bold, pieces, skipped)
        if child.tail:
            pieces.append((_XML_SPACE.sub(" ", child.tail), bold))


def _space_count(value: str) -> int:
    """The spaces a ``<text:s text:c="n"/>`` stands for; bounded, as a crafted
    count could otherwise ask for gigabytes of spaces."""
    return min(int(value), _MAX_SPACES) if value.isdigit() else 1


def _drawing_kind(element: Element) -> str:
    if element.find(f".//{_DRAW}text-box") is not None:
        return "text boxes"
    if element.find(f".//{_DRAW}image") is not None:
        return "images"
    return "drawings"

"""The words a finished file holds, read back from its bytes, for the leak check.

Whatever a writer put where — a heading, a sheet name, a document property, an HTML
title or meta tag — is in these strings, so a listed name cannot hide in a part of the
file that the quote records do not show. Office files are zip archives of XML: every
text node and attribute value of every part is read (sheet names are attributes).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from defusedxml import ElementTree

MAX_PART = 200 * 1024 * 1024  # our own file, but never unpack without a bound


def file_strings(fmt: str, data: bytes) -> Iterator[tuple[str, str]]:
    """``(where, text)`` pairs: every piece of text in a file of format ``fmt``."""
    if fmt in ("docx", "xlsx"):
        yield from _office(data)
    elif fmt == "json":
        yield from (("json", text) for text in _json_strings(json.loads(data.decode("utf-8"))))
    elif fmt == "html":
        yield from (("html", text) for text in _html_strings(data.decode("utf-8")))
    else:  # md, csv and other plain text
        yield fmt, data.decode("utf-8-sig")


def _office(data: bytes) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.endswith((".xml", ".rels")) or member.file_size > MAX_PART:
                continue
            root = ElementTree.fromstring(archive.read(member))
            for node in root.iter():
                for value in node.attrib.values():
                    yield member.filename, value
                if node.text:
                    yield member.filename, node.text
                if node.tail:
                    yield member.filename, node.tail


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(value for _, value in attrs if value)

    def handle_data(self, data: str) -> None:
        self.found.append(data)


def _html_strings(page: str) -> list[str]:
    parser = _Texts()
    parser.feed(page)
    parser.close()
    return parser.found

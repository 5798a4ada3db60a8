"""Parsing REFI-QDA XML safely and leniently, and the small value types it uses.

The parser resolves no entities, loads no DTD, never touches the network and keeps
libxml2's size limits; a document that declares a DOCTYPE at all is refused, which
stops XXE and "billion laughs" before anything is read. Elements are matched by
local name, so the namespace variants tools write (``1.0``, ``1:0``, ``0:4``, none)
all read the same.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

from lxml import etree

from qualcode.domain.errors import InvalidInput

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
GUID_RE = re.compile(
    r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?"
)
RGB_RE = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
# the documents are a few MB; a .qde over this is not a project this tool can use
MAX_XML_BYTES = 200 * 1024 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, name: str) -> etree._Element:
    """The root element of ``data``; not XML, or XML with a DOCTYPE, is InvalidInput."""
    if len(data) > MAX_XML_BYTES:
        raise InvalidInput(f"{name} is larger than {MAX_XML_BYTES // (1024 * 1024)} MB; refused")
    # checked before parsing too: libxml2 would otherwise report a refused entity
    # as a syntax error, which hides why the file is refused
    if any(_DOCTYPE.encode(codec) in data for codec in ("utf-8", "utf-16-le", "utf-16-be")):
        raise _doctype_refused(name)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise InvalidInput(f"{name} is not valid XML{line}: {exc.msg}") from exc
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _doctype_refused(name)
    return tree.getroot()


_DOCTYPE = "<!DOCTYPE"


def _doctype_refused(name: str) -> InvalidInput:
    return InvalidInput(
        f"{name} declares a DOCTYPE; REFI-QDA files have none and entity "
        "declarations are refused (XXE / billion laughs)"
    )


def local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element:
        if local(child) == name:
            yield child


def child(element: etree._Element, name: str) -> etree._Element | None:
    return next(children(element, name), None)


def child_text(element: etree._Element, name: str) -> str | None:
    found = child(element, name)
    if found is None:
        return None
    return found.text or ""


def guid(value: str | None, where: str) -> str:
    """A GUID in canonical lower-case form, braces stripped; a bad one is InvalidInput."""
    if value is None:
        raise InvalidInput(f"{where} has no guid")
    match = GUID_RE.fullmatch(value.strip())
    if match is None:
        raise InvalidInput(f"{where} has guid {value!r}, which is not a GUID")
    return match.group(1).lower()


def optional_guid(value: str | None, where: str) -> str | None:
    return None if value is None or not value.strip() else guid(value, where)


def refs(element: etree._Element, name: str, where: str) -> tuple[str, ...]:
    return tuple(guid(ref.get("targetGUID"), f"{where} {name}") for ref in children(element, name))


def parse_datetime(value: str | None) -> datetime | None:
    """An ``xsd:dateTime``; one without a zone is taken as UTC; a bad one is None."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(value: str) -> date:
    return date.fromisoformat(value.strip()[:10])


def colour(value: str | None) -> str | None:
    """``#rrggbb`` in lower case (a ``#rgb`` widened); anything else is None."""
    if value is None or not RGB_RE.fullmatch(value.strip()):
        return None
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits.lower()}"


def derived_guid(base: str, role: str) -> str:
    """A stable GUID for a second element that one of our rows becomes (a coding's
    selection): the same row always gives the same GUID, so re-exports match."""
    return str(uuid.uuid5(uuid.UUID(base), role))


def clean_xml_text(text: str) -> str:
    """``text`` without the control characters XML 1.0 cannot carry (they would make
    lxml refuse the whole export); tabs and newlines stay."""
    return _XML_ILLEGAL.sub("", text)


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

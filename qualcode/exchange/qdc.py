"""REFI-QDA codebooks (.qdc): one XML file, ``<CodeBook>`` with nested ``<Code>``s.

Reading accepts any namespace spelling, braced or upper-case GUIDs, ``#rgb``
colours and the empty ``<Sets/>`` Taguette writes. Writing follows Codebook.xsd:
sequence order kept, no empty container, colours ``#rrggbb``.
"""

from __future__ import annotations

from lxml import etree

from qualcode.domain.errors import InvalidInput
from qualcode.exchange.records import ExCode, ExCodebook, ExSet
from qualcode.exchange.xml import (
    CODEBOOK_NS,
    child_text,
    children,
    clean_xml_text,
    colour,
    guid,
    local,
    parse_xml,
    refs,
)


def read_qdc(data: bytes, name: str) -> ExCodebook:
    root = parse_xml(data, name)
    if local(root) != "CodeBook":
        raise InvalidInput(
            f"{name} is not a REFI-QDA codebook (its root element is <{local(root)}>, "
            "not <CodeBook>)"
        )
    warnings = _namespace_warning(root, CODEBOOK_NS, name)
    codes_element = next(children(root, "Codes"), None)
    codes = read_codes(codes_element, name) if codes_element is not None else ()
    if not codes:
        raise InvalidInput(f"{name} holds no codes")
    sets = read_sets(root, name, member_code_attribute="guid")
    check_unique(codes, name)
    return ExCodebook(codes, sets, root.get("origin"), warnings)


def _namespace_warning(root: etree._Element, expected: str, name: str) -> tuple[str, ...]:
    found = etree.QName(root).namespace
    if found == expected:
        return ()
    return (f"{name} uses namespace {found or '(none)'!r} instead of {expected!r}; read anyway",)


def read_codes(codes: etree._Element, name: str) -> tuple[ExCode, ...]:
    return tuple(_read_code(code, name) for code in children(codes, "Code"))


def _read_code(element: etree._Element, name: str) -> ExCode:
    where = f"{name}: code {element.get('name')!r}"
    code_guid = guid(element.get("guid"), where)
    code_name = (element.get("name") or "").strip()
    if not code_name:
        raise InvalidInput(f"{name}: code {code_guid} has no name")
    codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
    return ExCode(
        guid=code_guid,
        name=code_name,
        is_codable=codable,
        color=colour(element.get("color")),
        description=child_text(element, "Description") or None,
        children=tuple(_read_code(c, name) for c in children(element, "Code")),
        note_refs=refs(element, "NoteRef", where),
    )


def read_sets(root: etree._Element, name: str, *, member_code_attribute: str) -> tuple[ExSet, ...]:
    """Sets; Codebook.xsd names a member code by ``guid``, Project.xsd by ``targetGUID``
    (both are accepted wherever they appear)."""
    found = []
    for sets in children(root, "Sets"):
        for element in children(sets, "Set"):
            where = f"{name}: set {element.get('name')!r}"
            members = tuple(
                guid(m.get(member_code_attribute) or m.get("targetGUID") or m.get("guid"), where)
                for m in children(element, "MemberCode")
            )
            found.append(
                ExSet(
                    guid=guid(element.get("guid"), where),
                    name=element.get("name") or "",
                    description=child_text(element, "Description") or None,
                    member_codes=members,
                    member_sources=refs(element, "MemberSource", where),
                    member_notes=refs(element, "MemberNote", where),
                )
            )
    return tuple(found)


def check_unique(codes: tuple[ExCode, ...], name: str) -> None:
    seen: set[str] = set()
    for code in (c for top in codes for c, _ in top.walk()):
        if code.guid in seen:
            raise InvalidInput(f"{name}: code guid {code.guid} is used twice")
        seen.add(code.guid)


def write_code(parent: etree._Element, code: ExCode, ns: str, *, note_refs: bool) -> None:
    element = etree.SubElement(parent, f"{{{ns}}}Code")
    element.set("guid", code.guid)
    element.set("name", clean_xml_text(code.name))
    element.set("isCodable", "true" if code.is_codable else "false")
    if code.color:
        element.set("color", code.color)
    if code.description:
        etree.SubElement(element, f"{{{ns}}}Description").text = clean_xml_text(code.description)
    if note_refs:
        for ref in code.note_refs:
            etree.SubElement(element, f"{{{ns}}}NoteRef").set("targetGUID", ref)
    for sub in code.children:
        write_code(element, sub, ns, note_refs=note_refs)


def write_qdc(codebook: ExCodebook, origin: str) -> bytes:
    if not codebook.codes:
        raise InvalidInput("the codebook has no codes; a .qdc needs at least one")
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", origin)
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for code in codebook.codes:
        write_code(codes, code, CODEBOOK_NS, note_refs=False)
    sets = [s for s in codebook.sets if s.member_codes]
    if sets:
        container = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Sets")
        for item in sets:
            element = etree.SubElement(container, f"{{{CODEBOOK_NS}}}Set")
            element.set("guid", item.guid)
            element.set("name", clean_xml_text(item.name))
            if item.description:
                etree.SubElement(element, f"{{{CODEBOOK_NS}}}Description").text = item.description
            for member in item.member_codes:
                etree.SubElement(element, f"{{{CODEBOOK_NS}}}MemberCode").set("guid", member)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)

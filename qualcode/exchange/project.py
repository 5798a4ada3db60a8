"""The REFI-QDA project document (``project.qde``) <-> ``ExProject``.

The reader takes a function that returns the bytes of a source file named by a
``plainTextPath`` (the archive is ``qdpx.py``'s business), decodes each text source
as qualcode's import does and places every selection on the canonical text
(``positions.py``). What qualcode cannot hold (PDF, picture, audio and video sources,
graphs, links between items) is listed in ``not_carried``; references that point
nowhere and selections outside their text are errors, since guessing would put
codings on the wrong words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from qualcode.domain.errors import InvalidInput
from qualcode.domain.text import DecodeError, decode_bytes
from qualcode.exchange.positions import SourceText, choose_unit, preferred_unit
from qualcode.exchange.qdc import check_unique, read_codes, read_sets, write_code
from qualcode.exchange.records import (
    ExCase,
    ExCode,
    ExCoding,
    ExNote,
    ExProject,
    ExSelection,
    ExSource,
    ExUser,
    ExValue,
    ExVariable,
    Value,
)
from qualcode.exchange.xml import (
    PROJECT_NS,
    child,
    child_text,
    children,
    clean_xml_text,
    format_datetime,
    guid,
    local,
    optional_guid,
    parse_date,
    parse_datetime,
    parse_xml,
    refs,
)

# plainTextPath -> the file's bytes, or None when the archive does not hold it
SourceFiles = Callable[[str], bytes | None]
# sources kept outside the archive: never read (they name files on another machine)
_EXTERNAL = ("relative:", "absolute:", "file:", "http:", "https:")
_MEDIA = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}


def read_project(data: bytes, name: str, source_files: SourceFiles) -> ExProject:
    root = parse_xml(data, name)
    if local(root) != "Project":
        raise InvalidInput(
            f"{name} is not a REFI-QDA project (its root element is <{local(root)}>, not <Project>)"
        )
    return _Reader(name, root.get("origin"), source_files).project(root)


class _Reader:
    def __init__(self, name: str, origin: str | None, source_files: SourceFiles) -> None:
        self.name = name
        self.origin = origin
        self.source_files = source_files
        self.not_carried: list[str] = []
        self.warnings: list[str] = []

    def project(self, root: etree._Element) -> ExProject:
        namespace = etree.QName(root).namespace
        if namespace != PROJECT_NS:
            self.warnings.append(
                f"{self.name} uses namespace {namespace or '(none)'!r} instead of "
                f"{PROJECT_NS!r}; read anyway"
            )
        users = tuple(
            ExUser(
                guid(u.get("guid"), f"{self.name}: user"),
                (u.get("name") or u.get("id") or "").strip() or guid(u.get("guid"), "user"),
            )
            for container in children(root, "Users")
            for u in children(container, "User")
        )
        codes: tuple[ExCode, ...] = ()
        for book in children(root, "CodeBook"):
            for container in children(book, "Codes"):
                codes += read_codes(container, self.name)
        check_unique(codes, self.name)
        variables = tuple(
            ExVariable(
                guid(v.get("guid"), f"{self.name}: variable {v.get('name')!r}"),
                v.get("name") or "",
                v.get("typeOfVariable") or "Text",
                child_text(v, "Description") or None,
            )
            for container in children(root, "Variables")
            for v in children(container, "Variable")
        )
        cases = tuple(
            self.case(c)
            for container in children(root, "Cases")
            for c in children(container, "Case")
        )
        notes = tuple(
            note
            for container in children(root, "Notes")
            for n in children(container, "Note")
            if (note := self.note(n)) is not None
        )
        links = self.note_links(root, {n.guid for n in notes})
        sources = tuple(
            source
            for container in children(root, "Sources")
            for element in container
            if (source := self.source(element, links)) is not None
        )
        for container in children(root, "Graphs"):
            self.not_carried.append(
                f"{len(container)} graph(s): qualcode has no graphs (network views)"
            )
        project = ExProject(
            name=root.get("name") or self.name,
            origin=self.origin,
            created=parse_datetime(root.get("creationDateTime")),
            description=child_text(root, "Description") or None,
            users=users,
            codes=codes,
            variables=variables,
            cases=cases,
            sources=sources,
            notes=notes,
            sets=read_sets(root, self.name, member_code_attribute="targetGUID"),
            note_refs=refs(root, "NoteRef", f"{self.name}: project"),
            not_carried=tuple(self.not_carried),
            warnings=tuple(self.warnings),
        )
        check_references(project, self.name)
        return project

    def values(self, element: etree._Element, where: str) -> tuple[ExValue, ...]:
        found = []
        for value in children(element, "VariableValue"):
            ref = child(value, "VariableRef")
            if ref is None:
                raise InvalidInput(f"{self.name}: a variable value of {where} names no variable")
            found.append(
                ExValue(guid(ref.get("targetGUID"), f"{where} VariableRef"), _typed(value))
            )
        return tuple(found)

    def case(self, element: etree._Element) -> ExCase:
        where = f"{self.name}: case {element.get('name')!r}"
        if any(True for _ in children(element, "SelectionRef")) or any(
            True for _ in children(element, "CodeRef")
        ):
            self.not_carried.append(
                f"case {element.get('name')!r}: its links to codes and selections "
                "(qualcode cases hold transcripts)"
            )
        return ExCase(
            guid=guid(element.get("guid"), where),
            name=(element.get("name") or "").strip() or None,
            description=child_text(element, "Description") or None,
            values=self.values(element, where),
            source_refs=refs(element, "SourceRef", where),
        )

    def text_of(self, element: etree._Element, what: str) -> tuple[str, str, str] | None:
        """(text, encoding, sha256 of the file) of a source or note, or None if absent."""
        path = element.get("plainTextPath")
        if path and path.lower().startswith(_EXTERNAL):
            self.not_carried.append(f"{what}: its text is an external file ({path})")
            return None
        if path:
            data = self.source_files(path)
            if data is None:
                raise InvalidInput(
                    f"{self.name}: {what} names {path!r}, which is not in the archive"
                )
            digest = hashlib.sha256(data).hexdigest()
            try:
                decoded = decode_bytes(data, f"{what} ({path})")
            except DecodeError as exc:
                if data.strip():
                    raise InvalidInput(f"{self.name}: {exc}") from exc
                return None
            if decoded.warning:
                self.warnings.append(decoded.warning)
            return decoded.text, decoded.encoding, digest
        content = child_text(element, "PlainTextContent")
        if content:
            return content, "utf-8", hashlib.sha256(content.encode("utf-8")).hexdigest()
        return None

    def note(self, element: etree._Element) -> ExNote | None:
        where = f"note {element.get('name')!r}"
        note_guid = guid(element.get("guid"), f"{self.name}: {where}")
        found = self.text_of(element, where)
        if found is None:
            if element.get("richTextPath"):
                self.not_carried.append(f"{where}: only its rich text (.docx) was exported")
            return ExNote(note_guid, "", element.get("name"))
        # a note's file is read as a source is; text in the XML is kept as written
        text = SourceText(found[0]).canonical if element.get("plainTextPath") else found[0]
        return ExNote(
            guid=note_guid,
            text=text,
            name=element.get("name"),
            creating_user=optional_guid(element.get("creatingUser"), where),
            created=parse_datetime(element.get("creationDateTime")),
            modified=parse_datetime(element.get("modifiedDateTime")),
        )

    def note_links(self, root: etree._Element, note_guids: set[str]) -> dict[str, list[str]]:
        """NVivo attaches annotations as ``Link(originGUID=note, targetGUID=selection)``."""
        linked: dict[str, list[str]] = {}
        other = 0
        for container in children(root, "Links"):
            for link in children(container, "Link"):
                origin = optional_guid(link.get("originGUID"), f"{self.name}: link")
                target = optional_guid(link.get("targetGUID"), f"{self.name}: link")
                if origin in note_guids and target is not None:
                    linked.setdefault(target, []).append(origin)
                elif target in note_guids and origin is not None:
                    linked.setdefault(origin, []).append(target)
                else:
                    other += 1
        if other:
            self.not_carried.append(f"{other} link(s) between items: qualcode has no links")
        return linked

    def source(self, element: etree._Element, links: dict[str, list[str]]) -> ExSource | None:
        kind = local(element)
        label = element.get("name") or element.get("guid")
        if kind in _MEDIA:
            self.not_carried.append(
                f"{_MEDIA[kind]} source {label!r}: qualcode holds text transcripts only"
            )
            return None
        if kind != "TextSource":
            self.not_carried.append(f"source {label!r} of unknown kind <{kind}>")
            return None
        where = f"text source {label!r}"
        source_guid = guid(element.get("guid"), f"{self.name}: {where}")
        found = self.text_of(element, where)
        selections_xml = list(children(element, "PlainTextSelection"))
        if found is None:
            why = (
                "only its rich text (.docx) was exported"
                if element.get("richTextPath")
                else "it has no text"
            )
            lost = f", and its {len(selections_xml)} selection(s)" if selections_xml else ""
            self.not_carried.append(f"{where}: {why}{lost}")
            return None
        raw, encoding, digest = found
        text = SourceText(raw)
        spans = [
            (
                _position(s, "startPosition", self.name, where),
                _position(s, "endPosition", self.name, where),
                s.get("name"),
            )
            for s in selections_xml
        ]
        unit = choose_unit(text, spans, preferred_unit(self.origin))
        limit = text.length(unit)
        selections = []
        for s, (start, end, quote) in zip(selections_xml, spans, strict=True):
            sel_where = f"{where}, selection {s.get('guid')}"
            if not 0 <= start <= end <= limit:
                raise InvalidInput(
                    f"{self.name}: {sel_where} spans {start}-{end}, outside the text "
                    f"(0-{limit} {unit})"
                )
            placed = text.place(start, end, unit)
            sel_guid = guid(s.get("guid"), f"{self.name}: {sel_where}")
            codings = tuple(self.coding(c, sel_where) for c in children(s, "Coding"))
            if placed.end <= placed.start:
                if codings or child_text(s, "Description"):
                    self.not_carried.append(f"{sel_where}: it selects no text ({start}-{end})")
                continue
            selections.append(
                ExSelection(
                    guid=sel_guid,
                    start=placed.start,
                    end=placed.end,
                    name=quote,
                    description=child_text(s, "Description") or None,
                    creating_user=optional_guid(s.get("creatingUser"), sel_where),
                    created=parse_datetime(s.get("creationDateTime")),
                    codings=codings,
                    note_refs=refs(s, "NoteRef", sel_where) + tuple(links.get(sel_guid, ())),
                )
            )
        whole = tuple(self.coding(c, where) for c in children(element, "Coding"))
        if whole and text.canonical:
            # a coding of the whole source is a selection of all its text
            selections.append(
                ExSelection(guid=source_guid, start=0, end=len(text.canonical), codings=whole)
            )
        if unit != "code points":
            self.warnings.append(f"{where}: positions read as {unit}")
        return ExSource(
            guid=source_guid,
            name=(element.get("name") or "").strip() or source_guid,
            text=text.canonical,
            description=child_text(element, "Description") or None,
            creating_user=optional_guid(element.get("creatingUser"), where),
            created=parse_datetime(element.get("creationDateTime")),
            modified=parse_datetime(element.get("modifiedDateTime")),
            selections=tuple(selections),
            values=self.values(element, where),
            note_refs=refs(element, "NoteRef", where),
            encoding=encoding,
            position_unit=unit,
            file_sha256=digest,
        )

    def coding(self, element: etree._Element, where: str) -> ExCoding:
        ref = child(element, "CodeRef")
        if ref is None:
            raise InvalidInput(f"{self.name}: a coding in {where} names no code")
        return ExCoding(
            guid=guid(element.get("guid"), f"{self.name}: coding in {where}"),
            code_guid=guid(ref.get("targetGUID"), f"{self.name}: coding in {where}"),
            creating_user=optional_guid(element.get("creatingUser"), where),
            created=parse_datetime(element.get("creationDateTime")),
            note_refs=refs(element, "NoteRef", where),
        )


def _position(element: etree._Element, attribute: str, name: str, where: str) -> int:
    value = element.get(attribute)
    try:
        return int(value or "")
    except ValueError:
        raise InvalidInput(
            f"{name}: {where}, selection {element.get('guid')} has {attribute}={value!r}, "
            "not a whole number"
        ) from None


_VALUE_ELEMENTS = (
    "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue",
)  # fmt: skip


def _typed(element: etree._Element) -> Value | None:
    for kind in (
        "TextValue",
        "BooleanValue",
        "IntegerValue",
        "FloatValue",
        "DateValue",
        "DateTimeValue",
    ):
        found = child(element, kind)
        if found is None:
            continue
        text = (found.text or "").strip()
        try:
            if kind == "TextValue":
                return found.text or ""
            if not text:
                return None
            if kind == "BooleanValue":
                return text.lower() in ("true", "1")
            if kind == "IntegerValue":
                return int(text)
            if kind == "FloatValue":
                return Decimal(text)
            if kind == "DateValue":
                return parse_date(text)
            return parse_datetime(text)
        except (ValueError, InvalidOperation):
            return None
    return None


def check_references(project: ExProject, name: str) -> None:
    """Every GUID a coding, case or set names must exist in the file."""
    code_guids = {code.guid for code, _ in project.all_codes()}
    source_guids = {s.guid for s in project.sources}
    variable_guids = {v.guid for v in project.variables}
    for source in project.sources:
        for selection in source.selections:
            for coding in selection.codings:
                if coding.code_guid not in code_guids:
                    raise InvalidInput(
                        f"{name}: coding {coding.guid} in {source.name!r} names code "
                        f"{coding.code_guid}, which is not in the codebook"
                    )
        for value in source.values:
            if value.variable_guid not in variable_guids:
                raise InvalidInput(
                    f"{name}: {source.name!r} has a value of variable {value.variable_guid}, "
                    "which is not declared"
                )
    for case in project.cases:
        for value in case.values:
            if value.variable_guid not in variable_guids:
                raise InvalidInput(
                    f"{name}: case {case.name!r} has a value of variable "
                    f"{value.variable_guid}, which is not declared"
                )
    del source_guids  # sources left out (media) may be named by cases: not an error


# ---------------------------------------------------------------- writing


def _el(parent: etree._Element, tag: str, **attributes: str | None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{PROJECT_NS}}}{tag}")
    for key, value in attributes.items():
        if value is not None:
            element.set(key, value)
    return element


def _text_el(parent: etree._Element, tag: str, text: str | None) -> None:
    if text:
        _el(parent, tag).text = clean_xml_text(text)


def _note_refs(parent: etree._Element, refs_: tuple[str, ...]) -> None:
    for ref in refs_:
        _el(parent, "NoteRef", targetGUID=ref)


def _dt(value: object) -> str | None:
    return format_datetime(value) if isinstance(value, datetime) else None


def _write_values(
    parent: etree._Element, values: tuple[ExValue, ...], types: dict[str, str]
) -> None:
    for value in values:
        if value.value is None:
            continue  # missing: no element (an empty FloatValue would be invalid)
        element = _el(parent, "VariableValue")
        _el(element, "VariableRef", targetGUID=value.variable_guid)
        kind = types[value.variable_guid]
        _el(element, f"{kind}Value").text = _value_text(value.value, kind)


def _value_text(value: Value, kind: str) -> str:
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Float":
        return format(Decimal(str(value)), "f")
    if kind == "DateTime":
        return _dt(value) or str(value)
    if kind == "Date":
        return str(value)[:10]
    return clean_xml_text(str(value))


def write_project(project: ExProject, origin: str) -> bytes:
    """``project.qde`` for ``project``; each source's text goes to
    ``sources/<guid>.txt`` (written by ``qdpx.write_qdpx``)."""
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", clean_xml_text(project.name))
    root.set("origin", origin)
    if project.created:
        root.set("creationDateTime", format_datetime(project.created))
    if project.users:
        users = _el(root, "Users")
        for user in project.users:
            _el(users, "User", guid=user.guid, name=clean_xml_text(user.name))
    if project.codes:
        codes = _el(_el(root, "CodeBook"), "Codes")
        for code in project.codes:
            write_code(codes, code, PROJECT_NS, note_refs=True)
    types = {v.guid: v.type for v in project.variables}
    if project.variables:
        container = _el(root, "Variables")
        for variable in project.variables:
            element = _el(
                container,
                "Variable",
                guid=variable.guid,
                name=clean_xml_text(variable.name),
                typeOfVariable=variable.type,
            )
            _text_el(element, "Description", variable.description)
    if project.cases:
        container = _el(root, "Cases")
        for case in project.cases:
            element = _el(container, "Case", guid=case.guid, name=case.name)
            _text_el(element, "Description", case.description)
            _write_values(element, case.values, types)
            for ref in case.source_refs:
                _el(element, "SourceRef", targetGUID=ref)
    if project.sources:
        container = _el(root, "Sources")
        for source in project.sources:
            _write_source(container, source, types)
    if project.notes:
        container = _el(root, "Notes")
        for note in project.notes:
            element = _el(
                container,
                "Note",
                guid=note.guid,
                name=clean_xml_text(note.name) if note.name else None,
                creatingUser=note.creating_user,
                creationDateTime=_dt(note.created),
                modifiedDateTime=_dt(note.modified),
            )
            _el(element, "PlainTextContent").text = clean_xml_text(note.text)
    _text_el(root, "Description", project.description)
    _note_refs(root, project.note_refs)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _write_source(container: etree._Element, source: ExSource, types: dict[str, str]) -> None:
    element = _el(
        container,
        "TextSource",
        guid=source.guid,
        name=clean_xml_text(source.name),
        plainTextPath=f"internal://{source.guid}.txt",
        creatingUser=source.creating_user,
        creationDateTime=_dt(source.created),
        modifiedDateTime=_dt(source.modified),
    )
    _text_el(element, "Description", source.description)
    for selection in source.selections:
        if not 0 <= selection.start < selection.end <= len(source.text):
            raise InvalidInput(
                f"selection {selection.guid} of {source.name!r} spans "
                f"{selection.start}-{selection.end}, outside its text (0-{len(source.text)})"
            )
        sel = _el(
            element,
            "PlainTextSelection",
            guid=selection.guid,
            name=clean_xml_text(selection.name) if selection.name else None,
            startPosition=str(selection.start),
            endPosition=str(selection.end),
            creatingUser=selection.creating_user,
            creationDateTime=_dt(selection.created),
        )
        _text_el(sel, "Description", selection.description)
        for coding in selection.codings:
            cod = _el(
                sel,
                "Coding",
                guid=coding.guid,
                creatingUser=coding.creating_user,
                creationDateTime=_dt(coding.created),
            )
            _el(cod, "CodeRef", targetGUID=coding.code_guid)
            _note_refs(cod, coding.note_refs)
        _note_refs(sel, selection.note_refs)
    _note_refs(element, source.note_refs)
    _write_values(element, source.values, types)

"""REFI-QDA exchange with other tools: .qdpx projects in and out, .qdc codebooks.

Import reads the whole file first (``qualcode.exchange``), prepares every source's
turns and sentences as ``import`` does, and then stores transcripts, codes, coders,
codings, memos, cases and attributes in one transaction with one event, keeping the
file's GUIDs as uuids. What could not be carried over is listed in the report, never
dropped silently. Export writes the project (or chosen transcripts and coders) with
our uuids as GUIDs, so a round trip keeps identity.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode import __version__
from qualcode.codebook import COLOR_RE, KEY_RE, Codebook, CodeSpec, check_hotkey
from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import SPEAKER_ROLES, TRANSCRIPT_MODES, TRANSLATED_FIELDS, Code
from qualcode.domain.text import sha256_text
from qualcode.exchange.extras import code_description, pack, split_code_description, unpack
from qualcode.exchange.qdc import read_qdc, write_qdc
from qualcode.exchange.qdpx import read_qdpx, write_qdpx
from qualcode.exchange.records import (
    ExCase,
    ExCode,
    ExCodebook,
    ExCoding,
    ExNote,
    ExProject,
    ExSelection,
    ExSource,
    ExUser,
    ExValue,
    ExVariable,
)
from qualcode.exchange.xml import derived_guid
from qualcode.services.codebook import apply_codebook, export_codebook
from qualcode.services.coders import ensure_coder
from qualcode.services.files import write_atomically
from qualcode.services.importing import (
    Prepared,
    new_structure,
    prepare_text,
    trained_pipeline,
)
from qualcode.services.project import Project
from qualcode.store.repositories import cases as case_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import exchange as exchange_repo
from qualcode.store.repositories import project as project_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.schema import (
    CaseRow,
    CodeRow,
    CoderRow,
    MemoRow,
    TranscriptRow,
    new_uuid,
    utcnow,
)

ORIGIN = f"qualcode {__version__}"
# every ATLAS.ti export names this user "ATLAS.ti"; it is the program, not a coder
ATLAS_PSEUDO_USER = "c32a2bd5-537f-4838-8b17-df9efbafdf4b"
MAX_FILE_BYTES = 1024 * 1024 * 1024
_SECTIONS = ("Include", "Exclude", "Example")
_TYPE_TO_REFI = {"text": "Text", "number": "Float", "date": "Date", "boolean": "Boolean"}
_REFI_TO_TYPE = {
    "Text": "text",
    "Float": "number",
    "Integer": "number",
    "Date": "date",
    "DateTime": "date",
    "Boolean": "boolean",
}
_ATTRIBUTE_NAME = re.compile(r"[^\w .-]")


@dataclass(frozen=True)
class ExchangeReport:
    """What an import or export carried, and what it could not."""

    counts: dict[str, int]
    not_carried: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    path: Path | None = None

    def summary(self) -> str:
        return ", ".join(f"{n} {name}" for name, n in self.counts.items())


@dataclass
class _Plan:
    """What an import will write, worked out before the transaction."""

    sources: list[tuple[ExSource, Prepared]] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInput(f"{path.name} is larger than 1 GB; refused")
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a .qdpx file") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc


# ---------------------------------------------------------------- import .qdpx


def import_qdpx(project: Project, path: str | Path, *, coder: str) -> ExchangeReport:
    """Add a .qdpx project's text sources, codes, coders, codings, memos, cases and
    attributes to ``project`` in one transaction; ``coder`` gets codings the file
    attributes to nobody."""
    path = Path(path)
    read = read_qdpx(_read_file(path), path.name)
    language = project.language
    plan = _Plan(not_carried=list(read.not_carried), warnings=list(read.warnings))
    trained = trained_pipeline(project)
    for source in read.sources:
        extras = unpack(source.description)[1]
        plan.sources.append(
            (
                source,
                prepare_text(
                    project,
                    source.text,
                    language=str(extras.get("language") or language),
                    encoding=source.encoding,
                    source_name=f"{path.name}:{source.name}",
                    source_sha256=source.file_sha256 or sha256_text(source.text),
                    trained=trained,
                ),
            )
        )
    with project.database.write() as session:
        counts = _Importer(session, read, plan, coder, language).run()
        events.record_event(
            session,
            action="project.import_qdpx",
            entity="project",
            entity_id=None,
            coder_id=ensure_coder(session, coder).id,
            after={
                "file": path.name,
                "origin": read.origin,
                "counts": counts,
                "not_carried": plan.not_carried,
            },
        )
    return ExchangeReport(counts, tuple(plan.not_carried), tuple(plan.warnings), path)


class _Importer:
    def __init__(
        self, session: Session, read: ExProject, plan: _Plan, coder: str, language: str
    ) -> None:
        self.session = session
        self.read = read
        self.plan = plan
        self.coder = coder
        self.language = language
        self.counts: Counter[str] = Counter()
        self.coder_ids: dict[str, int] = {}
        self.code_ids: dict[str, int] = {}
        self.case_ids: dict[str, int] = {}
        self.transcript_ids: dict[str, int] = {}
        self.coding_ids: dict[str, int] = {}
        self.attribute_ids: dict[str, tuple[int, str, str]] = {}  # guid -> id, type, scope
        self._memo_rows: list[dict[str, Any]] = []
        self._titles: set[str] | None = None

    def run(self) -> dict[str, int]:
        self._refuse_known_sources()
        self._users()
        self._codes()
        self._variables()
        self._cases()
        self._sources()
        self._memos()
        self._sets()
        order = ("transcripts", "codes", "coders", "codings", "memos", "cases", "attributes")
        return {name: self.counts[name] for name in order}

    def _refuse_known_sources(self) -> None:
        known = exchange_repo.uuids_in(
            self.session, TranscriptRow, [s.guid for s, _ in self.plan.sources]
        )
        if known:
            title = next(s.name for s, _ in self.plan.sources if s.guid in known)
            raise InvalidInput(
                f"this project already holds {title!r} from the same file (guid "
                f"{sorted(known)[0]}); nothing imported"
            )

    def _users(self) -> None:
        by_uuid = exchange_repo.ids_by_uuid(self.session, CoderRow)
        by_name = exchange_repo.ids_by_name(self.session, CoderRow, "name")
        cited = {n.creating_user for n in self.read.notes} | {
            guid
            for source, _ in self.plan.sources
            for selection in source.selections
            for guid in (
                selection.creating_user,
                *(coding.creating_user for coding in selection.codings),
            )
        }
        for user in self.read.users:
            if user.guid == ATLAS_PSEUDO_USER and user.guid not in cited:
                self.plan.warnings.append(
                    f"user {user.name!r} is ATLAS.ti's own pseudo-user and made nothing "
                    "here; not added as a coder"
                )
                continue
            if user.guid in by_uuid:
                self.coder_ids[user.guid] = by_uuid[user.guid]
            elif user.name[:100] in by_name:
                self.coder_ids[user.guid] = by_name[user.name[:100]]
            else:
                name = user.name.strip()[:100] or user.guid
                self.coder_ids[user.guid] = by_name[name] = exchange_repo.add_coder(
                    self.session, name, user.guid
                )
                self.counts["coders"] += 1

    def _coder_id(self, *guids: str | None) -> int:
        for guid in guids:
            if guid is not None and guid in self.coder_ids:
                return self.coder_ids[guid]
        if "" not in self.coder_ids:
            self.coder_ids[""] = ensure_coder(self.session, self.coder).id
            self.plan.warnings.append(
                f"codings and memos the file attributes to nobody are attributed to {self.coder}"
            )
        return self.coder_ids[""]

    def _codes(self) -> None:
        stored = code_repo.list_codes(self.session)
        by_uuid = {c.uuid: c for c in stored}
        keys = {c.key for c in stored}
        hotkeys = {c.hotkey for c in stored if c.hotkey}
        ids = exchange_repo.ids_by_uuid(self.session, CodeRow)
        position = len(stored)
        for code, parent in self.read.all_codes():
            if code.guid in by_uuid:
                self.code_ids[code.guid] = ids[code.guid]
                continue
            spec = code_spec(code, parent_key=None, keys=keys)
            if spec.hotkey in hotkeys:
                spec = CodeSpec(**{**_spec_fields(spec), "hotkey": None})
                self.plan.warnings.append(f"code {spec.key}: its hotkey is taken; left without")
            keys.add(spec.key)
            if spec.hotkey:
                hotkeys.add(spec.hotkey)
            if not code.is_codable:
                self.plan.warnings.append(
                    f"code {code.name!r} is a folder (not codable) in the file; in qualcode "
                    "every code can be applied"
                )
            values = _spec_fields(spec)
            for name in ("key", "parent_key", "line"):
                values.pop(name)
            values["patterns"] = list(values["patterns"])
            self.code_ids[code.guid] = exchange_repo.add_code(
                self.session,
                uuid=code.guid,
                key=spec.key,
                parent_id=self.code_ids[parent.guid] if parent else None,
                position=position,
                **values,
            )
            position += 1
            self.counts["codes"] += 1

    def _variables(self) -> None:
        used_in_sources = {v.variable_guid for s, _ in self.plan.sources for v in s.values}
        by_name = {
            name: (row_id, value_type, scope)
            for row_id, _, name, value_type, scope in exchange_repo.attributes(self.session)
        }
        for variable in self.read.variables:
            extras = unpack(variable.description)[1]
            scope = extras.get("scope") or (
                "transcript" if variable.guid in used_in_sources else "case"
            )
            value_type = _REFI_TO_TYPE.get(variable.type, "text")
            name = attribute_name(variable.name)
            if name in by_name:
                found = by_name[name]
                if found[1] != value_type or found[2] != scope:
                    raise InvalidInput(
                        f"variable {variable.name!r} holds {value_type} values of {scope}s, "
                        f"but this project's attribute {name!r} holds {found[1]} values of "
                        f"{found[2]}s; nothing imported"
                    )
                self.attribute_ids[variable.guid] = found
                continue
            row_id = exchange_repo.add_attribute(
                self.session, name, value_type, scope, variable.guid
            )
            by_name[name] = self.attribute_ids[variable.guid] = (row_id, value_type, scope)
            self.counts["attributes"] += 1

    def _values(
        self, values: tuple[ExValue, ...], owner: str, owner_id: int, what: str
    ) -> list[dict[str, Any]]:
        rows = []
        for value in values:
            row_id, value_type, scope = self.attribute_ids[value.variable_guid]
            if scope != owner or value.value is None:
                if value.value is not None:
                    self.plan.not_carried.append(
                        f"a value of {what}: its attribute belongs to {scope}s in qualcode"
                    )
                continue
            text, number = _stored_value(value.value, value_type)
            rows.append(
                {
                    "attribute_id": row_id,
                    f"{owner}_id": owner_id,
                    "value_text": text,
                    "value_number": number,
                }
            )
        return rows

    def _cases(self) -> None:
        by_uuid = exchange_repo.ids_by_uuid(self.session, CaseRow)
        by_name = exchange_repo.ids_by_name(self.session, CaseRow, "name")
        for case in self.read.cases:
            if case.name is None:
                continue  # a nameless case carries one source's values (Quirkos, MAXQDA)
            if case.guid in by_uuid:
                self.case_ids[case.guid] = by_uuid[case.guid]
                continue
            name = case.name[:200]
            if name in by_name:
                self.case_ids[case.guid] = by_name[name]
                continue
            self.case_ids[case.guid] = by_name[name] = exchange_repo.add_case(
                self.session, name, case.guid
            )
            self.counts["cases"] += 1
            exchange_repo.add_values(
                self.session,
                self._values(case.values, "case", self.case_ids[case.guid], f"case {name!r}"),
            )

    def _case_links(self) -> dict[str, list[int]]:
        """Transcript guid -> the ids of the cases it belongs to (there may be several)."""
        found: dict[str, list[int]] = {}
        for case in self.read.cases:
            if case.guid not in self.case_ids:
                continue
            for ref in case.source_refs:
                links = found.setdefault(ref, [])
                if self.case_ids[case.guid] not in links:
                    links.append(self.case_ids[case.guid])
        return found

    def _sources(self) -> None:
        case_links = self._case_links()
        nameless = {
            ref: case for case in self.read.cases if case.name is None for ref in case.source_refs
        }
        transcript_rows = []
        for source, ready in self.plan.sources:
            extras = unpack(source.description)[1]
            mode = extras.get("mode") if extras.get("mode") in TRANSCRIPT_MODES else "document"
            transcript_rows.append(
                {
                    "uuid": source.guid,
                    "title": self._title(str(extras.get("title") or _strip_extension(source.name))),
                    "mode": str(mode) if extras else "interview",
                    "language": str(extras.get("language") or self.language),
                    "date": extras.get("date"),
                    "participants": extras.get("participants"),
                    "source_name": ready.source_name,
                    "source_sha256": ready.source_sha256,
                    "text": source.text,
                    "encoding": ready.encoding,
                }
            )
        versions = exchange_repo.add_transcripts(self.session, transcript_rows)
        for (transcript_id, _), (source, _) in zip(versions, self.plan.sources, strict=True):
            for case_id in case_links.get(source.guid, ()):
                case_repo.link_transcript(self.session, transcript_id, case_id)
        transcript_repo.add_structures(
            self.session,
            [
                new_structure(transcript_id, version_id, ready)
                for (transcript_id, version_id), (_, ready) in zip(
                    versions, self.plan.sources, strict=True
                )
            ],
        )
        exchange_repo.restore_speakers(
            self.session,
            {
                transcript_id: _speakers(unpack(source.description)[1].get("speakers"))
                for (transcript_id, _), (source, _) in zip(versions, self.plan.sources, strict=True)
            },
        )
        coding_rows: list[dict[str, Any]] = []
        value_rows: list[dict[str, Any]] = []
        seen_spans: set[tuple[int, int, int, int, int]] = set()
        duplicates = 0
        for (transcript_id, version_id), (source, _), row in zip(
            versions, self.plan.sources, transcript_rows, strict=True
        ):
            title = row["title"]
            self.transcript_ids[source.guid] = transcript_id
            self.counts["transcripts"] += 1
            value_rows += self._values(source.values, "transcript", transcript_id, repr(title))
            if source.guid in nameless:
                value_rows += self._values(
                    nameless[source.guid].values, "transcript", transcript_id, repr(title)
                )
            own = unpack(source.description)[0]
            if own:
                self._memo_rows.append({"transcript_id": transcript_id, "text": own, "uuid": None})
            for selection in source.selections:
                sel_extras = unpack(selection.description)[1]
                for coding in selection.codings:
                    coder_id = self._coder_id(coding.creating_user, selection.creating_user)
                    code_id = self.code_ids[coding.code_guid]
                    key = (version_id, code_id, coder_id, selection.start, selection.end)
                    if key in seen_spans:
                        duplicates += 1
                        continue
                    seen_spans.add(key)
                    quote = source.text[selection.start : selection.end]
                    coding_rows.append(
                        {
                            "uuid": coding.guid,
                            "transcript_id": transcript_id,
                            "version_id": version_id,
                            "code_id": code_id,
                            "coder_id": coder_id,
                            "start": selection.start,
                            "end": selection.end,
                            "quote": quote,
                            "quote_sha256": sha256_text(quote),
                            "needs_review": bool(sel_extras.get("needs_review")),
                            "created_at": coding.created or selection.created or utcnow(),
                        }
                    )
        exchange_repo.add_values(self.session, value_rows)
        if duplicates:
            self.plan.warnings.append(
                f"{duplicates} coding(s) repeat the same code, coder and words; kept once"
            )
        taken = exchange_repo.uuids_in(
            self.session, exchange_repo.CodingRow, [r["uuid"] for r in coding_rows]
        )
        for row in coding_rows:
            if row["uuid"] in taken:
                row["uuid"] = derived_guid(row["uuid"], f"copy {row['transcript_id']}")
        self.coding_ids = exchange_repo.add_codings(self.session, coding_rows)
        self.counts["codings"] += len(coding_rows)

    def _title(self, title: str) -> str:
        if self._titles is None:
            self._titles = exchange_repo.titles(self.session)
        title = title[:290] or "untitled"
        chosen, n = title, 2
        while chosen in self._titles:
            chosen, n = f"{title} ({n})", n + 1
        if chosen != title:
            self.plan.warnings.append(
                f"a transcript titled {title!r} exists; imported as {chosen!r}"
            )
        self._titles.add(chosen)
        return chosen

    def _memos(self) -> None:
        targets: dict[str, dict[str, int]] = {}

        def attach(note_refs: tuple[str, ...], column: str, row_id: int) -> None:
            for ref in note_refs:
                if ref in targets:
                    self.plan.not_carried.append(
                        f"note {ref} is attached to several items; kept on the first"
                    )
                    continue
                targets[ref] = {column: row_id}

        for ref in self.read.note_refs:
            targets.setdefault(ref, {})
        described = unpack(self.read.description)[0]
        if described:  # the project's own description: a project memo
            self._memo_rows.append({"text": described, "uuid": None})
        for code, _ in self.read.all_codes():
            attach(code.note_refs, "code_id", self.code_ids[code.guid])
        for source, _ in self.plan.sources:
            transcript_id = self.transcript_ids[source.guid]
            attach(source.note_refs, "transcript_id", transcript_id)
            for selection in source.selections:
                coded = [c for c in selection.codings if c.guid in self.coding_ids]
                for coding in coded:
                    attach(coding.note_refs, "coding_id", self.coding_ids[coding.guid])
                if coded:
                    attach(selection.note_refs, "coding_id", self.coding_ids[coded[0].guid])
                else:
                    attach(selection.note_refs, "transcript_id", transcript_id)
                own = unpack(selection.description)[0]
                if own and selection.guid != source.guid:
                    row: dict[str, Any] = {"text": own, "uuid": None}
                    if coded:
                        row["coding_id"] = self.coding_ids[coded[0].guid]
                    else:
                        row["transcript_id"] = transcript_id
                        row["text"] = f"«{source.text[selection.start : selection.end]}»\n\n{own}"
                    self._memo_rows.append(row)
        known = exchange_repo.uuids_in(self.session, MemoRow, [n.guid for n in self.read.notes])
        for note in self.read.notes:
            if note.guid in known or not note.text.strip():
                continue
            row = {
                "uuid": note.guid,
                "text": note.text,
                "author_id": self._coder_id(note.creating_user) if note.creating_user else None,
                **targets.get(note.guid, {}),
            }
            if note.created:
                row["created_at"] = note.created
                row["updated_at"] = note.modified or note.created
            self._memo_rows.append(row)
        rows = []
        for row in self._memo_rows:
            rows.append({**row, "uuid": row["uuid"] or new_uuid()})
        exchange_repo.add_memos(self.session, rows)
        self.counts["memos"] += len(rows)

    def _sets(self) -> None:
        for item in self.read.sets:
            members = [
                self.transcript_ids[g] for g in item.member_sources if g in self.transcript_ids
            ]
            if item.member_codes or item.member_notes:
                self.plan.not_carried.append(
                    f"set {item.name!r}: sets of codes or notes (qualcode has none)"
                )
            if not members:
                continue
            name = attribute_name(f"set {item.name}")
            found = {n: (i, t, s) for i, _, n, t, s in exchange_repo.attributes(self.session)}
            if name in found:
                row_id = found[name][0]
            else:
                row_id = exchange_repo.add_attribute(
                    self.session, name, "boolean", "transcript", item.guid
                )
                self.counts["attributes"] += 1
            exchange_repo.add_values(
                self.session,
                [
                    {"attribute_id": row_id, "transcript_id": t, "value_text": "true"}
                    for t in members
                ],
            )
            self.plan.warnings.append(
                f"set {item.name!r} of sources became the yes/no attribute {name!r}"
            )


def _speakers(recorded: object) -> dict[str, tuple[str | None, str | None]]:
    """The speaker roles and pseudonyms an export of ours recorded, checked."""
    if not isinstance(recorded, dict):
        return {}
    found: dict[str, tuple[str | None, str | None]] = {}
    for label, value in recorded.items():
        if isinstance(value, list) and len(value) == 2:
            role, pseudonym = value
            found[str(label)] = (
                role if role in SPEAKER_ROLES else None,
                str(pseudonym) if pseudonym else None,
            )
    return found


def _strip_extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return (
        stem if dot and stem and extension.lower() in ("txt", "docx", "rtf", "odt", "md") else name
    )


def attribute_name(name: str) -> str:
    cleaned = _ATTRIBUTE_NAME.sub("-", name.strip())[:100].strip() or "variable"
    return cleaned if re.match(r"\w", cleaned) else f"v{cleaned}"[:100]


def _stored_value(value: object, value_type: str) -> tuple[str | None, float | None]:
    if value_type == "number":
        try:
            return None, float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None, None
    if value_type == "boolean":
        return ("true" if value else "false"), None
    if value_type == "date":
        if isinstance(value, datetime | date):
            return value.isoformat()[:10], None
        return str(value)[:10], None
    return str(value), None


# ---------------------------------------------------------------- codes <-> REFI


def _spec_fields(spec: CodeSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in CodeSpec.__dataclass_fields__}


def key_from_name(name: str, taken: set[str]) -> str:
    """A code key for a code that came without one: its name in ASCII letters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._-")[:90] or "CODE"
    if not slug[0].isalnum():
        slug = f"C{slug}"
    key, n = slug, 2
    while key in taken:
        key, n = f"{slug}-{n}", n + 1
    return key


def code_spec(code: ExCode, parent_key: str | None, keys: set[str]) -> CodeSpec:
    """qualcode's code for a REFI code: from our extras line when we wrote it."""
    text, extras = unpack(code.description)
    sections = {label: extras.get(label.lower()) for label in _SECTIONS}
    key = extras.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key) or key in keys:
        key = key_from_name(code.name, keys)
    hotkey = extras.get("hotkey")
    if check_hotkey(hotkey) is not None:
        hotkey = None
    color = code.color if code.color and COLOR_RE.match(code.color) else None
    return CodeSpec(
        key=key,
        parent_key=parent_key,
        name=code.name[:300],
        labels={str(k): str(v) for k, v in (extras.get("labels") or {}).items()},
        definition=split_code_description(text, sections),
        include=sections["Include"],
        exclude=sections["Exclude"],
        example=sections["Example"],
        translations=_translations(extras.get("translations")),
        color=color,
        hotkey=hotkey,
        patterns=tuple(str(p) for p in extras.get("patterns") or ()),
        exclusive=bool(extras.get("exclusive")),
        retired=bool(extras.get("retired")),
    )


def _translations(found: object) -> dict[str, dict[str, str]]:
    """The per-language texts qualcode keeps in a code's description, only in the
    shape it writes them (a file from elsewhere may carry anything there)."""
    if not isinstance(found, dict):
        return {}
    return {
        part: {str(lang): str(text) for lang, text in texts.items() if text}
        for part, texts in found.items()
        if part in TRANSLATED_FIELDS and isinstance(texts, dict)
    }


def _ex_codes(
    codes: list[Code] | tuple[CodeSpec, ...], uuids: dict[str, str]
) -> tuple[ExCode, ...]:
    children: dict[str | None, list[Any]] = {}
    for code in codes:
        children.setdefault(code.parent_key, []).append(code)
    known = {c.key for c in codes}

    def node(code: Any) -> ExCode:
        sections = {"Include": code.include, "Exclude": code.exclude, "Example": code.example}
        description = pack(
            code_description(code.definition, sections),
            {
                "key": code.key,
                "labels": dict(code.labels),
                "translations": {part: dict(texts) for part, texts in code.translations.items()},
                "hotkey": code.hotkey,
                "patterns": list(code.patterns),
                "exclusive": code.exclusive,
                "retired": code.retired,
                **{label.lower(): value for label, value in sections.items()},
            },
        )
        return ExCode(
            guid=uuids[code.key],
            name=code.name,
            is_codable=True,
            color=code.color.lower() if code.color else None,
            description=description,
            children=tuple(node(c) for c in children.get(code.key, [])),
        )

    roots = [c for c in codes if c.parent_key is None or c.parent_key not in known]
    return tuple(node(c) for c in roots)


# ---------------------------------------------------------------- export .qdpx


def build_export(
    project: Project,
    *,
    transcripts: list[str] | None = None,
    coders: list[str] | None = None,
) -> ExProject:
    """The project (or the chosen transcripts and coders) as REFI-QDA records."""
    with project.database.read() as session:
        info = project_repo.get_project(session)
        all_transcripts = exchange_repo.transcripts(session)
        if transcripts:
            chosen_ids = {transcript_repo.resolve_transcript(session, t).id for t in transcripts}
            rows = [t for t in all_transcripts if t.id in chosen_ids]
        else:
            rows = all_transcripts
        coder_rows = exchange_repo.coders(session)
        coder_ids: list[int] | None = None
        if coders:
            names = {name: row_id for row_id, _, name in coder_rows}
            missing = [c for c in coders if c not in names]
            if missing:
                raise InvalidInput(f"no coder named {missing[0]!r}")
            coder_ids = [names[c] for c in coders]
        codes = code_repo.list_codes(session)
        codings = exchange_repo.codings(session, [t.id for t in rows], coder_ids)
        memos = exchange_repo.memos(session)
        cases = exchange_repo.cases(session)
        members = case_repo.case_members(session)
        attributes = exchange_repo.attributes(session)
        values = exchange_repo.attribute_values(session)
        speakers = exchange_repo.speakers(session)
    coder_uuid = {row_id: uuid for row_id, uuid, _ in coder_rows}
    transcript_uuid = {t.id: t.uuid for t in rows}
    coding_uuid = {c.id: c.uuid for c in codings}
    code_key_to_uuid = {c.key: c.uuid for c in codes}
    code_id_to_key = {c.id: c.key for c in codes}

    # memos, by what they are attached to (memos on left-out items stay out)
    notes: list[ExNote] = []
    refs: dict[tuple[str, int | None], list[str]] = {}
    used_coders = set(coder_ids) if coder_ids is not None else set(coder_uuid)
    for memo in memos:
        if memo.transcript_id is not None:
            target: tuple[str, int | None] = ("transcript", memo.transcript_id)
            if memo.transcript_id not in transcript_uuid:
                continue
        elif memo.coding_id is not None:
            target = ("coding", memo.coding_id)
            if memo.coding_id not in coding_uuid:
                continue
        elif memo.code_id is not None:
            target = ("code", memo.code_id)
        else:
            target = ("project", None)
        if coder_ids is not None and memo.author_id is not None and memo.author_id not in coder_ids:
            continue
        refs.setdefault(target, []).append(memo.uuid)
        if memo.author_id is not None:
            used_coders.add(memo.author_id)
        notes.append(
            ExNote(
                guid=memo.uuid,
                text=memo.text,
                creating_user=coder_uuid.get(memo.author_id) if memo.author_id else None,
                created=memo.created_at,
                modified=memo.updated_at,
            )
        )
    ex_codes = _ex_codes(codes, code_key_to_uuid)
    ex_codes = tuple(
        _with_note_refs(c, refs, {v: k for k, v in code_id_to_key.items()}) for c in ex_codes
    )

    variables = tuple(
        ExVariable(
            guid=uuid,
            name=name,
            type=_TYPE_TO_REFI[value_type],
            description=pack(None, {"scope": scope}),
        )
        for _, uuid, name, value_type, scope in attributes
    )
    attribute_of = {row_id: (uuid, value_type) for row_id, uuid, _, value_type, _ in attributes}
    values_of: dict[tuple[str, int], list[ExValue]] = {}
    for attribute_id, transcript_id, case_id, text, number in values:
        uuid, value_type = attribute_of[attribute_id]
        owner = ("transcript", transcript_id) if transcript_id is not None else ("case", case_id)
        values_of.setdefault(owner, []).append(ExValue(uuid, _refi_value(value_type, text, number)))  # type: ignore[arg-type]

    codings_of: dict[int, list[Any]] = {}
    for coding in codings:
        codings_of.setdefault(coding.transcript_id, []).append(coding)
    sources = []
    for t in rows:
        selections = tuple(
            ExSelection(
                guid=derived_guid(c.uuid, "selection"),
                start=c.start,
                end=c.end,
                name=c.quote if len(c.quote) <= 200 else c.quote[:199] + "…",
                description=pack(None, {"needs_review": c.needs_review}),
                creating_user=coder_uuid[c.coder_id],
                created=c.created_at,
                codings=(
                    ExCoding(
                        guid=c.uuid,
                        code_guid=c.code_uuid,
                        creating_user=coder_uuid[c.coder_id],
                        created=c.created_at,
                        note_refs=tuple(refs.get(("coding", c.id), ())),
                    ),
                ),
            )
            for c in codings_of.get(t.id, [])
        )
        sources.append(
            ExSource(
                guid=t.uuid,
                name=t.title,
                text=t.text,
                description=pack(
                    None,
                    {
                        "title": t.title,
                        "mode": t.mode,
                        "language": t.language,
                        "date": t.date,
                        "participants": t.participants,
                        "speakers": {
                            label: [role, pseudonym]
                            for label, role, pseudonym in speakers.get(t.id, [])
                        },
                    },
                ),
                created=t.created_at,
                selections=selections,
                values=tuple(values_of.get(("transcript", t.id), ())),
                note_refs=tuple(refs.get(("transcript", t.id), ())),
            )
        )
    ex_cases = tuple(
        ExCase(
            guid=uuid,
            name=name,
            values=tuple(values_of.get(("case", row_id), ())),
            source_refs=tuple(
                transcript_uuid[tid] for tid in members.get(row_id, ()) if tid in transcript_uuid
            ),
        )
        for row_id, uuid, name in cases
    )
    users = tuple(ExUser(uuid, name) for row_id, uuid, name in coder_rows if row_id in used_coders)
    return ExProject(
        name=info.name,
        origin=ORIGIN,
        created=info.created_at,
        description=pack(
            None,
            {"language": info.language, "codebook": dict(info.settings.get("codebook") or {})},
        ),
        users=users,
        codes=ex_codes,
        variables=variables,
        cases=ex_cases,
        sources=tuple(sources),
        notes=tuple(notes),
        note_refs=tuple(refs.get(("project", None), ())),
    )


def _with_note_refs(
    code: ExCode, refs: dict[tuple[str, int | None], list[str]], id_of_key: dict[str, int]
) -> ExCode:
    key = str(unpack(code.description)[1].get("key"))
    return replace(
        code,
        note_refs=tuple(refs.get(("code", id_of_key.get(key)), ())),
        children=tuple(_with_note_refs(c, refs, id_of_key) for c in code.children),
    )


def _refi_value(value_type: str, text: str | None, number: float | None) -> object:
    if value_type == "number":
        return None if number is None else Decimal(repr(number))
    if text is None:
        return None
    if value_type == "boolean":
        return text == "true"
    if value_type == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return text


def export_qdpx(
    project: Project,
    path: str | Path,
    *,
    transcripts: list[str] | None = None,
    coders: list[str] | None = None,
) -> ExchangeReport:
    """Write the project (or a subset) as a .qdpx file, atomically, owner-only."""
    path = Path(path)
    built = build_export(project, transcripts=transcripts, coders=coders)
    data = write_qdpx(built, ORIGIN)
    write_atomically(path, data)
    counts = {
        "transcripts": len(built.sources),
        "codes": len(built.all_codes()),
        "coders": len(built.users),
        "codings": sum(len(s.selections) for s in built.sources),
        "memos": len(built.notes),
        "cases": len(built.cases),
        "attributes": len(built.variables),
    }
    not_carried = (
        "speaker turns, paragraphs and sentences: other tools have no place for them "
        "(qualcode finds them again on import)",
        "the event log (undo history), quote collections and pseudonym lists",
    )
    return ExchangeReport(counts, not_carried, (), path)


# ---------------------------------------------------------------- .qdc codebooks


def read_codebook_qdc(
    path: str | Path, project: Project
) -> tuple[Codebook, dict[str, str], tuple[str, ...]]:
    """A .qdc as a qualcode codebook, with the file's GUID for each key; a code whose
    GUID the project holds keeps that code's key (so a round trip updates in place)."""
    path = Path(path)
    read = read_qdc(_read_file(path), path.name)
    with project.database.read() as session:
        stored = {c.uuid: c.key for c in code_repo.list_codes(session)}
    keys: set[str] = set()
    specs: list[CodeSpec] = []
    uuids: dict[str, str] = {}
    key_of: dict[str, str] = {}
    warnings = list(read.warnings)
    for code, parent in read.all_codes():
        taken = keys - ({stored[code.guid]} if code.guid in stored else set())
        spec = code_spec(code, key_of[parent.guid] if parent else None, taken)
        if code.guid in stored and stored[code.guid] not in keys:
            spec = CodeSpec(**{**_spec_fields(spec), "key": stored[code.guid]})
        keys.add(spec.key)
        key_of[code.guid] = spec.key
        uuids[spec.key] = code.guid
        specs.append(spec)
        if not code.is_codable:
            warnings.append(f"code {code.name!r} is a folder (not codable) in the file")
    if read.sets:
        warnings.append(f"{len(read.sets)} set(s) of codes not carried over (qualcode has none)")
    title = path.stem
    return Codebook(title, None, project.language, tuple(specs)), uuids, tuple(warnings)


def apply_qdc(
    project: Project,
    path: str | Path,
    *,
    coder: str,
    dry_run: bool = False,
    retire_missing: bool = False,
) -> tuple[Any, tuple[str, ...]]:
    """Apply a .qdc through the YAML codebook's diff/apply (codes matched by key)."""
    from qualcode.services.codebook import diff_codebook

    book, uuids, warnings = read_codebook_qdc(path, project)
    if dry_run:
        return diff_codebook(project, book, retire_missing=retire_missing), warnings
    return apply_codebook(
        project, book, coder=coder, retire_missing=retire_missing, uuids=uuids
    ), warnings


def export_qdc(project: Project) -> bytes:
    book = export_codebook(project)
    with project.database.read() as session:
        uuids = {c.key: c.uuid for c in code_repo.list_codes(session)}
    codes = _ex_codes(book.codes, uuids)
    if not codes:
        raise InvalidInput("the project has no codes to export")
    return write_qdc(ExCodebook(codes), ORIGIN)

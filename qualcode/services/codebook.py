"""Applying a YAML codebook to a project, and exporting the project's codebook.

Codes are matched by their stable key: a key in the file and not in the project is
added, one in both is updated in place (codings stay attached through renames and
moves), and a code in the project but missing from the file is deleted only when
nothing uses it. A code with codings (or memos, or children) is kept and reported, or marked
retired with ``retire_missing``: codings are never lost to a codebook edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from qualcode.codebook import Codebook, CodeSpec
from qualcode.domain.codebook_doc import WORDS, CodebookDocument, CodebookEntry
from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import CODE_CONTENT_FIELDS, Code
from qualcode.export import registry
from qualcode.services.code_events import record_code_change, snapshots
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import project as project_repo

COMPARED = ("parent_key", *CODE_CONTENT_FIELDS)


@dataclass(frozen=True)
class CodebookDiff:
    """What applying a codebook file changes (or, for a dry run, would change)."""

    added: tuple[str, ...] = ()
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    deleted: tuple[str, ...] = ()  # missing from the file and unused
    kept: tuple[str, ...] = ()  # missing from the file but coded: kept as they are
    retired: tuple[str, ...] = ()  # missing from the file, coded, and retired

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.deleted or self.retired)

    def lines(self) -> list[str]:
        out = [f"+ {key}" for key in self.added]
        out += [f"~ {key}: {', '.join(fields)}" for key, fields in self.changed.items()]
        out += [f"- {key} (not in the file, unused)" for key in self.deleted]
        out += [f"! {key} is not in the file but has codings: kept" for key in self.kept]
        out += [f"x {key} is not in the file and has codings: retired" for key in self.retired]
        return out


def _values(spec: CodeSpec | Code) -> dict[str, Any]:
    values = {name: getattr(spec, name) for name in COMPARED}
    values["labels"] = dict(values["labels"] or {})
    values["translations"] = {k: dict(v) for k, v in (values["translations"] or {}).items()}
    values["patterns"] = tuple(values["patterns"] or ())
    return values


def diff_codebook(
    project: Project, codebook: Codebook, *, retire_missing: bool = False
) -> CodebookDiff:
    with project.database.read() as session:
        return _diff(session, code_repo.list_codes(session), codebook, retire_missing)


def _diff(
    session: Session, stored: list[Code], codebook: Codebook, retire_missing: bool
) -> CodebookDiff:
    by_key = {code.key: code for code in stored}
    added, changed = [], {}
    for spec in codebook.codes:
        if spec.key not in by_key:
            added.append(spec.key)
            continue
        old, new = _values(by_key[spec.key]), _values(spec)
        fields = tuple(name for name in COMPARED if old[name] != new[name])
        if fields:
            changed[spec.key] = fields
    file_keys = {spec.key for spec in codebook.codes}
    counts = code_repo.coding_counts(session)
    memos = code_repo.memo_counts(session)
    deleted, kept, retired = [], [], []
    for code in stored:
        if code.key in file_keys:
            continue
        if (
            counts.get(code.key)
            or memos.get(code.key)
            or any(c.parent_key == code.key for c in stored)
        ):
            if retire_missing and not code.retired:
                retired.append(code.key)
            else:
                kept.append(code.key)
        else:
            deleted.append(code.key)
    return CodebookDiff(tuple(added), changed, tuple(deleted), tuple(kept), tuple(retired))


def apply_codebook(
    project: Project,
    codebook: Codebook,
    *,
    coder: str,
    retire_missing: bool = False,
    uuids: Mapping[str, str] | None = None,
) -> CodebookDiff:
    """Bring the project's codes in line with the file, in one transaction.

    ``uuids`` gives an added code its uuid (a REFI-QDA codebook's GUIDs are kept)."""
    with project.database.write() as session:
        stored = code_repo.list_codes(session)
        diff = _diff(session, stored, codebook, retire_missing)
        _check_hotkeys(stored, codebook)
        who = ensure_coder(session, coder)
        by_key = {code.key: code for code in stored}
        touched = [by_key[key].id for key in (*diff.changed, *diff.retired, *diff.deleted)]
        before = snapshots(session, touched)
        # free hotkeys first so two codes can swap them within one apply
        for key in diff.changed:
            if "hotkey" in diff.changed[key] and by_key[key].hotkey:
                code_repo.update_code(session, key, parent_key=by_key[key].parent_key, hotkey=None)
        position_of = {spec.key: n for n, spec in enumerate(codebook.codes)}
        for spec in _parents_first(codebook.codes):
            position = position_of[spec.key]
            values = _values(spec)
            parent_key = values.pop("parent_key")
            values["patterns"] = list(values["patterns"])
            if spec.key in diff.added:
                if uuids and spec.key in uuids:
                    values["uuid"] = uuids[spec.key]
                code = code_repo.add_code(
                    session, spec.key, parent_key, position=position, **values
                )
                before[str(code.id)] = None
                touched.append(code.id)
            else:
                code_repo.update_code(
                    session, spec.key, parent_key=parent_key, position=position, **values
                )
        for key in diff.retired:
            code_repo.update_code(session, key, parent_key=by_key[key].parent_key, retired=True)
        # children before parents, so a deleted group's unused children go first
        for key in reversed(diff.deleted):
            code_repo.delete_code(session, key)
        if not diff.is_empty:
            record_code_change(
                session,
                action="codebook.apply",
                coder_id=who.id,
                before=before,
                after=snapshots(session, touched),
            )
        project_repo.set_setting(
            session,
            "codebook",
            {
                "title": codebook.title,
                "titles": codebook.titles,
                "version": codebook.version,
                "language": codebook.language,
            },
        )
        return diff


def export_codebook(project: Project) -> Codebook:
    with project.database.read() as session:
        stored = code_repo.list_codes(session)
        info = project_repo.get_project(session)
    meta = info.settings.get("codebook", {})
    specs = tuple(
        CodeSpec(
            key=c.key,
            parent_key=c.parent_key,
            name=c.name,
            labels=dict(c.labels),
            definition=c.definition,
            include=c.include,
            exclude=c.exclude,
            example=c.example,
            translations={part: dict(texts) for part, texts in c.translations.items()},
            color=c.color,
            hotkey=c.hotkey,
            patterns=c.patterns,
            exclusive=c.exclusive,
            retired=c.retired,
        )
        for c in stored
    )
    return Codebook(
        meta.get("title", info.name),
        meta.get("version"),
        meta.get("language", info.language),
        specs,
        dict(meta.get("titles") or {}),
    )


def _parents_first(specs: tuple[CodeSpec, ...]) -> list[CodeSpec]:
    """File order, except that a code named as ``parent:`` comes before its children."""
    by_key = {spec.key: spec for spec in specs}
    ordered: list[CodeSpec] = []
    placed: set[str] = set()

    def place(spec: CodeSpec) -> None:
        if spec.key in placed:
            return
        if spec.parent_key in by_key:
            place(by_key[spec.parent_key])
        placed.add(spec.key)
        ordered.append(spec)

    for spec in specs:
        place(spec)
    return ordered


def _check_hotkeys(stored: list[Code], codebook: Codebook) -> None:
    file_keys = {spec.key for spec in codebook.codes}
    in_file = {spec.hotkey: spec.key for spec in codebook.codes if spec.hotkey}
    for code in stored:
        if code.key not in file_keys and code.hotkey in in_file:
            raise InvalidInput(
                f"hotkey {code.hotkey!r} of {in_file[code.hotkey]} is already used by code "
                f"{code.key}, which is not in the file"
            )


def codebook_document(
    project: Project, *, language: str | None = None, counts: bool = False
) -> CodebookDocument:
    """The codebook for a methods appendix: the tree depth first, in the codebook's
    order, names in ``language`` (the codebook's language when not given)."""
    book = export_codebook(project)
    language = language or book.language
    if language not in WORDS:
        raise InvalidInput(f"no codebook document in {language!r}; choose {' or '.join(WORDS)}")
    with project.database.read() as session:
        stored = code_repo.list_codes(session)
        tally = code_repo.coding_counts(session) if counts else {}
    children: dict[str | None, list[Code]] = {}
    keys = {code.key for code in stored}
    for code in stored:
        parent = code.parent_key if code.parent_key in keys else None
        children.setdefault(parent, []).append(code)
    entries: list[CodebookEntry] = []

    def visit(parent: str | None, depth: int) -> None:
        for code in children.get(parent, ()):
            entries.append(
                CodebookEntry(
                    key=code.key,
                    name=code.name_marked(language),
                    depth=depth,
                    definition=code.text_marked("definition", language) or "",
                    include=code.text_marked("include", language) or "",
                    exclude=code.text_marked("exclude", language) or "",
                    example=code.text_marked("example", language) or "",
                    retired=code.retired,
                    count=tally.get(code.key, 0) if counts else None,
                )
            )
            visit(code.key, depth + 1)

    visit(None, 0)
    return CodebookDocument(book.title_in(language), book.version, language, tuple(entries), counts)


def render_codebook_document(
    project: Project, fmt: str, *, language: str | None = None, counts: bool = False
) -> bytes:
    """The codebook document's bytes in ``fmt`` (md, html, docx)."""
    return registry.render(
        "codebook", fmt, codebook_document(project, language=language, counts=counts)
    )

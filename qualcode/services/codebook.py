"""Applying a YAML codebook to a project, and exporting the project's codebook.

Codes are matched by their stable key: a key in the file and not in the project is
added, one in both is updated in place (codings stay attached), and a code in the
project but missing from the file is left alone and reported, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qualcode.codebook import Codebook, CodeSpec
from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import Code
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import project as project_repo

COMPARED = (
    "parent_key",
    "name",
    "labels",
    "color",
    "definition",
    "include",
    "exclude",
    "example",
    "hotkey",
    "exclusive",
    "patterns",
    "retired",
)


@dataclass(frozen=True)
class CodebookDiff:
    added: tuple[str, ...] = ()
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    missing_from_file: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.added and not self.changed

    def lines(self) -> list[str]:
        out = [f"+ {key}" for key in self.added]
        out += [f"~ {key}: {', '.join(fields)}" for key, fields in self.changed.items()]
        out += [
            f"= {key} is in the project but not in the file (kept)"
            for key in self.missing_from_file
        ]
        return out


def _values(spec: CodeSpec | Code) -> dict[str, Any]:
    values = {name: getattr(spec, name) for name in COMPARED}
    values["labels"] = dict(values["labels"] or {})
    values["patterns"] = tuple(values["patterns"] or ())
    return values


def diff_codebook(project: Project, codebook: Codebook) -> CodebookDiff:
    with project.database.read() as session:
        return _diff(code_repo.list_codes(session), codebook)


def _diff(stored: list[Code], codebook: Codebook) -> CodebookDiff:
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
    missing = tuple(code.key for code in stored if code.key not in file_keys)
    return CodebookDiff(tuple(added), changed, missing)


def apply_codebook(project: Project, codebook: Codebook, *, coder: str) -> CodebookDiff:
    """Bring the project's codes in line with the file, in one transaction."""
    with project.database.write() as session:
        stored = code_repo.list_codes(session)
        diff = _diff(stored, codebook)
        _check_hotkeys(stored, codebook)
        who = ensure_coder(session, coder)
        by_key = {code.key: code for code in stored}
        # free hotkeys first so two codes can swap them within one apply
        for key in diff.changed:
            if "hotkey" in diff.changed[key] and by_key[key].hotkey:
                code_repo.update_code(session, key, parent_key=by_key[key].parent_key, hotkey=None)
        for position, spec in enumerate(codebook.codes):
            values = _values(spec)
            parent_key = values.pop("parent_key")
            values["patterns"] = list(values["patterns"])
            if spec.key in diff.added:
                code = code_repo.add_code(
                    session, spec.key, parent_key, position=position, **values
                )
                events.record_event(
                    session,
                    action="code.create",
                    entity="code",
                    entity_id=code.id,
                    coder_id=who.id,
                    after={"key": spec.key, **values, "parent_key": parent_key},
                )
            else:
                before = _values(by_key[spec.key])
                code = code_repo.update_code(
                    session, spec.key, parent_key=parent_key, position=position, **values
                )
                if spec.key in diff.changed:
                    events.record_event(
                        session,
                        action="code.update",
                        entity="code",
                        entity_id=code.id,
                        coder_id=who.id,
                        before={k: _jsonable(v) for k, v in before.items()},
                        after={"key": spec.key, **values, "parent_key": parent_key},
                    )
        project_repo.set_setting(
            session,
            "codebook",
            {"title": codebook.title, "version": codebook.version, "language": codebook.language},
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
            color=c.color,
            hotkey=c.hotkey,
            patterns=c.patterns,
            exclusive=c.exclusive,
            retired=c.retired,
        )
        for c in _tree_order(stored)
    )
    return Codebook(
        meta.get("title", info.name),
        meta.get("version"),
        meta.get("language", info.language),
        specs,
    )


def _tree_order(codes: list[Code]) -> list[Code]:
    children: dict[str | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_key, []).append(code)
    ordered: list[Code] = []

    def walk(parent: str | None) -> None:
        for code in children.get(parent, []):
            ordered.append(code)
            walk(code.key)

    walk(None)
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


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value

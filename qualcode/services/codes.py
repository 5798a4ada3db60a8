"""The project's code tree: reading it and editing single codes.

Editing here and applying a YAML file (``services/codebook.py``) change the same rows
and write the same events, so the exported YAML stays the one readable codebook.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from qualcode.codebook import MAX_CODE_DEPTH, check_color, check_hotkey, check_key, depth_of
from qualcode.domain.errors import Conflict, InvalidInput, NotFound
from qualcode.domain.records import CODE_CONTENT_FIELDS, TRANSLATED_FIELDS, Code
from qualcode.services.code_events import edit_action, record_code_change, snapshots
from qualcode.services.code_merge import merge_codings
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo


def list_codes(project: Project, *, include_retired: bool = True) -> list[Code]:
    """All codes in codebook order (parents before their children)."""
    with project.database.read() as session:
        return code_repo.list_codes(session, include_retired=include_retired)


def coding_counts(project: Project) -> dict[str, int]:
    """Number of codings per code key, over all coders."""
    with project.database.read() as session:
        return code_repo.coding_counts(session)


def add_code(
    project: Project, key: str, *, name: str, coder: str, parent: str | None = None, **fields: Any
) -> Code:
    """Add one code (e.g. an in-vivo code made from a selection)."""
    key = unicodedata.normalize("NFC", key)
    _check_fields(key, fields)
    if not name.strip():
        raise InvalidInput("a code needs a name")
    with project.database.write() as session:
        if any(c.key == key for c in code_repo.list_codes(session)):
            raise Conflict(f"a code with key {key!r} exists already")
        _check_hotkey_free(session, key, fields.get("hotkey"))
        if parent is not None:
            code_repo.get_code(session, parent)
            _check_depth(session, key, parent)
        position = 1 + max((c.position for c in code_repo.list_codes(session)), default=-1)
        who = ensure_coder(session, coder)
        made = code_repo.add_code(
            session, key, parent, name=name.strip(), position=position, **_stored(fields)
        )
        record_code_change(
            session,
            action="code.create",
            coder_id=who.id,
            entity_id=made.id,
            before={str(made.id): None},
            after=snapshots(session, [made.id]),
        )
        return made


def edit_code(project: Project, key: str, *, coder: str, **changes: Any) -> Code:
    """Change a code's fields; ``parent`` (a key or None) moves it in the tree.

    Its codings stay attached: they refer to the code, not to its name or place.
    """
    new_parent = changes.pop("parent", ...)
    unknown = set(changes) - set(CODE_CONTENT_FIELDS)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a code")
    _check_fields(key, changes)
    if "name" in changes and not str(changes["name"] or "").strip():
        raise InvalidInput("a code needs a name")
    with project.database.write() as session:
        current = code_repo.get_code(session, key)
        parent = current.parent_key if new_parent is ... else new_parent
        if parent is not None:
            _check_not_below_itself(session, key, parent)
            _check_depth(session, key, parent)
        _check_hotkey_free(session, key, changes.get("hotkey"))
        before = snapshots(session, [current.id])
        who = ensure_coder(session, coder)
        changes = _with_translations(current, changes)
        edited = code_repo.update_code(session, key, parent_key=parent, **_stored(changes))
        changed = {
            name
            for name in changes
            if before[str(current.id)][name] != getattr(edited, name)  # type: ignore[index]
        }
        record_code_change(
            session,
            action=edit_action(changed, False, parent != current.parent_key),
            coder_id=who.id,
            entity_id=edited.id,
            before=before,
            after=snapshots(session, [current.id]),
        )
        return edited


@dataclass(frozen=True, slots=True)
class SetAside:
    """A coding a merge could not move: its coder had already coded the same span with
    the target code. It is kept in the merge's event and comes back on undo."""

    coding_id: int
    coder: str
    start: int
    end: int
    duplicate_of: int


@dataclass(frozen=True, slots=True)
class MergeResult:
    moved: int
    set_aside: tuple[SetAside, ...]

    def sentence(self, source: str, target: str) -> str:
        text = f"Merged {source} into {target}: {self.moved} codings moved"
        if self.set_aside:
            listed = ", ".join(
                f"coding {s.coding_id} by {s.coder} at {s.start}..{s.end}" for s in self.set_aside
            )
            text += (
                f"; {len(self.set_aside)} duplicated a coding already on {target} and were set "
                f"aside ({listed}), their memos moved to the coding kept; undo brings them back"
            )
        return text


def merge_codes(project: Project, source: str, target: str, *, coder: str) -> MergeResult:
    """Move every coding of ``source`` to ``target`` and delete ``source``.

    A coding that would duplicate one the same coder already has on ``target`` (same
    span) is set aside: its snapshot is kept in the event (undo restores it) and its
    memos move to the coding it duplicates.
    """
    if source == target:
        raise InvalidInput("cannot merge a code into itself")
    with project.database.write() as session:
        source_code = code_repo.get_code(session, source)
        target_code = code_repo.get_code(session, target)
        if code_repo.children_keys(session, source):
            raise InvalidInput(f"{source} has child codes; move or merge them first")
        if code_repo.users_of(session, source_code.id)["memos"]:
            raise InvalidInput(
                f"{source} has memos; move their text to {target} or delete them first"
            )
        who = ensure_coder(session, coder)
        before = snapshots(session, [source_code.id])
        moved, set_aside = merge_codings(session, source_code.id, target_code.id)
        code_repo.delete_by_id(session, source_code.id)
        record_code_change(
            session,
            action="code.merge",
            coder_id=who.id,
            entity_id=source_code.id,
            before=before,
            after={str(source_code.id): None},
            extra_before={"set_aside": set_aside},
            extra_after={"into": target_code.id, "into_key": target, "moved_codings": moved},
        )
        return MergeResult(
            len(moved),
            tuple(
                SetAside(
                    item["coding"]["id"],
                    coder_repo.name_of(session, item["coding"]["coder_id"]) or "?",
                    item["coding"]["start"],
                    item["coding"]["end"],
                    item["kept"],
                )
                for item in set_aside
            ),
        )


def _with_translations(current: Code, changes: dict[str, Any]) -> dict[str, Any]:
    """An edit of a definition (include, exclude, example) rewrites it in the language
    its old text was in, so a codebook given in two languages does not keep serving
    the old text in that language."""
    if "translations" in changes or not current.translations:
        return changes
    translations = {part: dict(texts) for part, texts in current.translations.items()}
    for part in TRANSLATED_FIELDS:
        texts = translations.get(part)
        if part not in changes or not texts:
            continue
        for language, text in texts.items():
            if text == getattr(current, part):
                if changes[part]:
                    texts[language] = changes[part]
                else:
                    del texts[language]
                break
    return {**changes, "translations": translations}


def _stored(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "patterns" in out:
        out["patterns"] = list(out["patterns"] or [])
    if "labels" in out:
        out["labels"] = dict(out["labels"] or {})
    if "translations" in out:
        out["translations"] = {k: dict(v) for k, v in (out["translations"] or {}).items() if v}
    return out


def _check_fields(key: str, fields: dict[str, Any]) -> None:
    problem = (
        check_key(key) or check_color(fields.get("color")) or check_hotkey(fields.get("hotkey"))
    )
    if problem:
        raise InvalidInput(problem)


def _check_hotkey_free(session: Session, key: str, hotkey: str | None) -> None:
    if not hotkey:
        return
    for code in code_repo.list_codes(session):
        if code.hotkey == hotkey and code.key != key:
            raise Conflict(f"hotkey {hotkey!r} is already on {code.key}")


def _check_not_below_itself(session: Session, key: str, parent: str) -> None:
    codes = {c.key: c for c in code_repo.list_codes(session)}
    if parent not in codes:
        raise NotFound(f"no code with key {parent!r} in the codebook")
    ancestor: str | None = parent
    while ancestor is not None:
        if ancestor == key:
            raise InvalidInput(f"cannot move {key} under {parent}: {parent} is inside {key}")
        ancestor = codes[ancestor].parent_key


def _check_depth(session: Session, key: str, parent: str) -> None:
    """Refuse a place that would nest ``key`` (and the codes below it) deeper than the
    codebook allows."""
    codes = code_repo.list_codes(session)
    parent_of: dict[str, str | None] = {c.key: c.parent_key for c in codes}
    parent_of[key] = parent
    below = [c.key for c in codes if c.key != key and key in _ancestors(parent_of, c.key)]
    deepest = max((depth_of(parent_of, k) for k in [key, *below]), default=1)
    if deepest > MAX_CODE_DEPTH:
        raise InvalidInput(
            f"cannot put {key} under {parent}: codes would nest {deepest} levels deep "
            f"(at most {MAX_CODE_DEPTH})"
        )


def _ancestors(parent_of: dict[str, str | None], key: str) -> set[str]:
    found: set[str] = set()
    current = parent_of.get(key)
    while current is not None and current not in found:
        found.add(current)
        current = parent_of.get(current)
    return found

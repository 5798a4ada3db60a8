"""Merging another qualcode project into this one: how a second coder's offline work
comes home.

Rows are matched by uuid (a copy of a project keeps every uuid), coders and codes
also by name and key, transcripts also by the hash of their current text. Nothing is
guessed: a coding or memo whose uuid is here with other content is listed as a
conflict and left as it is here. The whole merge is one transaction with one event; a
dry run runs the very same merge and rolls it back, so its preview is exact.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import Code
from qualcode.domain.text import sha256_text
from qualcode.services import placement
from qualcode.services.project import Project, open_project
from qualcode.store.engine import DB_FILENAME, sqlite_url
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import events, exchange
from qualcode.store.repositories import memos as memo_repo
from qualcode.store.repositories.coders import ensure_coder
from qualcode.store.repositories.transcripts import CurrentVersion, current_version


@dataclass(frozen=True, slots=True)
class OtherProject:
    """What a merge reads from the other project, read in one session."""

    where: str
    coders: list[tuple[int, str, str]]
    codes: list[Code]
    transcripts: list[exchange.TranscriptRowData]
    codings: list[exchange.CodingRowData]
    memos: list[exchange.MemoRowData]


@dataclass
class MergeReport:
    """What a merge did (or, in a dry run, would do)."""

    other: str
    dry_run: bool
    coders_added: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codes_missing: list[str] = field(default_factory=list)
    codes_differing: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_present: int = 0
    memos_added: int = 0
    memos_present: int = 0
    transcripts_matched: int = 0
    transcripts_not_merged: list[str] = field(default_factory=list)
    unknown_code_codings: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def merge_project(
    project: Project,
    other: str,
    *,
    coder: str,
    codebook: bool = False,
    dry_run: bool = False,
) -> MergeReport:
    """Bring ``other`` (a project folder or a database URL) into ``project``."""
    read = read_other(project, other)
    report = MergeReport(other=read.where, dry_run=dry_run)
    if dry_run:
        # the same merge in a session that is rolled back: the preview cannot drift
        # from what the merge would do, and nothing is committed
        with project.database.read() as session:
            _Merger(session, read, report, codebook).run()
        return report
    with project.database.write() as session:
        added = _Merger(session, read, report, codebook).run()
        if not any(added[part] for part in ("coders", "codes", "codings", "memos")):
            # a merge that adds nothing changes nothing: no event for undo to step on
            return report
        # snapshots of everything added, so undo can take the merge back and redo
        # can put it again (qualcode/services/undo_merge.py)
        events.record_event(
            session,
            action="project.merge",
            entity="project",
            entity_id=None,
            coder_id=ensure_coder(session, coder)[0].id,
            before={"codes": {code_id: None for code_id in added["codes"]}},
            after={"from": read.where, "counts": _counts(report), **added},
        )
    return report


def read_other(project: Project, other: str) -> OtherProject:
    """Open the other project (refusing this one and a newer schema) and read it."""
    is_url = "://" in other
    if _same_database(project, other, is_url):
        raise InvalidInput(f"{other} is this project; a project cannot be merged into itself")
    # open_project refuses a schema newer than this qualcode knows, in one sentence
    with _open_other(other, is_url) as opened, opened.database.read() as session:
        transcripts = exchange.transcripts(session)
        return OtherProject(
            where=opened.database.where if is_url else str(Path(other).expanduser()),
            coders=exchange.coders(session),
            codes=code_repo.list_codes(session),
            transcripts=transcripts,
            codings=exchange.codings(session, [t.id for t in transcripts], None),
            memos=exchange.memos(session),
        )


def _open_other(other: str, is_url: bool) -> Project:
    if is_url:
        return open_project(None, other)
    # the folder's own file, never $QUALCODE_DB (which may well be this project)
    db_file = Path(other).expanduser() / DB_FILENAME
    if not db_file.is_file():
        raise InvalidInput(f"{other} is not a qualcode project (no {DB_FILENAME})")
    return open_project(db_file.parent, sqlite_url(db_file))


def _same_database(project: Project, other: str, is_url: bool) -> bool:
    here = make_url(project.database.url)
    if is_url:
        there = make_url(other)
        if there.get_backend_name() != "sqlite":
            return bool(
                there.render_as_string(hide_password=True)
                == here.render_as_string(hide_password=True)
            )
        other_file = Path(there.database or "")
    else:
        other_file = Path(other).expanduser() / DB_FILENAME
    if here.get_backend_name() != "sqlite" or not here.database:
        return False
    try:
        return os.path.samefile(here.database, other_file)
    except OSError:
        return False


def _counts(report: MergeReport) -> dict[str, int]:
    return {
        "coders_added": len(report.coders_added),
        "codes_added": len(report.codes_added),
        "codings_added": report.codings_added,
        "memos_added": report.memos_added,
        "conflicts": len(report.conflicts),
    }


_COMPARED = ("key", "parent_key", "name", "definition", "include", "exclude", "example", "retired")


def _differing(here: Code, there: Code) -> list[str]:
    """Which of a code's fields differ between the two projects."""
    return [name for name in _COMPARED if getattr(here, name) != getattr(there, name)]


class _Merger:
    def __init__(
        self, session: Session, read: OtherProject, report: MergeReport, codebook: bool
    ) -> None:
        self.session = session
        self.read = read
        self.report = report
        self.codebook = codebook
        self.other_keys = {code.uuid: code.key for code in read.codes}
        self.coder_ids: dict[int, int] = {}  # other coder id -> id here
        self.code_ids: dict[str, int] = {}  # other code uuid -> id here
        self.versions: dict[int, CurrentVersion] = {}  # other transcript id -> here
        self.coding_ids: dict[int, int] = {}  # other coding id -> id here
        self.coders_added: list[str] = []
        self.codes_added: list[int] = []
        self.codings_added: list[dict[str, Any]] = []
        self.memos_added: list[str] = []

    def run(self) -> dict[str, Any]:
        """Merge; what was added, as snapshots for the event log."""
        self._coders()
        self._codes()
        self._transcripts()
        self._codings()
        self._memos()
        memo_ids = exchange.memo_ids_by_uuid(self.session, self.memos_added)
        return {
            "coders": self.coders_added,
            "codes": {
                str(code_id): code_repo.snapshot_by_id(self.session, code_id)
                for code_id in self.codes_added
            },
            "codings": self.codings_added,
            "memos": [
                memo_repo.snapshot(self.session, memo_ids[uuid]) for uuid in self.memos_added
            ],
        }

    def _coders(self) -> None:
        by_uuid = {uuid: row_id for row_id, uuid, _name in exchange.coders(self.session)}
        by_name = {name: row_id for row_id, _uuid, name in exchange.coders(self.session)}
        used = {coding.coder_id for coding in self.read.codings}
        used |= {memo.author_id for memo in self.read.memos if memo.author_id is not None}
        for other_id, uuid, name in self.read.coders:
            here = by_uuid.get(uuid) or by_name.get(name)
            if here is None:
                if other_id not in used:
                    continue  # a coder with no work brings nothing
                here = exchange.add_coder(self.session, name, uuid)
                self.report.coders_added.append(name)
                self.coders_added.append(uuid)
            self.coder_ids[other_id] = here

    def _codes(self) -> None:
        here = code_repo.list_codes(self.session)
        by_uuid = {code.uuid: code.id for code in here}
        by_key = {code.key: code.id for code in here}
        hotkeys = {code.hotkey for code in here if code.hotkey}
        by_id = {code.id: code for code in here}
        for code in self.read.codes:  # tree order: a parent comes before its children
            found = by_uuid.get(code.uuid) or by_key.get(code.key)
            if found is not None:
                self.code_ids[code.uuid] = found
                differing = _differing(by_id[found], code)
                if differing:  # listed, never applied: the codebook here stands
                    self.report.codes_differing.append(
                        f"{code.key}: {', '.join(differing)} "
                        + ("differs" if len(differing) == 1 else "differ")
                    )
                continue
            self.report.codes_missing.append(code.key)
            if not self.codebook:
                continue
            parent_id = by_key.get(code.parent_key) if code.parent_key else None
            new_id = exchange.add_code(
                self.session,
                uuid=code.uuid,
                key=code.key,
                parent_id=parent_id,
                name=code.name,
                labels=dict(code.labels),
                color=code.color,
                definition=code.definition,
                include=code.include,
                exclude=code.exclude,
                example=code.example,
                translations={part: dict(texts) for part, texts in code.translations.items()},
                # a key already taken here stays with its code here
                hotkey=code.hotkey if code.hotkey not in hotkeys else None,
                exclusive=code.exclusive,
                patterns=list(code.patterns),
                retired=code.retired,
                position=code.position,
            )
            by_key[code.key] = new_id
            self.code_ids[code.uuid] = new_id
            self.report.codes_added.append(code.key)
            self.codes_added.append(new_id)

    def _transcripts(self) -> None:
        here = exchange.transcripts(self.session)
        by_uuid = {t.uuid: t for t in here}
        by_hash = {sha256_text(t.text): t for t in here}
        for other in self.read.transcripts:
            digest = sha256_text(other.text)
            match = by_uuid.get(other.uuid)
            if match is not None and sha256_text(match.text) != digest:
                # offsets count into the other text; placing them here would move them
                self.report.transcripts_not_merged.append(
                    f"{other.title} (its current text differs from {match.title!r} here)"
                )
                continue
            match = match or by_hash.get(digest)
            if match is None:
                self.report.transcripts_not_merged.append(f"{other.title} (not in this project)")
                continue
            self.versions[other.id] = current_version(self.session, match.id)
            self.report.transcripts_matched += 1

    def _codings(self) -> None:
        existing = exchange.coding_keys_by_uuid(
            self.session, [coding.uuid for coding in self.read.codings]
        )
        keys = placement.existing_placements(self.session, list(self.versions.values()))
        codes = {code.id: code for code in code_repo.list_codes(self.session)}
        new: list[tuple[CurrentVersion, int, int, int, int]] = []
        uuids: list[str] = []
        other_ids: list[int] = []
        for coding in self.read.codings:
            version = self.versions.get(coding.transcript_id)
            if version is None:
                continue  # its transcript is listed as not merged
            code_id = self.code_ids.get(coding.code_uuid)
            if code_id is None:
                key = self._other_key(coding.code_uuid)
                self.report.unknown_code_codings[key] = (
                    self.report.unknown_code_codings.get(key, 0) + 1
                )
                continue
            coder_id = self.coder_ids[coding.coder_id]
            wanted = (version.version_id, code_id, coder_id, coding.start, coding.end)
            if coding.uuid in existing:
                here_id, here_key = existing[coding.uuid]
                self.coding_ids[coding.id] = here_id
                if here_key == wanted:
                    self.report.codings_present += 1
                else:
                    self.report.conflicts.append(
                        f"coding {coding.uuid} in {version.title!r}: span, code or coder "
                        "differ between the projects; kept as it is here"
                    )
                continue
            if wanted in keys:  # the same coding under another uuid
                self.report.codings_present += 1
                continue
            try:
                placement.check_span(version, codes[code_id], coding.start, coding.end)
            except InvalidInput as exc:
                self.report.skipped.append(f"coding {coding.uuid}: {exc}")
                continue
            keys.add(wanted)
            new.append((version, code_id, coder_id, coding.start, coding.end))
            uuids.append(coding.uuid)
            other_ids.append(coding.id)
        snapshots = placement.insert_codings(self.session, new, uuids=uuids)
        for other_id, snapshot in zip(other_ids, snapshots, strict=True):
            self.coding_ids[other_id] = snapshot["id"]
        self.report.codings_added = len(snapshots)
        self.codings_added = snapshots

    def _other_key(self, code_uuid: str) -> str:
        return self.other_keys.get(code_uuid, code_uuid)

    def _memos(self) -> None:
        other_code_uuid = {code.id: code.uuid for code in self.read.codes}
        present = exchange.memo_texts_by_uuid(self.session, [m.uuid for m in self.read.memos])
        rows: list[dict[str, Any]] = []
        for memo in self.read.memos:
            if memo.uuid in present:
                if present[memo.uuid] == memo.text:
                    self.report.memos_present += 1
                else:
                    self.report.conflicts.append(
                        f"memo {memo.uuid}: its text differs between the projects; "
                        "kept as it is here"
                    )
                continue
            target = self._memo_target(memo, other_code_uuid)
            if target is None:
                self.report.skipped.append(f"memo {memo.uuid}: what it is on was not merged")
                continue
            author = self.coder_ids.get(memo.author_id) if memo.author_id is not None else None
            rows.append(
                {
                    "uuid": memo.uuid,
                    **target,
                    "author_id": author,
                    "text": memo.text,
                    "created_at": memo.created_at,
                    "updated_at": memo.updated_at,
                }
            )
        exchange.add_memos(self.session, rows)
        self.report.memos_added = len(rows)
        self.memos_added = [row["uuid"] for row in rows]

    def _memo_target(
        self, memo: exchange.MemoRowData, other_code_uuid: dict[int, str]
    ) -> dict[str, int | None] | None:
        target: dict[str, int | None] = {"transcript_id": None, "code_id": None, "coding_id": None}
        if memo.transcript_id is not None:
            version = self.versions.get(memo.transcript_id)
            if version is None:
                return None
            target["transcript_id"] = version.transcript_id
        elif memo.code_id is not None:
            code_id = self.code_ids.get(other_code_uuid.get(memo.code_id, ""))
            if code_id is None:
                return None
            target["code_id"] = code_id
        elif memo.coding_id is not None:
            coding_id = self.coding_ids.get(memo.coding_id)
            if coding_id is None:
                return None
            target["coding_id"] = coding_id
        return target

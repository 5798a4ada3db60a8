"""Cases: their links to transcripts and speakers, and every attribute value in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from qualcode.domain.cases import AttrValue, Resolved, passage_attributes
from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.rates import Reference
from qualcode.store.schema import (
    AttributeRow,
    AttributeValueRow,
    Base,
    CaseRow,
    ReferenceValueRow,
    SpeakerCaseRow,
    SpeakerRow,
    TranscriptCaseRow,
    TranscriptRow,
    new_uuid,
    new_uuids,
)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A case with everything linked to it."""

    id: int
    name: str
    transcripts: tuple[str, ...]
    speakers: tuple[tuple[str, str], ...]  # (transcript title, speaker label)
    attributes: dict[str, AttrValue] = field(default_factory=dict)


@dataclass(frozen=True)
class AttributeContext:
    """Every attribute value and case link, read once, to resolve passages' attributes."""

    transcript_values: dict[int, dict[str, AttrValue]]
    case_values: dict[int, dict[str, AttrValue]]
    transcript_cases: dict[int, list[int]]
    speaker_cases: dict[tuple[int, str], int]  # (transcript id, speaker label) -> case id

    def for_transcript(self, transcript_id: int) -> dict[str, Resolved]:
        """The attributes of the passages of speakers without a case of their own."""
        return passage_attributes(
            self.transcript_values.get(transcript_id, {}),
            [self.case_values.get(c, {}) for c in self.transcript_cases.get(transcript_id, [])],
        )

    def for_speakers(self, transcript_id: int) -> dict[str, dict[str, Resolved]]:
        """Speaker label -> the attributes of that speaker's passages (linked speakers)."""
        own = self.transcript_values.get(transcript_id, {})
        return {
            label: passage_attributes(own, [], self.case_values.get(case_id, {}))
            for (tid, label), case_id in self.speaker_cases.items()
            if tid == transcript_id
        }


def typed_value(value_type: str, text: str | None, number: float | None) -> AttrValue:
    if value_type == "number" and number is not None:
        return float(number)
    if value_type == "boolean":
        return text == "true"
    return text or ""


def attribute_context(session: Session) -> AttributeContext:
    transcript_values: dict[int, dict[str, AttrValue]] = defaultdict(dict)
    case_values: dict[int, dict[str, AttrValue]] = defaultdict(dict)
    query = select(
        AttributeRow.name,
        AttributeRow.value_type,
        AttributeValueRow.transcript_id,
        AttributeValueRow.case_id,
        AttributeValueRow.value_text,
        AttributeValueRow.value_number,
    ).join(AttributeRow, AttributeRow.id == AttributeValueRow.attribute_id)
    for name, value_type, transcript_id, case_id, text, number in session.execute(query):
        value = typed_value(value_type, text, number)
        if transcript_id is not None:
            transcript_values[transcript_id][name] = value
        elif case_id is not None:
            case_values[case_id][name] = value
    transcript_cases: dict[int, list[int]] = defaultdict(list)
    for tid, cid in session.execute(
        select(TranscriptCaseRow.transcript_id, TranscriptCaseRow.case_id)
    ):
        transcript_cases[tid].append(cid)
    speaker_cases = {
        (tid, label): cid
        for tid, label, cid in session.execute(
            select(SpeakerRow.transcript_id, SpeakerRow.label, SpeakerCaseRow.case_id).join(
                SpeakerCaseRow, SpeakerCaseRow.speaker_id == SpeakerRow.id
            )
        )
    }
    return AttributeContext(
        dict(transcript_values), dict(case_values), dict(transcript_cases), speaker_cases
    )


def find_case(session: Session, name: str) -> CaseRow:
    row = session.scalars(select(CaseRow).where(CaseRow.name == name)).first()
    if row is None:
        raise NotFound(f"no case named {name!r} (see qualcode cases)")
    return row


def ensure_case(session: Session, name: str) -> tuple[int, bool]:
    """The id of case ``name``, created if new; and whether it was created."""
    found = session.scalar(select(CaseRow.id).where(CaseRow.name == name))
    if found is not None:
        return found, False
    if not name.strip() or len(name) > 200:
        raise InvalidInput(f"case name {name!r} must be 1–200 characters")
    row = CaseRow(name=name)
    session.add(row)
    session.flush()
    return row.id, True


def case_ids(session: Session) -> dict[str, int]:
    return {name: cid for cid, name in session.execute(select(CaseRow.id, CaseRow.name))}


def list_cases(session: Session, names: Collection[str] | None = None) -> list[CaseRecord]:
    query = select(CaseRow.id, CaseRow.name).order_by(CaseRow.name)
    if names is not None:
        query = query.where(CaseRow.name.in_(list(names)))
    rows = session.execute(query).all()
    wanted = {cid for cid, _ in rows}
    transcripts: dict[int, list[str]] = defaultdict(list)
    for cid, title in session.execute(
        select(TranscriptCaseRow.case_id, TranscriptRow.title)
        .join(TranscriptRow, TranscriptRow.id == TranscriptCaseRow.transcript_id)
        .order_by(TranscriptRow.title)
    ):
        transcripts[cid].append(title)
    speakers: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for cid, title, label in session.execute(
        select(SpeakerCaseRow.case_id, TranscriptRow.title, SpeakerRow.label)
        .join(SpeakerRow, SpeakerRow.id == SpeakerCaseRow.speaker_id)
        .join(TranscriptRow, TranscriptRow.id == SpeakerRow.transcript_id)
        .order_by(TranscriptRow.title, SpeakerRow.label)
    ):
        speakers[cid].append((title, label))
    values = case_attribute_values(session, wanted)
    return [
        CaseRecord(
            cid,
            name,
            tuple(transcripts.get(cid, ())),
            tuple(speakers.get(cid, ())),
            values.get(cid, {}),
        )
        for cid, name in rows
    ]


def case_attribute_values(
    session: Session,
    case_ids: Collection[int] | None = None,
    attributes: Collection[str] | None = None,
) -> dict[int, dict[str, AttrValue]]:
    """Case id -> attribute name -> typed value (a missing value has no entry);
    ``attributes`` limits which are read."""
    definitions = select(AttributeRow.id, AttributeRow.name, AttributeRow.value_type).where(
        AttributeRow.scope == "case"
    )
    if attributes is not None:
        definitions = definitions.where(AttributeRow.name.in_(list(attributes)))
    kinds = {aid: (name, value_type) for aid, name, value_type in session.execute(definitions)}
    found: dict[int, dict[str, AttrValue]] = defaultdict(dict)
    if not kinds:
        return {}
    # by attribute id, so the attribute_id index picks the rows; plain Core rows (a
    # grouped table over 10,000 cases reads ~60,000 of them)
    query = select(
        AttributeValueRow.case_id,
        AttributeValueRow.attribute_id,
        AttributeValueRow.value_text,
        AttributeValueRow.value_number,
    ).where(AttributeValueRow.attribute_id.in_(list(kinds)))
    for cid, aid, text, number in session.connection().execute(query):
        if cid is not None and (case_ids is None or cid in case_ids):
            name, value_type = kinds[aid]
            found[cid][name] = typed_value(value_type, text, number)
    return dict(found)


def link_transcript(session: Session, transcript_id: int, case_id: int) -> bool:
    """Put a transcript in a case; False when it already was."""
    exists = session.scalar(
        select(TranscriptCaseRow.id).where(
            TranscriptCaseRow.transcript_id == transcript_id, TranscriptCaseRow.case_id == case_id
        )
    )
    if exists is not None:
        return False
    session.add(TranscriptCaseRow(transcript_id=transcript_id, case_id=case_id))
    session.flush()
    return True


def unlink_transcript(session: Session, transcript_id: int, case_id: int | None) -> list[int]:
    """Take a transcript out of one case (or, with None, all); the case ids it left."""
    query = select(TranscriptCaseRow.case_id).where(
        TranscriptCaseRow.transcript_id == transcript_id
    )
    if case_id is not None:
        query = query.where(TranscriptCaseRow.case_id == case_id)
    left = list(session.scalars(query))
    if left:
        session.execute(
            delete(TranscriptCaseRow).where(
                TranscriptCaseRow.transcript_id == transcript_id,
                TranscriptCaseRow.case_id.in_(left),
            )
        )
        session.flush()
    return left


def transcript_case_names(session: Session, transcript_id: int) -> list[str]:
    return list(
        session.scalars(
            select(CaseRow.name)
            .join(TranscriptCaseRow, TranscriptCaseRow.case_id == CaseRow.id)
            .where(TranscriptCaseRow.transcript_id == transcript_id)
            .order_by(CaseRow.name)
        )
    )


def find_speaker(session: Session, transcript_id: int, label: str) -> SpeakerRow:
    row = session.scalars(
        select(SpeakerRow).where(
            SpeakerRow.transcript_id == transcript_id, SpeakerRow.label == label
        )
    ).first()
    if row is None:
        labels = session.scalars(
            select(SpeakerRow.label).where(SpeakerRow.transcript_id == transcript_id)
        )
        raise NotFound(f"no speaker {label!r} in that transcript; it has: {', '.join(labels)}")
    return row


def speaker_case(session: Session, speaker_id: int) -> int | None:
    return session.scalar(
        select(SpeakerCaseRow.case_id).where(SpeakerCaseRow.speaker_id == speaker_id)
    )


def set_speaker_case(session: Session, speaker_id: int, case_id: int | None) -> None:
    """Link a speaker to one case (replacing any earlier), or unlink with None."""
    session.execute(delete(SpeakerCaseRow).where(SpeakerCaseRow.speaker_id == speaker_id))
    if case_id is not None:
        session.add(SpeakerCaseRow(speaker_id=speaker_id, case_id=case_id))
    session.flush()


def case_name(session: Session, case_id: int) -> str:
    row = session.get(CaseRow, case_id)
    assert row is not None
    return row.name


@dataclass(frozen=True, slots=True)
class StoredValue:
    id: int
    value: AttrValue


def case_values_by_name(
    session: Session, attribute_names: Collection[str]
) -> dict[tuple[str, str], StoredValue]:
    """(case name, attribute name) -> the stored value and its row id."""
    query = (
        select(
            AttributeValueRow.id,
            CaseRow.name,
            AttributeRow.name,
            AttributeRow.value_type,
            AttributeValueRow.value_text,
            AttributeValueRow.value_number,
        )
        .join(AttributeRow, AttributeRow.id == AttributeValueRow.attribute_id)
        .join(CaseRow, CaseRow.id == AttributeValueRow.case_id)
        .where(AttributeRow.name.in_(list(attribute_names)))
    )
    return {
        (case, name): StoredValue(vid, typed_value(value_type, text, number))
        for vid, case, name, value_type, text, number in session.execute(query)
    }


def add_cases(session: Session, names: Collection[str]) -> dict[str, int]:
    """Create cases in bulk; every case's id by name afterwards."""
    if names:
        rows = [{"name": n, "uuid": u} for n, u in zip(names, new_uuids(len(names)), strict=True)]
        session.connection().execute(insert(Base.metadata.tables["cases"]), rows)
    return case_ids(session)


def stored_columns(value_type: str, value: AttrValue) -> tuple[str | None, float | None]:
    """How a typed value is stored: (value_text, value_number)."""
    if value_type == "number":
        return None, float(value)
    if value_type == "boolean":
        return ("true" if value else "false"), None
    return str(value), None


def write_values(
    session: Session,
    inserts: list[dict[str, object]],
    updates: list[dict[str, object]],
    deletes: list[int],
) -> None:
    """Bulk changes to case attribute values (rows as column dicts; deletes by id)."""
    # Core statements: the ORM's bulk path would split rows with NULLs in different
    # columns into separate statements (measured 10 s for 190,000 values, not 1)
    table = Base.metadata.tables["attribute_values"]
    if inserts:
        # the driver's executemany with plain tuples: SQLAlchemy's per-row parameter
        # processing was half the import's time (measured on 190,000 values)
        connection = session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        names = ("uuid", "attribute_id", "transcript_id", "case_id", "value_text", "value_number")
        uuids = new_uuids(len(inserts))
        connection.exec_driver_sql(
            f"INSERT INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join([mark] * len(names))})",
            [
                (
                    u,
                    row["attribute_id"],
                    row["transcript_id"],
                    row["case_id"],
                    row["value_text"],
                    row["value_number"],
                )
                for row, u in zip(inserts, uuids, strict=True)
            ],
        )
    if updates:
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(value_text=bindparam("text"), value_number=bindparam("number")),
            [
                {"row_id": row["id"], "text": row["value_text"], "number": row["value_number"]}
                for row in updates
            ],
        )
    for start in range(0, len(deletes), 500):
        chunk = deletes[start : start + 500]
        session.execute(delete(AttributeValueRow).where(AttributeValueRow.id.in_(chunk)))
    session.flush()


def replace_reference(
    session: Session, name: str, attribute: str, rows: list[tuple[str, int, float]]
) -> int:
    """Store reference figures ``(group, year, value)`` under ``name``, replacing any
    earlier ones; how many figures differ from before."""
    before = {
        (g, y): v
        for g, y, v in session.execute(
            select(
                ReferenceValueRow.group_value, ReferenceValueRow.year, ReferenceValueRow.value
            ).where(ReferenceValueRow.name == name)
        )
    }
    after = {(g, y): v for g, y, v in rows}
    changed = sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    session.execute(delete(ReferenceValueRow).where(ReferenceValueRow.name == name))
    if rows:
        session.execute(
            insert(ReferenceValueRow),
            [
                {"uuid": new_uuid(), "name": name, "attribute": attribute,
                 "group_value": g, "year": y, "value": v}
                for g, y, v in rows
            ],
        )  # fmt: skip
    session.flush()
    return changed


def reference_tables(session: Session) -> dict[str, Reference]:
    """Every stored reference population by name."""
    found: dict[str, tuple[str, dict[str, dict[int, float]]]] = {}
    for name, attribute, group, year, value in session.execute(
        select(
            ReferenceValueRow.name,
            ReferenceValueRow.attribute,
            ReferenceValueRow.group_value,
            ReferenceValueRow.year,
            ReferenceValueRow.value,
        )
    ):
        entry = found.setdefault(name, (attribute, {}))
        entry[1].setdefault(group, {})[year] = value
    return {name: Reference(name, attribute, values) for name, (attribute, values) in found.items()}


def case_members(session: Session) -> dict[int, list[int]]:
    """Case id -> the ids of the transcripts linked to it."""
    found: dict[int, list[int]] = {}
    rows = select(TranscriptCaseRow.case_id, TranscriptCaseRow.transcript_id).order_by(
        TranscriptCaseRow.id
    )
    for case_id, transcript_id in session.execute(rows):
        found.setdefault(case_id, []).append(transcript_id)
    return found


def case_names_by_id(session: Session) -> dict[int, str]:
    return {case_id: name for case_id, name in session.execute(select(CaseRow.id, CaseRow.name))}

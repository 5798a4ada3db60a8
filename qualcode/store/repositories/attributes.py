"""Attributes (typed variables) and their values on transcripts and cases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store.schema import AttributeRow, AttributeValueRow, CaseRow, TranscriptRow


@dataclass(frozen=True, slots=True)
class AttributeDef:
    id: int
    name: str
    value_type: str
    scope: str


@dataclass(frozen=True, slots=True)
class AttributeValue:
    attribute: str
    value_type: str
    scope: str
    owner: str  # transcript title or case name
    value: str | float | bool | None


def find_attribute(session: Session, name: str) -> AttributeDef | None:
    row = session.scalars(select(AttributeRow).where(AttributeRow.name == name)).first()
    return AttributeDef(row.id, row.name, row.value_type, row.scope) if row else None


def add_attribute(session: Session, name: str, value_type: str, scope: str) -> AttributeDef:
    row = AttributeRow(name=name, value_type=value_type, scope=scope)
    session.add(row)
    session.flush()
    return AttributeDef(row.id, row.name, row.value_type, row.scope)


def list_attributes(session: Session) -> list[AttributeDef]:
    rows = session.scalars(select(AttributeRow).order_by(AttributeRow.name))
    return [AttributeDef(r.id, r.name, r.value_type, r.scope) for r in rows]


def set_value(
    session: Session,
    attribute: AttributeDef,
    *,
    owner_id: int,
    text: str | None,
    number: float | None,
) -> None:
    """Store one value (replacing any earlier one); both None removes it (missing)."""
    column = (
        AttributeValueRow.transcript_id
        if attribute.scope == "transcript"
        else AttributeValueRow.case_id
    )
    row = session.scalars(
        select(AttributeValueRow).where(
            AttributeValueRow.attribute_id == attribute.id, column == owner_id
        )
    ).first()
    if text is None and number is None:
        if row is not None:
            session.delete(row)
        session.flush()
        return
    if row is None:
        row = AttributeValueRow(attribute_id=attribute.id)
        setattr(row, "transcript_id" if attribute.scope == "transcript" else "case_id", owner_id)
        session.add(row)
    row.value_text, row.value_number = text, number
    session.flush()


def list_values(session: Session) -> list[AttributeValue]:
    query = (
        select(AttributeValueRow, AttributeRow, TranscriptRow.title, CaseRow.name)
        .join(AttributeRow, AttributeRow.id == AttributeValueRow.attribute_id)
        .outerjoin(TranscriptRow, TranscriptRow.id == AttributeValueRow.transcript_id)
        .outerjoin(CaseRow, CaseRow.id == AttributeValueRow.case_id)
        .order_by(AttributeRow.name, AttributeValueRow.id)
    )
    out = []
    for value, attribute, title, case in session.execute(query):
        typed: str | float | bool | None = value.value_text
        if attribute.value_type == "number":
            typed = value.value_number
        elif attribute.value_type == "boolean":
            typed = value.value_text == "true"
        out.append(
            AttributeValue(
                attribute.name, attribute.value_type, attribute.scope, title or case, typed
            )
        )
    return out


def case_id(session: Session, name: str, *, create: bool) -> int | None:
    found = session.scalar(select(CaseRow.id).where(CaseRow.name == name))
    if found is None and create:
        row = CaseRow(name=name)
        session.add(row)
        session.flush()
        found = row.id
    return found

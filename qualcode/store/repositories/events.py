"""The append-only event log: every change, who made it, before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qualcode.domain.records import Event
from qualcode.store.schema import Base, CoderRow, EventRow, new_uuid, utcnow

_INSERT_EVENT: Any = insert(Base.metadata.tables["events"]).returning(
    Base.metadata.tables["events"].c.id
)


def record_event(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    coder_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    kind: str = "do",
    target_event_id: int | None = None,
) -> int:
    values = {
        "uuid": new_uuid(),
        "at": utcnow(),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "coder_id": coder_id,
        "before": before,
        "after": after,
        "kind": kind,
        "target_event_id": target_event_id,
    }
    # a Core insert built once: the log is written on every action, never read back here
    return session.execute(_INSERT_EVENT, values).scalar_one()


def _record(row: EventRow, coder: str | None) -> Event:
    return Event(
        row.id,
        row.uuid,
        row.at,
        coder,
        row.kind,
        row.action,
        row.entity,
        row.entity_id,
        row.before,
        row.after,
        row.target_event_id,
    )


def recent_events(
    session: Session,
    *,
    coder_id: int | None = None,
    actions: tuple[str, ...] | None = None,
    limit: int = 50,
) -> list[Event]:
    """The newest events first, optionally one coder's and only some actions."""
    query = select(EventRow, CoderRow.name).outerjoin(CoderRow, CoderRow.id == EventRow.coder_id)
    if coder_id is not None:
        query = query.where(EventRow.coder_id == coder_id)
    if actions is not None:
        query = query.where(EventRow.action.in_(actions))
    rows = session.execute(query.order_by(EventRow.id.desc()).limit(limit))
    return [_record(row, coder) for row, coder in rows]


def get_event(session: Session, event_id: int) -> Event:
    row, coder = session.execute(
        select(EventRow, CoderRow.name)
        .outerjoin(CoderRow, CoderRow.id == EventRow.coder_id)
        .where(EventRow.id == event_id)
    ).one()
    return _record(row, coder)


def events_with_actions(session: Session, actions: tuple[str, ...]) -> list[Event]:
    """Every ``do`` event of these actions, oldest first (the log of a process, such as
    an adjudication, that is replayed rather than undone)."""
    rows = session.execute(
        select(EventRow, CoderRow.name)
        .outerjoin(CoderRow, CoderRow.id == EventRow.coder_id)
        .where(EventRow.action.in_(actions), EventRow.kind == "do")
        .order_by(EventRow.id)
    )
    return [_record(row, coder) for row, coder in rows]


def events_after(
    session: Session, event_id: int, *, entities: tuple[str, ...], limit: int = 5000
) -> list[Event]:
    """Events newer than ``event_id`` on these kinds of entity, newest first (who
    changed something since an action, for undo's refusals)."""
    rows = session.execute(
        select(EventRow, CoderRow.name)
        .outerjoin(CoderRow, CoderRow.id == EventRow.coder_id)
        .where(EventRow.id > event_id, EventRow.entity.in_(entities))
        .order_by(EventRow.id.desc())
        .limit(limit)
    )
    return [_record(row, coder) for row, coder in rows]


def log_mark(session: Session) -> tuple[int, int]:
    """How many events the log holds, and the newest id. Every change is logged and
    the log is append-only, so an unchanged mark means an unchanged project: work
    checked in one transaction can be written in a later one without checking it
    again. (The count, not only the newest id: on PostgreSQL an older id can commit
    after a newer one.)"""
    count, newest = session.execute(select(func.count(), func.max(EventRow.id))).one()
    return count, newest or 0

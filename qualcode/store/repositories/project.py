"""The project row: name, language and settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import StoreError
from qualcode.domain.records import ProjectInfo
from qualcode.store.schema import ProjectRow


def _row(session: Session) -> ProjectRow:
    row = session.scalars(select(ProjectRow).limit(1)).first()
    if row is None:
        raise StoreError("the database has no project row; it was not created by `qualcode init`")
    return row


def get_project(session: Session) -> ProjectInfo:
    row = _row(session)
    return ProjectInfo(row.uuid, row.name, row.language, dict(row.settings), row.created_at)


def set_setting(session: Session, key: str, value: Any) -> None:
    row = _row(session)
    row.settings = {**row.settings, key: value}

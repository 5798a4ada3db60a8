"""The code tree (codebook) as stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased

from qualcode.domain.errors import NotFound
from qualcode.domain.records import CODE_CONTENT_FIELDS, Code
from qualcode.store.schema import CodeRow, CodingRow, MemoRow

CODE_FIELDS = (*CODE_CONTENT_FIELDS, "position")
# one alias for every query: a new alias per call would rebuild its columns and miss
# SQLAlchemy's statement cache, which costs more than the query itself
_PARENT = aliased(CodeRow)


def list_codes(session: Session, *, include_retired: bool = True) -> list[Code]:
    parent = _PARENT
    query = (
        select(CodeRow, parent.key)
        .outerjoin(parent, CodeRow.parent_id == parent.id)
        .order_by(CodeRow.position, CodeRow.id)
    )
    if not include_retired:
        query = query.where(CodeRow.retired.is_(False))
    return _tree_order([_record(row, parent_key) for row, parent_key in session.execute(query)])


def _tree_order(codes: list[Code]) -> list[Code]:
    """Parents before their children, siblings by position: a code moved under a
    group with a later position must still follow its new parent."""
    children: dict[str | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_key, []).append(code)
    known = {code.key for code in codes}
    ordered: list[Code] = []
    stack = list(reversed([c for c in codes if c.parent_key is None or c.parent_key not in known]))
    while stack:
        code = stack.pop()
        ordered.append(code)
        stack.extend(reversed(children.get(code.key, [])))
    return ordered


# built once with a bound parameter: a statement built per call costs more in cache-key
# generation than the query itself (every coding looks its code up)
_GET_CODE: Any = (
    select(CodeRow, _PARENT.key)
    .outerjoin(_PARENT, CodeRow.parent_id == _PARENT.id)
    .where(CodeRow.key == bindparam("key"))
)


def get_code(session: Session, key: str) -> Code:
    found = session.execute(_GET_CODE, {"key": key}).first()
    if found is None:
        raise NotFound(f"no code with key {key!r} in the codebook")
    return _record(*found)


def key_of(session: Session, code_id: int) -> str | None:
    return session.scalar(select(CodeRow.key).where(CodeRow.id == code_id))


def descendant_ids(session: Session, code_id: int) -> set[int]:
    """The code and every code below it in the tree."""
    children: dict[int | None, list[int]] = {}
    for cid, parent_id in session.execute(select(CodeRow.id, CodeRow.parent_id)):
        children.setdefault(parent_id, []).append(cid)
    found, stack = set(), [code_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def add_code(session: Session, key: str, parent_key: str | None, **fields: Any) -> Code:
    parent_id = _id_of(session, parent_key) if parent_key else None
    row = CodeRow(key=key, parent_id=parent_id, **fields)
    session.add(row)
    session.flush()
    return _record(row, parent_key)


def update_code(
    session: Session,
    key: str,
    *,
    new_key: str | None = None,
    parent_key: str | None = None,
    **fields: Any,
) -> Code:
    row = session.scalars(select(CodeRow).where(CodeRow.key == key)).one()
    if new_key is not None:
        row.key = new_key
    row.parent_id = _id_of(session, parent_key) if parent_key else None
    for name, value in fields.items():
        setattr(row, name, value)
    session.flush()
    return _record(row, parent_key)


def snapshot(session: Session, key: str) -> dict[str, Any]:
    """Every column of a code, JSON-safe, for the event log."""
    row = session.scalars(select(CodeRow).where(CodeRow.key == key)).first()
    if row is None:
        raise NotFound(f"no code with key {key!r} in the codebook")
    return {
        "id": row.id,
        "uuid": row.uuid,
        "key": row.key,
        "parent_id": row.parent_id,
        **{name: getattr(row, name) for name in CODE_FIELDS},
    }


def delete_code(session: Session, key: str) -> None:
    row = session.scalars(select(CodeRow).where(CodeRow.key == key)).one()
    session.delete(row)
    session.flush()


def children_keys(session: Session, key: str) -> list[str]:
    parent = _PARENT
    return list(
        session.scalars(
            select(CodeRow.key)
            .join(parent, CodeRow.parent_id == parent.id)
            .where(parent.key == key)
            .order_by(CodeRow.position, CodeRow.id)
        )
    )


def coding_counts(session: Session) -> dict[str, int]:
    """Codings per code key (codes without codings are absent)."""
    query = (
        select(CodeRow.key, func.count(CodingRow.id))
        .join(CodingRow, CodingRow.code_id == CodeRow.id)
        .group_by(CodeRow.key)
    )
    return {key: count for key, count in session.execute(query)}


def _id_of(session: Session, key: str) -> int:
    code_id = session.scalar(select(CodeRow.id).where(CodeRow.key == key))
    if code_id is None:
        raise NotFound(f"no code with key {key!r} in the codebook")
    return code_id


def _record(row: CodeRow, parent_key: str | None) -> Code:
    return Code(
        id=row.id,
        uuid=row.uuid,
        key=row.key,
        parent_key=parent_key,
        name=row.name,
        labels=dict(row.labels or {}),
        color=row.color,
        definition=row.definition,
        include=row.include,
        exclude=row.exclude,
        example=row.example,
        translations={part: dict(texts) for part, texts in (row.translations or {}).items()},
        hotkey=row.hotkey,
        exclusive=row.exclusive,
        patterns=tuple(row.patterns or ()),
        retired=row.retired,
        position=row.position,
    )


def snapshot_by_id(session: Session, code_id: int) -> dict[str, Any] | None:
    """A code's snapshot (see ``snapshot``) by id, or None when it does not exist."""
    key = key_of(session, code_id)
    return None if key is None else snapshot(session, key)


def put_snapshot(session: Session, data: dict[str, Any], *, with_parent: bool = True) -> None:
    """Make the code with ``data['id']`` hold exactly ``data``, inserting it (under its
    recorded id and uuid) when it is missing. ``with_parent=False`` leaves the parent
    unset, for restoring a group of codes whose parents are not all back yet."""
    row = session.get(CodeRow, data["id"])
    # snapshots logged before a field existed (translations, 0006) restore it empty
    values = {name: data.get(name, _EMPTY.get(name)) for name in ("uuid", "key", *CODE_FIELDS)}
    values["parent_id"] = data["parent_id"] if with_parent else None
    if row is None:
        session.add(CodeRow(id=data["id"], **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()


_EMPTY: dict[str, Any] = {"translations": {}}


def delete_by_id(session: Session, code_id: int) -> None:
    row = session.get(CodeRow, code_id)
    if row is not None:
        session.delete(row)
        session.flush()


def users_of(session: Session, code_id: int) -> dict[str, Any]:
    """What hangs on a code: coder ids with their codings' counts, memo authors' ids,
    and child code ids."""
    codings = dict(
        session.execute(
            select(CodingRow.coder_id, func.count(CodingRow.id))
            .where(CodingRow.code_id == code_id)
            .group_by(CodingRow.coder_id)
        ).all()
    )
    memos = list(
        session.execute(select(MemoRow.id, MemoRow.author_id).where(MemoRow.code_id == code_id))
    )
    children = list(session.scalars(select(CodeRow.id).where(CodeRow.parent_id == code_id)))
    return {"codings": codings, "memos": memos, "children": children}


def memo_counts(session: Session) -> dict[str, int]:
    """Memos per code key (codes without memos are absent)."""
    query = (
        select(CodeRow.key, func.count(MemoRow.id))
        .join(MemoRow, MemoRow.code_id == CodeRow.id)
        .group_by(CodeRow.key)
    )
    return {key: count for key, count in session.execute(query)}


def find_id(session: Session, key: str) -> int | None:
    return session.scalar(select(CodeRow.id).where(CodeRow.key == key))


def detach(session: Session, code_id: int) -> None:
    """Clear a code's parent and hotkey before it is deleted with others in one go."""
    row = session.get(CodeRow, code_id)
    if row is not None:
        row.parent_id = None
        row.hotkey = None
        session.flush()

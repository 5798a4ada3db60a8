"""What applying one code must know, read in one query.

Coding by hand checks four things before it writes: the transcript's current text
version, the code, the coder and whether that coder already has this coding. Read one
by one that is four statements (plus the ORM's work on each), four times the two
inserts that follow; here it is one statement, executed on the session's connection
(Core, no ORM objects), with an outer join per fact so a missing one comes back as
NULLs and the caller can say which one is missing.

A transcript's text is the largest value on the path (a 30,000-word interview is
~200 kB, and reading it costs more than the rest of the query), so the query reads the
version's id and hash and the text comes from the database's ``VersionTexts`` cache
(store/text_cache.py), read only on a miss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from qualcode.domain.ids import as_id
from qualcode.domain.records import Coder
from qualcode.store.repositories.transcripts import CurrentVersion
from qualcode.store.schema import Base
from qualcode.store.text_cache import VersionTexts

_TABLES = Base.metadata.tables
_T, _V, _K, _R, _C = (
    _TABLES[name] for name in ("transcripts", "text_versions", "codes", "coders", "codings")
)


@dataclass(frozen=True, slots=True)
class CodeFacts:
    """The code as far as applying it needs it."""

    id: int
    key: str
    retired: bool


@dataclass(frozen=True, slots=True)
class CodingTarget:
    """The facts behind one application; None where nothing matched."""

    version: CurrentVersion | None
    code: CodeFacts | None
    coder: Coder | None
    duplicate_id: int | None


# The transcript named by id first, else by title (as resolve_current_version does);
# aliases, so the subqueries are not correlated with the outer transcripts table.
_BY_ID, _BY_TITLE = _T.alias("by_id"), _T.alias("by_title")
_NAMED = func.coalesce(
    select(_BY_ID.c.id).where(_BY_ID.c.id == bindparam("ref_id", type_=Integer)).scalar_subquery(),
    select(_BY_TITLE.c.id).where(_BY_TITLE.c.title == bindparam("title")).scalar_subquery(),
)
_ONE_ROW = select(literal_column("1").label("one")).subquery("one_row")
_TARGET: Any = select(
    _T.c.id,
    _V.c.id,
    _T.c.title,
    _V.c.sha256,
    _K.c.id,
    _K.c.key,
    _K.c.retired,
    _R.c.id,
    _R.c.uuid,
    _R.c.name,
    _C.c.id,
).select_from(
    _ONE_ROW.outerjoin(_T, _T.c.id == _NAMED)
    .outerjoin(_V, (_V.c.transcript_id == _T.c.id) & (_V.c.version == _T.c.version))
    .outerjoin(_K, _K.c.key == bindparam("key"))
    .outerjoin(_R, _R.c.name == bindparam("name"))
    .outerjoin(
        _C,
        (_C.c.version_id == _V.c.id)
        & (_C.c.code_id == _K.c.id)
        & (_C.c.coder_id == _R.c.id)
        & (_C.c.start == bindparam("start"))
        & (_C.c.end == bindparam("end")),
    )
)
_TEXT: Any = select(_V.c.text).where(_V.c.id == bindparam("id"))


def coding_target(
    session: Session,
    texts: VersionTexts,
    *,
    transcript: str | int,
    code: str,
    coder: str,
    start: int,
    end: int,
) -> CodingTarget:
    """Resolve ``transcript`` (an id or a title), ``code`` (a key) and ``coder`` (a
    name), and find ``coder``'s coding of ``start..end`` with that code, if any."""
    ref = str(transcript)
    connection = session.connection()
    row = connection.execute(
        _TARGET,
        {
            "ref_id": as_id(transcript),
            "title": ref,
            "key": code,
            "name": coder,
            "start": start,
            "end": end,
        },
    ).one()
    (transcript_id, version_id, title, sha256, code_id, key, retired, coder_id, uuid, name, dup) = (
        row
    )
    version = None
    if transcript_id is not None:
        text = texts.get(version_id, sha256)
        if text is None:
            text = connection.execute(_TEXT, {"id": version_id}).scalar_one()
            texts.put(version_id, sha256, text)
        version = CurrentVersion(transcript_id, version_id, title, text)
    return CodingTarget(
        version=version,
        code=CodeFacts(code_id, key, bool(retired)) if code_id is not None else None,
        coder=Coder(coder_id, uuid, name) if coder_id is not None else None,
        duplicate_id=dup,
    )

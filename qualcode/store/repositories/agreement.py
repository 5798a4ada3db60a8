"""What agreement compares, in three queries: the transcripts' current lengths, the
codings on them and their units (sentences or turns); no texts.

Agreement over a project reads every unit of every transcript (100,000 sentences on
a million words). One row per unit cost more than every statistic together, so each
transcript's units come as one string of offsets (``aggregate_strings``: SQLite's
``group_concat``, PostgreSQL's ``string_agg``) read into arrays at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from qualcode.store.schema import (
    CURRENT_VERSION,
    CodeRow,
    CoderRow,
    CodingRow,
    TextVersionRow,
    TranscriptRow,
    TurnRow,
    UnitRow,
)

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class AgreementTranscript:
    id: int
    title: str
    length: int


@dataclass(frozen=True, slots=True)
class AgreementRows:
    """Transcripts in id order; ``codings`` are ``(transcript id, code key, coder,
    start, end)``; unit ``i`` is ``[unit_start[i], unit_end[i])`` of transcript
    ``unit_transcript[i]`` (an id; units in no particular order)."""

    transcripts: tuple[AgreementTranscript, ...]
    codings: tuple[tuple[int, str, str, int, int], ...]
    unit_transcript: IntArray
    unit_start: IntArray
    unit_end: IntArray


def load_agreement_rows(
    session: Session,
    *,
    coder_ids: Collection[int] | None,
    transcript_ids: Collection[int] | None,
    units: Literal["sentence", "turn"] | None,
) -> AgreementRows:
    """``coder_ids``/``transcript_ids`` limit the codings and transcripts (None = all);
    ``units`` says which units to read ("sentence": the stored units, as retrieval's
    documents carry them; "turn": the turns; None: none)."""
    connection = session.connection()
    query = (
        select(TranscriptRow.id, TranscriptRow.title, TextVersionRow.id, TextVersionRow.length)
        .join(TextVersionRow, CURRENT_VERSION)
        .order_by(TranscriptRow.id)
    )
    if transcript_ids is not None:
        query = query.where(TranscriptRow.id.in_(list(transcript_ids)))
    found = connection.execute(query).all()
    transcript_of = {version_id: tid for tid, _, version_id, _ in found}
    versions = list(transcript_of)
    codings = (
        select(CodingRow.version_id, CodeRow.key, CoderRow.name, CodingRow.start, CodingRow.end)
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .join(CoderRow, CoderRow.id == CodingRow.coder_id)
        .where(CodingRow.version_id.in_(versions))
    )
    if coder_ids is not None:
        codings = codings.where(CodingRow.coder_id.in_(list(coder_ids)))
    coded = tuple(
        (transcript_of[version_id], key, coder, start, end)
        for version_id, key, coder, start, end in connection.execute(codings).all()
    )
    version, start, end = _units(session, versions, units)
    ordered = np.array(sorted(versions), dtype=np.int64)
    owners = np.array([transcript_of[v] for v in ordered.tolist()], dtype=np.int64)
    return AgreementRows(
        transcripts=tuple(
            AgreementTranscript(tid, title, length) for tid, title, _, length in found
        ),
        codings=coded,
        unit_transcript=owners[np.searchsorted(ordered, version)],
        unit_start=start,
        unit_end=end,
    )


def _units(
    session: Session, versions: list[int], kind: Literal["sentence", "turn"] | None
) -> tuple[IntArray, IntArray, IntArray]:
    """(version id, start, end) of every unit of the versions, as arrays."""
    empty = np.zeros(0, dtype=np.int64)
    if kind is None or not versions:
        return empty, empty, empty
    table = UnitRow if kind == "sentence" else TurnRow
    offsets = cast(table.start, String) + "," + cast(table.end, String)
    query = (
        select(table.version_id, func.count(), func.aggregate_strings(offsets, ","))
        .where(table.version_id.in_(versions))
        .group_by(table.version_id)
    )
    rows = session.connection().execute(query).all()
    if not rows:
        return empty, empty, empty
    numbers = np.array(",".join(text for _, _, text in rows).split(","), dtype=np.int64)
    version = np.repeat(
        np.array([v for v, _, _ in rows], dtype=np.int64),
        np.array([n for _, n, _ in rows], dtype=np.int64),
    )
    return version, numbers[0::2], numbers[1::2]

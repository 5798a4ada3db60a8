"""Sentence units for a benchmark corpus, without spaCy.

``benchmarks.corpus`` makes no sentence units (the importer gets them from spaCy).
Unit-level agreement and the coding screen's ``s`` key need them, so this module cuts
each stored paragraph segment into sentences where the generator ends them: after a
``.``, ``?`` or ``!`` followed by whitespace or the end of the segment. A sentence
starts at its first non-space character, so the first sentence of a turn includes the
``IP:`` label, as spaCy's sentencizer also leaves it. Units are bulk-inserted as
``store.repositories.transcripts`` inserts them (kind ``sentence``, ordinal per text
version), with seeded uuids.
"""

from __future__ import annotations

import random
import re
import uuid
from collections import defaultdict

from sqlalchemy import insert, select

from qualcode.services.project import Project
from qualcode.store.schema import SegmentRow, TextVersionRow, UnitRow

# a non-space character, then everything up to the first sentence mark that ends a
# word (or, with no mark left, up to the last non-space character of the segment)
SENTENCE = re.compile(r"\S(?:.*?[.?!](?=\s|\Z)|.*\S|)", re.DOTALL)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as ``(start, end)`` offsets into ``text``."""
    return [match.span() for match in SENTENCE.finditer(text, start, end)]


def add_sentence_units(project: Project, *, seed: int = 0) -> int:
    """Insert the sentence units of every text version; returns how many."""
    rng = random.Random(seed)
    with project.database.write() as session:
        query = select(TextVersionRow.id, TextVersionRow.text)
        texts = {version_id: text for version_id, text in session.execute(query)}
        segments: dict[int, list[tuple[int, int]]] = defaultdict(list)
        ordered = select(SegmentRow.version_id, SegmentRow.start, SegmentRow.end).order_by(
            SegmentRow.version_id, SegmentRow.ordinal
        )
        for version_id, start, end in session.execute(ordered):
            segments[version_id].append((start, end))
        rows = [
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "version_id": version_id,
                "kind": "sentence",
                "ordinal": ordinal,
                "start": start,
                "end": end,
            }
            for version_id, text in texts.items()
            for ordinal, (start, end) in enumerate(
                span for segment in segments[version_id] for span in sentence_spans(text, *segment)
            )
        ]
        if rows:
            session.execute(insert(UnitRow), rows)
    return len(rows)

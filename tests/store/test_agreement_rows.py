"""The agreement read gives the transcripts, codings and units retrieval's documents
carry, on SQLite and PostgreSQL (units come as one string per transcript)."""

from __future__ import annotations

from typing import Literal

import pytest

from qualcode.services import coding
from qualcode.services.project import Project
from qualcode.services.transcripts import transcript_text
from qualcode.store.repositories.agreement import load_agreement_rows
from qualcode.store.repositories.retrieval import load_docs


@pytest.mark.parametrize("kind", ["sentence", "turn"])
def test_the_agreement_read_matches_the_documents(
    coded_project: Project, kind: Literal["sentence", "turn"]
) -> None:
    text = transcript_text(coded_project, "Fokus").text
    for coder, quote in (("anna", "Vi lägger ärendet på is."), ("bertil", "andra barn")):
        start = text.index(quote)
        coding.apply_code(
            coded_project,
            transcript="Fokus",
            code="ACT.WAIT",
            start=start,
            end=start + len(quote),
            coder=coder,
        )
    with coded_project.database.read() as session:
        rows = load_agreement_rows(
            session,
            coder_ids=None,
            transcript_ids=None,
            units=kind,
        )
        docs = load_docs(session, code_ids=None, coder_ids=None, with_units=True)
    (doc,) = docs
    assert [(t.id, t.title, t.length) for t in rows.transcripts] == [
        (doc.transcript_id, doc.title, doc.length)
    ]
    assert sorted(rows.codings) == sorted(
        (doc.transcript_id, c.code_key, c.coder, c.start, c.end) for c in doc.codings
    )
    expected = list(doc.units) if kind == "sentence" else [(t.start, t.end) for t in doc.turns]
    assert len(expected) > 3
    assert set(rows.unit_transcript.tolist()) == {doc.transcript_id}
    found = sorted(zip(rows.unit_start.tolist(), rows.unit_end.tolist(), strict=True))
    assert found == sorted(expected)


def test_no_units_are_read_for_character_agreement(coded_project: Project) -> None:
    with coded_project.database.read() as session:
        rows = load_agreement_rows(session, coder_ids=None, transcript_ids=None, units=None)
    assert len(rows.transcripts) == 1 and len(rows.unit_start) == 0

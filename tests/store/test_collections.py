"""Quote collections: ordered, themed, edited with the verbatim source kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.errors import Conflict, InvalidInput, NotFound
from qualcode.services import coding
from qualcode.services.collections import (
    add_retrieval,
    add_span,
    create_collection,
    edit_quote,
    list_collections,
    move_item,
    remove_item,
    show_collection,
)
from qualcode.services.importing import revise_transcript
from qualcode.services.project import Project
from qualcode.services.quotes import stored_collection, write_collection
from qualcode.services.retrieval import retrieve
from qualcode.services.transcripts import transcript_text
from qualcode.store.schema import EventRow
from tests.conftest import SHORT_FOCUS_GROUP

WAIT = "Vi lägger ärendet på is. Det är så vi gör, tyvärr."


def span_of(project: Project, quote: str) -> tuple[int, int]:
    start = transcript_text(project, "Fokus").text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def collected(coded_project: Project) -> Project:
    start, end = span_of(coded_project, WAIT)
    coding.apply_code(
        coded_project, transcript="Fokus", code="ACT.WAIT", start=start, end=end, coder="anna"
    )
    create_collection(coded_project, "väntan", title="Att vänta", coder="anna")
    add_retrieval(coded_project, "väntan", retrieve(coded_project, "ACT.WAIT"), coder="anna")
    start, end = span_of(coded_project, "De lyssnar inte på våra bedömningar.")
    add_span(coded_project, "väntan", "Fokus", start, end, coder="anna", theme="COOP.NOTVALUED")
    return coded_project


def test_a_collection_keeps_its_order_themes_and_sources(collected: Project) -> None:
    view = show_collection(collected, "väntan")
    assert [(i.theme, i.verbatim_text) for i in view.items] == [
        ("ACT.WAIT", WAIT),
        ("COOP.NOTVALUED", "De lyssnar inte på våra bedömningar."),
    ]
    assert [(c.name, c.items) for c in list_collections(collected)] == [("väntan", 2)]
    with pytest.raises(Conflict, match="'väntan' exists already"):
        create_collection(collected, "väntan", coder="anna")


def test_edits_are_kept_beside_the_verbatim_and_logged(collected: Project, tmp_path: Path) -> None:
    item = show_collection(collected, "väntan").items[0]
    check = edit_quote(
        collected, "väntan", item.id, "Vi lägger ärendet på is […] tyvärr.", coder="anna"
    )
    assert check is not None and check.faithful and check.omissions == 1
    strayed = edit_quote(collected, "väntan", item.id, "Vi parkerar ärendet.", coder="anna")
    assert strayed is not None and strayed.foreign_words == ("parkerar",)
    edited = show_collection(collected, "väntan").items[0]
    assert (edited.edited_text, edited.verbatim_text) == ("Vi parkerar ärendet.", WAIT)
    with collected.database.read() as session:
        edits = session.scalars(
            select(EventRow.after).where(EventRow.action == "collection.edit")
        ).all()
    assert [e["edited_text"] for e in edits] == [
        "Vi lägger ärendet på is […] tyvärr.",
        "Vi parkerar ärendet.",
    ]

    data = json.loads(
        write_collection(
            collected, stored_collection(collected, "väntan"), "json", tmp_path / "c.json"
        ).read_text("utf-8")
    )
    first = data["themes"][0]["quotes"][0]
    assert (first["text"], first["source_text"]) == ("Vi parkerar ärendet.", WAIT)
    assert data["title"] == "Att vänta"


def test_items_move_and_go(collected: Project) -> None:
    first, second = show_collection(collected, "väntan").items
    move_item(collected, "väntan", second.id, coder="anna", position=1, theme="ACT.WAIT")
    assert [i.id for i in show_collection(collected, "väntan").items] == [second.id, first.id]
    with pytest.raises(InvalidInput, match="position must be between 1 and 2"):
        move_item(collected, "väntan", first.id, coder="anna", position=5)
    remove_item(collected, "väntan", first.id, coder="anna")
    assert [i.id for i in show_collection(collected, "väntan").items] == [second.id]
    with pytest.raises(NotFound, match="no item"):
        remove_item(collected, "väntan", first.id, coder="anna")
    with pytest.raises(NotFound, match="no collection named 'nej'"):
        show_collection(collected, "nej")


def test_a_quote_from_a_summary_is_flagged(coded_project: Project, tmp_path: Path) -> None:
    from qualcode.services.importing import import_file

    path = tmp_path / "tel.txt"
    path.write_text(
        "I: Berätta.\n\nIP1: Ja.\n\n[Sammanfattning] Hon beskrev hur familjen väntade i två år.\n",
        encoding="utf-8",
    )
    report = import_file(coded_project, path, mode="telephone", title="Tel")
    text = transcript_text(coded_project, "Tel").text
    start = text.index("Hon beskrev")
    create_collection(coded_project, "s", coder="anna")
    add_span(coded_project, "s", report.transcript.id, start, len(text) - 1, coder="anna")
    quote = stored_collection(coded_project, "s").quotes[0]
    assert quote.verbatim is False
    markdown = write_collection(
        coded_project, stored_collection(coded_project, "s"), "md", tmp_path / "s.md"
    )
    assert "skriftlig sammanfattning, inte ordagrant" in markdown.read_text("utf-8")


def test_collection_items_follow_a_revision(collected: Project, tmp_path: Path) -> None:
    path = tmp_path / "v2.txt"
    path.write_text(
        "Datum: 2013-04-18\nPlats: Norrvik\n" + SHORT_FOCUS_GROUP.split("\n", 1)[1],
        encoding="utf-8",
    )
    revise_transcript(collected, "Fokus", path)
    text = transcript_text(collected, "Fokus").text
    item = show_collection(collected, "väntan").items[0]
    assert text[item.start : item.end] == WAIT

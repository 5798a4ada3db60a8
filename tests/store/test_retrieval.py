"""Retrieval over real stored codings, and the quote collections written from it."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.query import QuerySyntaxError
from qualcode.services import coding
from qualcode.services.attributes import set_attribute
from qualcode.services.project import Project
from qualcode.services.pseudonyms import set_pseudonym
from qualcode.services.quotes import LeakFound, build_collection, write_collection
from qualcode.services.retrieval import retrieve
from qualcode.services.speakers import update_speaker
from qualcode.services.transcripts import transcript_text


def code(project: Project, quote: str, key: str, coder: str = "anna") -> None:
    text = transcript_text(project, "Fokus").text
    start = text.index(quote)
    coding.apply_code(
        project, transcript="Fokus", code=key, start=start, end=start + len(quote), coder=coder
    )


@pytest.fixture
def coded(coded_project: Project) -> Project:
    code(coded_project, "Vi lägger ärendet på is. Det är så vi gör, tyvärr.", "ACT.WAIT")
    code(
        coded_project, "Det är så vi gör, tyvärr. Man vet ju inte om de får stanna.", "DISC.STRUCT"
    )
    code(coded_project, "Barnen får vänta längre än andra barn.", "DISC.DIFF", "bertil")
    code(
        coded_project, "Hur ser det ut hos er när familjen väntar på beslut?", "ACT.WAIT", "bertil"
    )
    code(coded_project, "De lyssnar inte på våra bedömningar.", "COOP.NOTVALUED")
    return coded_project


def texts(project: Project, query: str, **kwargs: object) -> list[str]:
    return [p.text for p in retrieve(project, query, **kwargs).passages]  # type: ignore[arg-type]


def test_codes_groups_and_boolean_operators(coded: Project) -> None:
    assert texts(coded, "ACT.WAIT") == [
        "Hur ser det ut hos er när familjen väntar på beslut?",
        "Vi lägger ärendet på is. Det är så vi gör, tyvärr.",
    ]
    assert texts(coded, "DISC") == [
        "Det är så vi gör, tyvärr. Man vet ju inte om de får stanna.",
        "Barnen får vänta längre än andra barn.",
    ]
    assert texts(coded, "ACT.WAIT AND DISC.STRUCT") == ["Det är så vi gör, tyvärr."]
    assert texts(coded, "ACT.WAIT AND NOT DISC.STRUCT")[1] == "Vi lägger ärendet på is. "
    assert texts(coded, "ACT.WAIT OVERLAPS DISC.STRUCT") == [
        "Vi lägger ärendet på is. Det är så vi gör, tyvärr. Man vet ju inte om de får stanna."
    ]
    assert len(texts(coded, "ACT.WAIT OR COOP.NOTVALUED")) == 3


def test_filters_on_speaker_role_coder_mode_and_attributes(coded: Project) -> None:
    assert texts(coded, "ACT.WAIT AND role:participant") == [
        "Vi lägger ärendet på is. Det är så vi gör, tyvärr."
    ]
    assert texts(coded, 'ACT.WAIT AND speaker:"Moderator 1"') == [
        "Hur ser det ut hos er när familjen väntar på beslut?"
    ]
    assert texts(coded, "ACT.WAIT AND coder:bertil") == [
        "Hur ser det ut hos er när familjen väntar på beslut?"
    ]
    assert texts(coded, "ACT.WAIT AND mode:telephone") == []
    set_attribute(coded, "county", "Skåne", transcript="Fokus", coder="anna")
    assert len(texts(coded, "DISC AND attr:county=Skåne")) == 2
    assert texts(coded, "DISC AND attr:county=Stockholm") == []
    assert texts(coded, "DISC AND attr:participants>=3") == [], (
        "missing is not zero and matches nothing"
    )


def test_text_phrases_and_lemmas_keep_whole_passages(coded: Project) -> None:
    assert texts(coded, 'DISC AND text:"andra barn"') == ["Barnen får vänta längre än andra barn."]
    assert texts(coded, 'text:"PÅ IS"') == ["på is"]
    assert texts(coded, "DISC AND lemma:vänta") == ["Barnen får vänta längre än andra barn."]


def test_near_counts_sentences(coded: Project) -> None:
    near = texts(coded, "DISC.DIFF NEAR/1 DISC.STRUCT")
    assert near == []  # different turns, more than one sentence apart
    assert len(texts(coded, "DISC.DIFF NEAR/3 DISC.STRUCT")) == 1


def test_passages_carry_speaker_codes_and_context(coded: Project) -> None:
    update_speaker(coded, "Fokus", "Socialsekreterare A", coder="anna", pseudonym="SS1")
    found = retrieve(coded, "ACT.WAIT AND role:participant", context=1)
    passage = found.passages[0]
    assert (passage.speaker, passage.role, passage.verbatim) == ("SS1", "participant", True)
    assert passage.codes == (("ACT.WAIT", "anna"), ("DISC.STRUCT", "anna"))
    assert passage.before == ""  # the turn starts here; the label is not context
    assert passage.after == " Man vet ju inte om de får stanna."
    assert found.by_code == {"ACT.WAIT": 1, "DISC.STRUCT": 1}


def test_bad_queries_are_named(coded: Project) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        retrieve(coded, "ACT.WAIT AND (DISC")
    assert caught.value.column == 14  # the "(" that is never closed
    with pytest.raises(NotFound, match="'ACT.NOPE'"):
        retrieve(coded, "ACT.NOPE OR ACT")
    with pytest.raises(InvalidInput, match="coder: can only be combined with AND"):
        retrieve(coded, "ACT OR coder:anna")


def test_collections_are_pseudonymised_attributed_and_leak_checked(
    coded: Project, tmp_path: Path
) -> None:
    set_pseudonym(coded, "Migrationsverket", "[myndigheten]", coder="anna")
    found = retrieve(coded, "COOP OR ACT.WAIT AND role:participant")
    collection = build_collection(coded, found, title="Väntan")
    # the themes are the codes the query names: COOP, not its child COOP.NOTVALUED
    assert [t.key for t in collection.themes] == ["ACT.WAIT", "COOP"]
    assert all(q.attribution == "en deltagare, fokusgrupp" for q in collection.quotes)

    markdown = write_collection(coded, collection, "md", tmp_path / "q.md").read_text("utf-8")
    assert (
        markdown.index("## ")
        < markdown.index("> Vi lägger ärendet på is.")
        < markdown.index("> De lyssnar")
    )
    assert "— en deltagare, fokusgrupp" in markdown

    rows = list(
        csv.DictReader(
            io.StringIO(
                write_collection(coded, collection, "csv", tmp_path / "q.csv").read_text(
                    "utf-8-sig"
                )
            )
        )
    )
    assert [(r["theme"], r["attribution"]) for r in rows] == [
        ("ACT.WAIT", "en deltagare, fokusgrupp"),
        ("COOP", "en deltagare, fokusgrupp"),
    ]

    data = json.loads(
        write_collection(coded, collection, "json", tmp_path / "q.json").read_text("utf-8")
    )
    assert data["themes"][1]["quotes"][0]["text"] == "De lyssnar inte på våra bedömningar."

    class Quotes(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.blockquotes, self.inside = [], False

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.inside = self.inside or tag == "blockquote"

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.blockquotes.append(data)

        def handle_endtag(self, tag: str) -> None:
            self.inside = self.inside and tag != "blockquote"

    parser = Quotes()
    parser.feed(write_collection(coded, collection, "html", tmp_path / "q.html").read_text("utf-8"))
    assert "Vi lägger ärendet på is. Det är så vi gör, tyvärr." in parser.blockquotes


def test_a_leaking_export_is_refused_and_leaves_no_file(coded: Project, tmp_path: Path) -> None:
    found = retrieve(coded, "COOP")
    collection = build_collection(coded, found)
    set_pseudonym(
        coded, "bedömningar", "[x]", coder="anna"
    )  # listed after the collection was built
    out = tmp_path / "out"
    out.mkdir()
    target = out / "leak.md"
    with pytest.raises(LeakFound, match="'bedömningar'"):
        write_collection(coded, collection, "md", target)
    assert list(out.iterdir()) == []
    write_collection(coded, collection, "md", target, allow_leaks=True)
    assert "bedömningar" in target.read_text("utf-8")


def test_export_to_a_missing_folder_names_it(coded: Project, tmp_path: Path) -> None:
    collection = build_collection(coded, retrieve(coded, "COOP"))
    with pytest.raises(InvalidInput, match="does not exist"):
        write_collection(coded, collection, "md", tmp_path / "nowhere" / "q.md")


def test_attribution_wording_and_template_are_the_projects(coded: Project) -> None:
    from qualcode.services.attribution import set_attribution

    set_attribution(
        coded,
        coder="anna",
        role=("participant", "en socialsekreterare"),
        template="{role} i {mode}",
    )
    collection = build_collection(coded, retrieve(coded, "COOP"))
    assert collection.quotes[0].attribution == "en socialsekreterare i fokusgrupp"
    with pytest.raises(InvalidInput, match="unknown role 'boss'"):
        set_attribution(coded, coder="anna", role=("boss", "chefen"))
    with pytest.raises(InvalidInput, match="only use"):
        set_attribution(coded, coder="anna", template="{name}")


def test_export_language_picks_code_names_and_attribution_wording(coded: Project) -> None:
    from qualcode.services.attribution import set_attribution
    from qualcode.services.codes import add_code

    add_code(coded, "ACT.EN", name="Only in English", labels={"en": "Only in English"},
             parent="ACT", coder="anna")  # fmt: skip
    add_code(coded, "ACT.PLAIN", name="Utan språk", parent="ACT", coder="anna")
    code(coded, "Man vet ju inte om de får stanna.", "ACT.EN")
    code(coded, "Barnen får vänta längre", "ACT.PLAIN")
    found = retrieve(coded, "ACT.WAIT OR COOP OR ACT.EN OR ACT.PLAIN")
    swedish = build_collection(coded, found)  # the project's language: Swedish
    assert [t.name for t in swedish.themes] == [
        "Ärendet läggs på is",
        "Only in English [en]",
        "Utan språk",
        "Samverkan med Migrationsverket",
    ]
    assert {q.attribution for q in swedish.quotes} == {
        "en deltagare, fokusgrupp",
        "moderator, fokusgrupp",
    }
    english = build_collection(coded, found, language="en")
    assert [t.name for t in english.themes] == [
        "Case put on hold until the asylum decision",
        "Only in English",
        "Utan språk",
        "Cooperation with the Migration Agency",
    ]
    assert {q.attribution for q in english.quotes} == {
        "a participant, focus group",
        "moderator, focus group",
    }
    # the project's own wording is Swedish: it stays out of an English export
    set_attribution(coded, coder="anna", role=("participant", "en socialsekreterare"))
    assert "en socialsekreterare, fokusgrupp" in {
        q.attribution for q in build_collection(coded, found).quotes
    }
    assert "a participant, focus group" in {
        q.attribution for q in build_collection(coded, found, language="en").quotes
    }
    with pytest.raises(InvalidInput, match="cannot write an export in 'de'; choose one of sv, en"):
        build_collection(coded, found, language="de")

"""Cases as first-class data: links, speaker cases, the passage-attribute rule, migration."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from qualcode.domain.errors import InvalidInput
from qualcode.services.attributes import set_attribute, set_case
from qualcode.services.cases import (
    link_speaker,
    link_transcript,
    list_cases,
    passage_attributes,
    show_case,
    unlink_transcript,
)
from qualcode.services.project import Project, open_project
from qualcode.services.retrieval import retrieve
from qualcode.services.transcripts import list_transcripts
from qualcode.store.engine import make_engine
from qualcode.store.migrate import upgrade
from tests.conftest import SHORT_FOCUS_GROUP, ProjectPlace


def test_a_transcript_belongs_to_several_cases(coded_project: Project) -> None:
    done = link_transcript(coded_project, "Fokus", ["Ekbacka", "Norrvik"], coder="anna")
    assert done.linked == ("Ekbacka", "Norrvik") and done.created == ("Ekbacka", "Norrvik")
    again = link_transcript(coded_project, "Fokus", ["Norrvik"], coder="anna")
    assert again.already == ("Norrvik",) and again.linked == ()
    (fokus,) = list_transcripts(coded_project)
    assert fokus.cases == ("Ekbacka", "Norrvik")
    assert [c.name for c in list_cases(coded_project)] == ["Ekbacka", "Norrvik"]
    assert show_case(coded_project, "Ekbacka").transcripts == ("Fokus",)
    assert unlink_transcript(coded_project, "Fokus", "Ekbacka", coder="anna") == ["Ekbacka"]
    assert list_transcripts(coded_project)[0].cases == ("Norrvik",)
    with pytest.raises(InvalidInput, match="is not in case 'Ekbacka'; its cases: Norrvik"):
        unlink_transcript(coded_project, "Fokus", "Ekbacka", coder="anna")
    # the single-case assignment still works: it makes one case the only one
    set_case(coded_project, "Fokus", "Ekbacka", coder="anna")
    assert list_transcripts(coded_project)[0].cases == ("Ekbacka",)


def test_setting_a_case_attribute_on_a_transcript_says_how_to_fix_it(
    coded_project: Project,
) -> None:
    set_attribute(coded_project, "county", "Skåne", case="Norrvik", coder="anna")
    with pytest.raises(InvalidInput, match=r"has no case; link it first \(qualcode cases link"):
        set_attribute(coded_project, "county", "Skåne", transcript="Fokus", coder="anna")
    link_transcript(coded_project, "Fokus", ["Norrvik"], coder="anna")
    with pytest.raises(InvalidInput, match="attr set county VALUE --case 'Norrvik'"):
        set_attribute(coded_project, "county", "Skåne", transcript="Fokus", coder="anna")


def test_speaker_case_comes_before_the_transcripts_cases(coded_project: Project) -> None:
    """A focus group from two municipalities; speaker A is linked to Ekbacka."""
    project = coded_project
    set_attribute(project, "county", "Skåne", case="Ekbacka", coder="anna")
    set_attribute(project, "county", "Stockholm", case="Norrvik", coder="anna")
    set_attribute(project, "lvu", "2", case="Norrvik", coder="anna")
    link_transcript(project, "Fokus", ["Ekbacka", "Norrvik"], coder="anna")
    link_speaker(project, "Fokus", "Socialsekreterare A", "Ekbacka", coder="anna")

    # the rule, through the service
    assert passage_attributes(project, "Fokus") == {
        "county": ("Skåne", "Stockholm"),  # the cases disagree: both values
        "lvu": 2.0,  # only Norrvik has a value: it is agreed
    }
    assert passage_attributes(project, "Fokus", "Socialsekreterare A") == {"county": "Skåne"}

    # and through attr: filters: A's turns are Skåne only, and lvu is missing for A
    a_turns = [
        (start, SHORT_FOCUS_GROUP.index("\n", start))
        for start in _starts(SHORT_FOCUS_GROUP, "Socialsekreterare A:")
    ]
    stockholm = retrieve(project, "attr:county=Stockholm").passages
    covered = [(p.start, p.end) for p in stockholm]
    for start, end in a_turns:
        assert not any(s < end and start < e for s, e in covered), "A is from Skåne"
    assert "Socialsekreterare B: Hos oss" in " ".join(p.text for p in stockholm)
    skane = retrieve(project, "attr:county=Skåne").passages
    assert " ".join(p.text for p in skane).count("Socialsekreterare") == 3  # A twice, B once
    lvu = retrieve(project, "attr:lvu>=1").passages
    lvu_text = " ".join(p.text for p in lvu)
    assert "Socialsekreterare B" in lvu_text and "Socialsekreterare A" not in lvu_text


def _starts(text: str, label: str) -> list[int]:
    found, at = [], text.find(label)
    while at >= 0:
        found.append(at)
        at = text.find(label, at + 1)
    return found


def test_an_old_single_case_moves_into_the_links(place: ProjectPlace) -> None:
    url = place.db_url or f"sqlite+pysqlite:///{place.directory / 'qualcode.db'}"
    place.directory.mkdir()
    engine = make_engine(url)
    upgrade(engine, "0002")
    with engine.begin() as connection:
        run = connection.execute
        run(sa.text("INSERT INTO project (id, uuid, name, language, settings, created_at) "
                    "VALUES (1, 'p-1', 'old', 'sv', '{}', CURRENT_TIMESTAMP)"))  # fmt: skip
        run(sa.text("INSERT INTO cases (id, uuid, name, created_at) "
                    "VALUES (7, 'k-7', 'Ekbacka', CURRENT_TIMESTAMP)"))  # fmt: skip
        run(sa.text("INSERT INTO transcripts (id, uuid, title, mode, language, version, case_id, "
                    "created_at) VALUES (1, 't-1', 'Gammal', 'interview', 'sv', 1, 7, "
                    "CURRENT_TIMESTAMP)"))  # fmt: skip
        run(sa.text("INSERT INTO text_versions (id, uuid, transcript_id, version, text, sha256, "
                    "length, word_count, transformations, created_at) VALUES (1, 'v-1', 1, 1, "
                    "'Hej hej', 'x', 7, 2, '{}', CURRENT_TIMESTAMP)"))  # fmt: skip
    engine.dispose()
    with open_project(place.directory, place.db_url) as project:
        assert list_transcripts(project)[0].cases == ("Ekbacka",)
        with project.database.engine.connect() as connection:
            legacy = connection.execute(sa.text("SELECT case_id FROM transcripts")).scalar()
        assert legacy is None

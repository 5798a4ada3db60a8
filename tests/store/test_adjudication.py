"""Reviewing two coders' disagreements and settling them into a consensus layer."""

from __future__ import annotations

import json
from typing import TypedDict

import pytest

from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.records import Coding
from qualcode.services import coding
from qualcode.services.adjudication import (
    DisagreementStatus,
    accept_agreements,
    list_disagreements,
    progress,
    settle,
)
from qualcode.services.project import Project
from qualcode.services.transcripts import transcript_text
from qualcode.store.repositories import events
from tests.conftest import ProjectPlace

AGREED = "Vi lägger ärendet på is."
WAITING = "Barnen får vänta längre än andra barn."
SAME_HERE = "Hos oss är det likadant. Barnen får vänta längre än andra barn."
UNSURE = "Man vet ju inte om de får stanna."
NOT_HEARD = "De lyssnar inte på våra bedömningar."
NO_ANSWER = "vi skrev ett yttrande och fick aldrig svar."


class Pair(TypedDict):
    coder_a: str
    coder_b: str


PAIR: Pair = {"coder_a": "anna", "coder_b": "bertil"}


def span(project: Project, quote: str) -> tuple[int, int]:
    start = transcript_text(project, "Fokus").text.index(quote)
    return start, start + len(quote)


def code(project: Project, quote: str, key: str, coder: str) -> Coding:
    start, end = span(project, quote)
    return coding.apply_code(
        project, transcript="Fokus", code=key, start=start, end=end, coder=coder
    )


def rows(project: Project, coder: str) -> list[tuple[str, str]]:
    """A coder's codings as (code, quote), in text order."""
    return [(c.code_key, c.quote) for c in coding.list_codings(project, coders=[coder])]


@pytest.fixture
def two_coders(coded_project: Project) -> Project:
    """One agreement and one disagreement of each kind between anna and bertil."""
    code(coded_project, AGREED, "ACT.WAIT", "anna")
    code(coded_project, AGREED, "ACT.WAIT", "bertil")
    code(coded_project, WAITING, "DISC.DIFF", "anna")  # boundary
    code(coded_project, SAME_HERE, "DISC.DIFF", "bertil")
    code(coded_project, UNSURE, "EMO.POWERLESS", "anna")  # presence, anna's
    code(coded_project, NOT_HEARD, "COOP.NOTVALUED", "anna")  # confusion
    code(coded_project, NOT_HEARD, "COOP.INFO", "bertil")
    code(coded_project, NO_ANSWER, "COOP.WISH", "bertil")  # presence, bertil's
    return coded_project


def by_kind(project: Project) -> dict[str, list[DisagreementStatus]]:
    found: dict[str, list[DisagreementStatus]] = {}
    for item in list_disagreements(project, **PAIR):
        found.setdefault(item.disagreement.kind, []).append(item)
    return found


def key_of(project: Project, kind: str, index: int = 0) -> str:
    return by_kind(project)[kind][index].disagreement.key


def test_lists_each_kind_with_its_passage_and_nothing_settled(two_coders: Project) -> None:
    found = list_disagreements(two_coders, **PAIR)
    assert [(d.disagreement.kind, d.passage) for d in found] == [
        ("presence", UNSURE),
        ("boundary", SAME_HERE),
        ("confusion", NOT_HEARD),
        ("presence", NO_ANSWER),
    ]
    assert all(d.transcript == "Fokus" and not d.settled for d in found)
    confusion = found[2].disagreement
    assert [c.code_key for c in confusion.codings_a] == ["COOP.NOTVALUED"]
    assert [c.code_key for c in confusion.codings_b] == ["COOP.INFO"]
    assert progress(two_coders, **PAIR) == (0, 4)


def test_each_decision_fills_the_consensus_layer_and_leaves_a_and_b_alone(
    two_coders: Project,
) -> None:
    before = {who: coding.list_codings(two_coders, coders=[who]) for who in ("anna", "bertil")}
    kinds = by_kind(two_coders)
    presence_a, presence_b = (d.disagreement.key for d in kinds["presence"])
    boundary = kinds["boundary"][0].disagreement
    confusion = kinds["confusion"][0].disagreement

    made = settle(two_coders, boundary.key, "keep_b", **PAIR, adjudicator="carla")
    assert made.decision == "keep_b" and made.adjudicator == "carla" and made.replaced is None
    assert rows(two_coders, "consensus") == [("DISC.DIFF", SAME_HERE)]
    settle(two_coders, confusion.key, "both", **PAIR, adjudicator="carla")
    settle(two_coders, presence_a, "keep_a", **PAIR, adjudicator="carla")
    settle(two_coders, presence_b, "neither", **PAIR, adjudicator="carla")
    assert sorted(rows(two_coders, "consensus")) == sorted(
        [
            ("DISC.DIFF", SAME_HERE),
            ("COOP.NOTVALUED", NOT_HEARD),
            ("COOP.INFO", NOT_HEARD),
            ("EMO.POWERLESS", UNSURE),
        ]
    )
    # A's and B's rows are untouched, ids and uuids included
    assert {
        who: coding.list_codings(two_coders, coders=[who]) for who in ("anna", "bertil")
    } == before
    assert progress(two_coders, **PAIR) == (4, 4)
    # resumable: a fresh listing knows every decision
    decisions = {d.disagreement.key: d.settlement for d in list_disagreements(two_coders, **PAIR)}
    assert {s.decision for s in decisions.values() if s} == {"keep_b", "both", "keep_a", "neither"}
    nothing = decisions[presence_b]
    assert nothing is not None and nothing.coding_ids == ()


def test_adjust_codes_a_chosen_span(two_coders: Project) -> None:
    boundary = key_of(two_coders, "boundary")
    start, end = span(two_coders, "Barnen får vänta längre")
    settle(two_coders, boundary, "adjust", **PAIR, adjudicator="carla", span=(start, end))
    assert rows(two_coders, "consensus") == [("DISC.DIFF", "Barnen får vänta längre")]
    confusion = key_of(two_coders, "confusion")
    with pytest.raises(InvalidInput, match="adjust needs a code: anna coded COOP.NOTVALUED"):
        settle(two_coders, confusion, "adjust", **PAIR, adjudicator="carla", span=(start, end))
    where = span(two_coders, NOT_HEARD)
    settle(
        two_coders, confusion, "adjust", **PAIR, adjudicator="carla", span=where, code="COOP.INFO"
    )
    assert ("COOP.INFO", NOT_HEARD) in rows(two_coders, "consensus")


def test_an_adjusted_span_that_cuts_a_word_is_refused_or_snapped(
    two_coders: Project, place: ProjectPlace
) -> None:
    boundary = key_of(two_coders, "boundary")
    start, end = span(two_coders, "Barnen får vänta längre")
    cut = (start + 2, end - 3)  # "rnen får vänta läng"
    with pytest.raises(
        InvalidInput, match=f"cuts 'Barnen' and 'längre'; settle with --span {start}..{end}"
    ):
        settle(two_coders, boundary, "adjust", **PAIR, adjudicator="carla", span=cut)
    from qualcode.services.coders import list_coders

    assert "consensus" not in {c.name for c in list_coders(two_coders)}  # nothing written
    from typer.testing import CliRunner

    from qualcode.cli import app

    result = CliRunner().invoke(app, [*place.cli_args, "settle", boundary, "adjust", "--a", "anna",
                                      "--b", "bertil", "--span", f"{cut[0]}..{cut[1]}", "--snap"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert rows(two_coders, "consensus") == [("DISC.DIFF", "Barnen får vänta längre")]


def test_settling_again_replaces_the_earlier_decision(two_coders: Project) -> None:
    confusion = key_of(two_coders, "confusion")
    first = settle(two_coders, confusion, "both", **PAIR, adjudicator="carla")
    second = settle(two_coders, confusion, "keep_a", **PAIR, adjudicator="david")
    assert second.replaced == "both" and second.event_id > first.event_id
    assert rows(two_coders, "consensus") == [("COOP.NOTVALUED", NOT_HEARD)]
    settle(two_coders, confusion, "neither", **PAIR, adjudicator="david")
    assert rows(two_coders, "consensus") == []
    status = by_kind(two_coders)["confusion"][0].settlement
    assert status is not None and (status.decision, status.adjudicator) == ("neither", "david")
    assert progress(two_coders, **PAIR) == (1, 4)


def test_the_settlement_event_records_the_decision(two_coders: Project) -> None:
    confusion = key_of(two_coders, "confusion")
    first = settle(two_coders, confusion, "keep_b", **PAIR, adjudicator="carla")
    settle(two_coders, confusion, "keep_a", **PAIR, adjudicator="carla")
    with two_coders.database.read() as session:
        logged = events.recent_events(session, actions=("adjudication.settle",))
    latest, earlier = logged
    assert latest.coder == "carla" and latest.after is not None and latest.before is not None
    assert latest.after["key"] == confusion and latest.after["decision"] == "keep_a"
    assert len(latest.after["coding_ids"]) == 1
    assert latest.before["decision"] == "keep_b" and latest.before["event_id"] == first.event_id
    assert [r["coding"]["id"] for r in latest.before["removed"]] == list(first.coding_ids)
    assert earlier.before is None


def test_agreements_are_accepted_once(two_coders: Project) -> None:
    first = accept_agreements(two_coders, **PAIR, adjudicator="carla")
    assert (first.created, first.present, first.skipped_retired) == (1, 0, 0)
    again = accept_agreements(two_coders, **PAIR, adjudicator="carla")
    assert (again.created, again.present) == (0, 1) and again.coding_ids == first.coding_ids
    assert rows(two_coders, "consensus") == [("ACT.WAIT", AGREED)]
    assert progress(two_coders, **PAIR) == (0, 4)  # agreements are not disagreements


def test_resettling_keeps_codings_something_else_stands_on(two_coders: Project) -> None:
    accept_agreements(two_coders, **PAIR, adjudicator="carla")
    by_hand = code(two_coders, NO_ANSWER, "COOP.POSITIVE", "consensus")
    presence = key_of(two_coders, "presence")
    # the decision lands on codings the layer already has: reused, not duplicated
    settle(
        two_coders,
        presence,
        "adjust",
        **PAIR,
        adjudicator="carla",
        span=span(two_coders, AGREED),
        code="ACT.WAIT",
    )
    presence_b = key_of(two_coders, "presence", 1)
    made = settle(
        two_coders,
        presence_b,
        "adjust",
        **PAIR,
        adjudicator="carla",
        span=span(two_coders, NO_ANSWER),
        code="COOP.POSITIVE",
    )
    assert made.coding_ids == (by_hand.id,)
    settle(two_coders, presence, "neither", **PAIR, adjudicator="carla")
    settle(two_coders, presence_b, "neither", **PAIR, adjudicator="carla")
    assert rows(two_coders, "consensus") == [
        ("ACT.WAIT", AGREED),
        ("COOP.POSITIVE", NO_ANSWER),
    ]


def test_filters_by_code_and_transcript(two_coders: Project) -> None:
    coop = list_disagreements(two_coders, **PAIR, codes=["COOP"])
    assert [d.disagreement.kind for d in coop] == ["confusion", "presence"]
    assert progress(two_coders, **PAIR, codes=["DISC.DIFF"]) == (0, 1)
    assert len(list_disagreements(two_coders, **PAIR, transcripts=["Fokus"])) == 4
    with pytest.raises(NotFound, match="no code with key 'NOPE'"):
        list_disagreements(two_coders, **PAIR, codes=["NOPE"])


def test_bad_requests_get_clear_messages(two_coders: Project) -> None:
    boundary = key_of(two_coders, "boundary")
    with pytest.raises(InvalidInput, match="decision must be one of keep_a, keep_b, both"):
        settle(two_coders, boundary, "maybe", **PAIR, adjudicator="carla")
    with pytest.raises(InvalidInput, match="no disagreement 'boundary-000000000000'"):
        settle(two_coders, "boundary-000000000000", "keep_a", **PAIR, adjudicator="carla")
    with pytest.raises(InvalidInput, match="adjust needs the span"):
        settle(two_coders, boundary, "adjust", **PAIR, adjudicator="carla")
    with pytest.raises(InvalidInput, match="only for adjust, not for keep_a"):
        settle(two_coders, boundary, "keep_a", **PAIR, adjudicator="carla", span=(0, 5))
    with pytest.raises(InvalidInput, match="a coder of its own, not 'anna'"):
        settle(two_coders, boundary, "keep_a", **PAIR, adjudicator="carla", consensus="anna")
    with pytest.raises(InvalidInput, match="two different coders"):
        list_disagreements(two_coders, coder_a="anna", coder_b="anna")
    with pytest.raises(NotFound, match="no coder named 'carla'"):
        list_disagreements(two_coders, coder_a="anna", coder_b="carla")


def test_a_coder_who_coded_nothing_gets_a_clear_message(coded_project: Project) -> None:
    code(coded_project, AGREED, "ACT.WAIT", "anna")
    code(coded_project, AGREED, "ACT.WAIT", "bertil")
    coding.remove_coding(
        coded_project,
        coding.find_coding_id(
            coded_project,
            transcript="Fokus",
            code="ACT.WAIT",
            start=span(coded_project, AGREED)[0],
            end=span(coded_project, AGREED)[1],
            coder="bertil",
        ),
        coder="bertil",
    )
    with pytest.raises(InvalidInput, match="coder 'bertil' has no codings; there is nothing"):
        list_disagreements(coded_project, **PAIR)
    with pytest.raises(InvalidInput, match="coder 'bertil' has no codings"):
        settle(coded_project, "presence-000000000000", "keep_a", **PAIR, adjudicator="carla")


def test_the_cli_lists_settles_and_leaves_consensus_out_of_agreement(
    place: ProjectPlace, coded_project: Project
) -> None:
    from typer.testing import CliRunner

    from qualcode.cli import app
    from qualcode.services.agreement import agreement

    text = transcript_text(coded_project, "Fokus").text
    start = text.index("Vi lägger ärendet på is.")
    coding.apply_code(
        coded_project,
        transcript="Fokus",
        code="ACT.WAIT",
        start=start,
        end=start + 24,
        coder="anna",
    )
    coding.apply_code(
        coded_project,
        transcript="Fokus",
        code="ACT.WAIT",
        start=start,
        end=start + 10,
        coder="bertil",
    )
    runner = CliRunner(env={"QUALCODE_CODER": "carla"})
    listed = runner.invoke(app, [*place.cli_args, "disagreements", "anna", "bertil", "--json"])
    assert listed.exit_code == 0, listed.stderr
    [found] = json.loads(listed.stdout)
    assert found["kind"] == "boundary" and found["decision"] is None
    settled = runner.invoke(
        app, [*place.cli_args, "settle", found["key"], "keep_a", "--a", "anna", "--b", "bertil"]
    )
    assert settled.exit_code == 0, settled.stderr
    assert [(c.start, c.end) for c in coding.list_codings(coded_project, coders=["consensus"])] == [
        (start, start + 24)
    ]
    assert agreement(coded_project, bootstrap_draws=0).coders == ("anna", "bertil")
    bad = runner.invoke(
        app, [*place.cli_args, "settle", found["key"], "maybe", "--a", "anna", "--b", "bertil"]
    )
    assert bad.exit_code == 1 and "'maybe'" in bad.stderr

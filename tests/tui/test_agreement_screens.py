"""The agreement and adjudication screens, driven through their keys and checked on
screen and in the database (the consensus coder's codings)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

import pytest
from rich.text import Text
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from textual.worker import WorkerFailed

from qualcode.services import adjudication, coding, transcripts
from qualcode.services.project import Project
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.screens.adjudication import (
    AdjudicationScreen,
    AdjustDialog,
    read_adjustment,
)
from qualcode.tui.screens.agreement import AgreementScreen
from qualcode.tui.widgets.alpha_bar import alpha_bar, band

from .conftest import FOCUS_GROUP

pytestmark = pytest.mark.anyio

SIZE = (120, 40)
DRAWS = 200  # enough for an interval, quick enough for a test
SnapCompare = Callable[..., bool]

# whole sentences of the focus group (sentence units, so α counts each once)
S = [
    "Ja, men då sätter vi igång.",
    "Först, tack för att ni ville komma, och tack till Norrvik för att vi får låna rummet.",
    "Vi är intresserade av era erfarenheter, det finns inga rätt eller fel svar.",
    "Kan ni börja med att säga lite kort vilka ni är och var ni jobbar?",
    "Ja, eh, jag kan börja.",
    "Har gjort det i... sex år nu, snart sju.",
    "Innan dess var jag på försörjningsstöd ett tag.",
    "När placeringen redan är gjord.",
    "Jag har hållit på med det i fyra år ungefär.",
    "Alltså i Ekbacka är det inte många.",
    "Vi har haft fler.",
    "Oftast skolan.",
    "Eller förskolan.",
    "Ibland BUP.",
]
HEADER = "Datum: 2013-04-18"  # in no speaker turn


def span(project: Project, phrase: str, through: str | None = None) -> tuple[int, int]:
    text = transcripts.transcript_text(project, FOCUS_GROUP).text
    start = text.index(phrase)
    last = through or phrase
    return start, text.index(last, start) + len(last)


def code(project: Project, key: str, coder: str, phrase: str, through: str | None = None) -> None:
    start, end = span(project, phrase, through)
    coding.apply_code(project, transcript=FOCUS_GROUP, code=key, start=start, end=end,
                      coder=coder)  # fmt: skip


def code_two_coders(project: Project) -> None:
    """anna and bertil: α 1 on ACT.WAIT, 0.747 on DISC.STRUCT, 0.497 on EMO.POWERLESS;
    seven disagreements: five presence (four anna's, one bertil's), a boundary and a
    confusion."""
    for sentence in S[0:3]:
        code(project, "ACT.WAIT", "anna", sentence)
        code(project, "ACT.WAIT", "bertil", sentence)
    for sentence in S[3:6]:
        code(project, "DISC.STRUCT", "anna", sentence)
        code(project, "DISC.STRUCT", "bertil", sentence)
    for sentence in S[6:8]:
        code(project, "DISC.STRUCT", "anna", sentence)
    for sentence in (S[8], S[9], S[10]):
        code(project, "EMO.POWERLESS", "anna", sentence)
    code(project, "EMO.POWERLESS", "bertil", S[9])
    code(project, "ACT.LESS", "bertil", S[9])  # presence, bertil's
    code(project, "COOP.INFO", "anna", S[11])  # boundary
    code(project, "COOP.INFO", "bertil", S[11], through=S[12])
    code(project, "COOP.WISH", "anna", S[13])  # confusion
    code(project, "COOP.NOTVALUED", "bertil", S[13])


def posted(seen: list[Message], kind: type[Message]) -> list[Any]:
    return list({id(m): m for m in seen if isinstance(m, kind)}.values())


def notices(seen: list[Message], severity: str | None = None) -> list[str]:
    return [
        m.notification.message
        for m in posted(seen, Notify)
        if severity in (None, m.notification.severity)
    ]


def shown(app: QualcodeApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


# ---------------------------------------------------------------------- agreement


def table(app: QualcodeApp) -> DataTable[Text]:
    return app.screen.query_one("#agreement-table", DataTable)


def cell(app: QualcodeApp, code_key: str, column: str) -> Text:
    found = table(app).get_cell(code_key, column)
    assert isinstance(found, Text)
    return found


async def open_agreement(app: QualcodeApp, pilot: Pilot[None], **options: Any) -> AgreementScreen:
    screen = AgreementScreen(app.workbench, bootstrap_draws=DRAWS, **options)
    await app.push_screen(screen)
    with suppress(WorkerFailed):  # the screen says why; tests check that
        await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_agreement_shows_a_row_per_code_with_alpha_and_its_bar(tui_project: Project) -> None:
    code_two_coders(tui_project)
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(app, pilot)
        assert screen.report is not None and screen.report.coders == ("anna", "bertil")
        assert not table(app).loading
        rows = [str(key.value) for key in table(app).rows]
        assert rows == [c.code for c in screen.report.per_code]
        assert {"ACT.WAIT", "DISC.STRUCT", "EMO.POWERLESS", "COOP.INFO"} <= set(rows)
        assert str(cell(app, "ACT.WAIT", "alpha")) == "1.000"
        assert str(cell(app, "DISC.STRUCT", "alpha")) == "0.747"
        assert str(cell(app, "EMO.POWERLESS", "alpha")) == "0.497"
        assert str(cell(app, "DISC.STRUCT", "coder-anna")) == "5"
        assert str(cell(app, "DISC.STRUCT", "coder-bertil")) == "3"
        assert str(cell(app, "ACT.WAIT", "alpha-interval")) == "1.00–1.00"
        # one bar per code on one scale, coloured by the thresholds
        colours = app.theme_variables
        for key, filled, colour in (
            ("ACT.WAIT", "████████████", colours["success"]),
            ("DISC.STRUCT", "█████████···", colours["warning"]),  # 0.747 of 12 cells
            ("EMO.POWERLESS", "██████······", colours["error"]),
        ):
            bar = cell(app, key, "alpha-bar")
            assert str(bar) == filled
            assert str(bar.spans[0].style.color.triplet.hex) == colour.lower()  # type: ignore[union-attr]
        detail = shown(app, "#agreement-detail")
        assert detail.startswith(rows[0])
        pooled = shown(app, "#agreement-pooled")
        assert pooled.startswith(f"Pooled over {len(rows)} codes: α 0.")
        assert "% of characters agree" in pooled
        await pilot.press("down")
        assert shown(app, "#agreement-detail").startswith(rows[1])
        await pilot.press("escape")
        assert not isinstance(app.screen, AgreementScreen)


async def test_undefined_alpha_shows_a_dash_with_its_reason(tui_project: Project) -> None:
    code_two_coders(tui_project)
    code(tui_project, "CTX.LATE", "anna", HEADER)
    code(tui_project, "CTX.LATE", "bertil", HEADER)
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE) as pilot:
        await open_agreement(app, pilot, unit="turn")
        assert str(cell(app, "CTX.LATE", "alpha")) == "–"
        assert str(cell(app, "CTX.LATE", "alpha-bar")).strip() == "–"
        assert str(cell(app, "CTX.LATE", "alpha-interval")) == "–"
        assert str(cell(app, "ACT.WAIT", "alpha")) == "1.000"
        table(app).move_cursor(row=table(app).get_row_index("CTX.LATE"))
        await pilot.pause()
        detail = shown(app, "#agreement-detail")
        assert "α undefined: no variation: all values are the same category" in detail


async def test_unit_key_recomputes_by_turn_then_on_characters(tui_project: Project) -> None:
    code_two_coders(tui_project)
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(app, pilot)
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report is not None and screen.report.unit == "turn"
        assert "by turn" in screen.sub_title
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report is not None and screen.report.unit == "char"
        assert str(cell(app, "ACT.WAIT", "alpha")) == "–"
        assert str(cell(app, "ACT.WAIT", "kappa")) != "–"
        assert "computed on sentences or speaker turns" in shown(app, "#agreement-detail")


async def test_coders_key_compares_all_then_each_pair(tui_project: Project) -> None:
    code_two_coders(tui_project)
    for sentence in S[0:3]:
        code(tui_project, "ACT.WAIT", "carla", sentence)
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(app, pilot)
        assert screen.report is not None
        assert screen.report.coders == ("anna", "bertil", "carla")
        columns = [str(key.value) for key in table(app).columns]
        assert "fleiss" in columns and "kappa" not in columns
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report.coders == ("anna", "bertil")
        assert "kappa" in [str(key.value) for key in table(app).columns]


async def test_agreement_that_cannot_be_computed_says_why(tui_project: Project) -> None:
    code(tui_project, "ACT.WAIT", "anna", S[0])
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await open_agreement(app, pilot)
        assert screen.report is None
        assert "agreement needs two or more coders" in shown(app, "#agreement-about")
        assert any("two or more coders" in n for n in notices(seen, "error"))
        assert table(app).row_count == 0 and not table(app).loading


async def test_agreement_stays_hidden_in_blind_mode(tui_project: Project) -> None:
    code_two_coders(tui_project)
    app = make_app(tui_project, coder="anna", blind=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(app, pilot)
        assert screen.report is None and table(app).row_count == 0
        assert shown(app, "#agreement-about").startswith("Blind mode is on")
        await pilot.press("u")
        await app.workers.wait_for_complete()
        assert screen.report is None


def test_alpha_bar_scale_and_bands() -> None:
    colours = {"success": "#00ff00", "warning": "#ffff00", "error": "#ff0000"}
    assert str(alpha_bar(0.5, 4, colours)) == "██··"
    assert str(alpha_bar(0.5, 1, colours)) == "▌"
    assert str(alpha_bar(1 / 16, 2, colours)) == "▏·"
    assert str(alpha_bar(-0.3, 3, colours)) == "···"
    assert str(alpha_bar(None, 3, colours)) == "–  "
    assert [band(a) for a in (0.8, 0.7999, 0.667, 0.666)] == [
        "reliable", "tentative", "tentative", "unreliable",
    ]  # fmt: skip


# ---------------------------------------------------------------------- adjudication

PAIR = {"coder_a": "anna", "coder_b": "bertil"}


def consensus(project: Project) -> set[tuple[str, int, int]]:
    try:
        found = coding.list_codings(project, coders=["consensus"])
    except Exception:  # the consensus coder is created on the first settlement
        return set()
    return {(c.code_key, c.start, c.end) for c in found}


def codings_of(project: Project, coder: str) -> set[tuple[str, int, int]]:
    return {(c.code_key, c.start, c.end) for c in coding.list_codings(project, coders=[coder])}


async def open_adjudication(app: QualcodeApp, pilot: Pilot[None]) -> AdjudicationScreen:
    screen = AdjudicationScreen(app.workbench)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def kinds(screen: AdjudicationScreen) -> list[str]:
    return [item.disagreement.kind for item in screen.items]


async def go_to(pilot: Pilot[None], screen: AdjudicationScreen, kind: str) -> None:
    screen.index = kinds(screen).index(kind)
    screen.action_move(0)
    await pilot.pause()


@pytest.mark.parametrize(("key", "coder"), [("1", "anna"), ("2", "bertil")])
async def test_keeping_one_side_everywhere_makes_the_consensus_that_coders_codings(
    tui_project: Project, key: str, coder: str
) -> None:
    code_two_coders(tui_project)
    before = {who: codings_of(tui_project, who) for who in ("anna", "bertil")}
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_adjudication(app, pilot)
        assert (screen.coder_a, screen.coder_b) == ("anna", "bertil")
        assert kinds(screen) == ["presence"] * 5 + ["boundary", "confusion"]
        assert shown(app, "#adjudication-progress") == "0 of 7 settled"
        assert shown(app, "#adjudication-where").startswith("1 of 7 · presence")
        await pilot.press("A")  # the exact agreements
        for _ in range(7):  # each decision moves on to the next unsettled one
            await pilot.press(key)
        assert shown(app, "#adjudication-progress") == "7 of 7 settled"
        assert shown(app, "#adjudication-decision").startswith(
            f"Settled: keep {'A' if key == '1' else 'B'} by carla"
        )
    assert consensus(tui_project) == before[coder]
    assert {who: codings_of(tui_project, who) for who in ("anna", "bertil")} == before
    assert adjudication.progress(tui_project, **PAIR) == (7, 7)


async def test_both_neither_and_progress(tui_project: Project) -> None:
    code_two_coders(tui_project)
    seen: list[Message] = []
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await open_adjudication(app, pilot)
        await go_to(pilot, screen, "confusion")
        codes_a, codes_b = shown(app, "#codes-a"), shown(app, "#codes-b")
        assert codes_a.startswith("A · anna\n■ COOP.WISH") and "COOP.NOTVALUED" not in codes_a
        assert codes_b.startswith("B · bertil\n■ COOP.NOTVALUED")
        assert S[13] in shown(app, "#passage-a") and S[13] in shown(app, "#passage-b")
        assert shown(app, "#adjudication-decision").startswith("Not settled")
        start, end = span(tui_project, S[13])
        await pilot.press("3")
        assert consensus(tui_project) == {("COOP.WISH", start, end), ("COOP.NOTVALUED", start, end)}
        assert shown(app, "#adjudication-progress") == "1 of 7 settled"
        assert shown(app, "#adjudication-where").startswith("1 of 7 · presence")  # wrapped round
        await pilot.press("0")
        assert shown(app, "#adjudication-progress") == "2 of 7 settled"
        assert len(consensus(tui_project)) == 2
        await pilot.press("p")
        assert shown(app, "#adjudication-decision").startswith("Settled: neither by carla")
        assert any(n.startswith("Settled 1: neither · 2 of 7") for n in notices(seen))
    decisions = [
        (d.disagreement.kind, d.settlement.decision)
        for d in adjudication.list_disagreements(tui_project, **PAIR)
        if d.settlement is not None
    ]
    assert sorted(decisions) == [("confusion", "both"), ("presence", "neither")]


async def test_adjust_settles_with_the_span_and_code_typed(tui_project: Project) -> None:
    code_two_coders(tui_project)
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_adjudication(app, pilot)
        await go_to(pilot, screen, "boundary")
        await pilot.press("j")
        dialog = app.screen
        assert isinstance(dialog, AdjustDialog)
        start, end = span(tui_project, S[11], through=S[12])
        fields = {
            name: dialog.query_one(f"#adjust-{name}", Input) for name in ("start", "end", "code")
        }
        assert [f.value for f in fields.values()] == [str(start), str(end), "COOP.INFO"]
        assert S[11] in shown(app, "#adjust-preview")
        fields["end"].value = str(start + len(S[11]) - 1)  # without the full stop
        fields["code"].value = "coop.wish"
        await pilot.pause()
        assert shown(app, "#adjust-preview") == f"“{S[11][:-1]}”"
        fields["code"].focus()
        await pilot.press("enter")
        assert app.screen is screen
        assert consensus(tui_project) == {("COOP.WISH", start, start + len(S[11]) - 1)}
        await go_to(pilot, screen, "boundary")
        decision = shown(app, "#adjudication-decision")
        assert decision.startswith("Settled: adjusted by carla")
        assert f"COOP.WISH {start}–{start + len(S[11]) - 1}" in decision


async def test_adjust_dialog_refuses_a_bad_span_and_escape_cancels(tui_project: Project) -> None:
    code_two_coders(tui_project)
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_adjudication(app, pilot)
        await pilot.press("j")
        dialog = app.screen
        assert isinstance(dialog, AdjustDialog)
        dialog.query_one("#adjust-end", Input).value = "0"
        dialog.query_one("#adjust-start", Input).focus()
        await pilot.press("enter")
        assert app.screen is dialog
        assert "start before its end" in shown(app, "#adjust-problem")
        await pilot.press("escape")
        assert app.screen is screen
        assert consensus(tui_project) == set()


def test_read_adjustment() -> None:
    keys = ["ACT.WAIT", "COOP.INFO"]
    assert read_adjustment("3", "9", " act.wait", 10, keys).code == "ACT.WAIT"
    for start, end, key, problem in (
        ("x", "9", "ACT.WAIT", "whole numbers"),
        ("3", "11", "ACT.WAIT", "within 0–10"),
        ("3", "9", "NOPE", "No code 'NOPE'"),
    ):
        with pytest.raises(ValueError, match=problem):
            read_adjustment(start, end, key, 10, keys)


async def test_next_unsettled_skips_settled_ones_and_settling_again_replaces(
    tui_project: Project,
) -> None:
    code_two_coders(tui_project)
    listed = adjudication.list_disagreements(tui_project, **PAIR)
    for item in listed[0:3]:
        adjudication.settle(
            tui_project, item.disagreement.key, "keep_a", **PAIR, adjudicator="carla"
        )
    seen: list[Message] = []
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await open_adjudication(app, pilot)
        # resumes at the first unsettled one
        assert screen.index == 3
        assert shown(app, "#adjudication-progress") == "3 of 7 settled"
        await pilot.press("n", "n", "n", "n")  # 4, 5, 6, then round to 0
        assert screen.index == 0
        assert shown(app, "#adjudication-decision").startswith("Settled: keep A by carla")
        await pilot.press("N")
        assert screen.index == 3
        await pilot.press("p", "p", "p")
        assert screen.index == 0
        first = listed[0].disagreement
        assert (first.codings_a[0].code_key, first.start, first.end) in consensus(tui_project)
        await pilot.press("0")  # settles the first one again
        assert screen.index == 3  # and moves on to the next unsettled one
        assert (first.codings_a[0].code_key, first.start, first.end) not in consensus(tui_project)
        assert any("neither (was keep A)" in n for n in notices(seen))
        assert shown(app, "#adjudication-progress") == "3 of 7 settled"


async def test_errors_become_notifications(tui_project: Project) -> None:
    code_two_coders(tui_project)
    seen: list[Message] = []
    app = make_app(tui_project, coder="carla")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = AdjudicationScreen(app.workbench, coder_a="anna", coder_b="anna")
        await app.push_screen(screen)
        await pilot.pause()
        assert any("two different coders" in n for n in notices(seen, "error"))
        assert "two different coders" in shown(app, "#adjudication-where")
        await pilot.press("1")  # nothing to settle: no error, no write
        assert consensus(tui_project) == set()


async def test_nothing_to_adjudicate_with_one_coder_or_in_blind_mode(tui_project: Project) -> None:
    code(tui_project, "ACT.WAIT", "anna", S[0])
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_adjudication(app, pilot)
        assert shown(app, "#adjudication-where").endswith("only anna has coded.")
    code(tui_project, "ACT.WAIT", "bertil", S[1])
    app = make_app(tui_project, coder="anna", blind=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_adjudication(app, pilot)
        assert screen.items == []
        assert shown(app, "#adjudication-where").startswith("Blind mode is on")


# ---------------------------------------------------------------------- snapshots


def test_agreement_screen_snapshot(tui_project: Project, snap_compare: SnapCompare) -> None:
    code_two_coders(tui_project)

    async def open_report(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, QualcodeApp)
        await open_agreement(app, pilot)
        await pilot.press("down", "down")

    app = make_app(tui_project, coder="carla")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_report)


def test_adjudication_screen_snapshot(tui_project: Project, snap_compare: SnapCompare) -> None:
    code_two_coders(tui_project)

    async def open_boundary(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, QualcodeApp)
        screen = await open_adjudication(app, pilot)
        await go_to(pilot, screen, "boundary")

    first = adjudication.list_disagreements(tui_project, **PAIR)[0].disagreement
    adjudication.settle(tui_project, first.key, "keep_a", **PAIR, adjudicator="carla")
    app = make_app(tui_project, coder="carla")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_boundary)

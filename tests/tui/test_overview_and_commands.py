"""The project overview, moving between screens, and the command palette."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from qualcode.services import coding, transcripts
from qualcode.services.project import Project
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.overview import OverviewScreen
from qualcode.tui.widgets.transcript import TranscriptArea

from .conftest import FOCUS_GROUP, TELEPHONE
from .helpers import run_command

pytestmark = pytest.mark.anyio


def table_rows(app: QualcodeApp) -> list[list[str]]:
    table: DataTable[str] = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_overview_lists_transcripts_with_each_coders_progress(tui_project: Project) -> None:
    coding.apply_code(tui_project, transcript=FOCUS_GROUP, code="ACT.WAIT", start=200, end=300,
                      coder="bertil")  # fmt: skip
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=(120, 40)):
        assert isinstance(app.screen, OverviewScreen)
        assert "coder anna" in app.screen.sub_title
        rows = table_rows(app)
        assert [row[0] for row in rows] == [FOCUS_GROUP, TELEPHONE]
        assert rows[0][1] == "focus group"
        labels = [str(c.label) for c in app.screen.query_one(DataTable).columns.values()]
        assert labels[3:] == ["anna codings · coded", "bertil codings · coded"]
        assert rows[0][3].split() == ["0", "·", "0%"]
        assert rows[0][4].split()[0] == "1"


async def test_enter_opens_a_transcript_and_escape_comes_back_updated(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter")
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert (
            screen.transcript_id
            == transcripts.transcript_text(tui_project, TELEPHONE).transcript.id
        )
        area = screen.query_one(TranscriptArea)
        area.move_to(area.text.index("\n\n") + 2)
        await pilot.press("t", "c", "enter")  # the picker's first code
        await pilot.press("escape")
        assert isinstance(app.screen, OverviewScreen)
        assert table_rows(app)[1][3].split()[0] == "1"


async def test_palette_goes_to_a_transcript(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.title == FOCUS_GROUP
        await run_command(pilot, TELEPHONE[:6])
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.title == TELEPHONE
        await pilot.press("escape")  # the coding screen was replaced, not stacked
        assert isinstance(app.screen, OverviewScreen)


async def test_palette_applies_a_code(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(120, 40)) as pilot:
        area = app.screen.query_one(TranscriptArea)
        area.move_to(area.text.index("Först, tack"))
        await pilot.press("s")
        await run_command(pilot, "ACT.WAIT")
        found = coding.list_codings(tui_project, transcripts=[FOCUS_GROUP])
        assert [(c.code_key, c.coder) for c in found] == [("ACT.WAIT", "anna")]


async def test_blind_mode_carries_over_to_the_next_transcript(tui_project: Project) -> None:
    coding.apply_code(tui_project, transcript=TELEPHONE, code="ACT.WAIT", start=100, end=200,
                      coder="bertil")  # fmt: skip
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await run_command(pilot, TELEPHONE[:6])
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.title == TELEPHONE
        assert "blind" in screen.sub_title
        assert screen.visible_codings == []
        await pilot.press("escape")
        labels = [str(c.label) for c in app.screen.query_one(DataTable).columns.values()]
        assert not any("bertil" in label for label in labels)


async def test_the_app_can_start_blind(tui_project: Project) -> None:
    coding.apply_code(tui_project, transcript=FOCUS_GROUP, code="ACT.WAIT", start=200, end=300,
                      coder="bertil")  # fmt: skip
    app = make_app(tui_project, coder="anna", open_first=True, blind=True)
    async with app.run_test(size=(120, 40)):
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert screen.codings and screen.visible_codings == []


async def test_codebook_screen_shows_the_highlighted_definition(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CodebookScreen)
        await pilot.press("down")  # CTX -> CTX.PROBLEMS
        shown = str(app.screen.query_one("#code-detail", Static).render())
        assert shown.startswith("CTX.PROBLEMS")
        assert "Include:" in shown and "Exclude:" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, OverviewScreen)

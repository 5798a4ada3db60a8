"""The analysis screen: a matrix as a heat-coloured table, enter on a cell opens its
passages on the retrieval screen, co-occurrence and the filter, blind mode."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from qualcode.services.project import Project
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.messages import MatrixComputed, PassagesFound
from qualcode.tui.screens.analysis import AnalysisScreen
from qualcode.tui.screens.retrieval import RetrievalScreen

from .conftest import FOCUS_GROUP, TELEPHONE
from .helpers import notices, posted, run_command
from .test_retrieval import code

pytestmark = pytest.mark.anyio

SIZE = (140, 40)


def table_rows(app: QualcodeApp) -> list[list[str]]:
    table: DataTable[Text] = app.screen.query_one("#analysis-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def coded(project: Project) -> None:
    code(project, FOCUS_GROUP, "Jag heter Malin", 80, "ACT.WAIT")
    code(project, FOCUS_GROUP, "Jag heter Malin", 40, "ACT.WAIT", coder="bertil")
    code(project, TELEPHONE, "Jag är socialsekreterare", 60, "ACT.WAIT")
    code(project, FOCUS_GROUP, "Jag heter Malin", 30, "DISC.STRUCT")


async def settle(pilot: Pilot[None]) -> None:
    """Let a change reach the screen, its worker finish and the table be filled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_matrix_heat_cells_and_enter_shows_the_passages(tui_project: Project) -> None:
    coded(tui_project)
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await run_command(pilot, "Analysis: matrices")
        assert isinstance(app.screen, AnalysisScreen)
        await settle(pilot)
        assert posted(seen, MatrixComputed)
        rows = {row[0]: row[1:] for row in table_rows(app)}
        # codes × modes, codings: anna's and bertil's on-hold codings in the focus group
        assert rows["ACT.WAIT"] == ["2", "1", "3"]
        assert rows["ACT"] == ["2", "1", "3"]
        assert rows["Total"][-1] == "4"
        table: DataTable[Text] = app.screen.query_one("#analysis-table", DataTable)
        cell = table.get_row_at([r[0] for r in table_rows(app)].index("ACT.WAIT"))[1]
        assert cell.style.bgcolor is not None  # heat-coloured
        # passages: the two coders' overlapping spans are one passage
        app.screen.query_one("#analysis-measure", Select).value = "passages"
        await settle(pilot)
        rows = {row[0]: row[1:] for row in table_rows(app)}
        assert rows["ACT.WAIT"] == ["1", "1", "2"]
        table.move_cursor(row=[r[0] for r in table_rows(app)].index("ACT.WAIT"), column=1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen)
        found = posted(seen, PassagesFound)[-1]
        assert found.query == "ACT.WAIT AND mode:focus_group"
        assert len(found.retrieval.passages) == 1
        await pilot.press("escape")
        assert isinstance(app.screen, AnalysisScreen)


async def test_cooccurrence_filter_and_blind_mode(tui_project: Project) -> None:
    coded(tui_project)
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna", blind=True)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        app.screen.open_analysis()  # type: ignore[attr-defined]
        await settle(pilot)
        result = posted(seen, MatrixComputed)[-1].result
        assert result.coders == ("anna",)  # blind: only the coder's own codings
        rows = {row[0]: row[1:] for row in table_rows(app)}
        assert rows["ACT.WAIT"] == ["1", "1", "2"]
        app.screen.query_one("#analysis-columns", Select).value = "cooccurrence:overlap"
        await settle(pilot)
        result = posted(seen, MatrixComputed)[-1].result
        wait, struct = result.rows.labels.index("ACT.WAIT"), result.rows.labels.index("DISC.STRUCT")
        assert result.cells[wait][struct] == 1
        await pilot.press("slash")
        app.screen.query_one("#analysis-where", Input).value = "mode:telephone"
        await pilot.press("enter")
        await settle(pilot)
        result = posted(seen, MatrixComputed)[-1].result
        assert result.where == "mode:telephone" and result.cells[wait][struct] == 0
        await pilot.press("slash")
        app.screen.query_one("#analysis-where", Input).value = "ACT.WAIT AND"
        await pilot.press("enter")
        await settle(pilot)
        assert any("column 13" in n for n in notices(seen, "error"))


async def test_words_and_keywords_in_context_from_the_retrieval_screen(
    tui_project: Project,
) -> None:
    from qualcode.tui.messages import KwicFound
    from qualcode.tui.screens.words import WordsScreen

    from .test_retrieval import find

    coded(tui_project)
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await find(pilot, "ACT.WAIT")
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WordsScreen)
        counted = posted(seen, MatrixComputed)[-1].result
        assert counted.where == "ACT.WAIT" and counted.rows.labels
        table: DataTable[Text] = app.screen.query_one("#words-table", DataTable)
        first = str(table.get_row_at(0)[0])
        assert first == counted.rows.labels[0]
        await pilot.press("enter")
        await settle(pilot)
        found = posted(seen, KwicFound)[-1]
        assert found.term == first and found.lines
        assert all(line.keyword.lower() == first for line in found.lines)
        kwic: DataTable[Text] = app.screen.query_one("#kwic-table", DataTable)
        assert kwic.row_count == len(found.lines)
        await pilot.press("l")
        await settle(pilot)
        assert posted(seen, MatrixComputed)[-1].result.rows.dimension == "lemmas"

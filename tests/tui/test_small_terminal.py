"""The workbench in an 80 × 24 terminal: the transcript gets most of the width, the
codebook pane can be hidden, and the help screen fits."""

from __future__ import annotations

import pytest
from textual.containers import Vertical, VerticalScroll

from qualcode.services.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.widgets.transcript import TranscriptArea

pytestmark = pytest.mark.anyio


async def test_the_transcript_gets_most_of_80_columns_and_w_gives_it_all(
    tui_project: Project,
) -> None:
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        area = app.screen.query_one(TranscriptArea)
        sidebar = app.screen.query_one("#sidebar", Vertical)
        assert area.region.width >= 50 and sidebar.region.width <= 30
        await pilot.press("w")
        await pilot.pause()
        assert not sidebar.display and area.region.width == 80
        await pilot.press("w")
        await pilot.pause()
        assert sidebar.display and sidebar.region.width <= 30


async def test_a_wide_terminal_keeps_the_full_codebook_pane(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#sidebar", Vertical).region.width == 48


async def test_the_help_screen_fits_80_by_24(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        region = app.screen.query_one("#help", VerticalScroll).region
        assert region.right <= 80 and region.bottom <= 24
        assert region.x >= 0 and region.y >= 0

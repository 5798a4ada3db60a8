"""The open screen shows changes made elsewhere (the CLI, another coder) within a
second, keeping the cursor and the selection (issue 12, item 7)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qualcode.services import codes, coding
from qualcode.services.importing import revise_transcript
from qualcode.services.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.overview import OverviewScreen
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.transcript import TranscriptArea

from .conftest import REPO

pytestmark = pytest.mark.anyio

FIRST = 1


async def test_another_coders_coding_shows_in_place(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        area = screen.query_one(TranscriptArea)
        area.select_span(40, 60)
        tree = screen.query_one(CodebookTree)
        tree.highlight_key("ACT.WAIT")
        await pilot.pause()
        before = area.selection
        # another process: the CLI, as another coder
        done = subprocess.run(
            [sys.executable, "-m", "qualcode", "-p", str(tui_project.directory), "code",
             str(FIRST), "BIC", "0", "10", "--coder", "bertil"],
            capture_output=True, text=True, cwd=REPO, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        await pilot.pause(1.2)
        assert [(c.coder, c.start, c.end) for c in screen.codings if c.coder == "bertil"] == [
            ("bertil", 0, 10)
        ]
        assert area.selection == before
        highlighted = tree.highlighted_code
        assert highlighted is not None and highlighted.key == "ACT.WAIT"


async def test_a_code_added_elsewhere_appears_in_the_tree(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(140, 40)) as pilot:
        tree = app.screen.query_one(CodebookTree)
        codes.add_code(tui_project, "NYTT", name="Nytt", coder="bertil")
        await pilot.pause(1.2)
        tree.highlight_key("NYTT")
        highlighted = tree.highlighted_code
        assert highlighted is not None and highlighted.key == "NYTT"


async def test_the_overview_counts_follow_other_coders(tui_project: Project) -> None:
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=(160, 40)) as pilot:
        assert isinstance(app.screen, OverviewScreen)
        coding.apply_code(tui_project, transcript=FIRST, code="BIC", start=0, end=10,
                          coder="bertil")  # fmt: skip
        await pilot.pause(1.2)
        table = app.screen.query_one("#transcripts")
        assert any("bertil" in str(column.label) for column in table.columns.values())


async def test_a_revised_transcript_shows_its_new_text(tui_project: Project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(140, 40)) as pilot:
        area = app.screen.query_one(TranscriptArea)
        revised = tmp_path / "revised.txt"
        revised.write_text(area.text.replace("Moderator", "Samtalsledare", 1) + "\nTillägg.\n",
                           encoding="utf-8")  # fmt: skip
        revise_transcript(tui_project, FIRST, revised)
        await pilot.pause(1.2)
        assert "Tillägg." in area.text

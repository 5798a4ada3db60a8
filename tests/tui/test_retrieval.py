"""The retrieval screen: a query, its passages, opening one, collecting them."""

from __future__ import annotations

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from qualcode.services import coding, collections, transcripts
from qualcode.services.project import Project
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.messages import PassagesFound
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.collection_chooser import CollectionChooser
from qualcode.tui.screens.overview import OverviewScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.text import clip
from qualcode.tui.widgets.transcript import TranscriptArea

from .conftest import FOCUS_GROUP, TELEPHONE
from .helpers import notices, posted, run_command

pytestmark = pytest.mark.anyio

SIZE = (120, 40)


def code(project: Project, transcript: str, phrase: str, length: int, key: str,
         coder: str = "anna") -> tuple[int, int]:  # fmt: skip
    text = transcripts.transcript_text(project, transcript).text
    start = text.index(phrase)
    coding.apply_code(project, transcript=transcript, code=key, start=start,
                      end=start + length, coder=coder)  # fmt: skip
    return start, start + length


def code_two_waits(project: Project) -> list[tuple[int, int]]:
    """ACT.WAIT on a participant's words in each transcript, one overlapped by DISC.STRUCT."""
    spans = [
        code(project, FOCUS_GROUP, "Jag heter Malin", 80, "ACT.WAIT"),
        code(project, TELEPHONE, "Jag är socialsekreterare", 60, "ACT.WAIT"),
    ]
    code(project, FOCUS_GROUP, "Jag heter Malin", 30, "DISC.STRUCT")
    return spans


async def find(pilot: Pilot[None], query: str) -> None:
    """Open the retrieval screen, run ``query`` and wait for its passages."""
    await pilot.press("slash")
    pilot.app.screen.query_one("#query", Input).value = query  # typed in the first test
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def cells(app: QualcodeApp) -> list[list[str]]:
    table: DataTable[object] = app.screen.query_one("#passages", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def shown(app: QualcodeApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_query_lists_the_passages_with_counts_per_code(tui_project: Project) -> None:
    spans = code_two_waits(tui_project)
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await run_command(pilot, "Find passages")
        assert isinstance(app.screen, RetrievalScreen)
        await pilot.press(*"ACT.WAIT", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [m.query for m in posted(seen, PassagesFound)] == ["ACT.WAIT"]
        rows = cells(app)
        assert [row[1:4] for row in rows] == [
            [clip(FOCUS_GROUP, 24), "Socialsekreterare A", "ACT.WAIT DISC.STRUCT"],
            [TELEPHONE, "IP1", "ACT.WAIT"],
        ]
        assert rows[0][4].startswith("Jag heter Malin")
        counts = shown(app, "#retrieval-counts")
        assert "2 passages in 2 transcripts" in counts
        assert "ACT.WAIT" in counts and "DISC.STRUCT" in counts
        preview = shown(app, "#passage-preview")
        focus_text = transcripts.transcript_text(tui_project, FOCUS_GROUP).text
        assert " ".join(focus_text[spans[0][0] : spans[0][1]].split()) in " ".join(preview.split())
        assert "Ja, eh, jag kan börja." in preview  # the sentence before, as context
        await pilot.press("down")
        assert "IP1 (participant)" in shown(app, "#passage-preview")


async def test_a_bad_query_points_at_the_problem_and_an_unknown_code_is_named(
    tui_project: Project,
) -> None:
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("slash", *"ACT.WAIT AND", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen)
        error = app.screen.query_one("#query-error", Static)
        assert error.display
        line, caret = shown(app, "#query-error").split("\n")
        assert line == "ACT.WAIT AND"
        assert caret.index("^") == len("ACT.WAIT AND")
        assert "after AND" in caret
        await pilot.press(*" NOPE.CODE", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not error.display
        assert any("'NOPE.CODE'" in n for n in notices(seen, "error"))
        assert isinstance(app.screen, RetrievalScreen)


async def test_enter_opens_the_coding_screen_at_the_passage(tui_project: Project) -> None:
    spans = code_two_waits(tui_project)
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "ACT.WAIT")
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.title == TELEPHONE
        assert screen.query_one(TranscriptArea).selected_span() == spans[1]
        await pilot.press("slash")  # back to the passages found, not a new search
        assert isinstance(app.screen, RetrievalScreen)
        assert len(cells(app)) == 2
        await pilot.press("escape")
        assert isinstance(app.screen, OverviewScreen)


async def test_blind_mode_finds_only_the_coders_own_passages(tui_project: Project) -> None:
    code(tui_project, FOCUS_GROUP, "Jag heter Malin", 80, "ACT.WAIT", coder="bertil")
    code(tui_project, TELEPHONE, "Jag är socialsekreterare", 60, "ACT.WAIT")
    app = make_app(tui_project, coder="anna", blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "ACT.WAIT")
        assert [row[1] for row in cells(app)] == [TELEPHONE]


async def test_passages_go_into_a_new_and_then_the_same_collection(tui_project: Project) -> None:
    spans = code_two_waits(tui_project)
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "ACT.WAIT")
        await pilot.press("a")
        assert isinstance(app.screen, CollectionChooser)
        await pilot.press(*"rapport", "enter")
        await pilot.press("down", "a")
        await pilot.pause()
        assert isinstance(app.screen, CollectionChooser)
        await pilot.press("enter")  # the collection used last is highlighted
        items = collections.show_collection(tui_project, "rapport").items
        focus_id = transcripts.transcript_text(tui_project, FOCUS_GROUP).transcript.id
        assert [(i.transcript_id == focus_id, i.start, i.end, i.theme) for i in items] == [
            (True, *spans[0], "ACT.WAIT"),
            (False, *spans[1], "ACT.WAIT"),
        ]

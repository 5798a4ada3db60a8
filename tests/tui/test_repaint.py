"""Repainting only what a coding changed: the screen must be what a full redraw draws.

Applying a code repaints just the transcript lines whose tints or underlines changed,
and the codes-here panel without a new layout when its height stays (issue 14, item
6). A line left out would keep its old look on screen; these tests compare the screen
after each step with the screen after redrawing every line.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets.tree import TreeNode

from qualcode.domain.records import Code
from qualcode.services import transcripts
from qualcode.services.project import Project
from qualcode.tui.app import CHANGE_POLL_SECONDS, QualcodeApp, make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.codes_here import CodesHere
from qualcode.tui.widgets.transcript import TranscriptArea

from .helpers import style_at, tinted

pytestmark = pytest.mark.anyio

FIRST = 1  # the focus group


async def as_after_full_redraw(pilot: Pilot[None], app: QualcodeApp, area: TranscriptArea) -> bool:
    await pilot.pause()
    shown = app.export_screenshot()
    area.repaint_spans()  # every line drawn again from the painted spans
    await pilot.pause()
    return app.export_screenshot() == shown


async def test_coding_a_wrapped_turn_twice_and_undoing_repaints_every_changed_line(
    tui_project: Project, codebook: dict[str, Code]
) -> None:
    text = transcripts.transcript_text(tui_project, FIRST).text
    turn = text.index("Socialsekreterare A: Ja, eh, jag kan börja.")
    inside = text.index("jobbar i Norrvik", turn)
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        area = screen.query_one(TranscriptArea)
        area.cursor_blink = False  # a blink between two screenshots is not a difference
        area.move_to(inside)
        await pilot.press("t")  # the whole turn: several screen lines at this width
        assert await as_after_full_redraw(pilot, app, area)

        await pilot.press(codebook["ACT.WAIT"].hotkey or "")
        assert tinted(area, inside) and not style_at(area, inside).underline
        assert await as_after_full_redraw(pilot, app, area)

        await pilot.press(codebook["DISC.STRUCT"].hotkey or "")  # the same span: underlined
        assert style_at(area, inside).underline
        assert await as_after_full_redraw(pilot, app, area)

        await pilot.press("u")
        await pilot.pause()
        assert tinted(area, inside) and not style_at(area, inside).underline
        assert await as_after_full_redraw(pilot, app, area)


async def test_the_codes_here_panel_grows_and_shrinks_with_its_entries(
    tui_project: Project, codebook: dict[str, Code]
) -> None:
    text = transcripts.transcript_text(tui_project, FIRST).text
    inside = text.index("jobbar i Norrvik")
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        area, panel = screen.query_one(TranscriptArea), screen.query_one(CodesHere)
        area.move_to(inside)
        await pilot.press("s")
        heights = []
        for key in ("ACT.WAIT", "DISC.STRUCT", "COOP.INFO", "BIC"):
            await pilot.press(codebook[key].hotkey or "")
            await pilot.pause()
            heights.append(panel.outer_size.height)
            assert str(panel.render()).count("\n") + 1 == len(heights)
        # border + entries, at least 3 high (min-height): 3, 3, 4, 5
        assert heights == [3, 3, 4, 5]
        await pilot.press("u", "u")
        await pilot.pause()
        assert panel.outer_size.height == 3
        assert str(panel.render()).count("\n") + 1 == 2


async def test_a_group_closed_in_the_tree_stays_closed_after_coding(
    tui_project: Project, codebook: dict[str, Code]
) -> None:
    """The change poll that follows the screen's own coding finds the codebook as it
    was, so the tree is not rebuilt (which opened every group again)."""
    text = transcripts.transcript_text(tui_project, FIRST).text
    app = make_app(tui_project, coder="anna", open_first=True)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        area, tree = screen.query_one(TranscriptArea), screen.query_one(CodebookTree)
        tree_node(tree, "EMO").collapse()
        area.move_to(text.index("jobbar i Norrvik"))
        await pilot.press("s", codebook["ACT.WAIT"].hotkey or "")
        await pilot.pause(CHANGE_POLL_SECONDS * 3)  # the poll has seen the commit

        assert not tree_node(tree, "EMO").is_expanded
        assert " 1 " in str(tree_node(tree, "ACT.WAIT").label)


def tree_node(tree: CodebookTree, key: str) -> TreeNode[Code]:
    nodes = list(tree.root.children)
    while nodes:
        node = nodes.pop()
        if node.data is not None and node.data.key == key:
            return node
        nodes.extend(node.children)
    raise AssertionError(f"{key} is not in the tree")

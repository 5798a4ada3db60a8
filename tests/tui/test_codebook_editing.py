"""Editing the codebook from its screen, and the in-vivo code form: driven through the
keys, checked on screen and in the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets.tree import TreeNode

from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import Code
from qualcode.services import codes, coding, transcripts
from qualcode.services.project import Project
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.screens.code_chooser import CodeChooser
from qualcode.tui.screens.code_form import CodeForm
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.colour_picker import READABLE_COLOURS, ColourPicker
from qualcode.tui.screens.confirm import Confirm
from qualcode.tui.screens.hotkey_prompt import HotkeyPrompt
from qualcode.tui.screens.in_vivo import InVivoCode
from qualcode.tui.widgets.codebook_tree import CodebookTree

from .conftest import FOCUS_GROUP

pytestmark = pytest.mark.anyio

SIZE = (120, 40)
SnapCompare = Callable[..., bool]


def stored(project: Project) -> dict[str, Code]:
    return {code.key: code for code in codes.list_codes(project)}


def codings_of(project: Project, key: str) -> list[tuple[str, int, int]]:
    found = coding.list_codings(project, codes=[key], descendants=False)
    return [(c.coder, c.start, c.end) for c in found]


def code_passage(project: Project, key: str, phrase: str, coder: str = "anna") -> None:
    start = transcripts.transcript_text(project, FOCUS_GROUP).text.index(phrase)
    coding.apply_code(project, transcript=FOCUS_GROUP, code=key, start=start,
                      end=start + 40, coder=coder)  # fmt: skip


def tree_of(app: QualcodeApp) -> CodebookTree:
    assert isinstance(app.screen, CodebookScreen)
    return app.screen.query_one(CodebookTree)


def node_of(tree: CodebookTree, key: str) -> TreeNode[Code] | None:
    for line in range(tree.last_line + 1):
        node = tree.get_node_at_line(line)
        if node is not None and node.data is not None and node.data.key == key:
            return node
    return None


def label_of(app: QualcodeApp, key: str) -> str:
    node = node_of(tree_of(app), key)
    assert node is not None
    return str(node.label)


async def highlight(pilot: Pilot[None], key: str) -> None:
    tree = tree_of(pilot.app)  # type: ignore[arg-type]
    node = node_of(tree, key)
    assert node is not None
    tree.move_cursor(node)
    await pilot.pause()


def detail(app: QualcodeApp) -> str:
    return str(app.screen.query_one("#code-detail", Static).render())


def notices(seen: list[Message], severity: str) -> list[str]:
    return [m.notification.message for m in seen
            if isinstance(m, Notify) and m.notification.severity == severity]  # fmt: skip


def open_codebook(project: Project) -> QualcodeApp:
    return make_app(project, coder="anna")


async def test_add_a_code_in_the_highlighted_group(tui_project: Project) -> None:
    app, seen = open_codebook(tui_project), []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("c")
        await highlight(pilot, "ACT.WAIT")
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, CodeForm)
        assert form.value("parent") == "ACT"  # the group of the highlighted code
        await pilot.press(*"Väntan på beslut")
        assert form.value("key") == "ACT.VANTAN_PA_BESLUT"
        await pilot.press("down", "down", "down", *"Time spent waiting for a decision")
        await pilot.press("down", *"#1a2B3c", "down", "q", "7")  # q is kept for a command
        await pilot.press("enter")
        assert isinstance(app.screen, CodebookScreen)
        added = stored(tui_project)["ACT.VANTAN_PA_BESLUT"]
        assert (added.parent_key, added.name, added.hotkey) == ("ACT", "Väntan på beslut", "7")
        assert (added.definition, added.color) == ("Time spent waiting for a decision", "#1a2B3c")
        assert tree_of(app).highlighted_code == added
        assert "[7] ACT.VANTAN_PA_BESLUT" in label_of(app, "ACT.VANTAN_PA_BESLUT")
        assert notices(seen, "information") == ["Added ACT.VANTAN_PA_BESLUT to ACT"]


async def test_a_refused_code_keeps_the_form_open(tui_project: Project) -> None:
    app, seen = open_codebook(tui_project), []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("c")
        await highlight(pilot, "ACT")
        await pilot.press("a", *"Wait", "down", "ctrl+u", *"ACT.WAIT", "enter")
        assert isinstance(app.screen, CodeForm)
        assert notices(seen, "error") == ["a code with key 'ACT.WAIT' exists already"]
        await pilot.press("ctrl+u", *"ACT.WAIT2", "enter")
        assert isinstance(app.screen, CodebookScreen)
        assert stored(tui_project)["ACT.WAIT2"].name == "Wait"


async def test_rename_changes_the_name_shown(tui_project: Project) -> None:
    app = open_codebook(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await highlight(pilot, "CTX.LATE")
        await pilot.press("r", *"Sent kontakt", "enter")  # the old name is selected
        renamed = stored(tui_project)["CTX.LATE"]
        assert renamed.name == "Sent kontakt"
        assert renamed.labels == {"sv": "Sent kontakt", "en": "Late discovery and referral routes"}
        assert label_of(app, "CTX.LATE").endswith(" Sent kontakt")
        assert detail(app).startswith("CTX.LATE  Sent kontakt")


async def test_recolour_from_the_palette_or_typed(tui_project: Project) -> None:
    app = open_codebook(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await highlight(pilot, "ACT.WAIT")
        await pilot.press("c")
        assert isinstance(app.screen, ColourPicker)
        # its own colour is not in the list, so it is typed in and nothing is highlighted
        assert app.screen.chosen == stored(tui_project)["ACT.WAIT"].color
        await pilot.press("down", "down", "enter")  # the group's colour, then the first
        assert stored(tui_project)["ACT.WAIT"].color == READABLE_COLOURS[0][1]
        await pilot.press("c", *"00aa00", "enter")
        assert stored(tui_project)["ACT.WAIT"].color == "#00aa00"
        swatch = tree_of(app).highlighted_code
        assert swatch is not None and swatch.color == "#00aa00"
        await pilot.press("c", "ctrl+u", "enter")  # first in the list: none of its own
        assert stored(tui_project)["ACT.WAIT"].color is None


async def test_hotkey_set_and_a_clash_refused(tui_project: Project) -> None:
    app, seen = open_codebook(tui_project), []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("c")
        await highlight(pilot, "CTX.LATE")
        await pilot.press("h")
        assert isinstance(app.screen, HotkeyPrompt)
        await pilot.press("q", "7", "enter")  # q cannot be typed
        assert stored(tui_project)["CTX.LATE"].hotkey == "7"
        assert "[7] CTX.LATE" in label_of(app, "CTX.LATE")
        before = stored(tui_project)
        await highlight(pilot, "CTX.PROBLEMS")
        await pilot.press("h", "backspace", "7", "enter")
        assert notices(seen, "error") == ["hotkey '7' is already on CTX.LATE"]
        assert stored(tui_project) == before
        await highlight(pilot, "CTX.LATE")
        await pilot.press("h", "backspace", "enter")  # empty: no hotkey
        assert stored(tui_project)["CTX.LATE"].hotkey is None


async def test_retire_and_bring_back(tui_project: Project) -> None:
    app = open_codebook(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await highlight(pilot, "ACT.WAIT")
        assert app.screen.active_bindings["x"].binding.action == "retire"
        await pilot.press("x")
        assert stored(tui_project)["ACT.WAIT"].retired
        assert "retired: it can no longer be applied" in detail(app)
        node = node_of(tree_of(app), "ACT.WAIT")
        assert node is not None and any(s.style.strike for s in node.label.spans)  # type: ignore[union-attr]
        with pytest.raises(InvalidInput, match="retired"):
            code_passage(tui_project, "ACT.WAIT", "Vi skrev ju")
        assert app.screen.active_bindings["x"].binding.action == "unretire"
        await pilot.press("x")
        assert not stored(tui_project)["ACT.WAIT"].retired
        code_passage(tui_project, "ACT.WAIT", "Vi skrev ju")


async def test_move_into_another_group(tui_project: Project) -> None:
    code_passage(tui_project, "ACT.WAIT", "Vi skrev ju")
    app = open_codebook(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await highlight(pilot, "ACT")
        await pilot.press("m")
        chooser = app.screen
        assert isinstance(chooser, CodeChooser)
        # a group cannot go inside itself, so neither it nor its codes are offered
        assert chooser.shown_keys[0] == "" and not any(
            key == "ACT" or key.startswith("ACT.") for key in chooser.shown_keys
        )
        await pilot.press("escape")
        await highlight(pilot, "ACT.WAIT")
        await pilot.press("m", *"EMO", "enter")
        assert stored(tui_project)["ACT.WAIT"].parent_key == "EMO"
        node = node_of(tree_of(app), "ACT.WAIT")
        assert node is not None and node.parent is not None and node.parent.data is not None
        assert node.parent.data.key == "EMO"
        assert tree_of(app).highlighted_code == stored(tui_project)["ACT.WAIT"]
        assert len(codings_of(tui_project, "ACT.WAIT")) == 1  # its codings stay with it
        await pilot.press("m")
        chooser = app.screen
        assert isinstance(chooser, CodeChooser)
        here = chooser.shown_keys.index("EMO")  # highlighted: where the code is now
        await pilot.press(*["up"] * here, "enter")  # the top level is offered first
        assert stored(tui_project)["ACT.WAIT"].parent_key is None


async def test_merge_moves_the_codings_and_deletes_the_code(tui_project: Project) -> None:
    code_passage(tui_project, "ACT.WAIT", "Vi skrev ju", coder="anna")
    code_passage(tui_project, "ACT.WAIT", "alltså barn", coder="bertil")
    code_passage(tui_project, "ACT.LESS", "Först, tack", coder="anna")
    expected = sorted(codings_of(tui_project, "ACT.WAIT") + codings_of(tui_project, "ACT.LESS"))
    app, seen = open_codebook(tui_project), []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("c")
        await highlight(pilot, "ACT.WAIT")
        await pilot.press("g", *"ACT.LESS", "enter")
        confirm = app.screen
        assert isinstance(confirm, Confirm)
        assert "2 codings of ACT.WAIT move to ACT.LESS" in str(
            confirm.query_one("#confirm-body", Static).render()
        )
        await pilot.press("enter")
        assert "ACT.WAIT" not in stored(tui_project)
        assert sorted(codings_of(tui_project, "ACT.LESS")) == expected
        assert node_of(tree_of(app), "ACT.WAIT") is None
        assert " 3 " in label_of(app, "ACT.LESS")  # the count beside the key
        assert tree_of(app).highlighted_code == stored(tui_project)["ACT.LESS"]
        assert notices(seen, "information") == ["Merged ACT.WAIT into ACT.LESS: 2 codings moved"]


async def test_merge_asks_first_and_refuses_a_group(tui_project: Project) -> None:
    code_passage(tui_project, "ACT.WAIT", "Vi skrev ju")
    app, seen = open_codebook(tui_project), []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("c")
        await highlight(pilot, "ACT.WAIT")
        await pilot.press("g", *"ACT.LESS", "enter", "escape")  # escape: not after all
        assert isinstance(app.screen, CodebookScreen)
        assert len(codings_of(tui_project, "ACT.WAIT")) == 1
        await highlight(pilot, "ACT")
        await pilot.press("g")
        assert isinstance(app.screen, CodebookScreen)
        assert notices(seen, "error") == ["ACT has codes inside it: move or merge those first"]
        assert "ACT" in stored(tui_project)


async def test_in_vivo_code_gets_a_unique_key_and_can_be_applied(tui_project: Project) -> None:
    codes.add_code(tui_project, "ACT.VI_SKREV_JU_TILL", name="taken", coder="setup",
                   parent="ACT")  # fmt: skip
    words = "“Vi skrev ju till Migrationsverket flera gånger, och väntade.”"
    app = open_codebook(tui_project)
    chosen: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(InVivoCode(app.workbench, words, "ACT"), chosen.append)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InVivoCode)
        assert form.value("name") == "Vi skrev ju till Migrationsverket flera"
        assert form.value("key") == "ACT.VI_SKREV_JU_TILL_2"
        assert form.value("parent") == "ACT"
        assert not form.query("#code-definition")  # name, key and group only
        await pilot.press("enter")
    assert chosen == ["ACT.VI_SKREV_JU_TILL_2"]
    made = stored(tui_project)["ACT.VI_SKREV_JU_TILL_2"]
    assert (made.name, made.parent_key) == ("Vi skrev ju till Migrationsverket flera", "ACT")
    code_passage(tui_project, made.key, "Vi skrev ju")
    assert len(codings_of(tui_project, made.key)) == 1


async def test_in_vivo_key_follows_the_name_until_edited(tui_project: Project) -> None:
    app = open_codebook(tui_project)
    chosen: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(InVivoCode(app.workbench, "väntan", "EMO"), chosen.append)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InVivoCode)
        await pilot.press("end", *" på beslut")
        assert form.value("key") == "EMO.VANTAN_PA_BESLUT"
        await pilot.press("down", "ctrl+u", *"EMO.WAIT_DECISION", "up", "backspace")
        assert form.value("key") == "EMO.WAIT_DECISION"
        await pilot.press("escape")
    assert chosen == [None]
    assert "EMO.WAIT_DECISION" not in stored(tui_project)


def test_codebook_screen(tui_project: Project, snap_compare: SnapCompare) -> None:
    code_passage(tui_project, "ACT.WAIT", "Vi skrev ju")
    code_passage(tui_project, "ACT.WAIT", "alltså barn", coder="bertil")
    codes.edit_code(tui_project, "ACT.RETURN", coder="anna", retired=True)

    async def open_at_act_wait(pilot: Pilot[None]) -> None:
        await pilot.press("c")
        await highlight(pilot, "ACT.WAIT")

    assert snap_compare(open_codebook(tui_project), terminal_size=SIZE,
                        run_before=open_at_act_wait)  # fmt: skip

"""The coding screen driven through its keys, checked on screen and in the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.widgets.tree import TreeNode

from qualcode.domain.records import Code
from qualcode.services import coding, memos, transcripts
from qualcode.services.project import Project
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.messages import HistoryReversed, SpanCoded
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.codes_here import CodesHere
from qualcode.tui.widgets.transcript import TranscriptArea

from .helpers import notices, posted, style_at, tinted

pytestmark = pytest.mark.anyio

FIRST = 1  # the focus group, the first transcript


def open_app(project: Project, coder: str = "anna") -> QualcodeApp:
    return make_app(project, coder=coder, open_first=True)


def text_of(project: Project) -> str:
    return transcripts.transcript_text(project, FIRST).text


def parts(app: QualcodeApp) -> tuple[CodingScreen, TranscriptArea]:
    screen = app.screen
    assert isinstance(screen, CodingScreen)
    return screen, screen.query_one(TranscriptArea)


def rows(project: Project, coder: str = "anna") -> list[tuple[str, int, int, str]]:
    return [
        (c.code_key, c.start, c.end, c.quote)
        for c in coding.list_codings(project, transcripts=[FIRST])
        if c.coder == coder
    ]


def tree_node(tree: CodebookTree, key: str) -> TreeNode[Code]:
    def walk(node: TreeNode[Code]) -> TreeNode[Code] | None:
        if node.data is not None and node.data.key == key:
            return node
        return next((found for child in node.children if (found := walk(child))), None)

    found = walk(tree.root)
    assert found is not None
    return found


def tree_label(tree: CodebookTree, key: str) -> str:
    return str(tree_node(tree, key).label)


async def test_sentence_then_hotkey_codes_the_sentence(
    tui_project: Project, codebook: dict[str, Code]
) -> None:
    text = text_of(tui_project)
    sentence = (
        "Först, tack för att ni ville komma, och tack till Norrvik för att vi får låna rummet."
    )
    start = text.index(sentence)
    seen: list[Message] = []
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        screen, area = parts(app)
        area.move_to(start + 10)
        await pilot.press("s")
        assert area.selected_span() == (start, start + len(sentence))
        assert not tinted(area, start + 10)

        await pilot.press(codebook["ACT.WAIT"].hotkey or "")

        assert rows(tui_project) == [("ACT.WAIT", start, start + len(sentence), sentence)]
        assert tinted(area, start) and tinted(area, start + len(sentence) - 1)
        assert not tinted(area, start - 1) and not tinted(area, start + len(sentence))
        assert [m.coding.code_key for m in posted(seen, SpanCoded)] == ["ACT.WAIT"]
        # the selection stays, so a second hotkey puts a second code on the same passage
        await pilot.press(codebook["DISC.STRUCT"].hotkey or "")
        assert [r[0] for r in rows(tui_project)] == ["ACT.WAIT", "DISC.STRUCT"]
        assert style_at(area, start + 5).underline
        here = str(screen.query_one(CodesHere).render())
        assert "ACT.WAIT" in here and "DISC.STRUCT" in here


async def test_sentence_key_again_adds_the_next_sentence(tui_project: Project) -> None:
    text = text_of(tui_project)
    first = "Först, tack för att ni ville komma, och tack till Norrvik för att vi får låna rummet."
    second_start = text.index("Vi skrev ju i mejlet")
    second_end = text.index("utvisas.") + len("utvisas.")
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        area.move_to(text.index(first))
        await pilot.press("s", "s")
        assert area.selected_span() == (text.index(first), second_end)
        assert second_start < second_end


async def test_turn_selection_leaves_out_the_speaker_label(tui_project: Project) -> None:
    text = text_of(tui_project)
    label = "Socialsekreterare A: "
    turn_start = text.index(label + "Ja, eh, jag kan börja.")
    turn_end = text.index("\n", turn_start)
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        area.move_to(turn_start + 40)
        await pilot.press("t")
        assert area.selected_span() == (turn_start + len(label), turn_end)


async def test_undo_removes_the_coding_and_redo_brings_it_back(
    tui_project: Project, codebook: dict[str, Code]
) -> None:
    text = text_of(tui_project)
    start = text.index("Först, tack")
    seen: list[Message] = []
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        _, area = parts(app)
        area.move_to(start)
        await pilot.press("s", codebook["ACT.WAIT"].hotkey or "")
        coded = rows(tui_project)
        assert len(coded) == 1

        await pilot.press("u")
        assert rows(tui_project) == []
        assert not tinted(area, start)

        await pilot.press("U")
        assert rows(tui_project) == coded
        assert tinted(area, start)
        descriptions = [m.description for m in posted(seen, HistoryReversed)]
        assert descriptions[0].startswith("Undid applying ACT.WAIT")
        assert descriptions[1].startswith("Redid applying ACT.WAIT")


async def test_blind_mode_hides_the_other_coders_spans(tui_project: Project) -> None:
    text = text_of(tui_project)
    theirs = text.index("Först, tack")
    mine = text.index("Vi skrev ju")
    coding.apply_code(tui_project, transcript=FIRST, code="CTX.LATE", start=theirs,
                      end=theirs + 20, coder="bertil")  # fmt: skip
    coding.apply_code(tui_project, transcript=FIRST, code="ACT.WAIT", start=mine,
                      end=mine + 20, coder="anna")  # fmt: skip
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, area = parts(app)
        tree = screen.query_one(CodebookTree)
        assert tinted(area, theirs) and tinted(area, mine)
        assert "CTX.LATE 1 " in tree_label(tree, "CTX.LATE")

        await pilot.press("b")
        assert not tinted(area, theirs)
        assert tinted(area, mine)
        assert "blind" in screen.sub_title
        # the tree's counts would give the other coder's work away
        assert "CTX.LATE 1 " not in tree_label(tree, "CTX.LATE")
        assert "ACT.WAIT 1 " in tree_label(tree, "ACT.WAIT")

        await pilot.press("b")
        assert tinted(area, theirs)


async def test_coder_filter_cycles_through_the_coders(tui_project: Project) -> None:
    text = text_of(tui_project)
    theirs, mine = text.index("Först, tack"), text.index("Vi skrev ju")
    coding.apply_code(tui_project, transcript=FIRST, code="CTX.LATE", start=theirs,
                      end=theirs + 20, coder="bertil")  # fmt: skip
    coding.apply_code(tui_project, transcript=FIRST, code="ACT.WAIT", start=mine,
                      end=mine + 20, coder="anna")  # fmt: skip
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, area = parts(app)
        await pilot.press("f")  # anna only
        assert (tinted(area, theirs), tinted(area, mine)) == (False, True)
        await pilot.press("f")  # bertil only
        assert (tinted(area, theirs), tinted(area, mine)) == (True, False)
        assert "bertil" in screen.sub_title
        await pilot.press("f")  # everyone again
        assert (tinted(area, theirs), tinted(area, mine)) == (True, True)


async def test_x_removes_the_coders_innermost_coding_only(tui_project: Project) -> None:
    text = text_of(tui_project)
    start = text.index("Först, tack")
    for code, end, coder in (("ACT.WAIT", start + 80, "anna"), ("DISC.STRUCT", start + 30, "anna"),
                             ("CTX.LATE", start + 10, "bertil")):  # fmt: skip
        coding.apply_code(tui_project, transcript=FIRST, code=code, start=start, end=end,
                          coder=coder)  # fmt: skip
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        area.move_to(start + 5)
        await pilot.press("x")
        assert [r[0] for r in rows(tui_project)] == ["ACT.WAIT"]
        assert [r[0] for r in rows(tui_project, "bertil")] == ["CTX.LATE"]
        await pilot.press("x")
        assert rows(tui_project) == []
        await pilot.press("x")
        assert rows(tui_project, "bertil") != []


async def test_a_refused_write_becomes_an_error_notification(
    tui_project: Project, codebook: dict[str, Code]
) -> None:
    seen: list[Message] = []
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        _, area = parts(app)
        area.move_to(text_of(tui_project).index("Först, tack"))
        hotkey = codebook["ACT.WAIT"].hotkey or ""
        await pilot.press("s", hotkey, hotkey)
        assert len(rows(tui_project)) == 1
        assert any("already coded" in n for n in notices(seen, "error"))
        assert app.is_running


async def test_hotkey_without_selection_asks_for_one(
    tui_project: Project, codebook: dict[str, Code]
) -> None:
    seen: list[Message] = []
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.press(codebook["ACT.WAIT"].hotkey or "")
        assert rows(tui_project) == []
        assert any("Select a passage first" in n for n in notices(seen, "warning"))


async def test_next_and_previous_visit_coded_passages(tui_project: Project) -> None:
    text = text_of(tui_project)
    spans = [
        (text.index(s), text.index(s) + 15) for s in ("Först, tack", "Vi skrev ju", "Kan ni börja")
    ]
    for (start, end), code in zip(spans, ("ACT.WAIT", "DISC.STRUCT", "ACT.WAIT"), strict=True):
        coding.apply_code(tui_project, transcript=FIRST, code=code, start=start, end=end,
                          coder="anna")  # fmt: skip
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        await pilot.press("n")
        assert area.selected_span() == spans[0]
        await pilot.press("n", "n")
        assert area.selected_span() == spans[2]
        await pilot.press("p")
        assert area.selected_span() == spans[1]

        # with ACT.WAIT highlighted in the tree, only its passages are visited
        tree = app.screen.query_one(CodebookTree)
        tree.move_cursor(tree_node(tree, "ACT.WAIT"))
        await pilot.press("p")
        assert area.selected_span() == spans[0]


async def test_picker_filters_and_applies(tui_project: Project) -> None:
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        area.move_to(text_of(tui_project).index("Först, tack"))
        await pilot.press("s", "c")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        everything = picker.shown_keys
        await pilot.press(*"wait")
        shown = picker.shown_keys
        assert shown[0] == "ACT.WAIT"
        assert len(shown) < len(everything)
        await pilot.press("enter")
        assert isinstance(app.screen, CodingScreen)
        assert [r[0] for r in rows(tui_project)] == ["ACT.WAIT"]


async def test_picker_escape_codes_nothing(tui_project: Project) -> None:
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        area.move_to(text_of(tui_project).index("Först, tack"))
        await pilot.press("s", "c", "escape")
        assert isinstance(app.screen, CodingScreen)
        assert rows(tui_project) == []


async def test_enter_in_the_tree_applies_the_highlighted_code(tui_project: Project) -> None:
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, area = parts(app)
        area.move_to(text_of(tui_project).index("Först, tack"))
        await pilot.press("s")
        tree = screen.query_one(CodebookTree)
        tree.focus()
        await pilot.press("down", "down", "enter")  # CTX, then CTX.PROBLEMS
        assert [r[0] for r in rows(tui_project)] == ["CTX.PROBLEMS"]
        assert area.has_focus


async def test_memo_on_the_coding_at_the_cursor(tui_project: Project) -> None:
    text = text_of(tui_project)
    start = text.index("Först, tack")
    made = coding.apply_code(tui_project, transcript=FIRST, code="ACT.WAIT", start=start,
                             end=start + 30, coder="anna")  # fmt: skip
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, area = parts(app)
        area.move_to(start + 3)
        await pilot.press("m", *"on hold", "enter")
        saved = memos.list_memos(tui_project, target="coding", ref=str(made.id))
        assert [m.text for m in saved] == ["on hold"]
        assert "on hold" in str(screen.query_one(CodesHere).render())


async def test_a_memo_is_edited_and_deleted_from_the_memo_dialog(tui_project: Project) -> None:
    text = text_of(tui_project)
    start = text.index("Först, tack")
    made = coding.apply_code(tui_project, transcript=FIRST, code="ACT.WAIT", start=start,
                             end=start + 30, coder="anna")  # fmt: skip
    memos.add_memo(tui_project, target="coding", ref=str(made.id), text="on hold", coder="anna")

    def saved() -> list[str]:
        return [m.text for m in memos.list_memos(tui_project, target="coding", ref=str(made.id))]

    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, area = parts(app)
        area.move_to(start + 3)
        # to the list of the coding's memos, enter loads the memo, retype it, save
        await pilot.press("m", "shift+tab", "enter", "ctrl+u", *"on hold until the decision")
        await pilot.press("enter")
        assert saved() == ["on hold until the decision"]
        assert "on hold until the decision" in str(screen.query_one(CodesHere).render())
        await pilot.press("m", "shift+tab", "delete")
        await pilot.pause()
        assert saved() == []
        assert "on hold" not in str(screen.query_one(CodesHere).render())
        await pilot.press("u")  # deleting is undone like any memo action
        assert saved() == ["on hold until the decision"]


async def test_help_lists_the_keys_in_force(tui_project: Project) -> None:
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown: Any = app.screen.query_one("Markdown")
        source = shown.source
        assert "Select the sentence at the cursor" in source
        assert "ACT.WAIT" in source  # the code hotkeys
        assert "## Transcript" in source  # the focused widget's HELP
        await pilot.press("escape")
        assert isinstance(app.screen, CodingScreen)


async def test_escape_goes_to_the_overview(tui_project: Project) -> None:
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape")
        assert not isinstance(app.screen, CodingScreen)
        assert app.screen.title == "Transcripts"


async def test_a_hotkey_on_a_command_key_is_refused_with_a_warning(
    tui_project: Project, tmp_path: Path
) -> None:
    # codebooks can no longer put a hotkey on a command key; a project from before
    # that rule still may have one, so the screen must stay safe
    from qualcode.store.repositories.codes import add_code

    with tui_project.database.write() as session:
        add_code(session, "EXTRA", None, name="Extra", hotkey="s", labels={}, patterns=[])
    seen: list[Message] = []
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        _, area = parts(app)
        area.move_to(text_of(tui_project).index("Först, tack"))
        await pilot.press("s")
        assert area.selected_span() is not None  # s still selects the sentence
        assert rows(tui_project) == []
        assert any("'s' (EXTRA)" in n for n in notices(seen, "warning"))


async def test_reserved_hotkeys_without_a_code_do_nothing(tui_project: Project) -> None:
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        area.move_to(text_of(tui_project).index("Först, tack"))
        await pilot.press("s", "y", "z")  # reserved for codes, unused by this codebook
        assert rows(tui_project) == []
        assert isinstance(app.screen, CodingScreen)


async def test_i_makes_an_in_vivo_code_from_the_selection_and_applies_it(
    tui_project: Project,
) -> None:
    from qualcode.services import codes
    from qualcode.tui.screens.in_vivo import InVivoCode

    text = text_of(tui_project)
    sentence = (
        "Först, tack för att ni ville komma, och tack till Norrvik för att vi får låna rummet."
    )
    start = text.index(sentence)
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        area.move_to(start + 10)
        await pilot.press("s", "i")
        await pilot.pause()
        assert isinstance(app.screen, InVivoCode)
        await pilot.press("enter")
        await pilot.pause()
        made = [c for c in codes.list_codes(tui_project) if c.name.startswith("Först, tack")]
        assert len(made) == 1
        assert rows(tui_project) == [(made[0].key, start, start + len(sentence), sentence)]


async def test_the_overview_opens_agreement_and_disagreements(tui_project: Project) -> None:
    from qualcode.tui.screens.adjudication import AdjudicationScreen
    from qualcode.tui.screens.agreement import AgreementScreen

    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape", "r")
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)
        await pilot.press("escape", "d")
        await pilot.pause()
        assert isinstance(app.screen, AdjudicationScreen)


async def test_the_cursor_moves_by_sentence_and_by_turn(tui_project: Project) -> None:
    text = text_of(tui_project)
    first = text.index("Först, tack för att ni ville komma")
    second = text.index("Vi skrev ju i mejlet")
    app = open_app(tui_project)
    async with app.run_test(size=(120, 40)) as pilot:
        _, area = parts(app)
        area.move_to(first + 3)
        await pilot.press("ctrl+down")
        assert area.cursor_offset == second
        await pilot.press("ctrl+up")
        assert area.cursor_offset == first
        await pilot.press("ctrl+pagedown")
        turn = area.transcript_layout.turn_at(area.cursor_offset)
        assert turn is not None and turn.speaker_label == "Socialsekreterare A"
        assert text[area.cursor_offset :].startswith("Ja, eh, jag kan börja")

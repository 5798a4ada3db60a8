"""The coding screen: one transcript, the code tree, and the keys to code passages.

Every write goes through ``qualcode.services`` (committed at once); the screen then
reloads the transcript's codings from the database and repaints, so what is on
screen is always what is stored.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, TextArea

from qualcode.codebook import CODE_HOTKEYS
from qualcode.domain.errors import QualcodeError
from qualcode.domain.records import Code, Coding, Memo
from qualcode.services import coders, codes, coding, history, memos, transcripts
from qualcode.tui.code_naming import enclosing_group
from qualcode.tui.coding_view import (
    at_offset,
    next_coding,
    previous_coding,
    visible,
)
from qualcode.tui.colours import code_colours
from qualcode.tui.commands import ApplyCodeCommands, GoToTranscriptCommands
from qualcode.tui.messages import (
    CodeChosen,
    CodingRemoved,
    CodingsChanged,
    HistoryReversed,
    SpanCoded,
)
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.help import keys_table
from qualcode.tui.screens.in_vivo import InVivoCode
from qualcode.tui.screens.memo_editor import MemoChange, MemoEditor
from qualcode.tui.transcript_layout import TranscriptLayout
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.codes_here import CodesHere
from qualcode.tui.widgets.transcript import PaintedSpan, TranscriptArea
from qualcode.tui.workbench import Workbench

# Keys a codebook may give its codes; every other letter is kept for commands.
HOTKEY_CHARACTERS = CODE_HOTKEYS
SELECT_FIRST = "Select a passage first: s sentence, t turn, shift+arrows"
SUMMARY_CODED = (
    "This passage is a summary, not verbatim speech: do not quote it as the speaker's words"
)


def _short(quote: str, limit: int = 50) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"


class CodingScreen(WorkbenchScreen):
    COMMANDS = WorkbenchScreen.COMMANDS | {ApplyCodeCommands, GoToTranscriptCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "select_sentence", "Sentence", id="select-sentence",
                tooltip="Select the sentence at the cursor; again to add the next one"),
        Binding("t", "select_turn", "Turn", id="select-turn",
                tooltip="Select the speaker turn at the cursor, without its label"),
        Binding("ctrl+down", "move('sentence', True)", "Next sentence", id="next-sentence",
                show=False, tooltip="Move the cursor to the next sentence"),
        Binding("ctrl+up", "move('sentence', False)", "Previous sentence",
                id="previous-sentence", show=False, tooltip="Move to the previous sentence"),
        Binding("ctrl+pagedown", "move('turn', True)", "Next turn", id="next-turn", show=False,
                tooltip="Move the cursor to the next speaker turn"),
        Binding("ctrl+pageup", "move('turn', False)", "Previous turn", id="previous-turn",
                show=False, tooltip="Move the cursor to the previous speaker turn"),
        Binding("c", "pick_code", "Code…", id="pick-code",
                tooltip="Choose a code for the selection from a filtered list"),
        Binding("x", "remove_coding", "Remove", id="remove-coding",
                tooltip="Remove your innermost coding at the cursor"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo your last action"),
        # redo and previous pair with undo and next: kept off the footer for room
        Binding("U", "redo", "Redo", id="redo", show=False, tooltip="Redo what you last undid"),
        Binding("n", "next_coding", "Next", id="next-coding",
                tooltip="Select the next coded passage (of the code highlighted in the tree)"),
        Binding("p", "previous_coding", "Prev", id="previous-coding", show=False,
                tooltip="Select the previous coded passage (of the highlighted code)"),
        Binding("m", "memo", "Memo", id="memo",
                tooltip="Write, edit or delete a memo on the coding at the cursor"),
        Binding("i", "in_vivo_code", "In vivo", id="in-vivo-code", show=False,
                tooltip="Add a code named with the selected words and code the selection with it"),
        Binding("b", "toggle_blind", "Blind", id="toggle-blind",
                tooltip="Show only your own codings, or everyone's again"),
        Binding("f", "cycle_coder", "Coder", id="cycle-coder",
                tooltip="Show all coders' codings, then each coder's in turn"),
        Binding("w", "toggle_codebook", "Codebook", id="toggle-codebook", show=False,
                tooltip="Hide the codebook pane to give the transcript the whole width, "
                "or show it again"),
        Binding("slash", "find_passages", "Find", id="find-passages",
                tooltip="Find passages with a query (or go back to the passages found)"),
        Binding("escape", "overview", "Back", id="overview",
                tooltip="Back to the list of transcripts, or to the passages found"),
        # Code hotkeys: enabled by check_action for the keys the codebook uses.
        # No description, so the help screen lists them by code instead.
        *(Binding(key, f"apply_hotkey('{key}')", "", show=False, id=f"hotkey-{key}")
          for key in HOTKEY_CHARACTERS),
    ]  # fmt: skip

    def __init__(
        self, workbench: Workbench, transcript_id: int, *, select: tuple[int, int] | None = None
    ) -> None:
        """``select``: a ``[start, end)`` span to select and scroll to when shown."""
        super().__init__(workbench)
        self.transcript_id = transcript_id
        self._select = select
        self.codings: list[Coding] = []
        self._counts: dict[str, int] | None = None  # shown in the tree; None before loading
        self._codes: dict[str, Code] = {}
        self._tree_codes: list[Code] | None = None  # the codes the tree was built from
        self._colours: dict[str, str] = {}
        self._hotkeys: dict[str, Code] = {}
        self._memos: dict[int, list[Memo]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="coding-body"):
            yield TranscriptArea(id="transcript")
            with Vertical(id="sidebar"):
                yield CodebookTree(id="codebook")
                yield CodesHere(id="codes-here")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        project = self.workbench.project
        try:
            text = transcripts.transcript_text(project, self.transcript_id)
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            self.app.pop_screen()
            return
        self.title = text.transcript.title
        self._shown_sha = text.text_sha256
        all_codes = self.reload_codes()
        self._warn_unusable_hotkeys(all_codes)
        area = self.query_one(TranscriptArea)
        area.show_transcript(TranscriptLayout(text))
        self.reload_codings()
        area.focus()
        if self._select is not None:
            # after the first layout, so that the selection can be scrolled into view
            self.call_after_refresh(self._show_selected, *self._select)

    def data_changed(self) -> None:
        """Show what others changed meanwhile (codings, codes, memos, a revised text)
        in place: the cursor, the selection and the highlighted code stay."""
        project = self.workbench.project
        try:
            # the text's hash first: the whole text and its structure are read only
            # when it was revised (most changes, this screen's own codings among them,
            # leave it as it is)
            revised = transcripts.text_sha256(project, self.transcript_id) != self._shown_sha
            text = transcripts.transcript_text(project, self.transcript_id) if revised else None
        except QualcodeError:
            self.tell("this transcript was deleted elsewhere", severity="warning")
            self.app.pop_screen()
            return
        area = self.query_one(TranscriptArea)
        tree = self.query_one(CodebookTree)
        highlighted = tree.highlighted_code
        selection = area.selection
        if text is not None:
            # a revision: keep the cursor at the same offset, as near as the new text allows
            offset = min(area.cursor_offset, len(text.text))
            self._shown_sha = text.text_sha256
            area.show_transcript(TranscriptLayout(text))
            area.move_to(offset)
            selection = area.selection
        self.reload_codes()
        if highlighted is not None:
            # after the rebuilt tree is laid out: only then do its nodes have lines
            self.call_after_refresh(tree.highlight_key, highlighted.key)
        self.reload_codings()
        area.selection = selection

    def action_toggle_codebook(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.toggle_class("-collapsed")
        if sidebar.has_class("-collapsed") and self.focused is not self.query_one(TranscriptArea):
            self.query_one(TranscriptArea).focus()

    def reload_codes(self) -> list[Code]:
        """Read the code tree again (after a code was added) and redraw the tree."""
        all_codes = codes.list_codes(self.workbench.project)
        if all_codes == self._tree_codes:
            # the tree shows these already (a poll after this screen's own coding finds
            # the codes unchanged): rebuilding it would lay out the whole screen again
            return all_codes
        self._tree_codes = all_codes
        self._codes = {code.key: code for code in all_codes}
        self._colours = code_colours(all_codes)
        self._hotkeys = {
            code.hotkey: code
            for code in all_codes
            if code.hotkey and code.hotkey in HOTKEY_CHARACTERS and not code.retired
        }
        tree = self.query_one(CodebookTree)
        tree.show_codes(all_codes, self._colours, {}, self.workbench.language)
        return all_codes

    def action_in_vivo_code(self) -> None:
        area = self.query_one(TranscriptArea)
        if area.selected_span() is None:
            self.tell(SELECT_FIRST, severity="warning")
            return
        tree = self.query_one(CodebookTree)
        group = enclosing_group(tree.highlighted_code, list(self._codes.values()))

        def code_with(key: str | None) -> None:
            if key is not None:
                self.reload_codes()
                self.reload_codings()
                self.apply_code(key)

        self.app.push_screen(InVivoCode(self.workbench, area.selected_text, group), code_with)

    def _show_selected(self, start: int, end: int) -> None:
        """Select ``[start, end)`` and scroll its start to the middle of the view, so
        that the passage and what comes before it are both in sight."""
        area = self.query_one(TranscriptArea)
        area.select_span(start, end, cursor_at_start=True)
        area.scroll_cursor_visible(center=True)

    # ------------------------------------------------------------------ view

    @property
    def applicable_codes(self) -> list[Code]:
        """Codes that can still be applied (retired ones cannot)."""
        return [code for code in self._codes.values() if not code.retired]

    @property
    def visible_codings(self) -> list[Coding]:
        return visible(self.codings, self.workbench.view)

    def reload_codings(self) -> None:
        """Read this transcript's codings, memos and code counts again, and repaint."""
        project = self.workbench.project
        self.codings = coding.list_codings(project, transcripts=[self.transcript_id])
        self._memos = defaultdict(list)
        for memo in memos.list_memos(project, target="coding"):
            if memo.target_ref is not None:
                self._memos[int(memo.target_ref)].append(memo)
        self._counts = self._code_counts()
        self.query_one(CodebookTree).show_counts(self._counts)
        self._repaint()

    def _add_coding(self, made: Coding) -> None:
        """A coding just applied here joins what is on screen, and its code's count
        goes up by one, instead of reading every coding, memo and count again (the
        full reload stays for removals, undo and redo, which can change anything)."""
        assert self._counts is not None
        bisect.insort(self.codings, made, key=lambda c: (c.start, c.end, c.id))
        self._counts[made.code_key] = self._counts.get(made.code_key, 0) + 1
        self.query_one(CodebookTree).show_counts(self._counts)
        self._repaint()

    def _code_counts(self) -> dict[str, int]:
        """Codings per code in the project; in blind mode only the coder's own, since
        the totals would otherwise reveal where the other coders coded."""
        project, me = self.workbench.project, self.workbench.coder
        if not self.workbench.view.blind:
            return codes.coding_counts(project)
        if me not in {c.name for c in coders.list_coders(project)}:
            return {}
        counts: dict[str, int] = defaultdict(int)
        for own in coding.list_codings(project, coders=[me]):
            counts[own.code_key] += 1
        return counts

    def _repaint(self) -> None:
        spans = [
            PaintedSpan(c.start, c.end, self._colours.get(c.code_key, "#888888"))
            for c in self.visible_codings
        ]
        self.query_one(TranscriptArea).show_spans(spans)
        self.sub_title = f"coder {self.workbench.coder} · {self.workbench.view.describe()}"
        self._show_codes_here()

    def _focus_offset(self) -> int:
        """Where "at the cursor" is: the start of the selection, else the cursor."""
        area = self.query_one(TranscriptArea)
        lines = area.transcript_layout.lines
        return lines.offset(min(area.selection))

    def codings_at_cursor(self) -> list[Coding]:
        """Visible codings covering the cursor, innermost first."""
        return at_offset(self.visible_codings, self._focus_offset())

    def _show_codes_here(self) -> None:
        self.query_one(CodesHere).show_codings(
            self.codings_at_cursor(), self._codes, self._colours, self._memos,
            self.workbench.language,
        )  # fmt: skip

    @on(TextArea.SelectionChanged)
    def _cursor_moved(self) -> None:
        self._show_codes_here()

    @on(CodingsChanged)
    def _codings_changed(self, message: CodingsChanged) -> None:
        if message.transcript_id != self.transcript_id:
            return
        if isinstance(message, SpanCoded) and self._counts is not None:
            self._add_coding(message.coding)
        else:
            self.reload_codings()

    def _warn_unusable_hotkeys(self, all_codes: list[Code]) -> None:
        unusable = [c for c in all_codes if c.hotkey and c.hotkey not in HOTKEY_CHARACTERS]
        if unusable:
            listed = ", ".join(f"{c.hotkey!r} ({c.key})" for c in unusable)
            self.tell(
                f"Hotkeys {listed} clash with command keys; apply those codes with c. "
                f"Hotkeys may be: {' '.join(HOTKEY_CHARACTERS)}",
                severity="warning",
                timeout=10,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply_hotkey":
            return parameters[0] in self._hotkeys
        return True

    # ------------------------------------------------------------------ selecting

    def action_select_sentence(self) -> None:
        area = self.query_one(TranscriptArea)
        layout = area.transcript_layout
        chosen = area.selected_span()
        if chosen is not None:
            # a selection grows by one sentence: to the end of the one it stops in,
            # or the next one when it already ends at a sentence end
            start, end = chosen
            sentence = layout.sentence_at(end)
            if sentence is not None:
                area.select_span(start, max(end, sentence[1]))
            return
        sentence = layout.sentence_at(area.cursor_offset)
        if sentence is None:
            self.tell("No sentence after the cursor", severity="warning")
            return
        area.select_span(*sentence)

    def action_move(self, unit: str, forward: bool) -> None:
        """Put the cursor at the start of the next or previous sentence or turn."""
        area = self.query_one(TranscriptArea)
        target = area.transcript_layout.next_start(area.cursor_offset, unit=unit, forward=forward)
        if target is not None:
            area.move_to(target)

    def action_select_turn(self) -> None:
        area = self.query_one(TranscriptArea)
        speech = area.transcript_layout.turn_speech(self._focus_offset())
        if speech is None:
            self.tell("The cursor is not in a speaker turn", severity="warning")
            return
        area.select_span(*speech)

    # ------------------------------------------------------------------ coding

    def action_apply_hotkey(self, key: str) -> None:
        self.apply_code(self._hotkeys[key].key)

    def apply_code(self, code_key: str) -> None:
        """Code the selection with ``code_key``; the selection stays, so another
        code can go on the same passage straight away."""
        area = self.query_one(TranscriptArea)
        span = area.selected_span()
        if span is None:
            self.tell(SELECT_FIRST, severity="warning")
            return
        try:
            coded = coding.apply_code(
                self.workbench.project, transcript=self.transcript_id, code=code_key,
                start=span[0], end=span[1], coder=self.workbench.coder,
            )  # fmt: skip
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            return
        if area.transcript_layout.touches_summary(*span):
            self.tell(SUMMARY_CODED, severity="warning")
        self.post_message(SpanCoded(coded))

    def action_pick_code(self) -> None:
        if self.query_one(TranscriptArea).selected_span() is None:
            self.tell(SELECT_FIRST, severity="warning")
            return

        def chosen(code_key: str | None) -> None:
            if code_key is not None:
                self.apply_code(code_key)

        self.app.push_screen(
            CodePicker(self.applicable_codes, self._colours, self.workbench.language), chosen
        )

    @on(CodeChosen)
    def _code_chosen_in_tree(self, message: CodeChosen) -> None:
        self.apply_code(message.code_key)
        self.query_one(TranscriptArea).focus()

    def action_remove_coding(self) -> None:
        me = self.workbench.coder
        own = [c for c in self.codings_at_cursor() if c.coder == me]
        if not own:
            self.tell("None of your codings covers the cursor", severity="warning")
            return
        try:
            removed = coding.remove_coding(self.workbench.project, own[0].id, coder=me)
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            return
        self.tell(f"Removed {removed.code_key} from “{_short(removed.quote)}” (u undoes)")
        self.post_message(CodingRemoved(removed))

    def action_undo(self) -> None:
        self._reverse(history.undo)

    def action_redo(self) -> None:
        self._reverse(history.redo)

    def _reverse(self, step: Callable[..., history.Reversal]) -> None:
        try:
            reversal = step(self.workbench.project, coder=self.workbench.coder)
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            return
        self.tell(reversal.description)
        self.post_message(HistoryReversed(self.transcript_id, reversal.description))

    def action_memo(self) -> None:
        here = self.codings_at_cursor()
        if not here:
            self.tell("Put the cursor on a coded passage to write a memo on it", severity="warning")
            return
        target = here[0]

        def save(change: MemoChange | None) -> None:
            if change is None:
                return
            project, coder = self.workbench.project, self.workbench.coder
            try:
                if change.kind == "add":
                    memos.add_memo(project, target="coding", ref=str(target.id),
                                   text=change.text, coder=coder)  # fmt: skip
                    said = f"Memo saved on {target.code_key}"
                elif change.kind == "edit":
                    assert change.memo_id is not None
                    memos.edit_memo(project, change.memo_id, text=change.text, coder=coder)
                    said = f"Memo on {target.code_key} changed"
                else:
                    assert change.memo_id is not None
                    memos.delete_memo(project, change.memo_id, coder=coder)
                    said = f"Memo on {target.code_key} deleted (u undoes it)"
            except QualcodeError as exc:
                self.tell(str(exc), severity="error")
                return
            self.tell(said)
            self.reload_codings()

        about = f"Memo on {target.code_key} ({target.coder}): “{_short(target.quote, 60)}”"
        self.app.push_screen(MemoEditor(about, self._memos.get(target.id, ())), save)

    # ------------------------------------------------------------------ moving

    def _tree_keys(self) -> set[str] | None:
        """The highlighted code and its descendants, or None for every code."""
        highlighted = self.query_one(CodebookTree).highlighted_code
        if highlighted is None:
            return None
        keys = {highlighted.key}
        for code in self._codes.values():  # codebook order: parents come first
            if code.parent_key in keys:
                keys.add(code.key)
        return keys

    def action_next_coding(self) -> None:
        self._visit(next_coding, "next")

    def action_previous_coding(self) -> None:
        self._visit(previous_coding, "previous")

    def _visit(self, find: Callable[..., Coding | None], which: str) -> None:
        keys = self._tree_keys()
        found = find(self.visible_codings, self._focus_offset(), keys)
        if found is None:
            of = f"coded {', '.join(sorted(keys))}" if keys else "coded"
            self.tell(f"No {which} passage {of}", severity="warning")
            return
        # cursor at the start, so the passage scrolls into view from its beginning
        self.query_one(TranscriptArea).select_span(found.start, found.end, cursor_at_start=True)

    # ------------------------------------------------------------------ view modes

    def action_toggle_blind(self) -> None:
        self.workbench.view = self.workbench.view.toggled_blind()
        self._counts = self._code_counts()
        self.query_one(CodebookTree).show_counts(self._counts)
        self._repaint()
        self.tell(f"Now {self.workbench.view.describe()}")

    def action_cycle_coder(self) -> None:
        if self.workbench.view.blind:
            self.tell("Blind mode shows only your codings; b leaves it", severity="warning")
            return
        names = sorted({c.coder for c in self.codings} | {self.workbench.coder})
        self.workbench.view = self.workbench.view.next_coder(names)
        self._repaint()
        self.tell(f"Now {self.workbench.view.describe()}")

    def action_overview(self) -> None:
        self.app.pop_screen()

    def action_find_passages(self) -> None:
        self.find_passages()

    def open_transcript(self, transcript_id: int) -> None:
        self.app.switch_screen(CodingScreen(self.workbench, transcript_id))

    def help_markdown(self) -> str:
        language = self.workbench.language
        rows = [
            (key, f"{code.key} {code.label(language)}")
            for key, code in sorted(self._hotkeys.items())
        ]
        return keys_table("Code hotkeys", rows)

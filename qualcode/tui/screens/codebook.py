"""The codebook screen: the code tree beside the highlighted code's definition,
inclusion and exclusion criteria, example and keyword patterns."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static, Tree

from qualcode.domain.records import Code
from qualcode.services import codes
from qualcode.tui.code_text import code_description
from qualcode.tui.colours import code_colours
from qualcode.tui.messages import CodeChosen
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.widgets.codebook_tree import CodebookTree


class CodebookScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: the tree would otherwise take escape to clear its highlight
        Binding("escape", "back", "Back", id="codebook-back", priority=True,
                tooltip="Back to the transcripts"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="codebook-body"):
            yield CodebookTree(id="codebook-tree")
            with VerticalScroll(id="code-detail-scroll"):
                yield Static(id="code-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Codebook"
        self.sub_title = f"coder {self.workbench.coder}"
        project = self.workbench.project
        all_codes = codes.list_codes(project)
        tree = self.query_one(CodebookTree)
        counts = codes.coding_counts(project)
        tree.show_codes(all_codes, code_colours(all_codes), counts, self.workbench.language)
        tree.focus()
        tree.move_cursor_to_line(0)

    @on(Tree.NodeHighlighted)
    def _show_highlighted(self, event: Tree.NodeHighlighted[Code]) -> None:
        if event.node.data is not None:
            self._show(event.node.data)

    @on(CodeChosen)
    def _nothing_to_apply_here(self, message: CodeChosen) -> None:
        message.stop()

    def _show(self, code: Code) -> None:
        self.query_one("#code-detail", Static).update(
            code_description(code, self.workbench.language)
        )

    def action_back(self) -> None:
        self.app.pop_screen()

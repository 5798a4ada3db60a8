"""The code tree beside the transcript: groups and their codes, each with its colour,
hotkey and number of codings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.domain.records import Code
from qualcode.tui.messages import CodeChosen


class CodebookTree(Tree[Code]):
    """The project's codes as a tree; Enter codes the transcript selection."""

    HELP = """\
## Codebook

Each code shows its colour, its hotkey in brackets and how many codings it has.

- **up/down** move, **space** opens or closes a group
- on the coding screen, **enter** codes the transcript's selection with the
  highlighted code, **n** / **p** in the transcript jump between passages of the
  highlighted code (and its children), and **escape** clears the highlight, so
  **n** / **p** visit every code
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_highlight", "Any code", id="tree-clear-highlight",
                tooltip="Forget the highlighted code: n/p then visit every code"),
    ]  # fmt: skip

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codes", id=id)
        self.show_root = False
        self.guide_depth = 2  # the narrowest guides leave room for the code names
        # Enter applies a code; groups open and close with space instead
        self.auto_expand = False
        self._code_nodes: dict[str, TreeNode[Code]] = {}
        self._shown: dict[str, int] = {}  # the count each label shows
        self._colours: Mapping[str, str] = {}
        self._language = "en"

    def show_codes(
        self,
        codes: Sequence[Code],
        colours: Mapping[str, str],
        counts: Mapping[str, int],
        language: str,
    ) -> None:
        """Build the tree (``codes`` in codebook order, parents first)."""
        self.clear()
        self._code_nodes = {}
        self._shown = {code.key: counts.get(code.key, 0) for code in codes}
        self._colours = colours
        self._language = language
        has_children = {code.parent_key for code in codes}
        for code in codes:
            parent = self._code_nodes.get(code.parent_key or "", self.root)
            label = self._label(code, counts.get(code.key, 0))
            if code.key in has_children:
                self._code_nodes[code.key] = parent.add(label, data=code, expand=True)
            else:
                self._code_nodes[code.key] = parent.add_leaf(label, data=code)
        self.unselect()

    def highlight_key(self, key: str) -> None:
        """Put the cursor back on ``key`` after a rebuild (if it still exists)."""
        node = self._code_nodes.get(key)
        if node is not None:
            self.move_cursor(node)

    def show_counts(self, counts: Mapping[str, int]) -> None:
        """Relabel only the codes whose count changed (relabelling all re-renders the
        whole tree after every coding)."""
        for key, node in self._code_nodes.items():
            assert node.data is not None
            count = counts.get(key, 0)
            if self._shown.get(key) != count:
                node.set_label(self._label(node.data, count))
                self._shown[key] = count

    @property
    def highlighted_code(self) -> Code | None:
        """The code under the tree's cursor, if the user put the cursor on one."""
        if self.cursor_line < 0 or self.cursor_node is None:
            return None
        return self.cursor_node.data

    def action_clear_highlight(self) -> None:
        self.unselect()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # with nothing highlighted, escape falls through to the screen ("back")
        if action == "clear_highlight":
            return self.cursor_line >= 0
        return super().check_action(action, parameters)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Code]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(CodeChosen(event.node.data.key))

    def _label(self, code: Code, count: int) -> Text:
        label = Text()
        label.append("■ ", Style(color=self._colours.get(code.key)))
        label.append(f"[{code.hotkey}] " if code.hotkey else "    ", Style(bold=True))
        label.append(code.key, Style(bold=not code.parent_key))
        # the count before the name, which is what gets cut off in a narrow sidebar
        if count:
            label.append(f" {count}", Style(color="cyan"))
        label.append(f" {code.label(self._language)}", Style(dim=True))
        if code.retired:
            label.stylize(Style(strike=True, dim=True))
        return label

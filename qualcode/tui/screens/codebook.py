"""The codebook screen: the code tree beside the highlighted code's definition,
inclusion and exclusion criteria, example and keyword patterns, and the keys that
edit the codebook.

Every edit goes through ``qualcode.services.codes``, the functions behind
``qualcode codebook apply``, and is committed at once; the tree is then read again
from the database, counts included, so what is on screen is what is stored.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static, Tree

from qualcode.codebook import CODE_HOTKEYS
from qualcode.domain.errors import QualcodeError
from qualcode.domain.records import Code
from qualcode.services import codes
from qualcode.tui.code_naming import enclosing_group, renamed
from qualcode.tui.code_text import code_description
from qualcode.tui.colours import code_colours
from qualcode.tui.messages import CodeChosen
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.code_chooser import TOP_LEVEL, CodeChooser
from qualcode.tui.screens.code_form import CodeForm
from qualcode.tui.screens.colour_picker import ColourPicker
from qualcode.tui.screens.confirm import Confirm
from qualcode.tui.screens.hotkey_prompt import HotkeyPrompt
from qualcode.tui.screens.text_prompt import TextPrompt
from qualcode.tui.text import counted
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.workbench import Workbench

HIGHLIGHT_FIRST = "Highlight a code in the tree first"


class CodebookScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: the tree would otherwise take escape to clear its highlight
        Binding("escape", "back", "Back", id="codebook-back", priority=True,
                tooltip="Back to the transcripts"),
        Binding("a", "add_code", "Add", id="codebook-add",
                tooltip="Add a code, in the highlighted code's group"),
        Binding("r", "rename", "Rename", id="codebook-rename",
                tooltip="Rename the highlighted code"),
        Binding("c", "recolour", "Colour", id="codebook-colour",
                tooltip="Choose the highlighted code's colour"),
        Binding("h", "hotkey", "Hotkey", id="codebook-hotkey",
                tooltip="Set or clear the highlighted code's hotkey"),
        Binding("m", "move", "Move", id="codebook-move",
                tooltip="Move the highlighted code into another group"),
        Binding("g", "merge", "Merge", id="codebook-merge",
                tooltip="Merge the highlighted code into another, which takes its codings"),
        # one key, two bindings: check_action shows the one that applies
        Binding("x", "retire", "Retire", id="codebook-retire",
                tooltip="Retire the highlighted code: it keeps its codings, takes no new ones"),
        Binding("x", "unretire", "Unretire", id="codebook-unretire",
                tooltip="Bring the highlighted retired code back into use"),
    ]  # fmt: skip

    def __init__(self, workbench: Workbench) -> None:
        super().__init__(workbench)
        self._codes: list[Code] = []
        self._colours: dict[str, str] = {}
        self._counts: dict[str, int] = {}

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
        self.query_one(CodebookTree).focus()
        self.reload()

    # ------------------------------------------------------------------ view

    def data_changed(self) -> None:
        code = self.query_one(CodebookTree).highlighted_code
        self.reload(highlight=code.key if code is not None else None)

    def reload(self, highlight: str | None = None) -> None:
        """Read the codes and their counts again and rebuild the tree, with the cursor
        on ``highlight`` (else on the first code)."""
        project = self.workbench.project
        self._codes = codes.list_codes(project)
        self._colours = code_colours(self._codes)
        self._counts = codes.coding_counts(project)
        tree = self.query_one(CodebookTree)
        tree.show_codes(self._codes, self._colours, self._counts, self.workbench.language)
        lines = range(tree.last_line + 1)
        found = (line for line in lines if self._key_at(tree, line) == highlight)
        line = next(found, 0)
        if line <= tree.last_line:
            tree.move_cursor_to_line(line)
            code = tree.highlighted_code
            if code is not None:
                self._show(code)

    @staticmethod
    def _key_at(tree: CodebookTree, line: int) -> str | None:
        node = tree.get_node_at_line(line)
        return node.data.key if node is not None and node.data is not None else None

    @on(Tree.NodeHighlighted)
    def _show_highlighted(self, event: Tree.NodeHighlighted[Code]) -> None:
        if event.node.data is not None:
            self._show(event.node.data)
        self.refresh_bindings()  # retire or unretire

    @on(CodeChosen)
    def _nothing_to_apply_here(self, message: CodeChosen) -> None:
        message.stop()

    def _show(self, code: Code) -> None:
        self.query_one("#code-detail", Static).update(
            code_description(code, self.workbench.language)
        )

    def _highlighted(self) -> Code | None:
        code = self.query_one(CodebookTree).highlighted_code
        if code is None:
            self.tell(HIGHLIGHT_FIRST, severity="warning")
        return code

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retire", "unretire"):
            code = self.query_one(CodebookTree).highlighted_code
            retired = code is not None and code.retired
            return retired if action == "unretire" else not retired
        return True

    def help_markdown(self) -> str:
        return f"""\
## Editing the codebook

Each change is saved at once, as `qualcode codebook apply` would make it, and logged
with your name. Codings stay with their code when it is renamed, recoloured or
moved. A **retired** code keeps its codings but can no longer be applied. A **merge**
moves the codings to the other code and deletes the merged one; it cannot be undone
here. A code may have one of these hotkeys: {" ".join(CODE_HOTKEYS)}.
"""

    # ------------------------------------------------------------------ editing

    def _edit(self, code: Code, done: str, **changes: Any) -> None:
        """Change ``code`` through the service, then say ``done`` or why not."""
        try:
            codes.edit_code(self.workbench.project, code.key, coder=self.workbench.coder,
                            **changes)  # fmt: skip
        except QualcodeError as exc:
            self.tell(str(exc), severity="error", timeout=15)
            return
        self.reload(highlight=code.key)
        self.tell(done)

    def action_add_code(self) -> None:
        highlighted = self.query_one(CodebookTree).highlighted_code
        group = enclosing_group(highlighted, self._codes)

        def added(key: str | None) -> None:
            if key is not None:
                self.reload(highlight=key)
                parent = next(code.parent_key for code in self._codes if code.key == key)
                self.tell(f"Added {key}" + (f" to {parent}" if parent else " at the top level"))

        self.app.push_screen(CodeForm(self.workbench, parent=group), added)

    def action_rename(self) -> None:
        code = self._highlighted()
        if code is None:
            return
        language = self.workbench.language
        old = code.label(language)

        def rename(name: str | None) -> None:
            if name is None or name.strip() == old:
                return
            if not name.strip():
                self.tell("A code needs a name", severity="error")
                return
            self._edit(code, f"Renamed {code.key} to “{name.strip()}”",
                       **renamed(code, name, language))  # fmt: skip

        prompt = TextPrompt(f"Rename {code.key} “{old}”", old,
                            hint="enter renames · escape cancels")  # fmt: skip
        self.app.push_screen(prompt, rename)

    def action_recolour(self) -> None:
        code = self._highlighted()
        if code is None:
            return
        # what the code would show without a colour of its own
        uncoloured = [replace(c, color=None) if c.key == code.key else c for c in self._codes]
        inherited = code_colours(uncoloured)[code.key]

        def recolour(colour: str | None) -> None:
            if colour is None or colour == (code.color or ""):
                return
            done = f"{code.key} is now {colour}" if colour else f"{code.key} has its group's colour"
            self._edit(code, done, color=colour or None)

        self.app.push_screen(ColourPicker(code, inherited, self.workbench.language), recolour)

    def action_hotkey(self) -> None:
        code = self._highlighted()
        if code is None:
            return

        def set_hotkey(hotkey: str | None) -> None:
            if hotkey is None or hotkey == (code.hotkey or ""):
                return
            done = f"{hotkey} now codes {code.key}" if hotkey else f"{code.key} has no hotkey now"
            self._edit(code, done, hotkey=hotkey or None)

        self.app.push_screen(HotkeyPrompt(code, self._codes, self.workbench.language), set_hotkey)

    def action_retire(self) -> None:
        code = self._highlighted()
        if code is not None:
            self._edit(code, f"Retired {code.key}: it keeps its codings but takes no new ones "
                             "(x brings it back)", retired=True)  # fmt: skip

    def action_unretire(self) -> None:
        code = self._highlighted()
        if code is not None:
            self._edit(code, f"{code.key} can be applied again", retired=False)

    def action_move(self) -> None:
        code = self._highlighted()
        if code is None:
            return
        inside = {code.key}
        for other in self._codes:  # codebook order: parents come first
            if other.parent_key in inside:
                inside.add(other.key)

        def move(parent: str | None) -> None:
            if parent is None or parent == (code.parent_key or TOP_LEVEL):
                return
            where = f"into {parent}" if parent else "to the top level"
            self._edit(code, f"Moved {code.key} {where}", parent=parent or None)

        chooser = CodeChooser(
            f"Move {code.key} “{code.label(self.workbench.language)}” into",
            [other for other in self._codes if other.key not in inside],
            self._colours, self.workbench.language,
            top_level="the top level (a group of its own)", current=code.parent_key or TOP_LEVEL,
        )  # fmt: skip
        self.app.push_screen(chooser, move)

    def action_merge(self) -> None:
        source = self._highlighted()
        if source is None:
            return
        if any(code.parent_key == source.key for code in self._codes):
            # the service refuses this too; saying so now spares choosing a target
            self.tell(f"{source.key} has codes inside it: move or merge those first",
                      severity="error", timeout=15)  # fmt: skip
            return
        label = source.label(self.workbench.language)

        def confirm(target: str | None) -> None:
            if not target:
                return
            count = self._counts.get(source.key, 0)
            moving = (
                f"{counted(count, 'coding')} of {source.key} {'moves' if count == 1 else 'move'} "
                f"to {target}; a coding that repeats one its coder already has on {target} "
                "is dropped. "
                if count
                else f"{source.key} has no codings. "
            )
            body = (
                f"{moving}{source.key} “{label}” is then deleted from the codebook.\n\n"
                "A merge cannot be undone from the workbench."
            )
            self.app.push_screen(
                Confirm(f"Merge {source.key} into {target}?", body, verb="merge"),
                lambda yes: self._merge(source, target, count) if yes else None,
            )

        chooser = CodeChooser(
            f"Merge {source.key} “{label}” into",
            [code for code in self._codes if code.key != source.key],
            self._colours, self.workbench.language,
        )  # fmt: skip
        self.app.push_screen(chooser, confirm)

    def _merge(self, source: Code, target: str, count: int) -> None:
        try:
            merged = codes.merge_codes(self.workbench.project, source.key, target,
                                       coder=self.workbench.coder)  # fmt: skip
        except QualcodeError as exc:
            self.tell(str(exc), severity="error", timeout=15)
            return
        self.reload(highlight=target)
        aside = len(merged.set_aside)
        kept = f" ({counted(aside, 'repeat')} set aside; undo brings them back)" if aside else ""
        self.tell(
            f"Merged {source.key} into {target}: {counted(merged.moved, 'coding')} moved{kept}"
        )

    def action_back(self) -> None:
        self.app.pop_screen()

"""The form that adds a code: name, key, parent group, definition, colour and hotkey.

It writes through ``qualcode.services.codes.add_code`` itself, so that a refusal (a
key already taken, an unknown parent, a hotkey in use) is shown while what was typed
is still there to correct. The key follows the name (``GROUP.WORDS``) until the user
types a key of their own.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from qualcode.codebook import CODE_HOTKEYS
from qualcode.domain.errors import QualcodeError
from qualcode.services import codes
from qualcode.tui.code_naming import propose_key
from qualcode.tui.workbench import Workbench

HOTKEY_INPUT = f"[{re.escape(CODE_HOTKEYS)}]?"
COLOUR_INPUT = r"#?[0-9a-fA-F]{0,6}"
FIELD_CAPTIONS = {
    "name": "Name",
    "key": "Key",
    "parent": "Group",
    "definition": "Definition",
    "color": "Colour",
    "hotkey": "Hotkey",
}
FIELD_PLACEHOLDERS = {
    "name": "what the code is called",
    "key": "GROUP.WORDS: letters, digits, '.', '_', '-'",
    "parent": "key of the group; empty for the top level",
    "definition": "what counts as this code (optional)",
    "color": "#rrggbb; empty: the group's colour",
}


class CodeForm(ModalScreen[str | None]):
    """Adds a code; returns its key, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="code-form-cancel"),
        Binding("down", "app.focus_next", "Next field", show=False, id="code-form-next"),
        Binding("up", "app.focus_previous", "Previous field", show=False,
                id="code-form-previous"),
    ]  # fmt: skip

    # the fields shown, in order; the first is focused
    FIELDS: ClassVar[tuple[str, ...]] = ("name", "key", "parent", "definition", "color", "hotkey")
    FORM_TITLE = "Add a code"
    HINT = "enter adds the code · tab/up/down move between fields · escape cancels"

    def __init__(
        self,
        workbench: Workbench,
        *,
        parent: str | None,
        name: str = "",
        about: str = "The key follows the name until you type a key of your own.",
    ) -> None:
        """``parent``: the group proposed; ``name``: a name proposed; ``about``: a line
        under the title (the passage an in-vivo code comes from)."""
        super().__init__()
        self._workbench = workbench
        self._proposed_parent = parent or ""
        self._proposed_name = name
        self._about = about
        self._codes = codes.list_codes(workbench.project)
        self._proposed_key = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="code-form"):
            yield Label(self.FORM_TITLE, id="code-form-title", markup=False)
            yield Label(self._about, id="code-form-about", markup=False)
            for field in self.FIELDS:
                with Horizontal(classes="code-field"):
                    yield Label(FIELD_CAPTIONS[field])
                    yield self._input(field)
            yield Label(self.HINT, id="code-form-hint")

    def _input(self, field: str) -> Input:
        options: dict[str, Any] = {}
        if field == "hotkey":
            taken = {code.hotkey for code in self._codes}
            free = " ".join(key for key in CODE_HOTKEYS if key not in taken)
            placeholder = f"optional; free: {free}" if free else "none free"
            options = {"restrict": HOTKEY_INPUT, "max_length": 1, "placeholder": placeholder}
        elif field == "color":
            options = {"restrict": COLOUR_INPUT, "max_length": 7}
        elif field == "parent":
            keys = [code.key for code in self._codes]
            options = {"suggester": SuggestFromList(keys, case_sensitive=False)}
        value = {"name": self._proposed_name, "parent": self._proposed_parent}.get(field, "")
        options.setdefault("placeholder", FIELD_PLACEHOLDERS.get(field, ""))
        return Input(value, id=f"code-{field}", compact=True, select_on_focus=False, **options)

    def on_mount(self) -> None:
        self._propose_key()
        self.query_one(f"#code-{self.FIELDS[0]}", Input).focus()

    def value(self, field: str) -> str:
        """What the field holds now, trimmed; empty for a field not shown."""
        found = self.query(f"#code-{field}").results(Input)
        return next((widget.value.strip() for widget in found), "")

    @on(Input.Changed, "#code-name, #code-parent")
    def _propose_key(self) -> None:
        key = self.query_one("#code-key", Input)
        # the key follows the name until the user types one of their own
        if key.value in ("", self._proposed_key):
            name, taken = self.value("name"), {code.key for code in self._codes}
            self._proposed_key = (
                propose_key(self.value("parent") or None, name, taken) if name else ""
            )
            key.value = self._proposed_key
            key.cursor_position = len(key.value)

    @on(Input.Submitted)
    def _add(self) -> None:
        colour = self.value("color")
        fields = {
            "definition": self.value("definition") or None,
            "color": f"#{colour.removeprefix('#')}" if colour else None,
            "hotkey": self.value("hotkey") or None,
        }
        try:
            added = codes.add_code(
                self._workbench.project, self.value("key"), name=self.value("name"),
                coder=self._workbench.coder, parent=self.value("parent") or None,
                **{field: value for field, value in fields.items() if value is not None},
            )  # fmt: skip
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", timeout=15, markup=False)
            return
        self.dismiss(added.key)

    def action_cancel(self) -> None:
        self.dismiss(None)

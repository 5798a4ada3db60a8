"""Setting or clearing a code's hotkey: the keys a code may take, and which code holds
each one now. Only those keys can be typed; which code may have one is for the
service to decide (it refuses a key another code holds)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from qualcode.codebook import CODE_HOTKEYS
from qualcode.domain.records import Code


def hotkey_table(codes: Sequence[Code], language: str, width: int = 29) -> Text:
    """The keys a code may take, in two columns of ``width``: each key free, or the
    code holding it."""
    holders = {code.hotkey: code for code in codes if code.hotkey}
    cells: list[Text] = []
    for key in CODE_HOTKEYS:
        cell = Text(f" {key} ", Style(bold=True, reverse=key not in holders))
        holder = holders.get(key)
        if holder is None:
            cell.append(" free", Style(dim=True))
        else:
            cell.append(f" {holder.key} ")
            cell.append(holder.label(language), Style(dim=True))
        cell.truncate(width, overflow="ellipsis", pad=True)
        cells.append(cell)
    rows = (len(cells) + 1) // 2
    table = Text()
    for row in range(rows):
        right = cells[row + rows] if row + rows < len(cells) else Text()
        table.append_text(Text.assemble(cells[row], " ", right, "\n"))
    table.rstrip()
    return table


class HotkeyPrompt(ModalScreen[str | None]):
    """Returns the hotkey typed, ``""`` to clear it, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="hotkey-cancel")
    ]

    def __init__(self, code: Code, codes: Sequence[Code], language: str) -> None:
        super().__init__()
        self._code = code
        self._codes = list(codes)
        self._language = language

    def compose(self) -> ComposeResult:
        with Vertical(id="hotkey-prompt"):
            yield Label(f"Hotkey of {self._code.key}  {self._code.label(self._language)}",
                        id="hotkey-title", markup=False)  # fmt: skip
            yield Input(
                self._code.hotkey or "", placeholder="one key; empty for none", id="hotkey-key",
                restrict=f"[{re.escape(CODE_HOTKEYS)}]?", max_length=1,
            )  # fmt: skip
            yield Label("enter sets it (empty: no hotkey) · escape cancels", id="hotkey-hint")
            yield Static(hotkey_table(self._codes, self._language), id="hotkey-holders")

    @on(Input.Submitted)
    def _set(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)

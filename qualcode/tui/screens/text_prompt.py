"""A one-line question: a theme for a quote, a file to export to."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static


class TextPrompt(ModalScreen[str | None]):
    """Returns the text entered, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt-cancel")
    ]

    def __init__(
        self, about: str, value: str = "", *, hint: str = "", suggester: Suggester | None = None
    ) -> None:
        super().__init__()
        self._about = about
        self._value = value
        self._hint = hint
        self._suggester = suggester

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self._about, id="prompt-about", markup=False)
            yield Input(self._value, suggester=self._suggester, id="prompt-text")
            yield Static(self._hint or "enter accepts, escape cancels", id="prompt-hint",
                         markup=False)  # fmt: skip

    @on(Input.Submitted)
    def _accept(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""Editing a quote's words for a report, with the verbatim words shown above."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

HINT = (
    "enter saves · escape cancels · drop hesitations and repetitions, mark a cut as […], "
    "put your own words in [brackets]"
)


class QuoteEditor(ModalScreen[str | None]):
    """Returns the edited words (on one line), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="quote-cancel"),
        # a quote is one paragraph: enter saves rather than breaking the line
        Binding("enter", "save", "Save", priority=True, id="quote-save"),
    ]

    def __init__(self, about: str, verbatim: str, text: str) -> None:
        super().__init__()
        self._about = about
        self._verbatim = " ".join(verbatim.split())
        self._text = " ".join(text.split())

    def compose(self) -> ComposeResult:
        with Vertical(id="quote-editor"):
            yield Label(self._about, id="quote-about", markup=False)
            yield Static(self._verbatim, id="quote-verbatim", markup=False)
            yield TextArea(self._text, soft_wrap=True, id="quote-text")
            yield Static(HINT, id="quote-hint", markup=False)

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(" ".join(self.query_one(TextArea).text.split()))

    def action_cancel(self) -> None:
        self.dismiss(None)

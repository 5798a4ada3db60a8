"""The help screen: the keys in force where it was opened, and the focused widget's
own help text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown


def keys_table(
    title: str, rows: Sequence[tuple[str, ...]], columns: Sequence[str] = ("Key", "Does")
) -> str:
    """A Markdown table of (key, what it does[, binding id]); keys and ids as code."""
    if not rows:
        return ""
    lines = [f"## {title}", "", f"| {' | '.join(columns)} |", f"|{' --- |' * len(columns)}"]
    for key, description, *binding_id in rows:
        cells = [f"`{key}`", description, *(f"`{i}`" if i else "" for i in binding_id)]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help-close"),
    ]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self._markdown = markdown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(self._markdown)

    def action_close(self) -> None:
        self.dismiss(None)

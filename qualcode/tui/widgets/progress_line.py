"""A one-line progress report for work running in a worker: what it is doing and a bar.

Hidden until work starts; a total of None shows an indeterminate (pulsing) bar, for
work that cannot say how far it got.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class ProgressLine(Horizontal):
    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
        padding: 0 1;
        display: none;
    }
    ProgressLine.-working {
        display: block;
    }
    ProgressLine > Label {
        width: 1fr;
        color: $text-muted;
    }
    ProgressLine > ProgressBar {
        width: auto;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label(markup=False)
        yield ProgressBar(show_eta=False)

    @property
    def working(self) -> bool:
        return self.has_class("-working")

    def show(self, doing: str, *, progress: float = 0, total: float | None = None) -> None:
        """Say what is being done and how far it is (``progress`` of ``total``)."""
        self.query_one(Label).update(doing)
        self.query_one(ProgressBar).update(total=total, progress=progress)
        self.add_class("-working")

    def hide(self) -> None:
        self.remove_class("-working")

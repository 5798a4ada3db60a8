"""Asking before a change that cannot be taken back from the workbench."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class Confirm(ModalScreen[bool]):
    """Returns True when confirmed (enter or y), False when not (escape or n)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("escape,n", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, title: str, body: str, *, verb: str = "go ahead") -> None:
        """``verb``: what enter does, for the hint ("merge")."""
        super().__init__()
        self._title = title
        self._body = body
        self._verb = verb

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(self._title, id="confirm-title", markup=False)
            yield Static(self._body, id="confirm-body", markup=False)
            yield Label(f"enter or y: {self._verb} · escape or n: cancel", id="confirm-hint",
                        markup=False)  # fmt: skip

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

"""Choosing the collection quotes go to: an existing one, filtered by typing, or a new
one named by what was typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.tui.screens.choice import FilteredChoice

NEW = "\0new"  # the id of the "new collection" option; no collection name holds \0
HINT = "enter chooses · ↑↓ move · escape cancels"


class CollectionChooser(FilteredChoice):
    """Returns the chosen or newly named collection, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="chooser-cancel"),
        Binding("down", "move(1)", "Next", show=False, id="chooser-down"),
        Binding("up", "move(-1)", "Previous", show=False, id="chooser-up"),
    ]

    def __init__(self, about: str, names: Sequence[str], current: str | None) -> None:
        super().__init__()
        self._about = about
        self._names = list(names)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser"):
            yield Static(self._about, id="chooser-about", markup=False)
            yield Input(placeholder="type to filter, or name a new collection", id="chooser-name")
            yield OptionList(id="chooser-options")
            yield Static(HINT, id="chooser-hint", markup=False)

    def on_mount(self) -> None:
        self._show_matches("")
        options = self.query_one(OptionList)
        if self._current in self._names:
            options.highlighted = options.get_option_index(self._current)

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._show_matches(event.value)

    def _show_matches(self, typed: str) -> None:
        name = typed.strip()
        options = self.query_one(OptionList)
        options.clear_options()
        if name and name not in self._names:
            options.add_option(Option(Text.assemble(("New collection ", "bold"), name), id=NEW))
        wanted = name.casefold()
        options.add_options(
            Option(Text(existing), id=existing)
            for existing in self._names
            if wanted in existing.casefold()
        )
        if options.option_count:
            options.highlighted = 0
        options.display = options.option_count > 0

    def choose(self, option_id: str) -> None:
        self.dismiss(self.query_one(Input).value.strip() if option_id == NEW else option_id)

"""Choosing another code by typing part of its key, name or definition: the group to
move a code under, or the code to merge it into."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.domain.records import Code
from qualcode.tui.code_search import rank_codes
from qualcode.tui.code_text import code_prompt
from qualcode.tui.screens.choice import FilteredChoice

TOP_LEVEL = ""  # the option (and result) for "no parent"; no code key is empty


class CodeChooser(FilteredChoice):
    """Returns the chosen code's key, ``""`` for the top level (when offered), or None
    when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="code-chooser-cancel"),
        Binding("down", "move(1)", "Next code", show=False, id="code-chooser-down"),
        Binding("up", "move(-1)", "Previous code", show=False, id="code-chooser-up"),
    ]

    def __init__(
        self,
        title: str,
        codes: Sequence[Code],
        colours: Mapping[str, str],
        language: str,
        *,
        top_level: str | None = None,
        current: str | None = None,
    ) -> None:
        """``top_level``: the caption of a "no parent" option, offered first when given;
        ``current``: the key highlighted at first (``""`` for the top level)."""
        super().__init__()
        self._title = title
        self._codes = list(codes)
        self._colours = colours
        self._language = language
        self._top_level = top_level
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="code-chooser"):
            yield Label(self._title, id="code-chooser-title", markup=False)
            yield Input(placeholder="key, name or words of the definition",
                        id="code-chooser-filter")  # fmt: skip
            yield OptionList(id="code-chooser-options")
            yield Label("enter chooses · escape cancels", id="code-chooser-hint")

    def on_mount(self) -> None:
        self._show_matches("")
        options = self.query_one(OptionList)
        if self._current is not None and self._current in self.shown_keys:
            options.highlighted = self.shown_keys.index(self._current)

    @property
    def shown_keys(self) -> list[str]:
        """Keys of the options now listed, in order (``""`` for the top level)."""
        options = self.query_one(OptionList)
        return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._show_matches(event.value)

    def _show_matches(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if self._top_level is not None and not query.strip():
            options.add_option(Option(Text(self._top_level, Style(italic=True)), id=TOP_LEVEL))
        options.add_options(
            Option(code_prompt(code, self._colours.get(code.key), self._language), id=code.key)
            for code in rank_codes(self._codes, query)
        )
        if options.option_count:
            options.highlighted = 0

"""The code picker: filter the codebook by typing, read the highlighted code's
definition and criteria, and press Enter to apply it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.domain.records import Code
from qualcode.tui.code_search import rank_codes
from qualcode.tui.code_text import code_description, code_prompt
from qualcode.tui.screens.choice import FilteredChoice


class CodePicker(FilteredChoice):
    """Returns the chosen code's key, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
        Binding("down", "move(1)", "Next code", show=False, id="picker-down"),
        Binding("up", "move(-1)", "Previous code", show=False, id="picker-up"),
    ]

    def __init__(self, codes: Sequence[Code], colours: Mapping[str, str], language: str) -> None:
        super().__init__()
        self._codes = list(codes)
        self._by_key = {code.key: code for code in codes}
        self._colours = colours
        self._language = language

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Apply a code to the selection", id="picker-title")
            yield Input(placeholder="key, name or words of the definition", id="picker-filter")
            yield OptionList(id="picker-options")
            with VerticalScroll(id="picker-definition-scroll"):
                yield Static(id="picker-definition")

    def on_mount(self) -> None:
        self._show_matches("")

    @property
    def shown_keys(self) -> list[str]:
        """Keys of the codes now listed, in order."""
        options = self.query_one(OptionList)
        return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._show_matches(event.value)

    def _show_matches(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(code_prompt(code, self._colours.get(code.key), self._language), id=code.key)
            for code in rank_codes(self._codes, query)
        )
        if options.option_count:
            options.highlighted = 0
        else:
            self.query_one("#picker-definition", Static).update("No code matches.")

    @on(OptionList.OptionHighlighted)
    def _describe(self, event: OptionList.OptionHighlighted) -> None:
        code = self._by_key[str(event.option.id)]
        self.query_one("#picker-definition", Static).update(code_description(code, self._language))

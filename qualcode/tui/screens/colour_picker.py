"""Choosing a code's colour: one of a few colours that stay readable as tints on dark
and light themes, any ``#rrggbb`` typed in, or none of its own (the group's colour)."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.codebook import COLOR_RE
from qualcode.domain.records import Code

READABLE_COLOURS = (
    ("red", "#e06c6c"), ("orange", "#ff9f40"), ("amber", "#e5b93c"),
    ("lime", "#9ccc65"), ("green", "#4caf7d"), ("teal", "#26a69a"),
    ("sky", "#5fa8e8"), ("indigo", "#7e8ce0"), ("violet", "#b07fd8"),
    ("pink", "#e57fb3"), ("brown", "#b08a6e"), ("grey", "#9e9e9e"),
)  # fmt: skip
INHERIT = ""  # the option (and result) for "no colour of its own"
HEX_INPUT = r"#?[0-9a-fA-F]{0,6}"


def typed_colour(typed: str) -> str | None:
    """``#rrggbb`` for what was typed (the ``#`` may be left out), or None while it
    is not a whole colour yet."""
    colour = f"#{typed.strip().removeprefix('#')}"
    return colour.lower() if COLOR_RE.match(colour) else None


class ColourPicker(ModalScreen[str | None]):
    """Returns ``#rrggbb``, ``""`` for no colour of its own, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="colour-cancel"),
        Binding("down", "move(1)", "Next colour", show=False, id="colour-down"),
        Binding("up", "move(-1)", "Previous colour", show=False, id="colour-up"),
    ]

    def __init__(self, code: Code, inherited: str, language: str) -> None:
        """``inherited``: the colour the code shows without one of its own."""
        super().__init__()
        self._code = code
        self._inherited = inherited
        self._language = language

    def compose(self) -> ComposeResult:
        with Vertical(id="colour-picker"):
            yield Label(f"Colour of {self._code.key}", id="colour-title", markup=False)
            yield Input(placeholder="#rrggbb, or choose below", id="colour-hex",
                        restrict=HEX_INPUT, max_length=7)  # fmt: skip
            yield OptionList(*self._options(), id="colour-options")
            yield Static(id="colour-preview")
            yield Label("enter chooses · escape cancels", id="colour-hint")

    def _options(self) -> list[Option]:
        options = [Option(self._swatch(self._inherited, "the group's colour (none of its own)"),
                          id=INHERIT)]  # fmt: skip
        options += [
            Option(self._swatch(hex_colour, f"{name:<8} {hex_colour}"), id=hex_colour)
            for name, hex_colour in READABLE_COLOURS
        ]
        return options

    @staticmethod
    def _swatch(colour: str, caption: str) -> Text:
        return Text.assemble(("███ ", Style(color=colour)), caption)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        own = (self._code.color or "").lower()
        index = next(
            (i for i, (_, hex_colour) in enumerate(READABLE_COLOURS, 1) if hex_colour == own),
            None,
        )
        if own and index is None:
            self.query_one(Input).value = own  # a colour of its own outside the palette
        else:
            options.highlighted = index or 0
        self._preview()

    @property
    def chosen(self) -> str:
        """The colour enter would choose: the one typed if whole, else the highlighted."""
        typed = typed_colour(self.query_one(Input).value)
        if typed is not None:
            return typed
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return INHERIT
        return str(options.get_option_at_index(options.highlighted).id)

    @on(Input.Changed)
    def _typed(self) -> None:
        # a whole colour typed is what enter chooses: the list shows none then
        if typed_colour(self.query_one(Input).value) is not None:
            self.query_one(OptionList).highlighted = None
        self._preview()

    @on(OptionList.OptionHighlighted)
    def _preview(self) -> None:
        colour = self.chosen or self._inherited
        label = Text.assemble(("■ ", Style(color=colour)), (self._code.key, Style(bold=True)),
                              f"  {self._code.label(self._language)}")  # fmt: skip
        label.append(f"   {colour}", Style(dim=True))
        self.query_one("#colour-preview", Static).update(label)

    @on(Input.Submitted)
    def _choose_typed_or_highlighted(self) -> None:
        typed = self.query_one(Input).value.strip()
        if typed and typed_colour(typed) is None:
            self.notify(f"{typed!r} is not a colour of the form #rrggbb", severity="error",
                        markup=False)  # fmt: skip
            return
        self.dismiss(self.chosen)

    @on(OptionList.OptionSelected)
    def _choose_clicked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_move(self, step: int) -> None:
        # the typed colour gives way to the list as soon as the user moves in it
        self.query_one(Input).value = ""
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)

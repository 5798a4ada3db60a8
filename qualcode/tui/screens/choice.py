"""The shared behaviour of the modals that filter a list as the user types: the code
picker, the code chooser and the collection chooser. Enter or a click chooses the
highlighted option, up and down move in the list without leaving the input, escape
cancels."""

from __future__ import annotations

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList


class FilteredChoice(ModalScreen[str | None]):
    """Dismisses with the chosen option's id (or ``None`` when cancelled)."""

    def choose(self, option_id: str) -> None:
        """What choosing an option does; a subclass may turn the id into its result."""
        self.dismiss(option_id)

    @on(Input.Submitted)
    def _choose_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.choose(str(options.get_option_at_index(options.highlighted).id))

    @on(OptionList.OptionSelected)
    def _choose_clicked(self, event: OptionList.OptionSelected) -> None:
        self.choose(str(event.option.id))

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)

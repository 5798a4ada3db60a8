"""The memo dialog of a coding: write a new memo, or edit or delete one written before.

The memos already on the coding are listed above the input. Typing and enter adds a
memo; in the list, enter loads the highlighted memo into the input to edit it and
delete removes it (undo brings it back, as for every memo action).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.domain.records import Memo

ADDING = "a new memo: enter saves, escape cancels"


@dataclass(frozen=True, slots=True)
class MemoChange:
    """What the user asked for: a new memo, a memo's new text, or a memo deleted."""

    kind: Literal["add", "edit", "delete"]
    text: str = ""
    memo_id: int | None = None


def _one_line(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class MemoEditor(ModalScreen[MemoChange | None]):
    """Returns the change asked for, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="memo-cancel"),
        Binding("delete", "delete_memo", "Delete memo", id="memo-delete",
                tooltip="Delete the memo highlighted in the list"),
    ]  # fmt: skip

    def __init__(self, about: str, memos: Sequence[Memo] = ()) -> None:
        super().__init__()
        self._about = about
        self._memos = {memo.id: memo for memo in memos}
        self._editing: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-editor"):
            yield Label(self._about, id="memo-about")
            memo_list = OptionList(
                *(
                    Option(f"{memo.author}: {_one_line(memo.text)}", id=str(memo.id))
                    for memo in self._memos.values()
                ),
                id="memo-list",
            )
            memo_list.display = bool(self._memos)
            yield memo_list
            yield Input(placeholder=ADDING, id="memo-text")
            yield Label(
                "shift+tab to the memos above: enter edits one, delete removes it"
                if self._memos
                else "",
                id="memo-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(OptionList.OptionSelected, "#memo-list")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        memo = self._memos[int(event.option.id)]
        self._editing = memo.id
        field = self.query_one(Input)
        field.value = memo.text
        field.placeholder = "the memo's text"
        self.query_one("#memo-hint", Label).update(
            f"editing {memo.author}'s memo: enter saves, escape cancels"
        )
        field.focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        if self._editing is None:
            self.dismiss(MemoChange("add", event.value))
        else:
            self.dismiss(MemoChange("edit", event.value, self._editing))

    def action_delete_memo(self) -> None:
        memo_list = self.query_one(OptionList)
        if not memo_list.has_focus or memo_list.highlighted is None:
            return
        option = memo_list.get_option_at_index(memo_list.highlighted)
        assert option.id is not None
        self.dismiss(MemoChange("delete", memo_id=int(option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)

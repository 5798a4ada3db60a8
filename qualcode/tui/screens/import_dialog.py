"""The import dialog: which file (or files, by a pattern) and what kind of transcript."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from qualcode.domain.records import TRANSCRIPT_MODES
from qualcode.tui.path_suggester import PathSuggester

DEFAULT_MODE = "interview"


@dataclass(frozen=True, slots=True)
class ImportRequest:
    paths: tuple[Path, ...]
    mode: str


def files_named(typed: str) -> tuple[Path, ...]:
    """The files ``typed`` names: one path, or a pattern such as ``~/intervjuer/*.docx``;
    raises ValueError saying why there are none."""
    typed = typed.strip()
    if not typed:
        raise ValueError("Type the path of a transcript file")
    expanded = str(Path(typed).expanduser())
    if any(ch in typed for ch in "*?["):
        found = tuple(Path(p) for p in sorted(glob.glob(expanded)) if Path(p).is_file())
        if not found:
            raise ValueError(f"No file matches {typed}")
        return found
    path = Path(expanded)
    if path.is_dir():
        raise ValueError(f"{typed} is a folder: name a file, or a pattern like {typed}/*.txt")
    if not path.is_file():
        raise ValueError(f"There is no file {typed}")
    return (path,)


class ImportDialog(ModalScreen[ImportRequest | None]):
    """Returns the files to import and their mode, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="import-cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog"):
            yield Label("Import transcripts", id="import-title")
            yield Input(
                placeholder="a file, or a pattern like ~/intervjuer/*.docx",
                suggester=PathSuggester(),
                id="import-path",
            )
            yield Select(
                [(mode.replace("_", " "), mode) for mode in TRANSCRIPT_MODES],
                value=DEFAULT_MODE,
                allow_blank=False,
                id="import-mode",
            )
            yield Static(id="import-problem", markup=False)
            yield Static(
                "enter imports · tab to the kind of transcript · → completes the path · "
                "escape cancels",
                id="import-hint",
            )

    @on(Select.Changed)
    def _back_to_the_path(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        try:
            paths = files_named(event.value)
        except ValueError as exc:
            self.query_one("#import-problem", Static).update(str(exc))
            return
        mode = self.query_one(Select).value
        self.dismiss(ImportRequest(paths, str(mode)))

    def action_cancel(self) -> None:
        self.dismiss(None)

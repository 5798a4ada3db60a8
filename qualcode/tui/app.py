"""The workbench app and the one factory the CLI and the tests build it with."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from qualcode.services import transcripts
from qualcode.services.project import Project
from qualcode.tui.coding_view import CoderFilter
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.help import HelpScreen, keys_table
from qualcode.tui.screens.overview import OverviewScreen
from qualcode.tui.workbench import Workbench


class QualcodeApp(App[None]):
    """Overview of the transcripts at the bottom of the screen stack; a coding screen
    is pushed over it for one transcript at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "qualcode"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Keys", id="help", tooltip="List the keys in force"),
    ]

    def __init__(self, workbench: Workbench, *, open_first: bool = False) -> None:
        super().__init__()
        self.workbench = workbench
        self._open_first = open_first
        self.sub_title = f"coder {workbench.coder}"

    def get_default_screen(self) -> OverviewScreen:
        return OverviewScreen(self.workbench)

    def on_mount(self) -> None:
        screen = self.screen
        if self._open_first and isinstance(screen, WorkbenchScreen):
            listed = transcripts.list_transcripts(self.workbench.project)
            if listed:
                screen.open_transcript(listed[0].id)

    def action_help(self) -> None:
        # Only qualcode's own bindings carry ids; Textual's (TextArea's editing keys,
        # inert in a read-only view) would bury them.
        rows: dict[str, str] = {}
        for active in self.active_bindings.values():
            binding = active.binding
            if active.enabled and binding.id and binding.description:
                rows[self.get_key_display(binding)] = binding.tooltip or binding.description
        rows[self.get_key_display(Binding(self.COMMAND_PALETTE_BINDING, "command_palette"))] = (
            "Command palette: apply a code, go to a transcript, change the theme"
        )
        sections = [keys_table("Keys", list(rows.items()))]
        if isinstance(self.screen, WorkbenchScreen):
            sections.append(self.screen.help_markdown())
        focused = self.screen.focused
        if focused is not None and focused.HELP:
            sections.append(focused.HELP)
        self.push_screen(HelpScreen("\n".join(section for section in sections if section)))


def make_app(
    project: Project, *, coder: str, open_first: bool = False, blind: bool = False
) -> QualcodeApp:
    """The app on an open project, coding as ``coder``; ``open_first`` starts on the
    coding screen of the first transcript (what ``qualcode demo`` does), ``blind``
    starts in blind mode (other coders' codings hidden)."""
    view = CoderFilter(me=coder, blind=blind)
    return QualcodeApp(Workbench(project, coder, project.language, view), open_first=open_first)


def run_app(project: Project, *, coder: str, open_first: bool = False, blind: bool = False) -> None:
    make_app(project, coder=coder, open_first=open_first, blind=blind).run()

"""The workbench app and the one factory the CLI and the tests build it with."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen

from qualcode.services import transcripts
from qualcode.services.freshness import ChangeWatcher, watch_changes
from qualcode.services.project import Project
from qualcode.tui.coding_view import CoderFilter
from qualcode.tui.keymap import keymap_problems
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.help import HelpScreen, keys_table
from qualcode.tui.screens.overview import OverviewScreen
from qualcode.tui.settings import load_settings, settings_path
from qualcode.tui.workbench import Workbench

# how often the open screen asks whether the project changed elsewhere
CHANGE_POLL_SECONDS = 0.5


class QualcodeApp(App[None]):
    """Overview of the transcripts at the bottom of the screen stack; a coding screen
    is pushed over it for one transcript at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "qualcode"
    # Many terminals open at 80 × 24: below 100 columns or 32 rows the stylesheet gives
    # the transcript more of the width and shortens the panes and modals. (Textual
    # declares these as ``ClassVar[...] | None``, which mypy reads as instance
    # variables, so a ClassVar annotation here would not type-check.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Keys", id="help", tooltip="List the keys in force"),
    ]

    def __init__(
        self, workbench: Workbench, *, open_first: bool = False, settings: Path | None = None
    ) -> None:
        super().__init__()
        self.workbench = workbench
        self.settings_path = settings or settings_path()
        self._open_first = open_first
        self.sub_title = f"coder {workbench.coder}"

    def get_default_screen(self) -> OverviewScreen:
        return OverviewScreen(self.workbench)

    def on_mount(self) -> None:
        self._watch_changes()
        self._apply_keymap()
        screen = self.screen
        if self._open_first and isinstance(screen, WorkbenchScreen):
            listed = transcripts.list_transcripts(self.workbench.project)
            if listed:
                screen.open_transcript(listed[0].id)

    # ------------------------------------------------------------------ freshness

    def _watch_changes(self) -> None:
        """Poll for changes made elsewhere (the CLI, another coder), so the open screen
        shows them within a second (store/watch.py says how each engine is asked)."""
        try:
            self._watcher: ChangeWatcher | None = watch_changes(self.workbench.project)
        except Exception as exc:
            self._watcher = None
            self.notify(f"changes by others will show when a screen is reopened ({exc})",
                        severity="warning", markup=False)  # fmt: skip
            return
        self.set_interval(CHANGE_POLL_SECONDS, self._poll_changes)

    def _poll_changes(self) -> None:
        if self._watcher is None:
            return
        self._stale = self._watcher.changed() or getattr(self, "_stale", False)
        screen = self.screen
        # only a full screen that is up refreshes; under a dialog (or while a screen is
        # still being built) the change waits for the next poll after it
        if not self._stale or not isinstance(screen, WorkbenchScreen) or not screen.is_current:
            return
        self._stale = False
        try:
            screen.data_changed()
        except NoMatches:
            self._stale = True  # the screen is not composed yet; try again next poll

    def on_unmount(self) -> None:
        watcher = getattr(self, "_watcher", None)
        if watcher is not None:
            watcher.close()

    # ------------------------------------------------------------------ keys

    def _apply_keymap(self) -> None:
        settings = load_settings(self.settings_path)
        if settings.problem is not None:
            self.notify(settings.problem, severity="warning", timeout=15, markup=False)
            return
        if not settings.keymap:
            return
        self.set_keymap(settings.keymap)
        # the keymap as Textual applies it: "?" is "question_mark" there, as in BINDINGS
        problems = keymap_problems(self._keymap)
        if problems:
            self.notify(
                f"{self.settings_path}: {'; '.join(problems)}. ? lists the keys in force "
                "with their ids",
                severity="warning", timeout=20, markup=False,
            )  # fmt: skip

    def action_help(self) -> None:
        # Only qualcode's own bindings carry ids; Textual's (TextArea's editing keys,
        # inert in a read-only view) would bury them.
        rows: dict[str, tuple[str, str, str]] = {}
        for active in self.active_bindings.values():
            binding = active.binding
            if active.enabled and binding.id and binding.description:
                key = self.get_key_display(binding)
                rows[key] = (key, binding.tooltip or binding.description, binding.id)
        palette = self.get_key_display(Binding(self.COMMAND_PALETTE_BINDING, "command_palette"))
        rows[palette] = (
            palette, "Command palette: apply a code, go to a transcript, find passages, "
            "change the theme", "",
        )  # fmt: skip
        sections = [
            keys_table("Keys", list(rows.values()), columns=("Key", "Does", "Id")),
            f"To change a key, name its id under `keymap:` in `{self.settings_path}`, "
            "for example `find-passages: ctrl+f`.\n",
        ]
        if isinstance(self.screen, WorkbenchScreen):
            sections.append(self.screen.help_markdown())
        focused = self.screen.focused
        if focused is not None and focused.HELP:
            sections.append(focused.HELP)
        self.push_screen(HelpScreen("\n".join(section for section in sections if section)))

    # ------------------------------------------------------------------ palette

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, WorkbenchScreen):
            yield SystemCommand(
                "Find passages…",
                "Search the transcripts with a query: ACT.WAIT AND role:participant",
                screen.find_passages,
            )
            yield SystemCommand(
                "Quote collections", "Read, edit, order and export the quote collections",
                screen.open_collections,
            )  # fmt: skip
            yield SystemCommand(
                "Analysis: matrices and co-occurrence",
                "Codes by transcript, mode, role, attribute…; enter on a number shows its passages",
                screen.open_analysis,
            )
            yield SystemCommand(
                "Agreement report", "Intercoder agreement per code: α with its bar, κ, pooled",
                screen.open_agreement,
            )  # fmt: skip
            yield SystemCommand(
                "Cases", "Cases and their attributes: edit, link transcripts and speakers, tables",
                screen.open_cases,
            )  # fmt: skip
            yield SystemCommand(
                "Review disagreements", "Settle two coders' disagreements into the consensus layer",
                screen.open_adjudication,
            )  # fmt: skip
        if isinstance(screen, OverviewScreen):
            yield SystemCommand(
                "Import transcripts…", "Import transcript files into the project",
                screen.action_import_transcripts,
            )  # fmt: skip
            for title, help_text, kind in (
                ("Import a REFI-QDA project (.qdpx)…",
                 "Texts, codes, codings, memos and cases from NVivo, ATLAS.ti, MAXQDA…", "import"),
                ("Apply a REFI-QDA codebook (.qdc)…",
                 "Add and update codes from another tool's codebook", "codebook"),
                ("Export as a REFI-QDA project (.qdpx)…",
                 "The whole project for NVivo, ATLAS.ti, MAXQDA, QualCoder", "export"),
                ("Back up the project", "A consistent copy into backups/, while in use", "backup"),
            ):  # fmt: skip
                yield SystemCommand(title, help_text, partial(screen.ask_exchange, kind))


def make_app(
    project: Project,
    *,
    coder: str,
    open_first: bool = False,
    blind: bool = False,
    settings: Path | None = None,
) -> QualcodeApp:
    """The app on an open project, coding as ``coder``; ``open_first`` starts on the
    coding screen of the first transcript (what ``qualcode demo`` does), ``blind``
    starts in blind mode (other coders' codings hidden). The user's keymap is read
    from ``settings`` (default: ``$QUALCODE_SETTINGS``, else the user's config folder)."""
    view = CoderFilter(me=coder, blind=blind)
    return QualcodeApp(
        Workbench(project, coder, project.language, view), open_first=open_first, settings=settings
    )


def run_app(project: Project, *, coder: str, open_first: bool = False, blind: bool = False) -> None:
    make_app(project, coder=coder, open_first=open_first, blind=blind).run()

"""The project overview: every transcript with its size and how far each coder got;
importing more transcripts runs from here, in a thread worker."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, get_current_worker

from qualcode.domain.errors import QualcodeError
from qualcode.services import importing, stats, transcripts
from qualcode.tui.commands import GoToTranscriptCommands
from qualcode.tui.messages import ExchangeDone, ImportFailed, ImportProgressed, TranscriptImported
from qualcode.tui.path_suggester import PathSuggester
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.import_dialog import ImportDialog, ImportRequest
from qualcode.tui.screens.text_prompt import TextPrompt
from qualcode.tui.widgets.progress_line import ProgressLine

HINT = "enter opens the highlighted transcript · ctrl+p for commands"


class TranscriptTable(DataTable[str]):
    HELP = """\
## Transcripts

One row per transcript; each coder's column shows their number of codings and the
share of the text they coded. **enter** opens the transcript for coding.
"""


class OverviewScreen(WorkbenchScreen):
    COMMANDS = WorkbenchScreen.COMMANDS | {GoToTranscriptCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find_passages", "Find", id="find-passages",
                tooltip="Find passages with a query (ACT.WAIT AND role:participant)"),
        Binding("o", "collections", "Collections", id="open-collections",
                tooltip="Read, edit, order and export the quote collections"),
        Binding("i", "import_transcripts", "Import…", id="import-transcripts",
                tooltip="Import transcript files into the project"),
        Binding("c", "codebook", "Codebook", id="open-codebook",
                tooltip="Read the codes' definitions and criteria"),
        Binding("r", "agreement", "Agreement", id="open-agreement",
                tooltip="Intercoder agreement per code: α with its bar, κ, pooled figures"),
        Binding("d", "disagreements", "Disagreements", id="open-adjudication",
                tooltip="Review two coders' disagreements and settle them into a consensus"),
        Binding("k", "cases", "Cases", id="open-cases",
                tooltip="Cases and their attributes: edit, link, tables by county"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Header()
        yield TranscriptTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        yield ProgressLine(id="import-progress")
        yield Static(id="overview-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Transcripts"

    def on_screen_resume(self) -> None:
        # on first show, and after the coding screen, where codings may have changed
        self.refresh_table()

    def data_changed(self) -> None:
        self.refresh_table()  # keeps the cursor row

    def refresh_table(self) -> None:
        project, me, view = self.workbench.project, self.workbench.coder, self.workbench.view
        self.sub_title = f"coder {me} · {view.describe()}"
        listed = transcripts.list_transcripts(project)
        figures = stats.project_stats(project)
        shares = figures.coded_share
        # in blind mode the other coders' progress stays hidden here too
        coders = [me] if view.blind else sorted(set(figures.by_coder) | {me},
                                                 key=lambda name: (name != me, name))  # fmt: skip
        table = self.query_one(TranscriptTable)
        cursor_row = table.cursor_row
        table.clear(columns=True)
        table.add_column("Title", key="title")
        table.add_column("Mode", key="mode")
        table.add_column("Words", key="words")
        for name in coders:
            table.add_column(f"{name} codings · coded", key=f"coder-{name}")
        for transcript in listed:
            mode = transcript.mode.replace("_", " ")
            cells = [transcript.title, mode, f"{transcript.word_count:>6}"]
            for name in coders:
                share = shares.get(transcript.title, {}).get(name, 0.0)
                count = figures.by_transcript_coder.get(transcript.title, {}).get(name, 0)
                cells.append(f"{count:>4} · {share:>4.0%}")
            table.add_row(*cells, key=str(transcript.id))
        if listed:
            table.move_cursor(row=min(cursor_row, len(listed) - 1))
        import_key = next(
            (self.app.get_key_display(active.binding)
             for active in self.active_bindings.values()
             if active.binding.id == "import-transcripts"),
            "i",
        )  # fmt: skip
        hint = HINT if listed else f"No transcripts yet: press {import_key} to import some."
        self.query_one("#overview-hint", Static).update(hint)

    def action_codebook(self) -> None:
        self.app.push_screen(CodebookScreen(self.workbench))

    def action_find_passages(self) -> None:
        self.find_passages()

    def action_collections(self) -> None:
        self.open_collections()

    def action_agreement(self) -> None:
        self.open_agreement()

    def action_cases(self) -> None:
        self.open_cases()

    def action_disagreements(self) -> None:
        self.open_adjudication()

    @on(DataTable.RowSelected)
    def _open_selected(self, event: DataTable.RowSelected) -> None:
        self.open_transcript(int(str(event.row_key.value)))

    # ------------------------------------------------------------------ importing

    def action_import_transcripts(self) -> None:
        if self.query_one(ProgressLine).working:
            self.tell("An import is running; wait for it to finish", severity="warning")
            return

        def chosen(request: ImportRequest | None) -> None:
            if request is not None:
                self.import_files(request.paths, request.mode)

        self.app.push_screen(ImportDialog(), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def import_files(self, paths: tuple[Path, ...], mode: str) -> None:
        """Import each file in turn; a refused file is reported and the next one tried."""
        worker = get_current_worker()
        for done, path in enumerate(paths):
            if worker.is_cancelled:
                return
            self.post_message(ImportProgressed(path, done, len(paths)))
            try:
                report = importing.import_file(self.workbench.project, path, mode=mode)
            except QualcodeError as exc:
                self.post_message(ImportFailed(path, str(exc)))
            else:
                self.post_message(TranscriptImported(report))

    @on(ImportProgressed)
    def _import_progressed(self, message: ImportProgressed) -> None:
        of = f" ({message.done + 1} of {message.total})" if message.total > 1 else ""
        # one file cannot say how far it got: the bar then pulses instead
        total = message.total if message.total > 1 else None
        self.query_one(ProgressLine).show(
            f"Importing {message.path.name}{of}…", progress=message.done, total=total
        )

    @on(TranscriptImported)
    def _imported(self, message: TranscriptImported) -> None:
        report = message.report
        self.refresh_table()
        table = self.query_one(TranscriptTable)
        table.move_cursor(row=table.get_row_index(str(report.transcript.id)))
        speakers = ", ".join(report.speakers) or "no speaker labels found"
        self.tell(
            f"Imported {report.transcript.title}: {report.transcript.word_count} words, "
            f"{report.turns} turns, {report.units} sentences; speakers {speakers}"
        )
        for warning in report.warnings:
            self.tell(f"{report.transcript.title}: {warning}", severity="warning", timeout=15)

    @on(ImportFailed)
    def _import_failed(self, message: ImportFailed) -> None:
        self.tell(f"Not imported: {message.reason}", severity="error", timeout=15)

    # ------------------------------------------------------------------ exchange

    def ask_exchange(self, kind: str) -> None:
        """Ask for a file, then import a .qdpx project or a .qdc codebook, export the
        project as .qdpx, or back it up (``kind``: import, codebook, export, backup)."""
        if self.query_one(ProgressLine).working:
            self.tell("An import or export is running; wait for it to finish", severity="warning")
            return
        if kind == "backup":
            self.exchange(kind, None)
            return
        about = {
            "import": "Import a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, …",
            "codebook": "Apply a REFI-QDA codebook (.qdc)",
            "export": "Export the project as a REFI-QDA project (.qdpx)",
        }[kind]
        default = (
            str(self.workbench.project.exports_dir / "project.qdpx") if kind == "export" else ""
        )

        def chosen(typed: str | None) -> None:
            if typed and typed.strip():
                self.exchange(kind, Path(typed.strip()).expanduser())

        self.app.push_screen(TextPrompt(about, default, suggester=PathSuggester()), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="exchange")
    def exchange(self, kind: str, path: Path | None) -> None:
        from qualcode.services import backup, exchange

        project, me = self.workbench.project, self.workbench.coder
        if path is None:
            self.post_message(ExchangeDone(f"Backed up to {backup.backup_project(project)}"))
            return
        if kind == "import":
            report = exchange.import_qdpx(project, path, coder=me)
            counts = ", ".join(f"{n} {what}" for what, n in report.counts.items() if n)
            self.post_message(ExchangeDone(f"Imported {counts or 'nothing'}", report.not_carried))
        elif kind == "export":
            if path.parent == project.exports_dir:
                project.exports_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            report = exchange.export_qdpx(project, path)
            self.post_message(ExchangeDone(f"Wrote {path}", report.not_carried))
        elif kind == "codebook":
            diff, warnings = exchange.apply_qdc(project, path, coder=me)
            summary = f"Added {len(diff.added)} codes, updated {len(diff.changed)}"
            self.post_message(ExchangeDone(summary, tuple(warnings)))

    @on(ExchangeDone)
    def _exchanged(self, message: ExchangeDone) -> None:
        self.refresh_table()
        self.tell(message.summary)
        if message.not_carried:
            self.tell(
                "Not carried over:\n" + "\n".join(f"• {item}" for item in message.not_carried),
                severity="warning",
                timeout=30,
            )

    def work_ended(self, worker: Worker[object]) -> None:
        if worker.group in ("import", "exchange"):
            self.query_one(ProgressLine).hide()

"""The project overview: every transcript with its size and how far each coder got."""

from __future__ import annotations

from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from qualcode.services import coding, stats, transcripts
from qualcode.tui.commands import GoToTranscriptCommands
from qualcode.tui.screens.base import WorkbenchScreen


class TranscriptTable(DataTable[str]):
    HELP = """\
## Transcripts

One row per transcript; each coder's column shows their number of codings and the
share of the text they coded. **enter** opens the transcript for coding.
"""


class OverviewScreen(WorkbenchScreen):
    COMMANDS = WorkbenchScreen.COMMANDS | {GoToTranscriptCommands}

    def compose(self) -> ComposeResult:
        yield Header()
        yield TranscriptTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        yield Static(id="overview-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Transcripts"
        self.sub_title = f"coder {self.workbench.coder}"

    def on_screen_resume(self) -> None:
        # on first show, and after the coding screen, where codings may have changed
        self.refresh_table()

    def refresh_table(self) -> None:
        project, me = self.workbench.project, self.workbench.coder
        listed = transcripts.list_transcripts(project)
        all_codings = coding.list_codings(project)
        per_coder = Counter((c.transcript_id, c.coder) for c in all_codings)
        shares = stats.project_stats(project).coded_share
        coders = sorted({c.coder for c in all_codings} | {me}, key=lambda n: (n != me, n))
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
                cells.append(f"{per_coder[transcript.id, name]:>4} · {share:>4.0%}")
            table.add_row(*cells, key=str(transcript.id))
        if listed:
            table.move_cursor(row=min(cursor_row, len(listed) - 1))
        hint = (
            "enter opens the highlighted transcript · ctrl+p commands · ? keys · q quits"
            if listed
            else "No transcripts yet: add some with `qualcode import FILE`."
        )
        self.query_one("#overview-hint", Static).update(hint)

    @on(DataTable.RowSelected)
    def _open_selected(self, event: DataTable.RowSelected) -> None:
        self.open_transcript(int(str(event.row_key.value)))

"""The project overview: every transcript with its size and how far each coder got."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from qualcode.services import coding, stats, transcripts
from qualcode.tui.commands import GoToTranscriptCommands
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.codebook import CodebookScreen


class TranscriptTable(DataTable[str]):
    HELP = """\
## Transcripts

One row per transcript; each coder's column shows their number of codings and the
share of the text they coded. **enter** opens the transcript for coding.
"""


class OverviewScreen(WorkbenchScreen):
    COMMANDS = WorkbenchScreen.COMMANDS | {GoToTranscriptCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "codebook", "Codebook", id="open-codebook",
                tooltip="Read the codes' definitions and criteria"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Header()
        yield TranscriptTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        yield Static(id="overview-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Transcripts"

    def on_screen_resume(self) -> None:
        # on first show, and after the coding screen, where codings may have changed
        self.refresh_table()

    def refresh_table(self) -> None:
        project, me, view = self.workbench.project, self.workbench.coder, self.workbench.view
        self.sub_title = f"coder {me} · {view.describe()}"
        listed = transcripts.list_transcripts(project)
        all_codings = coding.list_codings(project)
        per_coder = Counter((c.transcript_id, c.coder) for c in all_codings)
        shares = stats.project_stats(project).coded_share
        # in blind mode the other coders' progress stays hidden here too
        coders = [me] if view.blind else sorted({c.coder for c in all_codings} | {me},
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
                cells.append(f"{per_coder[transcript.id, name]:>4} · {share:>4.0%}")
            table.add_row(*cells, key=str(transcript.id))
        if listed:
            table.move_cursor(row=min(cursor_row, len(listed) - 1))
        hint = (
            "enter opens the highlighted transcript · c codebook · ctrl+p commands · ? keys"
            if listed
            else "No transcripts yet: add some with `qualcode import FILE`."
        )
        self.query_one("#overview-hint", Static).update(hint)

    def action_codebook(self) -> None:
        self.app.push_screen(CodebookScreen(self.workbench))

    @on(DataTable.RowSelected)
    def _open_selected(self, event: DataTable.RowSelected) -> None:
        self.open_transcript(int(str(event.row_key.value)))

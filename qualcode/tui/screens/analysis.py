"""The analysis screen: a code matrix or a co-occurrence table as a heat-coloured table,
chosen with rows, columns, measure and a filter query; enter on a cell shows its
passages on the retrieval screen (the cell's own query, so the passages are the ones
counted).

The table is computed in a thread worker: over a large project it takes a moment.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static
from textual.worker import Worker, get_current_worker

from qualcode.domain.analysis import MatrixResult, format_number
from qualcode.domain.matrix import MEASURES
from qualcode.domain.query import QuerySyntaxError, parse
from qualcode.services import analysis
from qualcode.services.attributes import list_values
from qualcode.tui.messages import MatrixComputed
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.text import clip
from qualcode.tui.workbench import Workbench

COOCCURRENCE = {
    "cooccurrence:overlap": "codes × codes, overlapping",
    "cooccurrence:sentence": "codes × codes, same sentence",
    "cooccurrence:turn": "codes × codes, same turn",
}
DIMENSIONS = ("codes", "transcripts", "cases", "speakers", "roles", "modes", "coders")


class MatrixTable(DataTable[Text]):
    HELP = """\
## The table

Each number counts what the header says; the darker the cell, the larger the number.
The last row and column are totals (each coding or passage counted once).

- **enter** shows the passages behind the highlighted cell (its query, on the
  retrieval screen; escape comes back here)
- **/** goes to the filter query, **r** recomputes
"""


def heat(value: float | None, peak: float) -> Style:
    """White to deep orange by the value's share of the largest cell."""
    if value is None or peak <= 0 or value <= 0:
        return Style()
    share = min(float(value) / peak, 1.0)
    green, blue = round(235 - 150 * share), round(200 - 190 * share)
    return Style(bgcolor=f"rgb(255,{green},{blue})", color="black" if share < 0.6 else "white")


class AnalysisScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "edit_filter", "Filter", id="analysis-filter",
                tooltip="Go to the filter query (only passages matching it are counted)"),
        Binding("r", "compute", "Recompute", id="analysis-compute",
                tooltip="Compute the table again with the choices above"),
        Binding("escape", "back", "Back", id="analysis-back",
                tooltip="Back to where you came from"),
    ]  # fmt: skip

    def __init__(self, workbench: Workbench) -> None:
        super().__init__(workbench)
        self.result: MatrixResult | None = None
        self._asked: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        attributes = sorted({value.attribute for value in list_values(self.workbench.project)})
        rows = [(name, name) for name in DIMENSIONS] + [
            (f"attribute:{name}", f"attribute:{name}") for name in attributes
        ]
        columns = rows + [(label, key) for key, label in COOCCURRENCE.items()]
        yield Header()
        with Horizontal(id="analysis-choices"):
            yield Select(rows, value="codes", allow_blank=False, id="analysis-rows",
                         prompt="rows")  # fmt: skip
            yield Select(columns, value="modes", allow_blank=False, id="analysis-columns",
                         prompt="columns")  # fmt: skip
            yield Select([(m, m) for m in MEASURES], value="codings", allow_blank=False,
                         id="analysis-measure", prompt="measure")  # fmt: skip
        yield Input(placeholder="filter query (optional), e.g. role:participant",
                    id="analysis-where")  # fmt: skip
        yield Static(id="analysis-header", markup=False)
        yield MatrixTable(id="analysis-table", cursor_type="cell", zebra_stripes=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Analysis"
        self.sub_title = f"coder {self.workbench.coder} · {self.workbench.view.describe()}"
        self.compute()

    # ------------------------------------------------------------------ computing

    @on(Select.Changed)
    def _changed(self, _: Select.Changed) -> None:
        self.compute()

    @on(Input.Submitted, "#analysis-where")
    def _filtered(self, _: Input.Submitted) -> None:
        self.compute()

    def action_compute(self) -> None:
        self.compute(again=True)

    def compute(self, *, again: bool = False) -> None:
        """Compute the table for the choices on screen, in a worker (unless it is
        the table already asked for: a Select reports its first value too)."""
        rows = str(self.query_one("#analysis-rows", Select).value)
        columns = str(self.query_one("#analysis-columns", Select).value)
        measure = str(self.query_one("#analysis-measure", Select).value)
        where = self.query_one("#analysis-where", Input).value.strip() or None
        if where:
            try:
                parse(where)
            except QuerySyntaxError as exc:
                self.tell(f"Filter: {exc}", severity="error", timeout=15)
                return
        # blind mode shows only the coder's own codings, here as everywhere
        coders = (self.workbench.coder,) if self.workbench.view.blind else ()
        asked = (rows, columns, measure, where, coders)
        if asked == self._asked and not again:
            return
        self._asked = asked
        self.query_one(MatrixTable).loading = True
        self._compute(rows, columns, measure, where, coders)

    @work(thread=True, exclusive=True, exit_on_error=False, group="analysis")
    def _compute(
        self, rows: str, columns: str, measure: str, where: str | None, coders: tuple[str, ...]
    ) -> None:
        project = self.workbench.project
        if columns.startswith("cooccurrence:"):
            request = analysis.CooccurrenceRequest(
                columns.split(":", 1)[1], where=where, coders=coders
            )
            found = analysis.cooccurrence(project, request)
        else:
            found = analysis.matrix(
                project, analysis.Request(rows, columns, measure, where=where, coders=coders)
            )
        if not get_current_worker().is_cancelled:
            self.post_message(MatrixComputed(found))

    def work_ended(self, worker: Worker[object]) -> None:
        if worker.group == "analysis":
            self.query_one(MatrixTable).loading = False

    @on(MatrixComputed)
    def _computed(self, message: MatrixComputed) -> None:
        self.result = message.result
        self._show(message.result)

    # ------------------------------------------------------------------ showing

    def _show(self, result: MatrixResult) -> None:
        table = self.query_one(MatrixTable)
        table.loading = False
        table.clear(columns=True)
        header = Text(result.header, Style(bold=True))
        if result.note:
            header.append(f"\n{result.note}", Style(dim=True))
        self.query_one("#analysis-header", Static).update(header)
        table.add_column(result.rows.dimension, key="label")
        for j, label in enumerate(result.columns.labels):
            table.add_column(clip(label, 18), key=f"c{j}")
        table.add_column("Total", key="total")
        peak = max((float(v) for row in result.cells for v in row if v is not None), default=0.0)
        for i, label in enumerate(result.rows.labels):
            cells = [
                Text(format_number(v, result.measure), style=heat(v, peak), justify="right")
                for v in result.cells[i]
            ]
            total = Text(format_number(result.row_totals[i], result.measure), justify="right",
                         style=Style(bold=True))  # fmt: skip
            table.add_row(Text(clip(label, 30)), *cells, total, key=str(i))
        totals = [
            Text(format_number(v, result.measure), justify="right", style=Style(bold=True))
            for v in result.column_totals
        ]
        table.add_row(Text("Total", Style(bold=True)), *totals,
                      Text(format_number(result.total, result.measure), justify="right"),
                      key="total")  # fmt: skip
        if result.rows.labels and result.columns.labels:
            table.move_cursor(row=0, column=1)
        table.focus()

    def cell_query(self, row: int, column: int) -> str | None:
        """The query behind the table cell at ``(row, column)`` (column 0 is the labels;
        totals have the row's or column's query)."""
        result = self.result
        if result is None:
            return None
        rows, columns = len(result.rows.labels), len(result.columns.labels)
        if row < rows and 1 <= column <= columns:
            return result.cell_query(row, column - 1)
        if result.cell_queries is not None:
            return None
        if row < rows and column == columns + 1:
            return result.row_query(row)
        if row == rows and 1 <= column <= columns:
            return result.column_query(column - 1)
        return None

    @on(DataTable.CellSelected, "#analysis-table")
    def _open(self, event: DataTable.CellSelected) -> None:
        query = self.cell_query(event.coordinate.row, event.coordinate.column)
        if not query:
            self.tell("No query reproduces this cell (same-turn co-occurrence or a label); "
                      "qualcode cooccurrence --by turn --cell A B lists its turns",
                      severity="warning")  # fmt: skip
            return
        from qualcode.tui.screens.retrieval import RetrievalScreen

        self.workbench.query = query
        self.app.push_screen(RetrievalScreen(self.workbench))

    def action_edit_filter(self) -> None:
        self.query_one("#analysis-where", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def help_markdown(self) -> str:
        return (
            "## Analysis\n\n"
            "Choose rows, columns (a dimension, or codes × codes for co-occurrence) and "
            "what to count; a filter query counts only the passages it matches. Every "
            "number is the passages of its query: enter shows them. The definitions are "
            "in docs/decisions.md (Analysis).\n"
        )

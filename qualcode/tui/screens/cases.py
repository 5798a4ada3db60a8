"""The cases screen: every case with its attributes, editing a value, linking a
transcript or a speaker to a case, and the `cases table` result for a grouping.

Reading the cases and computing a table run in thread workers (a project may hold
thousands of cases); the screen stays usable meanwhile and shows the result when the
worker posts it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualcode.domain.errors import InvalidInput, QualcodeError
from qualcode.domain.tables import MISSING, Table, format_cell, text_width, to_text, transpose
from qualcode.services.attributes import set_attribute
from qualcode.services.case_tables import case_table
from qualcode.services.cases import CaseRecord, link_speaker, link_transcript, list_cases
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.text_prompt import TextPrompt
from qualcode.tui.text import clip
from qualcode.tui.workbench import Workbench

FIXED_COLUMNS = 2  # the case's name and its number of links, before the attributes
CELL_WIDTH = 24


class CasesLoaded(Message):
    def __init__(self, cases: list[CaseRecord]) -> None:
        super().__init__()
        self.cases = cases


class CaseTableComputed(Message):
    def __init__(self, table: Table, request: str) -> None:
        super().__init__()
        self.table = table
        self.request = request


class CasesTable(DataTable[Text]):
    HELP = """\
## Cases

One row per case (a municipality, a district), one column per case attribute; **–**
is a missing value (never zero).

- **e** edits the highlighted cell's value (empty makes it missing)
- **l** links a transcript to the highlighted case
- **s** links a speaker of a transcript to the highlighted case
- **t** prints a table by a grouping, e.g. `län; sum lvu,sol; count svarat=ja`
"""


def parse_grouping(text: str) -> tuple[list[str], list[str], list[str]]:
    """``"län, svarat; sum lvu,sol; count svarat=ja"`` as (by, sums, counts)."""
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if not parts:
        raise InvalidInput("name the attribute to group by, e.g. län; sum lvu,sol")
    by = [name.strip() for name in parts[0].split(",") if name.strip()]
    sums: list[str] = []
    counts: list[str] = []
    for part in parts[1:]:
        word, _, rest = part.partition(" ")
        names = [name.strip() for name in rest.split(",") if name.strip()]
        if word == "sum":
            sums += names
        elif word == "count":
            counts += names
        else:
            raise InvalidInput(f"{part!r}: write 'sum A,B' or 'count A=V' after the grouping")
    return by, sums, counts


class CasesScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_value", "Edit", id="cases-edit",
                tooltip="Edit the highlighted value (empty makes it missing)"),
        Binding("l", "link_transcript", "Link transcript", id="cases-link",
                tooltip="Put a transcript in the highlighted case"),
        Binding("s", "link_speaker", "Link speaker", id="cases-link-speaker",
                tooltip="Link a transcript's speaker to the highlighted case"),
        Binding("t", "group_table", "Table", id="cases-table",
                tooltip="Counts and sums by a grouping, with a total row"),
        Binding("escape", "back", "Back", id="cases-back", tooltip="Back to where you came from"),
    ]  # fmt: skip

    def __init__(self, workbench: Workbench) -> None:
        super().__init__(workbench)
        self.cases: list[CaseRecord] = []
        self.attributes: list[str] = []
        self.result: Table | None = None
        self._grouping = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the cases…", id="cases-about", markup=False)
        yield CasesTable(id="cases-table", cursor_type="cell", zebra_stripes=True)
        yield Static(id="cases-result", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Cases"
        self.sub_title = f"coder {self.workbench.coder}"
        self.query_one(CasesTable).focus()
        self.reload()

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        self.query_one(CasesTable).loading = True
        self.load_cases()

    @work(thread=True, exclusive=True, exit_on_error=False, group="cases-load")
    def load_cases(self) -> None:
        found = list_cases(self.workbench.project)
        if not get_current_worker().is_cancelled:
            self.post_message(CasesLoaded(found))

    @on(CasesLoaded)
    def _loaded(self, message: CasesLoaded) -> None:
        table = self.query_one(CasesTable)
        where = table.cursor_coordinate
        self.cases = message.cases
        self.attributes = sorted({name for case in self.cases for name in case.attributes})
        table.clear(columns=True)
        table.add_column("case", key="case")
        table.add_column(Text("linked", justify="right"), key="linked")
        for name in self.attributes:
            table.add_column(name, key=f"attr-{name}")
        for case in self.cases:
            links = len(case.transcripts) + len(case.speakers)
            table.add_row(
                Text(case.name),
                Text(str(links), justify="right"),
                *(self._cell(case.attributes.get(name)) for name in self.attributes),
                key=case.name,
            )
        table.loading = False
        if self.cases:
            table.move_cursor(row=min(where.row, len(self.cases) - 1), column=where.column)
        self.query_one("#cases-about", Static).update(
            f"{len(self.cases)} cases · {len(self.attributes)} attributes · "
            "e edit · l link transcript · s link speaker · t table"
            if self.cases
            else "No cases yet: qualcode cases import FILE --key COLUMN, or l to link one"
        )

    @staticmethod
    def _cell(value: object) -> Text:
        if value is None:
            return Text(MISSING, justify="center", style="dim")
        text = format_cell(value)  # type: ignore[arg-type]
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        return Text(clip(text, CELL_WIDTH), justify="right" if numeric else "left")

    def _highlighted(self) -> tuple[CaseRecord, str | None] | None:
        """The highlighted case and the attribute of the highlighted column (if any)."""
        table = self.query_one(CasesTable)
        if not self.cases:
            self.tell("There are no cases yet", severity="warning")
            return None
        row, column = table.cursor_coordinate
        name = self.attributes[column - FIXED_COLUMNS] if column >= FIXED_COLUMNS else None
        return self.cases[row], name

    # ------------------------------------------------------------------ editing

    def action_edit_value(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        case, attribute = found
        if attribute is None:
            self.app.push_screen(
                TextPrompt(f"Set an attribute of {case.name}", "",
                           hint="ATTRIBUTE=VALUE, e.g. lvu=2; enter sets, escape cancels"),
                lambda answer: self._set_pair(case.name, answer),
            )  # fmt: skip
            return
        current = case.attributes.get(attribute)
        self.app.push_screen(
            TextPrompt(f"{attribute} of {case.name}",
                       "" if current is None else format_cell(current),
                       hint="empty makes the value missing (not zero); escape cancels"),
            lambda answer: self._set(case.name, attribute, answer),
        )  # fmt: skip

    def _set_pair(self, case: str, answer: str | None) -> None:
        if not answer:
            return
        attribute, sep, value = answer.partition("=")
        if not sep or not attribute.strip():
            self.tell(f"{answer!r}: write ATTRIBUTE=VALUE", severity="error")
            return
        self._set(case, attribute.strip(), value)

    def _set(self, case: str, attribute: str, answer: str | None) -> None:
        if answer is None:
            return
        value = answer.strip() or None
        try:
            set_attribute(
                self.workbench.project, attribute, value, case=case, coder=self.workbench.coder
            )
        except QualcodeError as error:
            self.tell(str(error), severity="error", timeout=15)
            return
        self.tell(f"{case}: {attribute} = {value if value is not None else 'missing'}")
        self.reload()

    def action_link_transcript(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        case = found[0].name
        self.app.push_screen(
            TextPrompt(f"Link a transcript to {case}", hint="the transcript's title or id"),
            lambda answer: self._link(case, answer),
        )

    def _link(self, case: str, answer: str | None) -> None:
        if not answer or not answer.strip():
            return
        try:
            done = link_transcript(
                self.workbench.project, answer.strip(), [case], coder=self.workbench.coder
            )
        except QualcodeError as error:
            self.tell(str(error), severity="error", timeout=15)
            return
        verb = "was already in" if done.already else "is now in"
        self.tell(f"{done.transcript} {verb} {case}")
        self.reload()

    def action_link_speaker(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        case = found[0].name
        self.app.push_screen(
            TextPrompt(f"Link a speaker to {case}",
                       hint="TRANSCRIPT | SPEAKER, e.g. Fokusgrupp | Socialsekreterare C"),
            lambda answer: self._link_speaker(case, answer),
        )  # fmt: skip

    def _link_speaker(self, case: str, answer: str | None) -> None:
        if not answer:
            return
        transcript, sep, speaker = answer.partition("|")
        if not sep or not transcript.strip() or not speaker.strip():
            self.tell("write TRANSCRIPT | SPEAKER", severity="error")
            return
        try:
            link_speaker(
                self.workbench.project,
                transcript.strip(),
                speaker.strip(),
                case,
                coder=self.workbench.coder,
            )
        except QualcodeError as error:
            self.tell(str(error), severity="error", timeout=15)
            return
        self.tell(f"{speaker.strip()} in {transcript.strip()} is now in {case}")
        self.reload()

    # ------------------------------------------------------------------ tables

    def action_group_table(self) -> None:
        self.app.push_screen(
            TextPrompt("Table of the cases by", self._grouping,
                       hint="ATTRIBUTE[, ATTRIBUTE]; sum A,B; count A=V"),
            self._request_table,
        )  # fmt: skip

    def _request_table(self, answer: str | None) -> None:
        if not answer or not answer.strip():
            return
        try:
            by, sums, counts = parse_grouping(answer)
        except InvalidInput as error:
            self.tell(str(error), severity="error")
            return
        self._grouping = answer.strip()
        self.query_one("#cases-result", Static).update(f"Counting by {', '.join(by)}…")
        self.compute_table(by, sums, counts, self._grouping)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cases-table")
    def compute_table(
        self, by: list[str], sums: list[str], counts: list[str], request: str
    ) -> None:
        table = case_table(self.workbench.project, by=by, sums=sums, counts=counts)
        if not get_current_worker().is_cancelled:
            self.post_message(CaseTableComputed(table, request))

    @on(CaseTableComputed)
    def _table_computed(self, message: CaseTableComputed) -> None:
        if message.request != self._grouping:
            return
        self.result = message.table
        text = to_text(message.table)
        if text_width(message.table) > self.size.width - 2:
            # too wide for the screen: the groups across the top, as a report prints it
            text = to_text(transpose(message.table))
        self.query_one("#cases-result", Static).update(text)

    def work_ended(self, worker: Worker[object]) -> None:
        if worker.state != WorkerState.ERROR:
            return
        if worker.group == "cases-table":
            self.query_one("#cases-result", Static).update(f"No table: {worker.error}")
        elif worker.group == "cases-load":
            self.query_one(CasesTable).loading = False

    def action_back(self) -> None:
        self.app.pop_screen()

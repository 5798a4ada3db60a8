"""Word frequencies of the retrieval screen's passages, and keyword in context: enter
on a word lists its occurrences, aligned on it; a term can also be typed (a word, a
phrase, ``placer*`` or ``lemma:placering``).

Both are computed in thread workers: the first lemma or stop-word list takes a moment
to load.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.worker import get_current_worker

from qualcode.domain.analysis import KwicLine, MatrixResult
from qualcode.services import words
from qualcode.tui.messages import KwicFound, MatrixComputed
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.workbench import Workbench

KWIC_WIDTH = 45


class WordTable(DataTable[Text]):
    HELP = """\
## Word frequencies

The most frequent words of the passages (stop words left out); **l** switches between
word forms and lemmas. **enter** shows the highlighted word in context below.
"""


class WordsScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "toggle_lemmas", "Lemmas", id="words-lemmas",
                tooltip="Count lemmas (every form of a word) or word forms"),
        Binding("slash", "edit_term", "Term", id="words-term",
                tooltip="Type a word, phrase, prefix* or lemma:WORD to see in context"),
        Binding("escape", "back", "Back", id="words-back",
                tooltip="Back to the passages"),
    ]  # fmt: skip

    def __init__(self, workbench: Workbench, query: str | None) -> None:
        super().__init__(workbench)
        self.where = query
        self.lemmas = False
        self.result: MatrixResult | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="words-header", markup=False)
        with Horizontal(id="words-body"):
            yield WordTable(id="words-table", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="kwic-table", cursor_type="row", show_header=False)
        yield Input(placeholder="keyword in context: a word, a phrase, placer*, lemma:placering",
                    id="kwic-term")  # fmt: skip
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Words"
        self.sub_title = self.where or "all transcripts"
        self.count()

    def count(self) -> None:
        self.query_one(WordTable).loading = True
        self._count(self.where, self.lemmas)

    @work(thread=True, exclusive=True, exit_on_error=False, group="words")
    def _count(self, where: str | None, lemmas: bool) -> None:
        request = words.WordRequest(where=where, lemmas=lemmas, min_count=1, limit=200)
        found = words.word_frequencies(self.workbench.project, request)
        if not get_current_worker().is_cancelled:
            self.post_message(MatrixComputed(found))

    @on(MatrixComputed)
    def _counted(self, message: MatrixComputed) -> None:
        self.result = message.result
        table = self.query_one(WordTable)
        table.loading = False
        table.clear(columns=True)
        table.add_column(message.result.rows.dimension, key="word")
        table.add_column("count", key="count")
        for word, total in zip(message.result.rows.labels, message.result.row_totals, strict=True):
            table.add_row(Text(word), Text(str(total), justify="right"), key=word)
        header = Text(message.result.header, Style(bold=True))
        header.append(f"\n{message.result.note}", Style(dim=True))
        self.query_one("#words-header", Static).update(header)
        table.focus()

    @on(DataTable.RowSelected, "#words-table")
    def _word_chosen(self, event: DataTable.RowSelected) -> None:
        word = event.row_key.value
        if word:
            self.show_in_context(f"lemma:{word}" if self.lemmas else word)

    @on(Input.Submitted, "#kwic-term")
    def _term_typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.show_in_context(event.value.strip())

    def show_in_context(self, term: str) -> None:
        self.query_one("#kwic-table", DataTable).loading = True
        self._kwic(term, self.where)

    @work(thread=True, exclusive=True, exit_on_error=False, group="kwic")
    def _kwic(self, term: str, where: str | None) -> None:
        shown, lines = words.kwic(self.workbench.project, term, width=KWIC_WIDTH, where=where)
        if not get_current_worker().is_cancelled:
            self.post_message(KwicFound(shown, lines))

    @on(KwicFound)
    def _found(self, message: KwicFound) -> None:
        table: DataTable[Text] = self.query_one("#kwic-table", DataTable)
        table.loading = False
        table.clear(columns=True)
        table.add_column("left", key="left")
        table.add_column("keyword", key="keyword")
        table.add_column("right", key="right")
        for number, line in enumerate(message.lines):
            table.add_row(*kwic_cells(line), key=str(number))
        self.tell(f"{len(message.lines)} occurrences of {message.term}")

    def work_ended(self, worker: object) -> None:
        for selector in ("#words-table", "#kwic-table"):
            self.query_one(selector, DataTable).loading = False

    def action_toggle_lemmas(self) -> None:
        self.lemmas = not self.lemmas
        self.count()

    def action_edit_term(self) -> None:
        self.query_one("#kwic-term", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()


def kwic_cells(line: KwicLine) -> tuple[Text, Text, Text]:
    """The line as three cells: the left context right-aligned so keywords line up."""
    return (
        Text(line.left.rjust(KWIC_WIDTH), Style(dim=True)),
        Text(line.keyword, Style(bold=True, color="cyan")),
        Text(line.right, Style(dim=True)),
    )

"""The retrieval screen: a query in the query language (docs/query.md), the passages it
finds with their speaker and codes, the highlighted one in its context, and counts per
code; from here passages go to the coding screen or into a quote collection.

The query runs in a thread worker (a ``lemma:`` term loads spaCy, which takes
seconds); a query that does not parse is caught before that, and its error shown
under the input with a caret at the column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.worker import Worker, get_current_worker

from qualcode.domain.errors import QualcodeError
from qualcode.domain.query import QuerySyntaxError
from qualcode.services import coders, codes, collections, retrieval
from qualcode.services.retrieval import Passage
from qualcode.tui.messages import PassagesFound
from qualcode.tui.query_scope import code_counts, scope_query, visible_codes
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.coding import SUMMARY_CODED
from qualcode.tui.screens.collection_chooser import CollectionChooser
from qualcode.tui.text import clip, counted, flat, timestamp
from qualcode.tui.workbench import Workbench

CONTEXT_SENTENCES = 1  # shown around the highlighted passage
EXAMPLES = 'ACT.WAIT AND role:participant · ACT OVERLAPS DISC · text:"på is" · lemma:vänta'
DIM = Style(dim=True)


class PassageTable(DataTable[Text]):
    HELP = """\
## Passages found

One row per passage the query matched: its transcript, speaker, codes and the start of
its words; the highlighted passage is shown below in its context (dimmed).

- **enter** opens the transcript at the passage (escape comes back here)
- **a** adds the passage to a quote collection, **A** adds all of them
- **w** counts the words of the passages and shows keywords in context
- **o** opens the collections; **/** goes back to the query
"""


class RetrievalScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "edit_query", "Query", id="find-passages",
                tooltip="Go to the query (the query language is in docs/query.md)"),
        Binding("a", "collect", "Collect…", id="add-to-collection",
                tooltip="Add the highlighted passage to a quote collection"),
        Binding("A", "collect_all", "Collect all…", show=False, id="add-all-to-collection",
                tooltip="Add every passage found to a quote collection"),
        Binding("w", "words", "Words", id="word-frequencies",
                tooltip="Word frequencies of these passages, and keywords in context"),
        Binding("o", "collections", "Collections", id="open-collections",
                tooltip="Read, edit, order and export the quote collections"),
        Binding("escape", "back", "Back", id="retrieval-back",
                tooltip="Back to where you came from"),
    ]  # fmt: skip

    def __init__(self, workbench: Workbench) -> None:
        super().__init__(workbench)
        self.passages: list[Passage] = []
        self._labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.workbench.query, placeholder=f"query, e.g. {EXAMPLES}", id="query")
        yield Static(id="query-error", markup=False)
        yield PassageTable(id="passages", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="retrieval-details"):
            with VerticalScroll(id="passage-preview-scroll"):
                yield Static(id="passage-preview")
            with VerticalScroll(id="retrieval-counts-scroll"):
                yield Static(id="retrieval-counts")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Find passages"
        self.sub_title = f"coder {self.workbench.coder} · {self.workbench.view.describe()}"
        self.query_one("#query-error").display = False
        self._labels = {
            code.key: code.label(self.workbench.language)
            for code in codes.list_codes(self.workbench.project)
        }
        self._show_passages(self.workbench.query, [])
        query = self.query_one("#query", Input)
        query.focus()
        if self.workbench.query:
            self.search(self.workbench.query)

    # ------------------------------------------------------------------ querying

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.search(event.value)

    def search(self, typed: str) -> None:
        """Run the query ``typed`` (narrowed to the codings the coder may see)."""
        typed = typed.strip()
        error = self.query_one("#query-error", Static)
        error.display = False
        if not typed:
            self.tell(f"Type a query, for example {EXAMPLES}", severity="warning")
            return
        known = {coder.name for coder in coders.list_coders(self.workbench.project)}
        try:
            scoped = scope_query(typed, self.workbench.view, known)
        except QuerySyntaxError as exc:
            error.update(f"{exc.pointer()} {exc.reason}")
            error.display = True
            return
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            return
        self.workbench.query = typed
        if scoped.text is None:
            self.tell(scoped.why, severity="warning")
            self._show_passages(typed, [])
            return
        self.query_one(PassageTable).loading = True
        self._retrieve(typed, scoped.text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="retrieve")
    def _retrieve(self, typed: str, text: str) -> None:
        found = retrieval.retrieve(self.workbench.project, text, context=CONTEXT_SENTENCES)
        if not get_current_worker().is_cancelled:
            self.post_message(PassagesFound(typed, found))

    @on(PassagesFound)
    def _found(self, message: PassagesFound) -> None:
        table = self.query_one(PassageTable)
        table.loading = False  # before focusing: a loading widget cannot take focus
        self._show_passages(message.query, list(message.retrieval.passages))
        if self.passages:
            table.focus()

    def work_ended(self, worker: Worker[object]) -> None:
        if worker.group == "retrieve":
            self.query_one(PassageTable).loading = False

    # ------------------------------------------------------------------ showing

    def _show_passages(self, query: str, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        view = self.workbench.view
        table = self.query_one(PassageTable)
        table.clear(columns=True)
        table.add_column("#", key="number")
        table.add_column("Transcript", key="transcript")
        table.add_column("Speaker", key="speaker")
        table.add_column("Codes", key="codes")
        table.add_column("Passage", key="passage")
        for number, passage in enumerate(self.passages, 1):
            table.add_row(
                Text(f"{number:>3}", style=DIM),
                Text(clip(passage.transcript, 24)),
                Text(clip(passage.speaker or "", 22)),
                Text(clip(" ".join(visible_codes(passage, view)), 24)),
                Text(clip(flat(passage.text), 200), style="" if passage.verbatim else "italic"),
                key=str(number - 1),
            )
        self._show_counts(query)
        if self.passages:
            table.move_cursor(row=0)
            self._preview(self.passages[0])
        else:
            found_nothing = Text(f"No passage matches {query}.") if query else Text()
            found_nothing.append(f"\n\nExamples: {EXAMPLES}\nThe query language: docs/query.md",
                                 style=DIM)  # fmt: skip
            self.query_one("#passage-preview", Static).update(found_nothing)

    def _show_counts(self, query: str) -> None:
        transcripts = Counter(passage.transcript for passage in self.passages)
        counts = Text()
        if query:
            counts.append(counted(len(self.passages), "passage"), Style(bold=True))
            counts.append(f" in {counted(len(transcripts), 'transcript')}")
        by_code = code_counts(self.passages, self.workbench.view)
        for heading, counter, labels in (
            ("Per code", by_code, self._labels),
            ("Per transcript", transcripts, {}),
        ):
            if counter:
                counts.append(f"\n\n{heading}", Style(bold=True))
            for name, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
                counts.append(f"\n{count:>4}  {clip(name, 30)}")
                counts.append(f" {labels[name]}" if name in labels else "", DIM)
        self.query_one("#retrieval-counts", Static).update(counts)
        found = f"{counted(len(self.passages), 'passage')} · " if query else ""
        self.sub_title = f"{found}coder {self.workbench.coder} · {self.workbench.view.describe()}"

    @on(DataTable.RowHighlighted, "#passages")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        passage = self._passage(event.row_key.value)
        if passage is not None:
            self._preview(passage)

    def _preview(self, passage: Passage) -> None:
        heading = Text(passage.transcript, Style(bold=True))
        if passage.speaker:
            heading.append(f" · {passage.speaker}")
            if passage.role:
                heading.append(f" ({passage.role})", DIM)
        if passage.timestamp_ms is not None:
            heading.append(f" · {timestamp(passage.timestamp_ms)}")
        keys = visible_codes(passage, self.workbench.view)
        if keys:
            heading.append(f" · {' '.join(keys)}", Style(color="cyan"))
        words = Text()
        # the passage may start or end inside a word: a space only where the text has one
        if passage.before.strip():
            words.append(flat(passage.before) + (" " if passage.before[-1].isspace() else ""), DIM)
        words.append(flat(passage.text))
        if passage.after.strip():
            words.append((" " if passage.after[0].isspace() else "") + flat(passage.after), DIM)
        parts: list[Text] = [heading, Text(), words]
        if not passage.verbatim:
            parts += [Text(), Text(f"⚠ {SUMMARY_CODED}", Style(color="yellow"))]
        self.query_one("#passage-preview", Static).update(Text("\n").join(parts))

    def _passage(self, row_key: str | None) -> Passage | None:
        if row_key is None or not self.passages:
            return None
        return self.passages[int(row_key)]

    @property
    def highlighted(self) -> Passage | None:
        table = self.query_one(PassageTable)
        if not self.passages or table.row_count == 0:
            return None
        return self.passages[table.cursor_row]

    @on(DataTable.RowSelected, "#passages")
    def _open(self, event: DataTable.RowSelected) -> None:
        passage = self._passage(event.row_key.value)
        if passage is not None:
            self.open_passage(passage.transcript_id, passage.start, passage.end)

    # ------------------------------------------------------------------ collecting

    def action_collect(self) -> None:
        passage = self.highlighted
        if passage is None:
            self.tell("No passage to add: run a query first", severity="warning")
            return
        self._collect([passage], f"Add “{clip(flat(passage.text), 60)}” to a collection")

    def action_collect_all(self) -> None:
        if not self.passages:
            self.tell("No passages to add: run a query first", severity="warning")
            return
        self._collect(self.passages, f"Add all {len(self.passages)} passages to a collection")

    def _collect(self, passages: Sequence[Passage], about: str) -> None:
        names = [c.name for c in collections.list_collections(self.workbench.project)]

        def chosen(name: str | None) -> None:
            if name:
                self._add(passages, name, is_new=name not in names)

        self.app.push_screen(CollectionChooser(about, names, self.workbench.collection), chosen)

    def _add(self, passages: Sequence[Passage], name: str, *, is_new: bool) -> None:
        project, me, view = self.workbench.project, self.workbench.coder, self.workbench.view
        try:
            if is_new:
                collections.create_collection(project, name, coder=me)
            for passage in passages:
                keys = visible_codes(passage, view)
                theme = keys[0] if keys else ""
                collections.add_span(project, name, passage.transcript_id, passage.start,
                                     passage.end, coder=me, theme=theme)  # fmt: skip
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            return
        self.workbench.collection = name
        total = len(collections.show_collection(project, name).items)
        what = (
            f"“{clip(flat(passages[0].text), 40)}”" if len(passages) == 1
            else f"{len(passages)} passages"
        )  # fmt: skip
        self.tell(f"Added {what} to {name} ({counted(total, 'quote')}; o opens it)")

    # ------------------------------------------------------------------ moving

    def action_edit_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_words(self) -> None:
        from qualcode.tui.screens.words import WordsScreen

        typed = self.workbench.query.strip()
        text = None
        if typed:
            known = {coder.name for coder in coders.list_coders(self.workbench.project)}
            try:
                scoped = scope_query(typed, self.workbench.view, known)
            except QualcodeError as exc:
                self.tell(str(exc), severity="error")
                return
            if scoped.text is None:
                self.tell(scoped.why, severity="warning")
                return
            text = scoped.text  # blind mode: the coder's own codings only
        self.app.push_screen(WordsScreen(self.workbench, text))

    def action_collections(self) -> None:
        self.open_collections(self.workbench.collection)

    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("collect", "collect_all") and not self.passages:
            return None  # shown dimmed: nothing to add yet
        return True

    def help_markdown(self) -> str:
        return (
            "## Queries\n\n"
            f"For example `{EXAMPLES.replace(' · ', '`, `')}`. Codes are written by key; a "
            "group key includes its codes. `AND`, `OR`, `NOT`, `OVERLAPS`, `NEAR/N` and "
            "parentheses combine terms; `speaker:`, `role:`, `transcript:`, `mode:`, "
            "`coder:`, `attr:`, `text:` and `lemma:` filter. The whole language is in "
            "docs/query.md.\n"
        )

"""The collection screen: the quote collections on the left, the chosen one's quotes in
their order on the right, and the keys to edit, order, remove and export them.

An edited quote is checked against the speaker's verbatim words: words that are not
theirs (outside [brackets]) are listed in a warning, and the edit is kept, since the
author decides. Exports run in a thread worker and are refused while a name from the
pseudonymisation list would still appear in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from qualcode.domain.errors import QualcodeError
from qualcode.domain.pseudonyms import Leak
from qualcode.domain.quote_edits import EditCheck, check_edit
from qualcode.domain.quotes import Quote
from qualcode.services import collections, quotes
from qualcode.services.collections import Item
from qualcode.services.project import Project
from qualcode.tui.messages import CollectionExported
from qualcode.tui.path_suggester import PathSuggester
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.quote_editor import QuoteEditor
from qualcode.tui.screens.text_prompt import TextPrompt
from qualcode.tui.text import clip, flat
from qualcode.tui.widgets.progress_line import ProgressLine
from qualcode.tui.workbench import Workbench

DIM = Style(dim=True)
WARNING = Style(color="yellow")
NO_COLLECTIONS = (
    "No quote collections yet. Find passages (/ on the transcripts or coding screen) "
    "and press a to add the highlighted one to a new collection."
)


def export_format() -> str:
    """The default export format: Word when the exporter offers it, else Markdown."""
    return "docx" if "docx" in quotes.FORMATS else "md"


def default_export_path(project: Project, name: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)[:60]
    return project.exports_dir / f"{safe}.{export_format()}"


def foreign_words_warning(check: EditCheck) -> str:
    words = ", ".join(check.foreign_words)
    return (
        f"Not the speaker's words: {words}. Put your own words in [brackets] and mark "
        "cuts with […]; the edit is kept as written."
    )


def leak_sentence(found: list[tuple[Quote, Leak]], path: Path) -> str:
    names = ", ".join(sorted({repr(leak.found) for _, leak in found}))
    where = "; ".join(
        dict.fromkeys(f"{quote.transcript} {quote.start}..{quote.end}" for quote, _ in found)
    )
    return (
        f"Not exported: {names} from the pseudonymisation list would appear in {path.name} "
        f"(quotes at {where}). Change its pseudonym (qualcode pseudonyms) or edit the quote (e)."
    )


class QuoteTable(DataTable[Text]):
    HELP = """\
## Quotes

The chosen collection's quotes in their report order, each with its theme and
transcript; ✎ marks an edited quote. Below, the highlighted quote's words and, when
edited, the verbatim words it came from.

- **e** edits the words, **v** goes back to the verbatim words, **t** sets the theme
- **[** and **]** move the quote up and down, **x** removes it
- **enter** opens the transcript at the quote; **w** exports the collection
"""


class CollectionScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_quote", "Edit", id="edit-quote",
                tooltip="Edit the highlighted quote's words for the report"),
        Binding("v", "verbatim_quote", "Verbatim", show=False, id="verbatim-quote",
                tooltip="Drop the edit: back to the speaker's verbatim words"),
        Binding("t", "set_theme", "Theme", id="set-theme",
                tooltip="Put the highlighted quote under another theme"),
        Binding("left_square_bracket", "move(-1)", "Up", id="move-quote-up",
                tooltip="Move the highlighted quote up"),
        Binding("right_square_bracket", "move(1)", "Down", id="move-quote-down",
                tooltip="Move the highlighted quote down"),
        Binding("x", "remove_quote", "Remove", id="remove-quote",
                tooltip="Remove the highlighted quote from the collection"),
        Binding("w", "export", "Export…", id="export-collection",
                tooltip="Write the collection to a file, pseudonymised and leak-checked"),
        Binding("escape", "back", "Back", id="collections-back", tooltip="Back"),
    ]  # fmt: skip

    def __init__(self, workbench: Workbench, name: str | None = None) -> None:
        super().__init__(workbench)
        self.name_shown: str | None = name or workbench.collection
        self.items: list[Item] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="collection-body"):
            yield OptionList(id="collections")
            with Vertical(id="collection-main"):
                yield QuoteTable(id="quotes", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="quote-detail-scroll"):
                    yield Static(id="quote-detail")
        yield ProgressLine(id="export-progress")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Quote collections"
        self.sub_title = f"coder {self.workbench.coder}"
        self._list_collections()
        self.query_one(QuoteTable).focus()

    # ------------------------------------------------------------------ showing

    def _list_collections(self) -> None:
        listed = collections.list_collections(self.workbench.project)
        options = self.query_one("#collections", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            Option(Text.assemble(info.name, (f"  {info.items}", DIM)), id=info.name)
            for info in listed
        )
        names = [info.name for info in listed]
        if not names:
            self.name_shown = None
            self._show_items()
            return
        if self.name_shown not in names:
            self.name_shown = names[0]
        index = names.index(str(self.name_shown))
        if highlighted != index:
            options.highlighted = index  # shows its items, through OptionHighlighted
        else:
            self._show_items()

    @on(OptionList.OptionHighlighted, "#collections")
    def _collection_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.name_shown = str(event.option.id)
        self.workbench.collection = self.name_shown
        self._show_items()

    @on(OptionList.OptionSelected, "#collections")
    def _to_the_quotes(self) -> None:
        self.query_one(QuoteTable).focus()

    def _show_items(self, keep: int | None = None) -> None:
        """List the shown collection's quotes, the cursor on item ``keep`` (by id) or
        where it was."""
        table = self.query_one(QuoteTable)
        row = table.cursor_row
        self.items = []
        if self.name_shown is not None:
            try:
                view = collections.show_collection(self.workbench.project, self.name_shown)
            except QualcodeError as exc:
                self.tell(str(exc), severity="error")
            else:
                self.items = list(view.items)
        table.clear(columns=True)
        table.add_column("#", key="position")
        table.add_column("Theme", key="theme")
        table.add_column("Transcript", key="transcript")
        table.add_column("Quote", key="quote")
        for number, item in enumerate(self.items, 1):
            table.add_row(
                Text(f"{number:>3}", style=DIM),
                Text(clip(item.theme or "—", 24)),
                Text(clip(item.transcript, 28)),
                Text(("✎ " if item.edited_text is not None else "") + clip(flat(item.text), 200)),
                key=str(item.id),
            )
        if keep is not None:
            row = next((n for n, item in enumerate(self.items) if item.id == keep), row)
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))
            self._describe(self.items[table.cursor_row])
        else:
            self.query_one("#quote-detail", Static).update(
                Text(NO_COLLECTIONS if self.name_shown is None else "This collection is empty.")
            )
        shown = f" · {self.name_shown}: {len(self.items)} quotes" if self.name_shown else ""
        self.sub_title = f"coder {self.workbench.coder}{shown}"

    @on(DataTable.RowHighlighted, "#quotes")
    def _quote_highlighted(self, event: DataTable.RowHighlighted) -> None:
        item = self._item(event.row_key.value)
        if item is not None:
            self._describe(item)

    def _describe(self, item: Item) -> None:
        heading = Text(f"{item.transcript} {item.start}..{item.end}", Style(bold=True))
        if item.theme:
            heading.append(f" · {item.theme}", Style(color="cyan"))
        parts: list[Text] = [heading, Text(), Text(flat(item.text))]
        if item.edited_text is not None:
            parts += [Text(), Text("Verbatim:", DIM), Text(flat(item.verbatim_text), DIM)]
            check = check_edit(item.verbatim_text, item.edited_text)
            if not check.faithful:
                parts += [Text(), Text(f"⚠ {foreign_words_warning(check)}", WARNING)]
        self.query_one("#quote-detail", Static).update(Text("\n").join(parts))

    def _item(self, row_key: str | None) -> Item | None:
        return next((item for item in self.items if str(item.id) == row_key), None)

    @property
    def highlighted(self) -> Item | None:
        table = self.query_one(QuoteTable)
        if not self.items or table.row_count == 0:
            return None
        return self.items[table.cursor_row]

    def _chosen(self) -> Item | None:
        item = self.highlighted
        if item is None or self.name_shown is None:
            self.tell("No quote is highlighted", severity="warning")
            return None
        return item

    # ------------------------------------------------------------------ changing

    def action_edit_quote(self) -> None:
        item = self._chosen()
        if item is None:
            return
        name = str(self.name_shown)
        about = f"Edit the quote from {item.transcript} ({item.start}..{item.end})"

        def save(text: str | None) -> None:
            if text is not None and text != flat(item.text):
                self._edit(name, item, text)

        self.app.push_screen(QuoteEditor(about, item.verbatim_text, item.text), save)

    def action_verbatim_quote(self) -> None:
        item = self._chosen()
        if item is not None and item.edited_text is not None:
            self._edit(str(self.name_shown), item, None)

    def _edit(self, name: str, item: Item, text: str | None) -> None:
        try:
            check = collections.edit_quote(
                self.workbench.project, name, item.id, text, coder=self.workbench.coder
            )
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            return
        if check is not None and not check.faithful:
            self.tell(foreign_words_warning(check), severity="warning", timeout=15)
        else:
            self.tell("Quote saved" if text is not None else "Back to the verbatim words")
        self._show_items(keep=item.id)

    def action_set_theme(self) -> None:
        item = self._chosen()
        if item is None:
            return
        name = str(self.name_shown)

        def save(theme: str | None) -> None:
            if theme is None:
                return
            try:
                collections.move_item(self.workbench.project, name, item.id,
                                      coder=self.workbench.coder, theme=theme.strip())  # fmt: skip
            except QualcodeError as exc:
                self.tell(str(exc), severity="error")
                return
            self._show_items(keep=item.id)

        prompt = "Theme for the quote (quotes are exported grouped by theme)"
        self.app.push_screen(TextPrompt(prompt, item.theme), save)

    def action_move(self, step: int) -> None:
        item = self._chosen()
        if item is None:
            return
        position = self.items.index(item) + 1 + step
        if not 1 <= position <= len(self.items):
            return
        try:
            collections.move_item(self.workbench.project, str(self.name_shown), item.id,
                                  coder=self.workbench.coder, position=position)  # fmt: skip
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            return
        self._show_items(keep=item.id)

    def action_remove_quote(self) -> None:
        item = self._chosen()
        if item is None:
            return
        name = str(self.name_shown)
        try:
            collections.remove_item(self.workbench.project, name, item.id,
                                    coder=self.workbench.coder)  # fmt: skip
        except QualcodeError as exc:
            self.tell(str(exc), severity="error")
            return
        self.tell(f"Removed “{clip(flat(item.text), 50)}” from {name}")
        self._list_collections()

    @on(DataTable.RowSelected, "#quotes")
    def _open(self, event: DataTable.RowSelected) -> None:
        item = self._item(event.row_key.value)
        if item is not None:
            self.open_passage(item.transcript_id, item.start, item.end)

    # ------------------------------------------------------------------ exporting

    def action_export(self) -> None:
        if self.name_shown is None or not self.items:
            self.tell("Nothing to export: the collection has no quotes", severity="warning")
            return
        if self.query_one(ProgressLine).working:
            self.tell("An export is running already", severity="warning")
            return
        name = self.name_shown
        formats = ", ".join(f".{fmt}" for fmt in quotes.FORMATS)

        def chosen(typed: str | None) -> None:
            if not typed or not typed.strip():
                return
            path = Path(typed.strip()).expanduser()
            fmt = path.suffix.lstrip(".").lower()
            if fmt not in quotes.FORMATS:
                self.tell(f"Name a file ending in one of {formats}", severity="error")
                return
            self.query_one(ProgressLine).show(f"Exporting {name} to {path}…")
            self.export(name, fmt, path)

        default = default_export_path(self.workbench.project, name)
        self.app.push_screen(
            TextPrompt(f"Export {name} to", str(default), suggester=PathSuggester(),
                       hint=f"enter exports · the ending gives the format: {formats}"),
            chosen,
        )  # fmt: skip

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export(self, name: str, fmt: str, path: Path) -> None:
        """Write the collection ``name`` to ``path`` (posts ``CollectionExported``)."""
        project = self.workbench.project
        if path.parent == project.exports_dir:
            project.exports_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        collection = quotes.stored_collection(project, name)
        try:
            written = quotes.write_collection(project, collection, fmt, path)
        except quotes.LeakFound as refused:
            in_quotes = quotes.leaks(project, collection)
            if not in_quotes:  # a name outside the quotes: the title, a heading, metadata
                raise
            raise quotes.LeakFound(leak_sentence(in_quotes, path)) from refused
        self.post_message(CollectionExported(name, written, len(collection.quotes)))

    @on(CollectionExported)
    def _exported(self, message: CollectionExported) -> None:
        self.tell(f"Wrote {message.quotes} quotes of {message.name} to {message.path}")

    def work_ended(self, worker: Worker[object]) -> None:
        if worker.group == "export":
            self.query_one(ProgressLine).hide()

    def action_back(self) -> None:
        self.app.pop_screen()

"""The adjudication screen: two coders' disagreements one at a time, A's and B's
codings side by side over the passage, each settled with one key into the consensus
layer (``qualcode.services.adjudication``).

Nothing is kept on the screen that the database does not hold: after every write the
disagreements are listed again with their settlements, so leaving and coming back
(or another session) resumes where the work stands. A's and B's codings are only
read; settling again replaces the earlier decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Static

from qualcode.domain.errors import QualcodeError
from qualcode.domain.records import Code, Coding
from qualcode.services import adjudication, codes, coding, layers, transcripts
from qualcode.services.adjudication import DEFAULT_CONSENSUS, DisagreementStatus
from qualcode.tui.colours import code_colours
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.text import clip, flat
from qualcode.tui.widgets.transcript import TINT
from qualcode.tui.workbench import Workbench

CONTEXT = 160  # characters of transcript shown, dimmed, on each side of the passage
DIM = Style(dim=True)
DECISIONS = {
    "keep_a": "keep A",
    "keep_b": "keep B",
    "both": "both",
    "neither": "neither",
    "adjust": "adjusted",
}
KINDS = {
    "presence": "one coder coded this, the other has nothing like it",
    "boundary": "the same code on different stretches",
    "confusion": "different codes on about the same stretch",
}
BLIND = (
    "Blind mode is on: adjudication shows both coders' codings. Leave blind mode "
    "(b on the coding screen) to settle disagreements."
)


# ---------------------------------------------------------------------- adjusting


@dataclass(frozen=True, slots=True)
class Adjustment:
    """What an ``adjust`` settlement codes: ``[start, end)`` with ``code``."""

    start: int
    end: int
    code: str


def read_adjustment(
    start: str, end: str, code: str, text_length: int, code_keys: Sequence[str]
) -> Adjustment:
    """The adjustment typed into the dialog; ValueError saying what is wrong."""
    try:
        first, last = int(start), int(end)
    except ValueError:
        raise ValueError("Start and end must be character offsets (whole numbers)") from None
    if not 0 <= first < last <= text_length:
        raise ValueError(f"The span must lie within 0–{text_length}, its start before its end")
    by_upper = {key.upper(): key for key in code_keys}
    key = by_upper.get(code.strip().upper())
    if key is None:
        raise ValueError(f"No code {code.strip()!r} can be applied; type a code key")
    return Adjustment(first, last, key)


class AdjustDialog(ModalScreen[Adjustment | None]):
    """Returns the span and code to settle with, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="adjust-cancel"),
    ]

    def __init__(
        self, text: str, start: int, end: int, code: str, code_keys: Sequence[str], about: str
    ) -> None:
        """``text``: the transcript's; ``start``, ``end``, ``code``: what to prefill."""
        super().__init__()
        self._text = text
        self._start, self._end, self._code = start, end, code
        self._code_keys = list(code_keys)
        self._about = about

    def compose(self) -> ComposeResult:
        with Vertical(id="adjust"):
            yield Label(self._about, id="adjust-about", markup=False)
            with Horizontal(id="adjust-fields"):
                yield Label("Start")
                yield Input(str(self._start), type="integer", id="adjust-start")
                yield Label("End")
                yield Input(str(self._end), type="integer", id="adjust-end")
                yield Label("Code")
                yield Input(
                    self._code,
                    suggester=SuggestFromList(self._code_keys, case_sensitive=False),
                    id="adjust-code",
                )
            yield Static(id="adjust-preview", markup=False)
            yield Static(id="adjust-problem", markup=False)
            yield Label(
                "enter settles with this span and code · tab next field · escape cancels",
                id="adjust-hint",
            )

    def on_mount(self) -> None:
        self._preview()

    def _values(self) -> tuple[str, str, str]:
        def value(name: str) -> str:
            return self.query_one(f"#adjust-{name}", Input).value

        return value("start"), value("end"), value("code")

    @on(Input.Changed)
    def _preview(self) -> None:
        preview = self.query_one("#adjust-preview", Static)
        problem = self.query_one("#adjust-problem", Static)
        try:
            chosen = read_adjustment(*self._values(), len(self._text), self._code_keys)
        except ValueError as exc:
            problem.update(str(exc))
            return
        problem.update("")
        preview.update(Text(f"“{clip(flat(self._text[chosen.start : chosen.end]), 600)}”"))

    @on(Input.Submitted)
    def _settle(self) -> None:
        try:
            chosen = read_adjustment(*self._values(), len(self._text), self._code_keys)
        except ValueError as exc:
            self.query_one("#adjust-problem", Static).update(str(exc))
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------- the screen


class AdjudicationScreen(WorkbenchScreen):
    DEFAULT_CSS = """
    AdjudicationScreen #adjudication-progress-line {
        height: 1;
        padding: 0 1;
    }
    AdjudicationScreen #adjudication-progress {
        width: auto;
        padding-right: 2;
        text-style: bold;
    }
    AdjudicationScreen #adjudication-where, AdjudicationScreen #adjudication-decision {
        height: auto;
        padding: 0 1;
    }
    AdjudicationScreen #adjudication-decision.-settled {
        color: $text-success;
    }
    AdjudicationScreen #adjudication-decision.-open {
        color: $text-warning;
    }
    AdjudicationScreen #adjudication-scroll {
        height: 1fr;
        border-top: hkey $panel-lighten-2;
    }
    AdjudicationScreen .adjudication-row {
        height: auto;
    }
    AdjudicationScreen .adjudication-side {
        width: 1fr;
        height: auto;
        padding: 0 1;
    }
    /* a border on each side, so that both columns wrap the passage alike */
    AdjudicationScreen .side-a {
        border-right: vkey $panel-lighten-2;
    }
    AdjudicationScreen .side-b {
        border-left: blank;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "settle('keep_a')", "Keep A", id="settle-keep-a",
                tooltip="Settle with coder A's coding: the consensus gets what A coded"),
        Binding("2", "settle('keep_b')", "Keep B", id="settle-keep-b",
                tooltip="Settle with coder B's coding: the consensus gets what B coded"),
        Binding("3", "settle('both')", "Both", id="settle-both",
                tooltip="Settle with both coders' codings"),
        Binding("0", "settle('neither')", "Neither", id="settle-neither",
                tooltip="Settle with no coding: the consensus gets nothing here"),
        Binding("j", "adjust", "Adjust…", id="settle-adjust",
                tooltip="Settle with a span and code of your own"),
        Binding("n", "move(1)", "Next", id="next-disagreement",
                tooltip="Show the next disagreement"),
        Binding("p", "move(-1)", "Prev", id="previous-disagreement", show=False,
                tooltip="Show the previous disagreement"),
        Binding("N", "next_unsettled", "Unsettled", id="next-unsettled",
                tooltip="Show the next disagreement not settled yet"),
        Binding("A", "accept_agreements", "Accept agreed", id="accept-agreements",
                tooltip="Copy every coding A and B made identically into the consensus"),
        Binding("o", "open_passage", "Open", id="open-disagreement", show=False,
                tooltip="Open the passage on the coding screen (escape comes back)"),
        Binding("c", "cycle_coders", "Coders", id="adjudication-coders", show=False,
                tooltip="Compare the next pair of coders"),
        Binding("escape", "back", "Back", id="adjudication-back",
                tooltip="Back to where you came from"),
    ]  # fmt: skip

    def __init__(
        self,
        workbench: Workbench,
        *,
        coder_a: str | None = None,
        coder_b: str | None = None,
        consensus: str = DEFAULT_CONSENSUS,
    ) -> None:
        """Compare ``coder_a`` with ``coder_b`` (by default the first two coders who
        coded, by name) and settle into the coder ``consensus``; the workbench's
        coder is the adjudicator."""
        super().__init__(workbench)
        self.coder_a = coder_a
        self.coder_b = coder_b
        self.consensus = consensus
        self.items: list[DisagreementStatus] = []
        self.index = 0
        self._problem: str | None = None  # why nothing can be listed
        self._shown_once = False
        self._texts: dict[int, str] = {}
        self._codes: dict[str, Code] = {}
        self._colours: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="adjudication-progress-line"):
            yield Static(id="adjudication-progress", markup=False)
            yield ProgressBar(show_eta=False, id="adjudication-bar")
        yield Static(id="adjudication-where", markup=False)
        yield Static(id="adjudication-decision", markup=False)
        # codes and passages in rows of their own, so that the passages line up
        with VerticalScroll(id="adjudication-scroll"):
            with Horizontal(classes="adjudication-row"):
                yield Static(id="codes-a", classes="adjudication-side side-a", markup=False)
                yield Static(id="codes-b", classes="adjudication-side side-b", markup=False)
            with Horizontal(classes="adjudication-row"):
                yield Static(id="passage-a", classes="adjudication-side side-a", markup=False)
                yield Static(id="passage-b", classes="adjudication-side side-b", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Adjudication"
        all_codes = codes.list_codes(self.workbench.project)
        self._codes = {code.key: code for code in all_codes}
        self._colours = code_colours(all_codes)
        if self.workbench.view.blind:
            self._problem = BLIND
        elif self.coder_a is None or self.coder_b is None:
            names = self._coder_names()
            if len(names) >= 2:
                self.coder_a, self.coder_b = names[0], names[1]
            else:
                only = f"only {names[0]} has coded" if names else "nobody has coded yet"
                self._problem = f"Adjudication compares two coders' codings; {only}."

    def on_screen_resume(self) -> None:
        # on first show, and back from the coding screen, where A's or B's codings
        # may have changed
        first = not self._shown_once
        self._shown_once = True
        self.reload()
        if first:
            self.show_first_unsettled()

    def show_first_unsettled(self) -> None:
        """Show the first disagreement not settled yet (else the first): where the
        work stands when adjudication resumes."""
        self.index = self._next_unsettled(-1) or 0
        self._show()

    # ------------------------------------------------------------------ reading

    @property
    def current(self) -> DisagreementStatus | None:
        return self.items[self.index] if self.items else None

    @property
    def progress(self) -> tuple[int, int]:
        """(settled, total) of the disagreements listed."""
        return sum(item.settled for item in self.items), len(self.items)

    def _coder_names(self) -> list[str]:
        """Coders with codings of their own, consensus layers left out."""
        project = self.workbench.project
        consensus = layers.consensus_layers(project) | {self.consensus}
        return sorted({c.coder for c in coding.list_codings(project)} - consensus)

    def reload(self) -> None:
        """List the disagreements and their settlements again and show the one that
        was on screen (by key), else the one now at its place."""
        if self._problem == BLIND or self.coder_a is None or self.coder_b is None:
            self.items = []
            self._show()
            return
        shown = self.current.disagreement.key if self.current else None
        self.sub_title = (
            f"A {self.coder_a} · B {self.coder_b} → {self.consensus} · "
            f"adjudicator {self.workbench.coder}"
        )
        self._texts.clear()
        try:
            self.items = adjudication.list_disagreements(
                self.workbench.project,
                coder_a=self.coder_a,
                coder_b=self.coder_b,
                consensus=self.consensus,
            )
        except QualcodeError as exc:
            self.items = []
            if str(exc) != self._problem:  # told once, not on every return to the screen
                self.tell(str(exc), severity="error", timeout=15)
            self._problem = str(exc)
        else:
            self._problem = None
        keys = [item.disagreement.key for item in self.items]
        self.index = keys.index(shown) if shown in keys else min(self.index, max(len(keys) - 1, 0))
        self._show()

    def _text(self, transcript_id: int) -> str:
        if transcript_id not in self._texts:
            found = transcripts.transcript_text(self.workbench.project, transcript_id)
            self._texts[transcript_id] = found.text
        return self._texts[transcript_id]

    # ------------------------------------------------------------------ showing

    def _show(self) -> None:
        settled, total = self.progress
        self.query_one("#adjudication-progress", Static).update(f"{settled} of {total} settled")
        self.query_one(ProgressBar).update(total=max(total, 1), progress=settled)
        where = self.query_one("#adjudication-where", Static)
        decision = self.query_one("#adjudication-decision", Static)
        item = self.current
        if item is None:
            where.update(self._problem or self._nothing_to_settle())
            decision.update("")
            decision.set_classes("")
            for column in self.query(".adjudication-side").results(Static):
                column.update("")
            self.refresh_bindings()
            return
        d = item.disagreement
        where.update(
            Text.assemble(
                (f"{self.index + 1} of {total}", Style(bold=True)),
                " · ",
                (d.kind, Style(bold=True)),
                f": {KINDS[d.kind]} · {item.transcript} {d.start}–{d.end}",
            )
        )
        decision.update(self._decision(item))
        decision.set_classes("-settled" if item.settled else "-open")
        text = self._text(d.transcript_id)
        for side, who, codings in (
            ("a", self.coder_a, d.codings_a),
            ("b", self.coder_b, d.codings_b),
        ):
            self.query_one(f"#codes-{side}", Static).update(
                self._codes_column(f"{side.upper()} · {who}", codings)
            )
            self.query_one(f"#passage-{side}", Static).update(
                self._passage_column(codings, d.start, d.end, text)
            )
        self.query_one("#adjudication-scroll").scroll_home(animate=False)
        self.refresh_bindings()

    def _nothing_to_settle(self) -> str:
        return (
            f"{self.coder_a} and {self.coder_b} disagree nowhere: nothing to settle. "
            f"A copies their agreements into {self.consensus}."
        )

    def _decision(self, item: DisagreementStatus) -> str:
        settlement = item.settlement
        if settlement is None:
            return "Not settled: 1 keep A · 2 keep B · 3 both · 0 neither · j adjust"
        said = f"Settled: {DECISIONS.get(settlement.decision, settlement.decision)}"
        if settlement.adjudicator:
            said += f" by {settlement.adjudicator}"
        return f"{said} · {self.consensus} has {self._consensus_codings(item)} · a key settles anew"

    def _consensus_codings(self, item: DisagreementStatus) -> str:
        settlement = item.settlement
        if settlement is None or not settlement.coding_ids:
            return "no coding here"
        try:
            layer = coding.list_codings(
                self.workbench.project,
                coders=[self.consensus],
                transcripts=[item.disagreement.transcript_id],
            )
        except QualcodeError:
            return "no coding here"
        wanted = set(settlement.coding_ids)
        made = [f"{c.code_key} {c.start}–{c.end}" for c in layer if c.id in wanted]
        return ", ".join(made) or "no coding here"

    def _codes_column(self, heading: str, codings: Sequence[Coding]) -> Text:
        """A coder's heading and the codes they applied here, with their spans."""
        language = self.workbench.language
        column = Text(heading, style=Style(bold=True))
        if not codings:
            column.append("\nno coding here", Style(dim=True, italic=True))
        for found in codings:
            code = self._codes.get(found.code_key)
            column.append("\n■ ", Style(color=self._colours.get(found.code_key)))
            column.append(found.code_key, Style(bold=True))
            if code is not None:
                column.append(f"  {code.label(language)}")
            column.append(f"  {found.start}–{found.end}", DIM)
        column.append("\n")
        return column

    def _passage_column(self, codings: Sequence[Coding], start: int, end: int, text: str) -> Text:
        """The passage in its context (dimmed), with this coder's spans tinted."""
        before, after = _context(text, start, end)
        passage = Text(text[start:end])
        background = self.background_colors[1]
        for found in codings:
            tint = background.blend(Color.parse(self._colours.get(found.code_key, "#888888")), TINT)
            passage.stylize(Style(bgcolor=tint.rich_color), found.start - start, found.end - start)
        return Text.assemble((before, DIM), passage, (after, DIM))

    # ------------------------------------------------------------------ moving

    def action_move(self, step: int) -> None:
        if not self.items:
            return
        self.index = (self.index + step) % len(self.items)
        self._show()

    def _next_unsettled(self, after: int) -> int | None:
        """The first unsettled disagreement after index ``after``, wrapping round."""
        count = len(self.items)
        for offset in range(1, count + 1):
            candidate = (after + offset) % count
            if not self.items[candidate].settled:
                return candidate
        return None

    def action_next_unsettled(self) -> None:
        found = self._next_unsettled(self.index)
        if found is None:
            self.tell(f"All {len(self.items)} disagreements are settled")
            return
        self.index = found
        self._show()

    def action_open_passage(self) -> None:
        item = self.current
        if item is not None:
            d = item.disagreement
            self.open_passage(d.transcript_id, d.start, d.end)

    def action_cycle_coders(self) -> None:
        pairs = [(a, b) for a, b in combinations(self._coder_names(), 2)]
        if len(pairs) < 2:
            self.tell("There is no other pair of coders to compare", severity="warning")
            return
        now = (self.coder_a or "", self.coder_b or "")
        position = pairs.index(now) if now in pairs else -1
        self.coder_a, self.coder_b = pairs[(position + 1) % len(pairs)]
        self.items, self.index = [], 0
        self.reload()
        self.show_first_unsettled()

    def action_back(self) -> None:
        self.app.pop_screen()

    # ------------------------------------------------------------------ settling

    def action_settle(self, decision: str) -> None:
        self.settle(decision)

    def settle(
        self, decision: str, *, span: tuple[int, int] | None = None, code: str | None = None
    ) -> None:
        """Settle the disagreement on screen, then show the next unsettled one."""
        item = self.current
        if item is None or self.coder_a is None or self.coder_b is None:
            return
        try:
            settlement = adjudication.settle(
                self.workbench.project,
                item.disagreement.key,
                decision,
                coder_a=self.coder_a,
                coder_b=self.coder_b,
                adjudicator=self.workbench.coder,
                consensus=self.consensus,
                span=span,
                code=code,
            )
        except QualcodeError as exc:
            self.tell(str(exc), severity="error", timeout=15)
            return
        self.reload()
        settled, total = self.progress
        was = f" (was {DECISIONS[settlement.replaced]})" if settlement.replaced else ""
        self.tell(f"Settled {self.index + 1}: {DECISIONS[decision]}{was} · {settled} of {total}")
        found = self._next_unsettled(self.index)
        if found is None:
            self.tell(f"All {total} disagreements are settled")
        else:
            self.index = found
            self._show()

    def action_adjust(self) -> None:
        item = self.current
        if item is None:
            return
        d = item.disagreement
        applicable = [code.key for code in self._codes.values() if not code.retired]
        a = ", ".join(c.code_key for c in d.codings_a) or "nothing"
        b = ", ".join(c.code_key for c in d.codings_b) or "nothing"
        about = f"Adjust: {self.coder_a} coded {a}, {self.coder_b} coded {b}"

        def chosen(adjustment: Adjustment | None) -> None:
            if adjustment is not None:
                self.settle("adjust", span=(adjustment.start, adjustment.end),
                            code=adjustment.code)  # fmt: skip

        dialog = AdjustDialog(self._text(d.transcript_id), d.start, d.end, d.codes[0],
                              applicable, about)  # fmt: skip
        self.app.push_screen(dialog, chosen)

    def action_accept_agreements(self) -> None:
        if self.coder_a is None or self.coder_b is None:
            return
        try:
            accepted = adjudication.accept_agreements(
                self.workbench.project,
                coder_a=self.coder_a,
                coder_b=self.coder_b,
                adjudicator=self.workbench.coder,
                consensus=self.consensus,
            )
        except QualcodeError as exc:
            self.tell(str(exc), severity="error", timeout=15)
            return
        said = (
            f"Accepted {accepted.created} exact agreement{'' if accepted.created == 1 else 's'} "
            f"of {self.coder_a} and {self.coder_b} into {self.consensus}"
        )
        if accepted.present:
            said += f"; {accepted.present} were there already"
        if accepted.skipped_retired:
            said += f"; {accepted.skipped_retired} on retired codes skipped"
        self.tell(said)
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("settle", "adjust", "move", "next_unsettled", "open_passage"):
            return True if self.items else None
        if action in ("accept_agreements", "cycle_coders"):
            return True if self.coder_a and self._problem != BLIND else None
        return True

    def help_markdown(self) -> str:
        kinds = "\n".join(f"- **{kind}**: {said}" for kind, said in KINDS.items())
        return (
            f"## Disagreements\n\n{kinds}\n\nSettling writes into the layer of the coder "
            f"{self.consensus}; A's and B's codings never change. Settling again replaces "
            "the decision. After a decision the next unsettled disagreement is shown.\n"
        )


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to ``CONTEXT`` characters before and after ``[start, end)``, cut at a space."""
    before = text[max(0, start - CONTEXT) : start]
    if start > CONTEXT and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    after = text[end : end + CONTEXT]
    if end + CONTEXT < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return before, after

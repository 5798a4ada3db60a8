"""The agreement screen: intercoder agreement per code and pooled, with each code's
Krippendorff's α drawn as a bar, for all coders or one pair, by sentence, speaker
turn or character.

The figures come from ``qualcode.services.agreement`` in a thread worker: α's
bootstrap interval takes a second or two on a coded project, and the screen stays
usable meanwhile. A newer request (another unit, another pair) cancels the older
one, whose report is then dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualcode.export.agreement import rows
from qualcode.services.agreement import AgreementReport, CodeAgreement, agreement
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.text import clip
from qualcode.tui.widgets.alpha_bar import RELIABLE, TENTATIVE, UNDEFINED, alpha_bar
from qualcode.tui.workbench import Workbench

UNITS = ("sentence", "turn", "char")
UNIT_NAMES = {"sentence": "sentences", "turn": "speaker turns", "char": "characters"}
BOOTSTRAP_DRAWS = 1000
BAR_WIDTH = 12
NAME_WIDTH = 18
DIM = Style(dim=True)
BLIND = (
    "Blind mode is on: the agreement figures would show where the other coders coded. "
    "Leave blind mode (b on the coding screen) to compare coders."
)


class AgreementComputed(Message):
    """The agreement worker finished: ``report`` holds the figures it was asked for,
    of ``coders`` (() for all) by ``unit``."""

    def __init__(self, report: AgreementReport, coders: tuple[str, ...], unit: str) -> None:
        super().__init__()
        self.report = report
        self.coders = coders
        self.unit = unit


class AgreementTable(DataTable[Text]):
    HELP = """\
## Agreement per code

One row per code the compared coders used: how many codings each made, then
Krippendorff's **α** on the chosen unit (sentence or speaker turn) with its bar and
95 % bootstrap interval, Cohen's **κ** and percent agreement on characters (two
coders), **unitized α** on the coded stretches themselves, and the share of segments
matched between the two coders.

Bars are green from α 0.8, yellow from 0.667, red below; **–** marks a figure that is
undefined, and the line under the table says why for the highlighted code.

- **c** compares all coders, then each pair in turn
- **u** switches the unit: sentence, speaker turn, character
"""


def _number(value: float | None, digits: int = 3) -> Text:
    return Text(UNDEFINED if value is None else f"{value:.{digits}f}", justify="right")


def _two_digits(value: float) -> str:
    return f"{round(value, 2) + 0.0:.2f}"  # + 0.0: no "-0.00"


def _interval(low: float | None, high: float | None) -> Text:
    if low is None or high is None:
        return Text(UNDEFINED, justify="center", style=DIM)
    return Text(f"{_two_digits(low)}–{_two_digits(high)}", justify="center")


def describe_code(code: CodeAgreement, unit: str, min_overlap: float) -> Text:
    """Every figure of one code in words, and why any of them is undefined."""
    text = Text(f"{code.code}  {code.name}\n", style=Style(bold=True))
    parts: list[str] = []
    if code.alpha is None:
        parts.append("α is computed on sentences or speaker turns (u changes the unit)")
    elif code.alpha.value is None:
        parts.append(f"α undefined: {code.alpha.reason}")
    else:
        alpha = f"α {code.alpha.value:.3f} over {code.alpha.n_pairable_units} {UNIT_NAMES[unit]}"
        interval = code.alpha_interval
        if interval is not None and interval.low is not None and interval.high is not None:
            low, high = _two_digits(interval.low), _two_digits(interval.high)
            alpha += f", 95 % interval {low} to {high}"
        elif interval is not None and interval.reason:
            alpha += f", no interval: {interval.reason}"
        parts.append(alpha)
    characters = code.characters
    if characters is not None:
        if characters.kappa is None:
            parts.append(f"κ on characters undefined: {characters.reason}")
        else:
            parts.append(f"κ on characters {characters.kappa:.3f}")
        if characters.percent_agreement is not None:
            parts.append(f"{characters.percent_agreement:.1f} % of characters agree")
    if code.fleiss is not None:
        fleiss = code.fleiss.value
        parts.append(
            f"Fleiss' κ undefined: {code.fleiss.reason}"
            if fleiss is None
            else f"Fleiss' κ {fleiss:.3f}"
        )
    unitized = code.unitized
    parts.append(
        f"unitized α undefined: {unitized.reason}"
        if unitized.value is None
        else f"unitized α {unitized.value:.3f}"
    )
    segments = code.segments
    if segments is not None:
        parts.append(
            f"segments: {segments.reason}"
            if segments.percent_matched is None
            else f"{segments.percent_matched:.0f} % of segments matched (overlap ≥ {min_overlap:g})"
        )
    parts.append("codings: " + ", ".join(f"{who} {n}" for who, n in code.codings.items()))
    text.append(" · ".join(parts))
    return text


def describe_pooled(report: AgreementReport) -> Text:
    """The figures over all codes together."""
    text = Text(f"Pooled over {len(report.per_code)} codes: ", style=Style(bold=True))
    parts: list[str] = []
    if report.pooled_alpha is not None:
        value = report.pooled_alpha.value
        parts.append(
            f"α undefined ({report.pooled_alpha.reason})" if value is None else f"α {value:.3f}"
        )
    pooled = report.pooled_characters
    if pooled is not None:
        parts.append(
            f"κ on characters undefined ({pooled.reason})"
            if pooled.kappa is None
            else f"κ on characters {pooled.kappa:.3f}"
        )
        if pooled.percent_agreement is not None:
            a, b = report.coders
            counts = pooled.counts
            parts.append(
                f"{pooled.percent_agreement:.1f} % of characters agree (both {counts.both}, "
                f"only {a} {counts.only_a}, only {b} {counts.only_b}, neither {counts.neither})"
            )
    text.append(" · ".join(parts) or "no pooled figures for this choice")
    return text


class AgreementScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cycle_coders", "Coders", id="agreement-coders",
                tooltip="Compare all coders, then each pair of coders in turn"),
        Binding("u", "cycle_unit", "Unit", id="agreement-unit",
                tooltip="Compute α by sentence, by speaker turn, or on characters only"),
        Binding("escape", "back", "Back", id="agreement-back",
                tooltip="Back to where you came from"),
    ]  # fmt: skip

    def __init__(
        self,
        workbench: Workbench,
        *,
        coders: Sequence[str] = (),
        unit: str = "sentence",
        bootstrap_draws: int = BOOTSTRAP_DRAWS,
    ) -> None:
        """``coders``: those to compare, or () for everyone who coded; ``unit``: one of
        ``UNITS``; ``bootstrap_draws``: resamples for α's 95 % interval."""
        super().__init__(workbench)
        self.coders: tuple[str, ...] = tuple(coders)
        self.unit = unit
        self.report: AgreementReport | None = None
        self._draws = bootstrap_draws
        self._everyone: tuple[str, ...] = ()  # who coded, from the first report of all coders

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="agreement-about", markup=False)
        yield AgreementTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="agreement-detail", markup=False)
        yield Static(id="agreement-pooled", markup=False)
        yield Static(
            f"α bars: green from {RELIABLE}, yellow from {TENTATIVE}, red below · "
            f"{UNDEFINED} undefined, the line above says why · uα: unitized α",
            id="agreement-legend",
            markup=False,
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Intercoder agreement"
        self.sub_title = f"coder {self.workbench.coder}"
        # the bars take the theme's success, warning and error colours
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())
        if self.workbench.view.blind:
            self.query_one("#agreement-about", Static).update(BLIND)
            return
        self.query_one(AgreementTable).focus()
        self._start()

    # ------------------------------------------------------------------ computing

    def _who(self) -> str:
        return " and ".join(self.coders) if self.coders else "all coders"

    def _start(self) -> None:
        self.query_one(AgreementTable).loading = True
        self.query_one("#agreement-about", Static).update(
            f"Computing the agreement of {self._who()} by {self.unit}…"
        )
        self.compute(self.coders, self.unit)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement")
    def compute(self, coders: tuple[str, ...], unit: str) -> None:
        report = agreement(
            self.workbench.project, coders=coders, unit=unit, bootstrap_draws=self._draws
        )
        if not get_current_worker().is_cancelled:
            self.post_message(AgreementComputed(report, coders, unit))

    @on(AgreementComputed)
    def _computed(self, message: AgreementComputed) -> None:
        if (message.coders, message.unit) != (self.coders, self.unit):
            return  # finished just as the user asked for something else
        if not self.coders:
            self._everyone = message.report.coders
        self.report = message.report
        self._redraw()

    def work_ended(self, worker: Worker[object]) -> None:
        if worker.group != "agreement" or worker.state == WorkerState.CANCELLED:
            return
        self.query_one(AgreementTable).loading = False
        if worker.state == WorkerState.ERROR:
            # the base screen has notified the error; the screen says it too
            self.report = None
            self._redraw()
            self.query_one("#agreement-about", Static).update(
                f"No figures for {self._who()} by {self.unit}: {worker.error}"
            )

    # ------------------------------------------------------------------ showing

    def _redraw(self) -> None:
        table = self.query_one(AgreementTable)
        highlighted = self._highlighted_key()
        table.clear(columns=True)
        report = self.report
        for static in ("#agreement-detail", "#agreement-pooled"):
            self.query_one(static, Static).update("")
        if report is None:
            return
        transcripts = len(report.transcripts)
        self.query_one("#agreement-about", Static).update(
            f"{', '.join(report.coders)} · {transcripts} transcript"
            f"{'' if transcripts == 1 else 's'} · by {report.unit}"
            + (f" · 95 % intervals from {self._draws} bootstrap draws" if self._draws else "")
            + " · c coders · u unit"
        )
        self.sub_title = f"{' · '.join(report.coders)} · by {report.unit}"
        self._fill(table, report, self.app.theme_variables)
        self.query_one("#agreement-pooled", Static).update(describe_pooled(report))
        keys = [code.code for code in report.per_code]
        if keys:
            table.move_cursor(row=keys.index(highlighted) if highlighted in keys else 0)
            self._show_detail(keys[table.cursor_row])

    def _fill(
        self, table: AgreementTable, report: AgreementReport, colours: Mapping[str, str]
    ) -> None:
        many = len(report.coders) >= 3
        table.add_column("Code", key="code")
        table.add_column("Name", key="name")
        for who in report.coders:
            table.add_column(Text(who, justify="right"), key=f"coder-{who}")
        table.add_column(Text("α", justify="right"), key="alpha")
        table.add_column("", key="alpha-bar")  # the bar beside its value
        table.add_column(Text("95 % CI", justify="center"), key="alpha-interval")
        if many:
            table.add_column(Text("Fleiss κ", justify="right"), key="fleiss")
        else:
            table.add_column(Text("κ chars", justify="right"), key="kappa")
            table.add_column(Text("% agree", justify="right"), key="percent")
        table.add_column(Text("uα", justify="right"), key="unitized")
        if not many:
            table.add_column(Text("matched", justify="right"), key="matched")
        for row in rows(report):
            cells: list[Any] = [
                Text(row["code"], style=Style(bold=True)),
                Text(clip(row["name"], NAME_WIDTH)),
                *(Text(str(row["codings"][who]), justify="right") for who in report.coders),
                _number(row["alpha"]),
                alpha_bar(row["alpha"], BAR_WIDTH, colours),
                _interval(row["alpha_low"], row["alpha_high"]),
            ]
            if many:
                cells.append(_number(row["fleiss_kappa"]))
            else:
                cells += [_number(row["kappa_chars"]), _number(row["percent_agreement"], 1)]
            cells.append(_number(row["unitized_alpha"]))
            if not many:
                matched = row["segments_matched"]
                cells.append(
                    Text(UNDEFINED if matched is None else f"{matched:.0f} %", justify="right")
                )
            table.add_row(*cells, key=row["code"])

    def _highlighted_key(self) -> str | None:
        table = self.query_one(AgreementTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _show_detail(self, key: str) -> None:
        report = self.report
        if report is None:
            return
        found = next((code for code in report.per_code if code.code == key), None)
        if found is not None:
            self.query_one("#agreement-detail", Static).update(
                describe_code(found, report.unit, report.min_overlap)
            )

    @on(DataTable.RowHighlighted, "#agreement-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(str(event.row_key.value))

    # ------------------------------------------------------------------ choosing

    def action_cycle_coders(self) -> None:
        everyone = self._everyone
        if not everyone:
            self.tell("Wait for the figures of all coders first", severity="warning")
            return
        if len(everyone) < 3:
            self.tell(f"Only {' and '.join(everyone)} coded: there is no other choice of coders")
            return
        choices: list[tuple[str, ...]] = [(), *combinations(everyone, 2)]
        position = choices.index(self.coders) if self.coders in choices else 0
        self.coders = choices[(position + 1) % len(choices)]
        self._start()

    def action_cycle_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self._start()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # blind mode keeps the figures hidden, whatever is chosen
        return not (action in ("cycle_coders", "cycle_unit") and self.workbench.view.blind)

    def action_back(self) -> None:
        self.app.pop_screen()

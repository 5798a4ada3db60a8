"""TUI benchmarks (issue #4): opening a long transcript, coding a sentence, cold start.

Measured headless, with Textual's ``App.run_test()`` at a 120 x 40 terminal, on a
``benchmarks.corpus`` project of one transcript of 30,000 words with 500 codings by
two coders, sentence units (``benchmarks.sentences``), and hotkeys 1-8 on the first
leaf code of each group. The app is ``qualcode.tui.app.make_app(project,
coder="anna")``.

When is a frame "drawn"? Textual composes a frame (every visible widget renders its
lines into strips) and hands it to ``App._display``, which writes it to the terminal
(headless: drops it). ``_display`` is wrapped; a measurement ends when the first call
that has a frame and satisfies the benchmark's condition returns. Widget lines are
seen being rendered by wrapping ``TextArea.render_line`` (the view's line API). No
``pilot.pause()`` runs inside a timed region: it forces a screen update, which would
hide Textual's own frame scheduling (at most 60 frames a second) that a user waits for.
An untimed ``gc.collect()`` runs before every timed action; the setup is frozen out of
the collector, as in ``bench_coding``.

* open → first paint: ``t0`` just before ``open_transcript(id)`` on the overview
  (what Enter on a row does: push a ``CodingScreen``, which reads the transcript,
  codebook and codings in ``on_mount``); ends at the first frame of that screen
  composed after its ``TranscriptArea`` has the transcript and has rendered lines.
  The first open in the process is reported apart (cold caches); the median is over
  the opens after it, each after popping back to the overview and settling. Floor: the
  same measure for a screen of the same layout holding a bare read-only ``TextArea``
  (soft wrap, same CSS) constructed with the same text, already in memory, and an
  empty sidebar.
* apply a code → repaint: the cursor is put in a sentence and ``s`` pressed (untimed);
  ``t0`` just before ``pilot.press(hotkey)``; ends at the first frame composed after
  the view got its new spans (``show_spans``, called by the screen's reload after
  ``SpanCoded``) and rendered lines again. Checked afterwards: the sentence's first
  and last characters are tinted. 30 sentences spread over the transcript, after 3
  warm-up ones. The time in ``services.coding.apply_code`` and in
  ``CodingScreen.reload_codings`` is reported beside it. Floor: the same key on the
  floor screen, bound to an action that adds a background style to the selection in
  the bare ``TextArea``'s ``get_line`` and repaints the selection's lines (no
  database; until issue 14 the floor repainted every visible line). The note gives,
  beside them, the median CPU time of this process over the same timed regions
  (service and floor): on a shared machine the wall time also holds the wait for the
  other processes' turn on a core.
* cold start: ``python -m benchmarks.tui_first_frame qualcode PROJECT`` in a
  subprocess, i.e. ``qualcode --project PROJECT tui`` made headless, from just before
  the process is spawned to the end of its first frame with the overview's table
  filled (see that module). Floor: the same for a bare Textual app (header, one
  ``Static``, footer); ``python -c "import textual.app"`` (whole process) is reported
  as a note. One untimed warm-up of each, then the two alternate. The full run also
  measures the cold start on the 100-transcript corpus of the other benchmarks.

Every result carries the load average (``/proc/loadavg``) read right after it.

CLI: ``python -m benchmarks.bench_tui [--quick] [--json] [--seed N] [--workdir DIR]``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Selection

from benchmarks.bench_coding import frozen_setup, log
from benchmarks.corpus import Corpus, build_corpus
from benchmarks.harness import Result, arguments, corpus_summary, emit, make_result, report
from benchmarks.sentences import add_sentence_units
from qualcode.services import codes, coding, transcripts
from qualcode.services.project import Project, open_project
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.screens.base import WorkbenchScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.widgets.transcript import TranscriptArea

TARGET_OPEN_MS = 300.0
TARGET_APPLY_MS = 20.0  # issue 14, item 6 (issue #4 asked for 50)
TARGET_COLD_MS = 1_000.0
TERMINAL = (120, 40)
CODER = "anna"
HOTKEYS = "12345678"
FLOOR_TINT = Style(bgcolor="#335577")
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Size:
    words: int
    codings: int
    opens: int
    applications: int
    apply_warmup: int
    cold_runs: int
    large_corpus: bool  # also time the cold start on 100 x 10,000 words, 50,000 codings


FULL = Size(
    words=30_000,
    codings=500,
    opens=15,
    applications=30,
    apply_warmup=3,
    cold_runs=7,
    large_corpus=True,
)
QUICK = Size(
    words=5_000,
    codings=100,
    opens=3,
    applications=5,
    apply_warmup=1,
    cold_runs=2,
    large_corpus=False,
)


# --- watching frames -----------------------------------------------------------


@contextmanager
def watched_lines() -> Iterator[None]:
    """Stamp every ``TextArea`` with the time it last rendered a line of text."""
    render_line = TextArea.render_line

    def stamped(self: TextArea, y: int) -> Any:
        strip = render_line(self, y)
        if self.document.line_count > 1:
            self._bench_rendered_at = time.perf_counter()  # type: ignore[attr-defined]
        return strip

    TextArea.render_line = stamped  # type: ignore[method-assign]
    try:
        yield
    finally:
        TextArea.render_line = render_line  # type: ignore[method-assign]


def rendered_at(area: TextArea) -> float:
    return float(getattr(area, "_bench_rendered_at", 0.0))


class FrameProbe:
    """Wraps one app's ``_display`` to time the first frame that meets a condition."""

    def __init__(self, app: QualcodeApp) -> None:
        self._waiting: (
            tuple[Callable[[Screen[Any]], bool], asyncio.Future[tuple[float, float]]] | None
        ) = None
        # CPU of this process over each timed region, beside its wall time: on a shared
        # machine the wall time includes waiting for the other processes' turn
        self.cpu_ms: list[float] = []
        display = app._display

        def frame(screen: Screen[Any], renderable: Any) -> None:
            display(screen, renderable)
            waiting = self._waiting
            if renderable is not None and waiting is not None and waiting[0](screen):
                self._waiting = None
                waiting[1].set_result((time.perf_counter(), time.process_time()))

        app._display = frame  # type: ignore[method-assign]

    async def time_ms(
        self,
        action: Callable[[], Awaitable[object]],
        drawn: Callable[[Screen[Any], float], bool],
        timeout: float = 60.0,
    ) -> float:
        """Run ``action``; milliseconds until a frame for which ``drawn(screen, t0)``."""
        future: asyncio.Future[tuple[float, float]] = asyncio.get_running_loop().create_future()
        gc.collect()  # untimed, so no run pays for garbage an earlier one left
        began, began_cpu = time.perf_counter(), time.process_time()
        self._waiting = (lambda screen: drawn(screen, began), future)
        await action()
        ended, ended_cpu = await asyncio.wait_for(future, timeout)
        self.cpu_ms.append((ended_cpu - began_cpu) * 1000)
        return (ended - began) * 1000


@dataclass
class Stopwatches:
    """Milliseconds spent in wrapped functions, per name."""

    times: dict[str, list[float]] = field(default_factory=dict)

    @contextmanager
    def wrapping(self, owner: Any, name: str) -> Iterator[None]:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.times.setdefault(name, []).append((time.perf_counter() - began) * 1000)

        setattr(owner, name, timed)
        try:
            yield
        finally:
            setattr(owner, name, original)


# --- the floor screen ------------------------------------------------------------


class FloorArea(TextArea):
    """A bare read-only ``TextArea`` that paints background styles per line."""

    def __init__(self, text: str) -> None:
        super().__init__(text, read_only=True, soft_wrap=True, highlight_cursor_line=False,
                         id="transcript")  # fmt: skip
        self.painted: dict[int, list[tuple[int, int]]] = {}
        self._bench_spans_at = 0.0

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for start, end in self.painted.get(line_index, ()):
            line.stylize(FLOOR_TINT, start, end)
        return line

    def paint_selection(self) -> None:
        first, last = sorted(self.selection)
        for row in range(first[0], last[0] + 1):
            start = first[1] if row == first[0] else 0
            end = last[1] if row == last[0] else len(self.document[row])
            self.painted.setdefault(row, []).append((start, end))
        self._bench_spans_at = time.perf_counter()
        self._line_cache.clear()
        # only the screen lines of the selection are drawn again: the least any view
        # must redraw to show a new span (the coding screen redraws the lines whose
        # tints changed, which are these and, with overlaps, no others)
        wrapped = self.wrapped_document
        top = wrapped.location_to_offset((first[0], 0)).y
        bottom = wrapped.location_to_offset((last[0], 0)).y + len(wrapped.get_offsets(last[0]))
        self.refresh_lines(top, bottom - top + 1)


class FloorScreen(Screen[None]):
    """The coding screen's layout with a bare ``TextArea`` and an empty sidebar."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding(HOTKEYS[0], "paint", "Paint")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Horizontal(id="coding-body"):
            yield FloorArea(self.text)
            yield Static(id="sidebar")

    def on_mount(self) -> None:
        self.query_one(FloorArea).focus()

    def action_paint(self) -> None:
        self.query_one(FloorArea).paint_selection()


# --- the corpus --------------------------------------------------------------------


def prepare(corpus: Corpus, seed: int) -> int:
    """Sentence units and hotkeys 1-8 on the first leaf of each group; returns units."""
    with open_project(corpus.directory) as project:
        units = add_sentence_units(project, seed=seed)
        for hotkey, group in zip(HOTKEYS, corpus.group_keys, strict=False):
            leaf = next(key for key in corpus.leaf_keys if key.startswith(f"{group}."))
            codes.edit_code(project, leaf, coder=corpus.coders[0], hotkey=hotkey)
    return units


# --- open -> first paint -------------------------------------------------------------


def coding_screen_drawn(screen: Screen[Any], began: float) -> bool:
    if not isinstance(screen, CodingScreen):
        return False
    area = screen.query_one(TranscriptArea)
    return area._layout is not None and rendered_at(area) > began


def floor_screen_drawn(screen: Screen[Any], began: float) -> bool:
    return isinstance(screen, FloorScreen) and rendered_at(screen.query_one(FloorArea)) > began


async def back_to_overview(app: QualcodeApp, pilot: Any) -> None:
    app.pop_screen()
    await pilot.pause()
    await pilot.pause()


async def bench_open(
    app: QualcodeApp, pilot: Any, probe: FrameProbe, text: str, transcript_id: int, size: Size
) -> tuple[Result, float]:
    """Open the transcript and the floor screen in turn; returns the result and the
    first (cold) open."""
    overview = app.screen
    assert isinstance(overview, WorkbenchScreen)

    async def open_coding() -> None:
        overview.open_transcript(transcript_id)

    async def open_floor() -> None:
        await app.push_screen(FloorScreen(text))

    service_ms: list[float] = []
    floor_ms: list[float] = []
    for _ in range(size.opens + 1):
        service_ms.append(await probe.time_ms(open_coding, coding_screen_drawn))
        await back_to_overview(app, pilot)
        floor_ms.append(await probe.time_ms(open_floor, floor_screen_drawn))
        await back_to_overview(app, pilot)
    result = make_result(
        f"open {size.words:,}-word transcript → first paint",
        service_ms[1:],
        floor_ms[1:],
        target_ms=TARGET_OPEN_MS,
        floor_name="same layout, bare read-only TextArea (soft wrap) with the same text",
        note=f"first open in the process {service_ms[0]:.0f} ms, floor's {floor_ms[0]:.0f} ms",
    )
    return result, service_ms[0]


# --- apply a code -> repaint ------------------------------------------------------------


def spread_sentences(screen: CodingScreen, count: int) -> list[tuple[int, int]]:
    """``count`` sentences evenly spread over the transcript (skipping the first)."""
    sentences = screen.query_one(TranscriptArea).transcript_layout.sentences
    step = max(1, len(sentences) // (count + 1))
    return sentences[step : step * (count + 1) : step][:count]


def spans_repainted(screen: Screen[Any], began: float) -> bool:
    area: TextArea
    if isinstance(screen, CodingScreen):
        area = screen.query_one(TranscriptArea)
    elif isinstance(screen, FloorScreen):
        area = screen.query_one(FloorArea)
    else:
        return False
    spans_at = float(getattr(area, "_bench_spans_at", 0.0))
    return spans_at > began and rendered_at(area) > spans_at


def stamp_show_spans(area: TranscriptArea) -> None:
    """Stamp the view with the time it was last given spans to paint."""
    show_spans = area.show_spans

    def stamped(spans: Any) -> None:
        show_spans(spans)
        area._bench_spans_at = time.perf_counter()  # type: ignore[attr-defined]

    area.show_spans = stamped  # type: ignore[method-assign]


def painted(area: TranscriptArea, offset: int) -> bool:
    """Whether the character at ``offset`` has a coded background (as the tests check)."""
    row, column = area.transcript_layout.lines.location(offset)
    return any(
        span.start <= column < span.end and isinstance(span.style, Style) and span.style.bgcolor
        for span in area.get_line(row).spans
    )


async def apply_once(
    pilot: Any, probe: FrameProbe, screen: CodingScreen, sentence: tuple[int, int]
) -> float:
    area = screen.query_one(TranscriptArea)
    area.move_to(sentence[0] + 1)
    await pilot.press("s")
    await pilot.pause()
    span = area.selected_span()
    assert span is not None
    elapsed = await probe.time_ms(lambda: pilot.press(HOTKEYS[0]), spans_repainted)
    if not (painted(area, span[0]) and painted(area, span[1] - 1)):
        raise AssertionError(f"the coded sentence {span} is not painted")
    await pilot.pause()
    return elapsed


async def floor_once(pilot: Any, probe: FrameProbe, screen: FloorScreen, span: Selection) -> float:
    area = screen.query_one(FloorArea)
    area.selection = span
    await pilot.pause()
    elapsed = await probe.time_ms(lambda: pilot.press(HOTKEYS[0]), spans_repainted)
    await pilot.pause()
    return elapsed


async def bench_apply(
    app: QualcodeApp, pilot: Any, probe: FrameProbe, text: str, transcript_id: int, size: Size
) -> tuple[Result, dict[str, float]]:
    """Code sentences on the coding screen, then paint the same selections on the floor."""
    overview = app.screen
    assert isinstance(overview, WorkbenchScreen)
    overview.open_transcript(transcript_id)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen)
    area = screen.query_one(TranscriptArea)
    stamp_show_spans(area)
    sentences = spread_sentences(screen, size.apply_warmup + size.applications)
    selections = [Selection(*map(area.transcript_layout.lines.location, s)) for s in sentences]
    watches = Stopwatches()
    service_ms: list[float] = []
    probe.cpu_ms.clear()
    with (
        watches.wrapping(coding, "apply_code"),
        watches.wrapping(CodingScreen, "reload_codings"),
    ):
        for sentence in sentences:
            service_ms.append(await apply_once(pilot, probe, screen, sentence))
    service_cpu, probe.cpu_ms = probe.cpu_ms, []
    await back_to_overview(app, pilot)
    await app.push_screen(FloorScreen(text))
    await pilot.pause()
    floor = app.screen
    assert isinstance(floor, FloorScreen)
    floor_ms = [await floor_once(pilot, probe, floor, selection) for selection in selections]
    floor_cpu = probe.cpu_ms
    await back_to_overview(app, pilot)
    warm = size.apply_warmup
    inside = {name: statistics.median(ms[warm:]) for name, ms in watches.times.items()}
    inside["CPU"] = statistics.median(service_cpu[warm:])
    inside["floor CPU"] = statistics.median(floor_cpu[warm:])
    result = make_result(
        "apply a code (s, hotkey) → repaint",
        service_ms[warm:],
        floor_ms[warm:],
        target_ms=TARGET_APPLY_MS,
        floor_name="same key on the bare TextArea: style the selection, clear the line"
        " cache, repaint the selection's lines (no database)",
        note=", ".join(f"{name} median {ms:.1f} ms" for name, ms in inside.items()),
    )
    return result, inside


async def in_app(project: Project, size: Size) -> list[Result]:
    listed = transcripts.list_transcripts(project)
    transcript_id = listed[0].id
    text = transcripts.transcript_text(project, transcript_id).text
    app = make_app(project, coder=CODER)
    with watched_lines():
        async with app.run_test(size=TERMINAL) as pilot:
            probe = FrameProbe(app)
            await pilot.pause()
            log(f"opening the transcript {size.opens + 1} times, beside the floor")
            opened, _ = await bench_open(app, pilot, probe, text, transcript_id, size)
            log(f"coding {size.apply_warmup + size.applications} sentences, then the floor")
            applied, _ = await bench_apply(app, pilot, probe, text, transcript_id, size)
    return [opened, applied]


# --- cold start ---------------------------------------------------------------------


def first_frame_ms(mode: str, project: Path | None = None) -> tuple[float, int | None]:
    """Milliseconds from spawning ``tui_first_frame`` to its first frame, and the rows
    its overview showed."""
    command = [sys.executable, "-m", "benchmarks.tui_first_frame", mode]
    if project is not None:
        command.append(str(project))
    began = time.time()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return (found["first_frame"] - began) * 1000, found["rows"]


def process_ms(code: str) -> float:
    """Wall time of a whole ``python -c code`` process."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
    return (time.perf_counter() - began) * 1000


def bench_cold(project: Path, size: Size, label: str) -> Result:
    first_frame_ms("qualcode", project)
    first_frame_ms("floor")
    service_ms: list[float] = []
    floor_ms: list[float] = []
    imports_ms: list[float] = []
    rows: int | None = None
    for _ in range(size.cold_runs):
        elapsed, rows = first_frame_ms("qualcode", project)
        service_ms.append(elapsed)
        floor_ms.append(first_frame_ms("floor")[0])
        imports_ms.append(process_ms("import textual.app"))
    return make_result(
        f"cold start `qualcode tui` → first frame, {label}",
        service_ms,
        floor_ms,
        target_ms=TARGET_COLD_MS,
        floor_name="bare Textual app (header, Static, footer) → first frame, same way",
        rows=rows,
        note=f"rows = transcripts listed; `python -c 'import textual.app'` process"
        f" median {statistics.median(imports_ms):.0f} ms",
    )


# --- running --------------------------------------------------------------------------


def run(size: Size, *, seed: int = 0, workdir: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-tui-", dir=workdir) as folder:
        log(f"building a transcript of {size.words} words with {size.codings} codings")
        corpus = build_corpus(
            Path(folder) / "project",
            transcripts=1,
            words=size.words,
            codings=size.codings,
            seed=seed,
        )
        units = prepare(corpus, seed)
        with open_project(corpus.directory) as project, frozen_setup():
            results = asyncio.run(in_app(project, size))
        log(f"cold starts ({size.cold_runs} of each, after a warm-up)")
        results.append(bench_cold(corpus.directory, size, "1 transcript"))
        if size.large_corpus:
            log("building the 100-transcript corpus for its cold start")
            large = build_corpus(Path(folder) / "large", seed=seed)
            results.append(bench_cold(large.directory, size, "100 transcripts, 50,000 codings"))
    return report(
        "TUI",
        quick=size == QUICK,
        corpus=corpus_summary(corpus, sentence_units=units, terminal="x".join(map(str, TERMINAL))),
        results=results,
    )


def main() -> None:
    args = arguments("python -m benchmarks.bench_tui", __doc__.split("\n")[0])
    emit(run(QUICK if args.quick else FULL, seed=args.seed, workdir=args.workdir), args.json)


if __name__ == "__main__":
    main()

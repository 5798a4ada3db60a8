"""Agreement benchmark (issue #6): two coders over a million words and 40 codes.

The corpus is ``benchmarks.corpus`` (100 transcripts x 10,000 words, 50,000 codings by
2 coders on 32 leaf codes in 8 groups, 40 codes) plus sentence units cut where the
generator ends its sentences (``benchmarks.sentences``; the corpus has none, and
unit-level α needs them).

* service: ``agreement(project, unit="sentence", bootstrap_draws=0)``, and once more
  with the default bootstrap (1,000 draws per code) for information. Besides the
  figures the floor computes it also builds the unitizing α and the segment matching
  of every code, which the floor does not.
* floor: the same figures by hand, vectorised with numpy: three ``sqlite3`` queries
  (text lengths of the current versions of the transcripts both coders coded, their
  sentence units, the codings), the transcripts laid end to end; then per code and
  coder a boolean character mask (``mask[positions] = True``, the positions of all
  the coder's spans of the code generated as one array with ``np.repeat`` and
  ``np.arange``); both / only-A / only-B / neither character counts from
  ``np.count_nonzero`` of ``a & b``, ``a`` and ``b`` → percent agreement and Cohen's
  κ; unit presence from the spans (``np.searchsorted`` of each span's ends in the
  sorted units, the runs of units it meets marked through a difference array over
  the units: any shared character marks a unit, as ``min_share=0`` does) → nominal
  α for two coders without missing data,
  α = 1 − (n − 1)·d / (n₀·n₁) with n = 2 × units, d the units the coders disagree
  on and n₀, n₁ the values "absent" and "present"; pooled κ from the summed counts
  and pooled α from the summed d, n₀, n₁. The floor's figures must equal the
  service's (counts exactly, percentages, κ and α within 1e-9), or the run stops.

Method as in ``bench_coding``: the checking run of each side is the warm-up, then
service and floor alternate run by run; ``time.perf_counter_ns``, an untimed
``gc.collect()`` before each call, the setup frozen out of the collector; median and
nearest-rank p95, and the load average (``/proc/loadavg``) after each benchmark.
Each call's CPU time (``time.process_time_ns``, all threads of the process) is taken
beside its wall time and its median reported in the note: on a shared machine the
wall time includes waiting for a core. Targets (issue 14, item 7): 1 s without the
bootstrap, 2 s with 1,000 draws.
``--profile`` runs the service once more under cProfile and prints where the time goes.

``--exclusive`` marks the corpus's 8 top-level codes mutually exclusive first, so the
service also computes each group's α, confusion matrix and κ (the floor does not).

CLI: ``python -m benchmarks.bench_agreement [--quick | --many] [--exclusive] [--json]
[--seed N] [--workdir DIR] [--profile]``.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import update

from benchmarks.bench_coding import connect_floor, frozen_setup, log
from benchmarks.corpus import build_corpus
from benchmarks.harness import (
    Result,
    arguments,
    corpus_summary,
    emit,
    make_result,
    report,
)
from benchmarks.sentences import add_sentence_units
from qualcode.services.agreement import AgreementReport, agreement
from qualcode.services.project import Project, open_project
from qualcode.store.engine import DB_FILENAME
from qualcode.store.schema import CodeRow

TARGET_MS = 1_000.0  # issue 14 item 7: two coders, no bootstrap
TARGET_BOOTSTRAP_MS = 2_000.0  # the same with 1,000 draws
TOLERANCE = 1e-9
DEFAULT_DRAWS = 1000  # services.agreement.agreement's default

# transcripts every coder with codings has coded, as the service chooses them
TRANSCRIPTS_SQL = """
    SELECT t.id, v.id, v.length FROM transcripts t
    JOIN text_versions v ON v.transcript_id = t.id AND v.version = t.version
    WHERE (SELECT COUNT(DISTINCT c.coder_id) FROM codings c WHERE c.version_id = v.id)
        = (SELECT COUNT(DISTINCT coder_id) FROM codings)
    ORDER BY t.id
"""
UNITS_SQL = 'SELECT version_id, start, "end" FROM units ORDER BY version_id, start, "end"'
CODINGS_SQL = """
    SELECT k.key, r.name, c.version_id, c.start, c."end" FROM codings c
    JOIN codes k ON k.id = c.code_id JOIN coders r ON r.id = c.coder_id
"""

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Size:
    """Corpus size, timed runs, and the bootstrap draws of the one run with them."""

    transcripts: int
    words: int
    codings: int
    coders: int
    runs: int
    warmup: int
    draws: int
    bootstrap_runs: int = 3


FULL = Size(
    transcripts=100, words=10_000, codings=50_000, coders=2, runs=5, warmup=0, draws=DEFAULT_DRAWS
)
QUICK = Size(
    transcripts=10, words=2_000, codings=2_000, coders=2, runs=3, warmup=0, draws=100,
    bootstrap_runs=1,
)  # fmt: skip
# issue 14's corpus: 1,000 transcripts x 1,000 words, 19,679 codings (--many)
MANY = Size(
    transcripts=1_000, words=1_000, codings=19_679, coders=2, runs=5, warmup=0,
    draws=DEFAULT_DRAWS,
)  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """Per code (and pooled under ``None``): character counts (both, only A, only B,
    neither), percent agreement, κ and unit-level α; None where undefined."""

    counts: dict[str | None, tuple[int, int, int, int]]
    percent: dict[str | None, float | None]
    kappa: dict[str | None, float | None]
    alpha: dict[str | None, float | None]


# --- the floor -----------------------------------------------------------------


def kappa_from_counts(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    n = both + only_a + only_b + neither
    share_a, share_b = (both + only_a) / n, (both + only_b) / n
    chance = share_a * share_b + (1 - share_a) * (1 - share_b)
    if chance == 1:
        return None
    return ((both + neither) / n - chance) / (1 - chance)


def nominal_alpha(disagreeing: int, absent: int, present: int) -> float | None:
    """α for two coders without missing values, from the unit counts."""
    if absent == 0 or present == 0:
        return None
    return 1 - (absent + present - 1) * disagreeing / (absent * present)


class Continuum:
    """The chosen transcripts laid end to end, and their sentence units on it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        rows = connection.execute(TRANSCRIPTS_SQL).fetchall()
        lengths = np.array([length for _, _, length in rows], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)))
        self.offset = {version_id: int(starts[i]) for i, (_, version_id, _) in enumerate(rows)}
        self.length = int(starts[-1])
        units = np.array(connection.execute(UNITS_SQL).fetchall(), dtype=np.int64).reshape(-1, 3)
        lookup = np.full(int(units[:, 0].max(initial=0)) + 1, -1, dtype=np.int64)
        for version_id, offset in self.offset.items():
            if version_id < len(lookup):
                lookup[version_id] = offset
        base = lookup[units[:, 0]]
        units = units[base >= 0, 1:] + base[base >= 0, None]
        units = units[np.argsort(units[:, 0], kind="stable")]
        self.unit_starts, self.unit_ends = units[:, 0], units[:, 1]
        self.n_units = len(units)

    def mask(self, spans: IntArray) -> BoolArray:
        """Characters covered by ``spans`` (global ``(start, end)`` rows). The covered
        positions are generated as one index array: each span's offsets, laid end to
        end, shifted back to where its span starts."""
        lengths = spans[:, 1] - spans[:, 0]
        firsts = np.cumsum(lengths) - lengths  # where each span begins in the index array
        positions = np.arange(int(lengths.sum())) + np.repeat(spans[:, 0] - firsts, lengths)
        covered = np.zeros(self.length, dtype=np.bool_)
        covered[positions] = True
        return covered

    def marked(self, spans: IntArray) -> BoolArray:
        """Whether each unit shares a character with a span. Units are sorted and do
        not overlap, so a span ``[s, e)`` meets the units from the first ending after
        ``s`` to the last starting before ``e``: a run of unit indices, marked through
        a difference array over the units."""
        first = np.searchsorted(self.unit_ends, spans[:, 0], side="right")
        last = np.searchsorted(self.unit_starts, spans[:, 1], side="left")
        meets = first < last
        depth = np.zeros(self.n_units + 1, dtype=np.int64)
        np.add.at(depth, first[meets], 1)
        np.add.at(depth, last[meets], -1)
        return np.cumsum(depth[:-1]) > 0


def floor_agreement(connection: sqlite3.Connection) -> Figures:
    continuum = Continuum(connection)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for key, coder, version_id, start, end in connection.execute(CODINGS_SQL):
        if version_id in continuum.offset:
            base = continuum.offset[version_id]
            spans.setdefault((key, coder), []).append((base + start, base + end))
    coders = sorted({coder for _, coder in spans})
    codes = sorted({key for key, _ in spans})
    empty: list[tuple[int, int]] = []
    figures = Figures({}, {}, {}, {})
    pooled_counts = np.zeros(4, dtype=np.int64)
    pooled_units = np.zeros(3, dtype=np.int64)
    for key in codes:
        span_a, span_b = (
            np.array(spans.get((key, coder), empty), dtype=np.int64).reshape(-1, 2)
            for coder in coders
        )
        a, b = continuum.mask(span_a), continuum.mask(span_b)
        both = np.count_nonzero(a & b)
        only_a, only_b = np.count_nonzero(a) - both, np.count_nonzero(b) - both
        counts = np.array([both, only_a, only_b, continuum.length - both - only_a - only_b])
        marked_a, marked_b = continuum.marked(span_a), continuum.marked(span_b)
        present = int(np.count_nonzero(marked_a) + np.count_nonzero(marked_b))
        units = np.array(
            [int(np.count_nonzero(marked_a != marked_b)), 2 * continuum.n_units - present, present]
        )
        _set(figures, key, counts, units)
        pooled_counts += counts
        pooled_units += units
    _set(figures, None, pooled_counts, pooled_units)
    return figures


def _set(figures: Figures, key: str | None, counts: IntArray, units: IntArray) -> None:
    both, only_a, only_b, neither = (int(n) for n in counts)
    total = both + only_a + only_b + neither
    figures.counts[key] = (both, only_a, only_b, neither)
    figures.percent[key] = 100 * (both + neither) / total if total else None
    figures.kappa[key] = kappa_from_counts(both, only_a, only_b, neither) if total else None
    figures.alpha[key] = nominal_alpha(*(int(n) for n in units))


# --- the service's figures -------------------------------------------------------


def service_figures(found: AgreementReport) -> Figures:
    figures = Figures({}, {}, {}, {})
    for code in found.per_code:
        assert code.characters is not None and code.alpha is not None
        c = code.characters.counts
        figures.counts[code.code] = (c.both, c.only_a, c.only_b, c.neither)
        figures.percent[code.code] = code.characters.percent_agreement
        figures.kappa[code.code] = code.characters.kappa
        figures.alpha[code.code] = code.alpha.value
    pooled = found.pooled_characters
    assert pooled is not None and found.pooled_alpha is not None
    c = pooled.counts
    figures.counts[None] = (c.both, c.only_a, c.only_b, c.neither)
    figures.percent[None] = pooled.percent_agreement
    figures.kappa[None] = pooled.kappa
    figures.alpha[None] = found.pooled_alpha.value
    return figures


def _same(first: float | None, second: float | None) -> bool:
    if first is None or second is None:
        return first is None and second is None
    return abs(first - second) <= TOLERANCE


def check_same(service: Figures, floor: Figures) -> int:
    """Stop the run unless both sides give the same figures; returns how many codes."""
    if service.counts != floor.counts:
        raise AssertionError("service and floor count different characters")
    for name in ("percent", "kappa", "alpha"):
        ours, theirs = getattr(service, name), getattr(floor, name)
        for key, value in ours.items():
            if not _same(value, theirs[key]):
                raise AssertionError(
                    f"{name} of {key or 'pooled'}: service {value}, floor {theirs[key]}"
                )
    return len(service.counts) - 1


# --- running -------------------------------------------------------------------


def run_service(project: Project, draws: int) -> AgreementReport:
    return agreement(project, unit="sentence", bootstrap_draws=draws)


def bench(project: Project, connection: sqlite3.Connection, size: Size) -> Result:
    """Without bootstrap: one run of each side checked against the other (and so
    warming both up), ``size.warmup`` more untimed, then ``size.runs`` timed runs."""
    service = partial(run_service, project, 0)
    floor = partial(floor_agreement, connection)
    codes = check_same(service_figures(service()), floor())
    for _ in range(size.warmup):
        service()
        floor()
    times = alternate_clocks(service, floor, runs=size.runs)
    return _result("agreement sentence units, no bootstrap", times, codes, TARGET_MS)


def bench_bootstrap(project: Project, connection: sqlite3.Connection, size: Size) -> Result:
    """With the bootstrap: the figures are the checked ones, the draws come on top (a
    warm-up run, then ``size.bootstrap_runs`` timed runs)."""
    service = partial(run_service, project, size.draws)
    service()
    times = alternate_clocks(
        service, partial(floor_agreement, connection), runs=size.bootstrap_runs
    )
    name = f"agreement sentence units, bootstrap {size.draws} draws"
    return _result(name, times, None, TARGET_BOOTSTRAP_MS)


@dataclass(frozen=True)
class Times:
    """Milliseconds per run, wall and CPU, of both sides."""

    service_wall: list[float]
    service_cpu: list[float]
    floor_wall: list[float]
    floor_cpu: list[float]


def _clocked(call: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU time of one call; earlier garbage is collected first, untimed."""
    gc.collect()
    wall, cpu = time.perf_counter_ns(), time.process_time_ns()
    call()
    return (time.perf_counter_ns() - wall) / 1e6, (time.process_time_ns() - cpu) / 1e6


def alternate_clocks(
    service: Callable[[], object], floor: Callable[[], object], *, runs: int
) -> Times:
    """``runs`` timed calls of each side, taking turns (``harness.alternate`` with CPU
    time beside wall time)."""
    times = Times([], [], [], [])
    for _ in range(runs):
        for wall, cpu, call in (
            (times.service_wall, times.service_cpu, service),
            (times.floor_wall, times.floor_cpu, floor),
        ):
            w, c = _clocked(call)
            wall.append(w)
            cpu.append(c)
    return times


def _result(name: str, times: Times, codes: int | None, target_ms: float) -> Result:
    cpu = statistics.median(times.service_cpu)
    floor_cpu = statistics.median(times.floor_cpu)
    return make_result(
        name,
        times.service_wall,
        times.floor_wall,
        target_ms=target_ms,
        floor_name="3 sqlite3 SELECTs + numpy masks: per-code char counts, κ, unit α;"
        " pooled (no unitizing α, segment matching or bootstrap)",
        rows=codes,
        note=("rows = codes; " if codes else "")
        + f"CPU median {cpu:.0f} ms, floor CPU {floor_cpu:.0f} ms,"
        f" CPU ratio {cpu / floor_cpu:.1f}x",
    )


def profile(project: Project, limit: int = 30) -> str:
    """One service run under cProfile: the top functions by cumulative and own time."""
    profiler = cProfile.Profile()
    profiler.runcall(run_service, project, 0)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return out.getvalue()


def make_groups_exclusive(project: Project) -> int:
    """Mark every top-level code (the corpus's 8 groups of 4 leaf codes) mutually
    exclusive, so the report also judges each group as one variable; returns how many."""
    with project.database.write() as session:
        found = session.execute(
            update(CodeRow).where(CodeRow.parent_id.is_(None)).values(exclusive=True)
        )
        return int(found.rowcount)


def run(
    size: Size,
    *,
    seed: int = 0,
    workdir: Path | None = None,
    with_profile: bool = False,
    exclusive: bool = False,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-agreement-", dir=workdir) as folder:
        log(f"building corpus ({size.transcripts} x {size.words} words, {size.codings} codings)")
        corpus = build_corpus(
            Path(folder) / "project",
            transcripts=size.transcripts,
            words=size.words,
            codings=size.codings,
            coders=size.coders,
            seed=seed,
        )
        with (
            open_project(corpus.directory) as project,
            closing(connect_floor(corpus.directory / DB_FILENAME)) as connection,
        ):
            units = add_sentence_units(project, seed=seed)
            groups = make_groups_exclusive(project) if exclusive else 0
            with frozen_setup():
                log("agreement without bootstrap, beside the floor")
                results = [bench(project, connection, size)]
                runs = size.bootstrap_runs
                log(f"agreement with the bootstrap ({size.draws} draws per code), {runs} runs")
                results.append(bench_bootstrap(project, connection, size))
            profiled = profile(project) if with_profile else ""
    return report(
        "agreement",
        quick=size == QUICK,
        corpus=corpus_summary(corpus, sentence_units=units, exclusive_groups=groups),
        results=results,
        profile=profiled,
    )


def main() -> None:
    many, exclusive = "--many" in sys.argv, "--exclusive" in sys.argv
    for flag in ("--many", "--exclusive"):
        if flag in sys.argv:
            sys.argv.remove(flag)
    args = arguments("python -m benchmarks.bench_agreement", __doc__.split("\n")[0], profile=True)
    result = run(
        MANY if many else QUICK if args.quick else FULL,
        seed=args.seed,
        workdir=args.workdir,
        with_profile=args.profile,
        exclusive=exclusive,
    )
    if result["profile"] and not args.json:
        print(result["profile"], file=sys.stderr)
    emit(result, args.json)


if __name__ == "__main__":
    main()

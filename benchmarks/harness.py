"""What the retrieval, agreement and TUI runners share: results with their floor and the
machine's load, alternating timed runs, and the report table.

The timing primitives (``time_ms``, ``frozen_setup``, ``percentile``) and the machine
description come from ``benchmarks.bench_coding``, so every runner measures alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bench_coding import machine_info, percentile, time_ms
from benchmarks.corpus import Corpus


def load_average() -> str:
    """``/proc/loadavg`` as it reads now (1, 5 and 15 minute load, tasks, last pid);
    the machine is shared, so every result carries the load it was measured under."""
    try:
        with open("/proc/loadavg", encoding="ascii") as loadavg:
            return loadavg.read().strip()
    except OSError:
        return "unknown"


@dataclass(frozen=True)
class Result:
    """One benchmark's timings in milliseconds, beside its floor."""

    name: str
    runs: int
    median_ms: float
    p95_ms: float
    floor_median_ms: float
    floor_p95_ms: float
    target_ms: float
    floor: str  # what the floor is, in a few words
    load: str = field(default_factory=load_average)  # /proc/loadavg when the result was made
    rows: int | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_median_ms

    @property
    def passed(self) -> bool:
        return self.median_ms <= self.target_ms

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": round(self.ratio, 2), "passed": self.passed}


def make_result(
    name: str,
    service: Sequence[float],
    floor: Sequence[float],
    *,
    target_ms: float,
    floor_name: str,
    rows: int | None = None,
    note: str = "",
) -> Result:
    """Median and nearest-rank p95 of both sides; the load is read now."""
    return Result(
        name=name,
        runs=len(service),
        median_ms=statistics.median(service),
        p95_ms=percentile(service, 0.95),
        floor_median_ms=statistics.median(floor),
        floor_p95_ms=percentile(floor, 0.95),
        target_ms=target_ms,
        floor=floor_name,
        rows=rows,
        note=note,
    )


def alternate(
    service: Callable[[], object], floor: Callable[[], object], *, runs: int, warmup: int
) -> tuple[list[float], list[float]]:
    """``warmup`` untimed calls of each side, then ``runs`` timed calls of each,
    service and floor taking turns so drift in the machine's load hits both alike."""
    for _ in range(warmup):
        service()
        floor()
    service_ms: list[float] = []
    floor_ms: list[float] = []
    for _ in range(runs):
        service_ms.append(time_ms(service))
        floor_ms.append(time_ms(floor))
    return service_ms, floor_ms


def report(
    title: str, *, quick: bool, corpus: dict[str, Any], results: Sequence[Result], **extra: Any
) -> dict[str, Any]:
    """The JSON-able report every runner prints."""
    return {
        "benchmark": title,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": machine_info(),
        "corpus": corpus,
        "results": [result.as_dict() for result in results],
        **extra,
    }


def format_table(report: dict[str, Any], notes: Sequence[str] = ()) -> str:
    """The results as a fixed-width table, with the load beside each."""
    machine = report["machine"]
    lines = [
        f"qualcode {report['benchmark']} benchmarks, {report['date']}"
        f" ({'quick' if report['quick'] else 'full'})",
        f"machine: {machine['cpu_model']}, {machine['cpu_count']} CPUs, Python {machine['python']},"
        f" SQLite {machine['sqlite']}, SQLAlchemy {machine['sqlalchemy']}",
        "corpus: " + ", ".join(f"{key} {value}" for key, value in report["corpus"].items()),
        "",
        f"{'benchmark':<44} {'rows':>6} {'runs':>4} {'median':>9} {'p95':>9}"
        f" {'floor':>9} {'floor95':>9} {'ratio':>6} {'target':>7}  result  load (1/5/15 min)",
    ]
    for r in report["results"]:
        load = " ".join(r["load"].split()[:3])
        lines.append(
            f"{r['name']:<44} {r['rows'] if r['rows'] is not None else '-':>6} {r['runs']:>4}"
            f" {r['median_ms']:>9.2f} {r['p95_ms']:>9.2f} {r['floor_median_ms']:>9.2f}"
            f" {r['floor_p95_ms']:>9.2f} {r['ratio']:>5.1f}x {r['target_ms']:>7.0f}"
            f"  {'pass' if r['passed'] else 'FAIL':<6}  {load}"
        )
    lines.append("times in ms; pass = median within target; floors:")
    lines += [f"  {r['name']}: {r['floor']}" + (f" ({r['note']})" if r["note"] else "")
              for r in report["results"]]  # fmt: skip
    lines += list(notes)
    return "\n".join(lines)


def corpus_summary(corpus: Corpus, **extra: Any) -> dict[str, Any]:
    """What a report says about its corpus (``extra``: what the runner added to it)."""
    return {
        "transcripts": corpus.transcripts,
        "words": corpus.words,
        "codings": corpus.codings,
        "coders": len(corpus.coders),
        "codes": len(corpus.group_keys) + len(corpus.leaf_keys),
        "seed": corpus.seed,
        "built_s": round(corpus.seconds, 1),
        **extra,
    }


def arguments(prog: str, description: str, *, profile: bool = False) -> argparse.Namespace:
    """The options every runner takes: ``--quick``, ``--json``, ``--seed``, ``--workdir``
    (and ``--profile`` where the runner offers one)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    if profile:
        parser.add_argument(
            "--profile", action="store_true", help="also profile one service run (cProfile)"
        )
    parser.add_argument("--quick", action="store_true", help="small corpus: a smoke test")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="where to build the corpus (default: temp)")
    return parser.parse_args()


def emit(report: dict[str, Any], as_json: bool, notes: Sequence[str] = ()) -> None:
    print(json.dumps(report, indent=2) if as_json else format_table(report, notes))

"""Coding benchmarks: applying a code, and listing one code's codings.

Each benchmark times a qualcode service call and a *floor*: the same database work
written by hand against the stdlib ``sqlite3`` module on the same file with the same
PRAGMAs (WAL, ``synchronous=FULL``, ``foreign_keys=ON``). The ratio service / floor
is what qualcode's layers (SQLAlchemy ORM, repositories, records, checks) cost on top
of what SQLite itself must do.

* apply: ``apply_code`` on random spans of random transcripts, leaf codes and coders;
  floor: ``BEGIN IMMEDIATE``, INSERT the coding row, INSERT its ``coding.apply`` event
  row, ``COMMIT`` (quote, hash, uuid and JSON built in the timed region too).
* list: ``list_codings(codes=[leaf key], descendants=False)`` and, for a group key,
  with descendants; floor: the same rows by one hand-written join (a recursive CTE
  for the descendants), fetched as tuples. Both must return the same ids in order.

All timings use ``time.perf_counter_ns`` after warm-up runs. The garbage collector
stays on, as in the application, but the setup's objects are frozen out of it and a
collection runs (untimed) before every timed call, so neither side pays for garbage
the other left. A fresh seeded corpus is built in a temporary folder for every run,
so results do not depend on earlier runs.

CLI: ``python -m benchmarks.bench_coding [--quick] [--json] [--seed N] [--workdir DIR]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy

from benchmarks.corpus import Corpus, build_corpus
from qualcode.domain.text import sha256_text
from qualcode.services.coding import apply_code, list_codings
from qualcode.services.project import Project, open_project
from qualcode.store.engine import BUSY_TIMEOUT_MS, DB_FILENAME

TARGET_APPLY_MS = 1.0  # issue 14, item 4 (issue #2 asked for 5)
TARGET_LIST_MS = 50.0
SPAN_CHARS = (20, 400)
BLOCK = 50  # service and floor applications alternate in blocks of this many

INSERT_CODING = (
    'INSERT INTO codings (uuid, transcript_id, version_id, code_id, coder_id, start, "end",'
    " quote, quote_sha256, needs_review, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"
)
INSERT_EVENT = (
    "INSERT INTO events (uuid, at, coder_id, kind, action, entity, entity_id, after)"
    " VALUES (?, ?, ?, 'do', 'coding.apply', 'coding', ?, ?)"
)
SELECT_CODINGS = """
    SELECT c.id, c.uuid, c.transcript_id, t.title, k.key, r.name, c.start, c."end",
           c.quote, c.quote_sha256, c.needs_review, c.created_at
    FROM codings c
    JOIN transcripts t ON t.id = c.transcript_id
    JOIN codes k ON k.id = c.code_id
    JOIN coders r ON r.id = c.coder_id
"""
ORDER_CODINGS = ' ORDER BY c.transcript_id, c.start, c."end", c.id'
LIST_CODE_SQL = SELECT_CODINGS + " WHERE k.key = ?" + ORDER_CODINGS
LIST_TREE_SQL = (
    "WITH RECURSIVE tree(id) AS (SELECT id FROM codes WHERE key = ?"
    " UNION ALL SELECT codes.id FROM codes JOIN tree ON codes.parent_id = tree.id)"
    + SELECT_CODINGS
    + " WHERE c.code_id IN (SELECT id FROM tree)"
    + ORDER_CODINGS
)


@dataclass(frozen=True)
class Size:
    """Corpus size and how many timed runs each benchmark makes."""

    transcripts: int
    words: int
    codings: int
    coders: int
    applications: int
    apply_warmup: int
    list_runs: int
    list_warmup: int


FULL = Size(
    transcripts=100,
    words=10_000,
    codings=50_000,
    coders=2,
    applications=500,
    apply_warmup=20,
    list_runs=21,
    list_warmup=3,
)
QUICK = Size(
    transcripts=10,
    words=2_000,
    codings=2_000,
    coders=2,
    applications=100,
    apply_warmup=5,
    list_runs=5,
    list_warmup=1,
)


@dataclass(frozen=True)
class Result:
    """One benchmark's timings in milliseconds."""

    name: str
    runs: int
    median_ms: float
    p95_ms: float
    floor_median_ms: float
    floor_p95_ms: float
    target_ms: float
    rows: int | None = None

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_median_ms

    @property
    def passed(self) -> bool:
        return self.median_ms <= self.target_ms

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": round(self.ratio, 2), "passed": self.passed}


@dataclass(frozen=True, slots=True)
class Application:
    """One code application, with both the names the service takes and the ids the
    floor inserts."""

    transcript_id: int
    version_id: int
    code_key: str
    code_id: int
    coder: str
    coder_id: int
    start: int
    end: int


# --- measuring ---------------------------------------------------------------


# --cpu switches every timing to this process's CPU time: on a shared machine whose
# disk is busy, a commit's fsync wait can dwarf the work measured (service and floor
# pay the same fsync, so CPU time compares the work itself)
CLOCKS = {"wall": time.perf_counter_ns, "cpu": time.process_time_ns}
clock = CLOCKS["wall"]


def time_ms(call: Callable[[], object]) -> float:
    """Time of one call on ``clock``; garbage left by earlier calls is collected
    first, untimed."""
    gc.collect()
    began = clock()
    call()
    return (clock() - began) / 1e6


@contextmanager
def frozen_setup() -> Iterator[None]:
    """Keep every object alive so far out of the garbage collector's work until the
    block ends (``time_ms`` then collects only what the benchmarks leave)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def timed(call: Callable[[Application], object], items: Sequence[Application]) -> list[float]:
    return [time_ms(partial(call, item)) for item in items]


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered)))
    return ordered[rank - 1]


def make_result(
    name: str, service: list[float], floor: list[float], target: float, rows: int | None = None
) -> Result:
    return Result(
        name=name,
        runs=len(service),
        median_ms=statistics.median(service),
        p95_ms=percentile(service, 0.95),
        floor_median_ms=statistics.median(floor),
        floor_p95_ms=percentile(floor, 0.95),
        target_ms=target,
        rows=rows,
    )


def connect_floor(db_path: Path) -> sqlite3.Connection:
    """A plain ``sqlite3`` connection set up as qualcode's engine sets up its own."""
    connection = sqlite3.connect(db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    return connection


# --- apply a code ------------------------------------------------------------


def plan_applications(
    connection: sqlite3.Connection, rng: random.Random, count: int
) -> list[Application]:
    """``count`` distinct applications on random spans that clash with no stored coding."""
    versions = connection.execute(
        "SELECT t.id, v.id, v.length FROM transcripts t"
        " JOIN text_versions v ON v.transcript_id = t.id AND v.version = t.version"
    ).fetchall()
    codes = connection.execute(
        "SELECT key, id FROM codes WHERE parent_id IS NOT NULL AND NOT retired ORDER BY id"
    ).fetchall()
    coders = connection.execute("SELECT name, id FROM coders ORDER BY id").fetchall()
    taken = set(
        connection.execute('SELECT version_id, code_id, coder_id, start, "end" FROM codings')
    )
    planned: list[Application] = []
    while len(planned) < count:
        transcript_id, version_id, length = rng.choice(versions)
        (code_key, code_id), (coder, coder_id) = rng.choice(codes), rng.choice(coders)
        start = rng.randrange(length - 1)
        end = min(length, start + rng.randint(*SPAN_CHARS))
        if (version_id, code_id, coder_id, start, end) not in taken:
            taken.add((version_id, code_id, coder_id, start, end))
            planned.append(
                Application(
                    transcript_id, version_id, code_key, code_id, coder, coder_id, start, end
                )
            )
    return planned


def service_apply(project: Project, app: Application) -> None:
    apply_code(
        project,
        transcript=app.transcript_id,
        code=app.code_key,
        start=app.start,
        end=app.end,
        coder=app.coder,
    )


def floor_apply(connection: sqlite3.Connection, texts: dict[int, str], app: Application) -> None:
    """The coding row and its event row in one committed transaction, by hand."""
    quote = texts[app.version_id][app.start : app.end]
    now = datetime.now(UTC).replace(tzinfo=None)  # stored naive, as SQLAlchemy stores it
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    coding = {  # in the column order of INSERT_CODING
        "uuid": str(uuid.uuid4()),
        "transcript_id": app.transcript_id,
        "version_id": app.version_id,
        "code_id": app.code_id,
        "coder_id": app.coder_id,
        "start": app.start,
        "end": app.end,
        "quote": quote,
        "quote_sha256": sha256_text(quote),
    }
    connection.execute("BEGIN IMMEDIATE")
    try:
        coding_id = connection.execute(INSERT_CODING, (*coding.values(), stamp)).lastrowid
        after = {"id": coding_id, **coding, "needs_review": False, "created_at": now.isoformat()}
        connection.execute(
            INSERT_EVENT, (str(uuid.uuid4()), stamp, app.coder_id, coding_id, json.dumps(after))
        )
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def bench_apply(
    project: Project, connection: sqlite3.Connection, size: Size, rng: random.Random
) -> Result:
    """Service and floor alternate in blocks, each on its own random spans."""
    per_side = size.apply_warmup + size.applications
    planned = plan_applications(connection, rng, 2 * per_side)
    for_service, for_floor = planned[:per_side], planned[per_side:]
    texts = dict(connection.execute("SELECT id, text FROM text_versions"))
    service = partial(service_apply, project)
    floor = partial(floor_apply, connection, texts)
    warm = size.apply_warmup
    timed(service, for_service[:warm])
    timed(floor, for_floor[:warm])
    service_ms: list[float] = []
    floor_ms: list[float] = []
    for block in range(warm, per_side, BLOCK):
        service_ms += timed(service, for_service[block : block + BLOCK])
        floor_ms += timed(floor, for_floor[block : block + BLOCK])
    return make_result("apply a code", service_ms, floor_ms, TARGET_APPLY_MS)


# --- list a code's codings ---------------------------------------------------


def bench_list(
    project: Project, connection: sqlite3.Connection, size: Size, key: str, *, descendants: bool
) -> Result:
    """Service and floor alternate run by run; both must return the same codings."""
    sql = LIST_TREE_SQL if descendants else LIST_CODE_SQL

    def service() -> list[int]:
        return [c.id for c in list_codings(project, codes=[key], descendants=descendants)]

    def floor() -> list[int]:
        return [row[0] for row in connection.execute(sql, (key,)).fetchall()]

    expected = floor()
    if service() != expected:
        raise AssertionError(f"service and floor list different codings for {key}")
    for _ in range(size.list_warmup):
        service()
        floor()
    service_ms: list[float] = []
    floor_ms: list[float] = []
    for _ in range(size.list_runs):
        service_ms.append(time_ms(service))
        floor_ms.append(time_ms(floor))
    name = f"list {key} with descendants" if descendants else f"list {key}"
    return make_result(name, service_ms, floor_ms, TARGET_LIST_MS, rows=len(expected))


# --- reporting ---------------------------------------------------------------


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, Any]:
    return {
        "processor": platform.processor(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
    }


def format_table(report: dict[str, Any]) -> str:
    machine, corpus = report["machine"], report["corpus"]
    lines = [
        f"qualcode coding benchmarks, {report['date']} ({'quick' if report['quick'] else 'full'})",
        f"machine: {machine['cpu_model']}, {machine['cpu_count']} CPUs, Python {machine['python']},"
        f" SQLite {machine['sqlite']}, SQLAlchemy {machine['sqlalchemy']}",
        f"corpus: {corpus['transcripts']} transcripts x {corpus['words']} words,"
        f" {corpus['codings']} codings, {len(corpus['coders'])} coders, seed {corpus['seed']}"
        f" (built in {corpus['seconds']:.1f} s)",
        "",
        f"{'benchmark':<28} {'rows':>6} {'runs':>5} {'median':>8} {'p95':>8}"
        f" {'floor':>8} {'floor95':>8} {'ratio':>6} {'target':>7}  result",
    ]
    for r in report["results"]:
        lines.append(
            f"{r['name']:<28} {r['rows'] if r['rows'] is not None else '-':>6} {r['runs']:>5}"
            f" {r['median_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['floor_median_ms']:>8.2f}"
            f" {r['floor_p95_ms']:>8.2f} {r['ratio']:>5.1f}x {r['target_ms']:>7.0f}"
            f"  {'pass' if r['passed'] else 'FAIL'}"
        )
    lines.append("times in ms; pass = service median within target")
    return "\n".join(lines)


def corpus_info(corpus: Corpus) -> dict[str, Any]:
    info = {name: value for name, value in asdict(corpus).items() if name != "directory"}
    return {**info, "seconds": round(corpus.seconds, 1)}


def run(size: Size, *, seed: int = 0, workdir: Path | None = None) -> dict[str, Any]:
    """Build a corpus in a temporary folder, run every benchmark, return the report."""
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-", dir=workdir) as folder:
        log(f"building corpus ({size.transcripts} x {size.words} words, {size.codings} codings)")
        corpus = build_corpus(
            Path(folder) / "project",
            transcripts=size.transcripts,
            words=size.words,
            codings=size.codings,
            coders=size.coders,
            seed=seed,
        )
        leaf, group = corpus.leaf_keys[0], corpus.group_keys[0]
        with (
            open_project(corpus.directory) as project,
            closing(connect_floor(corpus.directory / DB_FILENAME)) as connection,
            frozen_setup(),
        ):
            log(f"listing {leaf}")
            results = [bench_list(project, connection, size, leaf, descendants=False)]
            log(f"listing {group} with descendants")
            results.append(bench_list(project, connection, size, group, descendants=True))
            log(f"applying codes ({size.applications} service + {size.applications} floor)")
            results.append(bench_apply(project, connection, size, random.Random(seed + 1)))
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": size == QUICK,
        "machine": machine_info(),
        "corpus": corpus_info(corpus),
        "results": [result.as_dict() for result in results],
    }


def log(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_coding", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="small corpus: a smoke test")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="where to build the corpus (default: temp)")
    parser.add_argument(
        "--cpu", action="store_true", help="time CPU of this process, not wall (see CLOCKS)"
    )
    args = parser.parse_args(argv)
    global clock
    clock = CLOCKS["cpu" if args.cpu else "wall"]
    report = run(QUICK if args.quick else FULL, seed=args.seed, workdir=args.workdir)
    print(json.dumps(report, indent=2) if args.json else format_table(report))


if __name__ == "__main__":
    main()

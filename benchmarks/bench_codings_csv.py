"""Bulk codings from a CSV file (issue 14, item 3): ``import-codings`` beside its floor.

The corpus is the issue's: 1,000 transcripts x 1,000 words, two coders, 40 codes. The
runner writes a codings file of random whole-word spans on random leaf codes (one row in
ten with a memo) and times, alternately on fresh copies of the same database:

* the service, ``services.codings_csv.import_codings_csv(project, file)``: reading and
  checking the file, one write transaction, one event;
* the floor: ``sqlite3`` ``executemany`` of the same coding rows (uuid, quote, quote
  hash, timestamps already made) and their memos into the same tables, one commit.

    .venv/bin/python -m benchmarks.bench_codings_csv [--quick] [--rows 19679 100000]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.corpus import build_corpus
from benchmarks.harness import Result, corpus_summary, emit, make_result, report
from qualcode.domain.text import sha256_text
from qualcode.services.codings_csv import import_codings_csv
from qualcode.services.project import open_project

TARGETS_MS = {19_679: 800.0, 100_000: 4_000.0}


Row = tuple[int, str, str, int, int, str]


def write_codings(db: Path, path: Path, rows: int, seed: int) -> list[Row]:
    """A codings file of ``rows`` distinct random spans; returns the rows as
    ``(transcript_id, coder, code, start, end, memo)``."""
    rng = random.Random(seed)
    with sqlite3.connect(db) as connection:
        texts = connection.execute(
            "SELECT t.id, v.text FROM transcripts t JOIN text_versions v "
            "ON v.transcript_id = t.id AND v.version = t.version ORDER BY t.id"
        ).fetchall()
        leaves = [key for (key,) in connection.execute(
            "SELECT key FROM codes WHERE parent_id IS NOT NULL ORDER BY key")]  # fmt: skip
        coders = [name for (name,) in connection.execute("SELECT name FROM coders ORDER BY name")]
    starts = {tid: [m for m in range(len(text)) if m == 0 or text[m - 1] == " "]
              for tid, text in texts}  # fmt: skip
    made: set[tuple[int, str, str, int, int]] = set()
    out: list[Row] = []
    while len(out) < rows:
        tid, _ = rng.choice(texts)
        word_starts = starts[tid]
        first = rng.randrange(len(word_starts) - 60)
        start = word_starts[first]
        end = word_starts[first + rng.randint(3, 59)] - 1
        key = (tid, rng.choice(coders), rng.choice(leaves), start, end)
        if key not in made:
            made.add(key)
            out.append((*key, f"memo {len(out)}" if rng.random() < 0.1 else ""))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transcript", "coder", "code", "start", "end", "memo"])
        writer.writerows(out)
    return out


def floor_insert(db: Path, rows: list[Row]) -> None:
    """The same codings and memos by ``executemany``, ids and texts looked up first."""
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("BEGIN IMMEDIATE")
    versions = {tid: (vid, text) for tid, vid, text in connection.execute(
        "SELECT t.id, v.id, v.text FROM transcripts t JOIN text_versions v "
        "ON v.transcript_id = t.id AND v.version = t.version")}  # fmt: skip
    codes = dict(connection.execute("SELECT key, id FROM codes"))
    coders = dict(connection.execute("SELECT name, id FROM coders"))
    now = time.strftime("%Y-%m-%d %H:%M:%S.000000")
    values = []
    for tid, coder, code, start, end, _memo in rows:
        vid, text = versions[tid]
        quote = text[start:end]
        values.append((str(uuid.uuid4()), tid, vid, codes[code], coders[coder], start, end,
                       quote, sha256_text(quote), False, now))  # fmt: skip
    connection.executemany(
        'INSERT INTO codings (uuid, transcript_id, version_id, code_id, coder_id, start, "end",'
        " quote, quote_sha256, needs_review, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        values,
    )
    first_id = connection.execute("SELECT max(id) FROM codings").fetchone()[0] - len(rows) + 1
    memos = [(str(uuid.uuid4()), first_id + k, row[5], coders[row[1]], now, now)
             for k, row in enumerate(rows) if row[5]]  # fmt: skip
    connection.executemany(
        "INSERT INTO memos (uuid, coding_id, text, author_id, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?)",
        memos,
    )
    connection.execute("COMMIT")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench_codings_csv", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 transcripts, 2,000 rows")
    parser.add_argument("--rows", type=int, nargs="+", default=[19_679, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [2_000] if args.quick else args.rows
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        corpus = build_corpus(
            base / "pristine", transcripts=100 if args.quick else 1_000, words=1_000,
            codings=0, coders=2, seed=args.seed,
        )  # fmt: skip
        pristine = base / "pristine" / "qualcode.db"
        results: list[Result] = []
        for size in sizes:
            path = base / f"codings-{size}.csv"
            rows = write_codings(pristine, path, size, args.seed)
            service_ms, floor_ms, service_cpu, floor_cpu = [], [], [], []
            for _ in range(args.runs):
                for side in ("service", "floor"):
                    work = base / side
                    shutil.rmtree(work, ignore_errors=True)
                    shutil.copytree(base / "pristine", work)
                    db = work / "qualcode.db"
                    if side == "service":
                        with open_project(work) as project:
                            began, cpu = time.perf_counter(), time.process_time()
                            done = import_codings_csv(project, path)
                            service_ms.append((time.perf_counter() - began) * 1000)
                            service_cpu.append((time.process_time() - cpu) * 1000)
                        assert done.imported == size
                    else:
                        began, cpu = time.perf_counter(), time.process_time()
                        floor_insert(db, rows)
                        floor_ms.append((time.perf_counter() - began) * 1000)
                        floor_cpu.append((time.process_time() - cpu) * 1000)
            results.append(
                make_result(
                    f"import-codings, {size:,} rows",
                    service_ms,
                    floor_ms,
                    target_ms=TARGETS_MS.get(size, 0.04 * size),
                    floor_name="sqlite3 executemany of the same rows and memos, one commit",
                    rows=size,
                    note=f"CPU median {statistics.median(service_cpu):.0f} ms,"
                    f" floor {statistics.median(floor_cpu):.0f} ms",
                )
            )
        summary = corpus_summary(corpus)
    emit(report("bulk codings", quick=args.quick, corpus=summary, results=results), args.json)


if __name__ == "__main__":
    main()

"""Case-table benchmark (issue #9): import 10,000 cases × 20 columns, then a grouped table.

The table is generated (seeded): a semicolon CSV as Swedish Excel writes it, UTF-8
with a BOM and CRLF; the key column ``enhet``, then 20 attribute columns — ``län``
(6 values), 13 counts (a tenth of the cells blank, some with a decimal comma), 2
ja/nej answers, a date, 3 free texts.

* **import**: ``import_case_table`` into a new SQLite project each run (read, type every
  cell, diff against the empty project, write 10,000 cases and ~190,000 values in one
  transaction with its event; the empty project is made beforehand). Target ≤ 2 s.
  Floor: the csv module alone reading the same file (``decode_bytes`` + ``csv.reader``
  into a list) — what any importer must spend before it types or writes anything.
  A second floor: sqlite3 alone writing the same cases and values into an empty
  project (same schema and indexes, untyped).
* **grouped table**: ``case_table(by=["län"], sums=5 counts, counts=["svar=ja"])`` on the
  imported project. Target ≤ 200 ms. Floor: one plain SQL ``GROUP BY`` on the same
  rows through ``sqlite3`` (the group value joined to each summed value; sum, count,
  count above zero per group and attribute).

Method as in ``bench_coding``: warm-up, then service and floor alternate;
``time.perf_counter_ns`` with an untimed ``gc.collect()`` first; median and p95.

CLI: ``python -m benchmarks.bench_cases [--quick] [--json] [--seed N] [--workdir DIR]``.
"""

from __future__ import annotations

import csv
import io
import random
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from benchmarks.bench_coding import time_ms
from benchmarks.harness import alternate, arguments, emit, make_result, report
from qualcode.domain.text import decode_bytes
from qualcode.services.case_import import import_case_table
from qualcode.services.case_tables import case_table
from qualcode.services.project import init_project

COUNTIES = ("Stockholm", "Skåne", "Uppsala", "Västra Götaland", "Halland", "Norrbotten")
COUNTS = tuple(f"antal_{n:02d}" for n in range(1, 14))
SUMMED = COUNTS[:5]
COLUMNS = ("län", *COUNTS, "svar", "utvisning", "datum", "kommentar", "handläggare", "not")


def make_table(path: Path, cases: int, seed: int) -> None:
    rng = random.Random(seed)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["enhet", *COLUMNS])
    for n in range(cases):
        row: list[str] = [f"Enhet {n:05d}", rng.choice(COUNTIES)]
        for _ in COUNTS:
            if rng.random() < 0.1:
                row.append("")
            elif rng.random() < 0.1:
                row.append(f"{rng.randint(0, 20)},5")
            else:
                row.append(str(rng.randint(0, 20)))
        row += [rng.choice(("ja", "nej")), rng.choice(("ja", "nej", ""))]
        row.append(f"201{rng.randint(0, 3)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        row += [rng.choice(("", "svar via mejl", "ringde tillbaka")), f"person {n % 97}", ""]
        writer.writerow(row)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def csv_floor(path: Path) -> list[list[str]]:
    text = decode_bytes(path.read_bytes(), path.name).text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def insert_floor(db: Path, rows: list[list[str]]) -> None:
    """The same cases and values written with sqlite3 alone into an empty project
    (same schema and indexes, one transaction): no typing, no diff, no ORM."""
    header, body = rows[0], rows[1:]
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA synchronous=FULL")
        connection.executemany(
            "INSERT INTO attributes (uuid, name, value_type, scope) VALUES (?, ?, 'text', 'case')",
            [(f"a-{n}", name) for n, name in enumerate(header[1:])],
        )
        connection.executemany(
            "INSERT INTO cases (uuid, name, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
            [(f"c-{n:08d}", row[0]) for n, row in enumerate(body)],
        )
        connection.executemany(
            "INSERT INTO attribute_values (uuid, attribute_id, case_id, value_text) "
            "VALUES (?, ?, ?, ?)",
            [
                (f"v-{c:06d}-{a:02d}", a + 1, c + 1, value)
                for c, row in enumerate(body)
                for a, value in enumerate(row[1:])
                if value
            ],
        )
        connection.commit()


def sql_floor(db: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(
            """
            SELECT g.value_text, a.name, SUM(v.value_number), COUNT(v.value_number),
                   SUM(v.value_number > 0)
            FROM attribute_values v
            JOIN attributes a ON a.id = v.attribute_id
            JOIN attribute_values g ON g.case_id = v.case_id
            JOIN attributes ga ON ga.id = g.attribute_id AND ga.name = 'län'
            WHERE a.name IN (?, ?, ?, ?, ?)
            GROUP BY g.value_text, a.name
            """,
            SUMMED,
        ).fetchall()


def main() -> None:
    args = arguments("bench_cases", __doc__ or "")
    cases = 500 if args.quick else 10_000
    runs = 2 if args.quick else 3
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="qc-bench-cases-"))
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "enheter.csv"
    make_table(table, cases, args.seed)
    # every timed import goes into a new, empty project made beforehand (untimed)
    empty = [init_project(folder / f"p{n}") for n in range(runs)]

    def import_once() -> None:
        project = empty.pop()
        done = import_case_table(project, table, key="enhet", coder="bench")
        assert done.cases == cases and done.written
        project.close()

    service_ms, floor_ms = alternate(import_once, lambda: csv_floor(table), runs=runs, warmup=0)
    parsed = csv_floor(table)
    blank = [init_project(folder / f"raw{n}") for n in range(runs)]
    for project in blank:
        project.close()
    raw = iter(range(runs))
    insert_ms = [
        time_ms(lambda: insert_floor(folder / f"raw{next(raw)}" / "qualcode.db", parsed))
        for _ in range(runs)
    ]
    results = [
        make_result(
            f"import {cases:,} cases x {len(COLUMNS)} columns",
            service_ms,
            floor_ms,
            target_ms=2000,
            floor_name="decode + csv.reader of the same file",
            rows=cases,
        ),
        make_result(
            "  the same import against a write floor",
            service_ms,
            insert_ms,
            target_ms=2000,
            floor_name="sqlite3 executemany of the same cases and values, same schema",
            rows=cases,
        ),
    ]
    with init_project(folder / "grouped") as project:
        import_case_table(project, table, key="enhet", coder="bench")

        def grouped() -> None:
            found = case_table(project, by=["län"], sums=SUMMED, counts=["svar=ja"])
            assert len(found.cells) == len(COUNTIES) + 1

        service_ms, floor_ms = alternate(
            grouped, lambda: sql_floor(folder / "grouped" / "qualcode.db"), runs=11, warmup=1
        )
    results.append(
        make_result(
            "cases table --by län, 5 sums, 1 count",
            service_ms,
            floor_ms,
            target_ms=200,
            floor_name="one SQL GROUP BY on sqlite3, same sums and counts",
            rows=cases,
        )
    )
    corpus = {"cases": cases, "columns": len(COLUMNS), "seed": args.seed}
    emit(report("case table", quick=args.quick, corpus=corpus, results=results), args.json)


if __name__ == "__main__":
    main()

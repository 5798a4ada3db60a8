"""A team under load: N coder processes coding at once against one project.

For each engine (SQLite file, PostgreSQL database) and each N (default 2, 4, 8):
N processes apply codes continuously for ``--duration`` seconds (each a different
coder, spans that never repeat, so every attempt should be stored); the first of
them also imports ``--bulk-rows`` codings from a CSV once at the start; one reader
process polls like the TUI (change watcher, then the transcript's codings) twice a
second. Afterwards the stored codings are counted against the acknowledged ones.

Reported per run: codings acknowledged, stored, lost (acknowledged but not stored),
user-visible errors (any refusal other than a duplicate) with their first message,
and p50/p95/p99 latency of one ``apply_code`` in milliseconds.

    .venv/bin/python -m benchmarks.bench_team_load                 # short: 10 s per run
    .venv/bin/python -m benchmarks.bench_team_load --duration 60   # the issue's length
    QUALCODE_BENCH_PG_URL=postgresql+psycopg://... (or QUALCODE_TEST_PG_URL) adds PostgreSQL
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.bench_coding import machine_info, percentile
from benchmarks.harness import load_average

REPO = Path(__file__).resolve().parents[1]
CODEBOOK = REPO / "codebooks" / "asylum-child-welfare.yaml"
TRANSCRIPT = REPO / "transcripts" / "fokusgrupp-norrvik-ekbacka.txt"
TITLE = "Fokus"


def _open(folder: str, url: str | None) -> Any:
    from qualcode.services.project import open_project

    return open_project(folder, url)


def _leaf_codes(project: Any) -> list[str]:
    from qualcode.services.codes import list_codes

    found = list_codes(project, include_retired=False)
    parents = {code.parent_key for code in found}
    return [code.key for code in found if code.key not in parents]


def _coder(index: int, folder: str, url: str | None, duration: float, bulk: str | None,
           out: Any, ready: Any) -> None:  # fmt: skip
    from qualcode.domain.errors import Conflict, QualcodeError
    from qualcode.services import coding, transcripts
    from qualcode.services.codings_csv import import_codings_csv

    name = f"coder{index}"
    latencies: list[float] = []
    acknowledged, errors, duplicates = 0, [], 0
    imported = 0
    with _open(folder, url) as project:
        length = len(transcripts.transcript_text(project, TITLE).text)
        keys = _leaf_codes(project)
        ready.wait()  # every process has imported and opened the project
        deadline = time.monotonic() + duration
        if bulk is not None:
            try:
                imported = import_codings_csv(project, bulk).imported
            except QualcodeError as exc:
                errors.append(f"import: {exc}")
        step = 0
        while time.monotonic() < deadline:
            # spans never repeat for this coder: start walks the text, the code cycles
            start = (step * 7) % (length - 40)
            end = start + 5 + (step // ((length - 40) // 7 + 1)) % 30
            key = keys[step % len(keys)]
            step += 1
            began = time.perf_counter()
            try:
                coding.apply_code(project, transcript=TITLE, code=key, start=start, end=end,
                                  coder=name)  # fmt: skip
            except Conflict as exc:
                if "already coded" in str(exc):
                    duplicates += 1
                    continue
                errors.append(str(exc))
                continue
            except QualcodeError as exc:
                errors.append(str(exc))
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            acknowledged += 1
    out.put({"coder": name, "acknowledged": acknowledged, "imported": imported,
             "errors": errors, "duplicates": duplicates, "latencies": latencies})  # fmt: skip


def _reader(folder: str, url: str | None, duration: float, out: Any, ready: Any) -> None:
    from qualcode.domain.errors import QualcodeError
    from qualcode.services import coding
    from qualcode.services.freshness import watch_changes

    polls, errors = 0, []
    with _open(folder, url) as project:
        watcher = watch_changes(project)
        ready.wait()
        deadline = time.monotonic() + duration
        try:
            while time.monotonic() < deadline:
                try:
                    if watcher.changed():
                        coding.list_codings(project, transcripts=[TITLE])
                    polls += 1
                except QualcodeError as exc:
                    errors.append(str(exc))
                time.sleep(0.5)
        finally:
            watcher.close()
    out.put({"reader_polls": polls, "reader_errors": errors})


def _prepare(
    engine: str, pg_url: str | None, root: Path, bulk_rows: int
) -> tuple[str, str | None, str]:
    from qualcode.codebook import load_codebook
    from qualcode.services.codebook import apply_codebook
    from qualcode.services.importing import import_file
    from qualcode.services.project import init_project

    folder = root / f"{engine}-{uuid.uuid4().hex[:6]}"
    url = None
    if engine == "postgresql":
        assert pg_url
        name = f"qc_load_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    with init_project(folder, db_url=url, language="sv") as project:
        apply_codebook(project, load_codebook(CODEBOOK), coder="setup")
        import_file(project, TRANSCRIPT, mode="focus_group", title=TITLE)
        keys = _leaf_codes(project)
        from qualcode.services import transcripts

        length = len(transcripts.transcript_text(project, TITLE).text)
    bulk = root / f"bulk-{folder.name}.csv"
    with bulk.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transcript", "code", "coder", "start", "end"])
        for row in range(bulk_rows):
            start = (row * 3) % (length - 60)
            end = start + 1 + row // (length // 3) % 50
            writer.writerow([TITLE, keys[row % len(keys)], "importer", start, end])
    return str(folder), url, str(bulk)


def _stored_by_coder(folder: str, url: str | None) -> dict[str, int]:
    from qualcode.services import coding

    with _open(folder, url) as project:
        counts: dict[str, int] = {}
        for found in coding.list_codings(project):
            counts[found.coder] = counts.get(found.coder, 0) + 1
        return counts


def run(engine: str, coders: int, duration: float, bulk_rows: int, root: Path,
        pg_url: str | None) -> dict[str, Any]:  # fmt: skip
    folder, url, bulk = _prepare(engine, pg_url, root, bulk_rows)
    context = mp.get_context("spawn")
    out = context.Queue()
    ready = context.Barrier(coders + 1)
    processes = [
        context.Process(
            target=_coder, args=(i, folder, url, duration, bulk if i == 0 else None, out, ready)
        )
        for i in range(coders)
    ]
    processes.append(context.Process(target=_reader, args=(folder, url, duration, out, ready)))
    for process in processes:
        process.start()
    results = [out.get(timeout=duration + 600) for _ in processes]
    for process in processes:
        process.join()
    coder_results = [r for r in results if "coder" in r]
    reader = next(r for r in results if "reader_polls" in r)
    stored = _stored_by_coder(folder, url)
    acknowledged = sum(r["acknowledged"] for r in coder_results)
    imported = sum(r["imported"] for r in coder_results)
    kept = sum(stored.get(r["coder"], 0) for r in coder_results)
    latencies = sorted(ms for r in coder_results for ms in r["latencies"])
    errors = [e for r in coder_results for e in r["errors"]] + reader["reader_errors"]
    return {
        "engine": engine, "coders": coders, "duration_s": duration,
        "acknowledged": acknowledged, "stored": kept,
        "lost": acknowledged - kept,
        "bulk_imported": imported, "bulk_stored": stored.get("importer", 0),
        "errors": len(errors), "first_error": errors[0] if errors else "",
        "duplicates": sum(r["duplicates"] for r in coder_results),
        "p50_ms": round(percentile(latencies, 0.50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
        "reader_polls": reader["reader_polls"], "load": load_average(),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench_team_load", description=__doc__.split("\n")[0])
    parser.add_argument("--coders", default="2,4,8", help="comma-separated N (default 2,4,8)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--bulk-rows", type=int, default=5000, help="codings imported by coder0")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    pg_url = os.environ.get("QUALCODE_BENCH_PG_URL") or os.environ.get("QUALCODE_TEST_PG_URL")
    print(machine_info())
    print("| engine | N | acknowledged | stored | lost | bulk imported/stored | errors | "
          "p50 ms | p95 ms | p99 ms | reader polls | load |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as temp:
        for engine in args.engines.split(","):
            if engine == "postgresql" and not pg_url:
                print(
                    "| postgresql | – | skipped: no QUALCODE_BENCH_PG_URL or QUALCODE_TEST_PG_URL |"
                )
                continue
            for n in (int(x) for x in args.coders.split(",")):
                r = run(engine, n, args.duration, args.bulk_rows, Path(temp), pg_url)
                print(f"| {r['engine']} | {r['coders']} | {r['acknowledged']} | {r['stored']} | "
                      f"{r['lost']} | {r['bulk_imported']}/{r['bulk_stored']} | {r['errors']} | "
                      f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['reader_polls']} | "
                      f"{r['load'].split()[0]} |", flush=True)  # fmt: skip
                if r["first_error"]:
                    print(f"|  | first error: {r['first_error'][:160]} |", flush=True)


if __name__ == "__main__":
    main()

"""Start-up of one ``qualcode`` process (issue 14, item 5).

Each command runs as its own process, as a script or a shell loop runs it, alternating
with its floor so drift in the shared machine's load hits both alike:

* ``qualcode --help`` beside a bare Typer app printing its plain-text help (Python + Typer);
* ``qualcode transcripts --json`` and ``qualcode code T CODE S E`` beside the same bare
  app that also imports SQLAlchemy's ORM and reads one row with ``sqlite3``: what any
  command that opens a project through the store pays before doing any work.

Wall time on two shared cores is noisy, so the report also gives the median CPU time
(user + system) of the same runs, and ``--instructions`` adds one count of executed
instructions per command under ``valgrind --tool=callgrind`` (independent of load).

    .venv/bin/python -m benchmarks.bench_startup [--quick] [--json] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.harness import Result, emit, make_result, report

REPO = Path(__file__).resolve().parents[1]

# qualcode's help is plain text (rich_markup_mode=None); so is its floor's, or the floor
# would also time importing Rich to draw boxes (~55 ms)
# Both floors load with the garbage collector off, as qualcode's main() does
# (qualcode.cli.startup): a trick any program can use is part of the floor.
BARE_HELP = """
import gc; gc.disable()
import typer
app = typer.Typer(add_completion=False, rich_markup_mode=None)
@app.command()
def listing(as_json: bool = False) -> None:
    "List things."
@app.command()
def other() -> None:
    "Something else."
app()
"""

BARE_STORE = """
import gc; gc.disable()
import sys, sqlite3, typer
import sqlalchemy.orm
app = typer.Typer(add_completion=False)
@app.command()
def listing(path: str, as_json: bool = False) -> None:
    connection = sqlite3.connect(path)
    print(connection.execute("SELECT id, title FROM transcripts").fetchall())
@app.command()
def other() -> None:
    pass
app()
"""


def run_once(argv: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) milliseconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, cwd=REPO)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def instructions(argv: Sequence[str]) -> int | None:
    """Instructions executed by one run, counted by callgrind (None without valgrind)."""
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    found = re.search(r"refs:\s+([\d,]+)", done.stderr)
    return int(found.group(1).replace(",", "")) if found else None


def make_project(folder: Path) -> Path:
    """A project with the shipped codebook and one short transcript, as a user has it."""
    from qualcode.services.project import init_project
    from tests.conftest import add_codebook_and_transcript

    with init_project(folder / "project") as project:
        add_codebook_and_transcript(project, folder)
    return folder / "project"


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench_startup", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5 runs instead of 21")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    args = parser.parse_args()
    runs = 5 if args.quick else 21
    python = sys.executable
    qualcode = [python, "-m", "qualcode"]
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp))
        db = str(project / "qualcode.db")
        env_project = ["-p", str(project)]
        cases = [
            ("qualcode --help", [*qualcode, "--help"], [python, "-c", BARE_HELP, "--help"], 150),
            (
                "qualcode transcripts --json",
                [*qualcode, *env_project, "transcripts", "--json"],
                [python, "-c", BARE_STORE, "listing", db, "--as-json"],
                250,
            ),
        ]
        # each `code` run adds a new coding: one span per run, so none is a duplicate
        results: list[Result] = []
        notes: list[str] = []
        for name, argv, floor, target in cases:
            results.append(measure(name, [argv] * runs, floor, runs, target, notes, args))
        code_runs = [
            [*qualcode, *env_project, "code", "Fokus", "CTX", str(k), str(k + 3), "--coder", "b"]
            for k in range(runs + 1)
        ]
        floor = [python, "-c", BARE_STORE, "listing", db]
        name = "qualcode code T CODE S E"
        results.append(measure(name, code_runs, floor, runs, 250, notes, args))
    extra = {"cpu_ms_and_instructions": notes}
    emit(report("start-up", quick=args.quick, corpus={"transcripts": 1}, results=results, **extra),
         args.json, notes)  # fmt: skip


def measure(
    name: str,
    argvs: Sequence[Sequence[str]],
    floor: Sequence[str],
    runs: int,
    target: float,
    notes: list[str],
    args: argparse.Namespace,
) -> Result:
    run_once(argvs[-1])  # warm the file cache (and, for `code`, a first coding)
    run_once(floor)
    walls, cpus, floor_walls, floor_cpus = [], [], [], []
    for argv in argvs[:runs]:
        wall, cpu = run_once(argv)
        walls.append(wall)
        cpus.append(cpu)
        wall, cpu = run_once(floor)
        floor_walls.append(wall)
        floor_cpus.append(cpu)
    note = (
        f"{name}: CPU median {statistics.median(cpus):.0f} ms, "
        f"floor {statistics.median(floor_cpus):.0f} ms"
    )
    if args.instructions:
        counted, floor_counted = instructions(argvs[0]), instructions(floor)
        if counted and floor_counted:
            note += f"; instructions {counted / 1e6:,.0f} M, floor {floor_counted / 1e6:,.0f} M"
    notes.append(note)
    return make_result(
        name,
        walls,
        floor_walls,
        target_ms=target,
        floor_name="bare Typer app" + ("" if "help" in name else " + SQLAlchemy ORM + sqlite3"),
        note=f"CPU {statistics.median(cpus):.0f} ms",
    )


if __name__ == "__main__":
    os.environ.setdefault("QUALCODE_CODER", "bench")
    main()

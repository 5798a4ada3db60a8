"""Side by side with the peers, in one run (issue 14, item 8).

Installs the command-line peer (qualitative-coding, ``qc``) and the web peer
(Taguette) from the package registry into their own virtual environments, generates
one corpus and one list of codings, drives each tool through the same workload and
prints each step's wall and CPU time with qualcode's speed-up over each peer:

1. create a project (Taguette: start the server and create a project);
2. import the transcripts;
3. apply the codings (creating the codes first);
4. retrieve one code's passages;
5. export every coding (qualcode ``codings -o CSV``, qc ``codes find --json``,
   Taguette's highlights CSV);
6. export the project as REFI-QDA (qualcode and qc; Taguette has no such export).

    python -m benchmarks.peers [--small] [--json] [--workdir DIR] [--timeout 600]

A peer that does not install or start is reported in the table, never left out or
guessed; a step that exceeds ``--timeout`` is stopped and reported with how far it
got. Taguette runs in a network namespace with only the loopback device (``unshare
-n``, needs root); without one it is reported as not started rather than let onto
the network.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.peers import install, qc_side, qualcode_side, workload
from benchmarks.peers.table import TOOL_NAMES, Step, as_json, format_table

QC_REQUIREMENT = "qualitative-coding==1.7.8"
TAGUETTE_REQUIREMENT = "taguette==1.5.2"
ORDER = ("create", "import", "codings", "retrieve", "export_csv", "export_qdpx")
REPO = Path(__file__).resolve().parents[2]


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def labels(
    transcripts: int, words: int, codings: int, codes: int, code: str, passages: int
) -> dict[str, str]:
    return {
        "create": "create a project (Taguette: start server + create)",
        "import": f"import {transcripts:,} transcripts x {words:,} words",
        "codings": f"apply {codings:,} codings on {codes} codes (codes created first)",
        "retrieve": f"retrieve one code's passages ({code}: {passages})",
        "export_csv": "export every coding (CSV; qc: JSON)",
        "export_qdpx": "export the project as REFI-QDA (.qdpx)",
    }


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.peers", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--small", action="store_true", help="50 transcripts x 1,000 words, 984 codings"
    )
    parser.add_argument("--transcripts", type=int, default=None)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=None)
    parser.add_argument("--codes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per step and tool")
    parser.add_argument("--workdir", type=Path, default=None, help="keep venvs and projects here")
    parser.add_argument(
        "--only", default="qualcode,qc,taguette", help="tools to run, comma-separated"
    )
    parser.add_argument("--json", action="store_true", help="JSON instead of the table")
    args = parser.parse_args(argv)
    if args.transcripts is None:
        args.transcripts = 50 if args.small else 1000
    if args.codings is None:
        args.codings = round(19_679 * args.transcripts / 1000)
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="qualcode-peers-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        report = run(args, workdir.resolve())
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(render(report))


def render(report: dict[str, Any]) -> str:
    lines = [
        f"Side by side (seed {report['seed']}): {report['transcripts']:,} transcripts x "
        f"{report['words']:,} words, {report['codings']:,} codings on {report['codes']} codes "
        "by one coder",
        f"machine: {report['machine']}; load average before {report['load_before']}, "
        f"after {report['load_after']}",
        "versions: " + ", ".join(f"{TOOL_NAMES[k]} {v}" for k, v in report["versions"].items()),
        "",
        report["table"],
    ]
    lines += [f"- {note}" for note in report["notes"]]
    return "\n".join(lines)


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    tools = set(args.only.split(","))
    load_before = _load()
    log(f"generating {args.transcripts} transcripts x {args.words} words, {args.codings} codings")
    transcripts = workload.make_transcripts(args.transcripts, args.words, args.seed)
    codes = workload.code_keys(args.codes)
    codings = workload.make_codings(transcripts, args.codings, codes, args.seed)
    code = codes[0]
    passages = sum(1 for c in codings if c.code == code)
    run_dir = workdir / f"run-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    corpus = run_dir / "corpus"
    corpus.mkdir(parents=True)
    for transcript in transcripts:
        (corpus / transcript.filename).write_text(transcript.text, encoding="utf-8")

    results: dict[str, dict[str, Step]] = {}
    versions: dict[str, str] = {}
    notes: list[str] = []
    if "qualcode" in tools:
        results["qualcode"], versions["qualcode"] = _qualcode(
            args, run_dir, corpus, transcripts, codings, codes, notes
        )
    if "qc" in tools:
        results["qc"], versions["qc"] = _qc(
            args, workdir, run_dir, corpus, transcripts, codings, notes
        )
    if "taguette" in tools:
        results["taguette"], versions["taguette"] = _taguette(
            args, workdir, run_dir, transcripts, codings, codes, notes
        )
    step_labels = labels(args.transcripts, args.words, args.codings, args.codes, code, passages)
    extra = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "transcripts": args.transcripts,
        "words": args.words,
        "codings": args.codings,
        "codes": args.codes,
        "machine": _machine(),
        "load_before": load_before,
        "load_after": _load(),
        "versions": versions,
        "notes": notes,
        "table": format_table(step_labels, results, ORDER),
    }
    return as_json(step_labels, results, ORDER, extra)


def _qualcode(
    args: argparse.Namespace,
    run_dir: Path,
    corpus: Path,
    transcripts: list[workload.Transcript],
    codings: list[workload.Coding],
    codes: list[str],
    notes: list[str],
) -> tuple[dict[str, Step], str]:
    folder = run_dir / "qualcode"
    folder.mkdir()
    side = qualcode_side.QualcodeSide(
        Path(sys.executable).parent / "qualcode", folder, args.timeout
    )
    steps: dict[str, Step] = {}
    log("qualcode: create, import")
    steps["create"] = side.create()
    steps["import"] = side.import_corpus(corpus)
    if steps["import"].status != "ok":
        return steps, side.version()
    titles = side.titles(transcripts)
    codebook, codings_csv = folder / "codebook.yaml", folder / "codings.csv"
    codebook.write_text(workload.qualcode_codebook(codes), encoding="utf-8")
    codings_csv.write_text(workload.qualcode_csv(transcripts, codings, titles), encoding="utf-8")
    log("qualcode: codings, retrieve, exports")
    steps["codings"] = side.apply_codings(codebook, codings_csv)
    steps["retrieve"] = side.retrieve(codes[0], folder / "retrieve.md")
    steps["export_csv"] = side.export_codings(folder / "export.csv")
    steps["export_qdpx"] = side.export_qdpx(folder / "project.qdpx")
    notes.append(
        f"qualcode start-up alone (`qualcode --help`, median of 3): {side.startup_s():.2f} s"
    )
    if steps["export_csv"].status == "ok":
        problem = qualcode_side.check_export(
            folder / "export.csv", transcripts, codings, titles.__getitem__
        )
        notes.append(f"qualcode export check: {problem or 'every coding, with the expected words'}")
    return steps, side.version()


def _qc(
    args: argparse.Namespace,
    workdir: Path,
    run_dir: Path,
    corpus: Path,
    transcripts: list[workload.Transcript],
    codings: list[workload.Coding],
    notes: list[str],
) -> tuple[dict[str, Step], str]:
    log(f"qc: installing {QC_REQUIREMENT}")
    installed = install.ensure(workdir, "venv-qc", QC_REQUIREMENT, "qualitative_coding")
    if installed.venv is None:
        return {key: Step.failed(f"did not install: {installed.error}") for key in ORDER}, "-"
    side = qc_side.QcSide(installed.bin("qc"), run_dir / "qc", args.timeout)
    steps: dict[str, Step] = {}
    log("qc: create, import")
    steps["create"] = side.create()
    if steps["create"].status != "ok":
        return {key: steps["create"] for key in ORDER}, installed.version
    steps["import"] = side.import_corpus(corpus)
    log("qc: codings (one coding session per document)")
    steps["codings"] = side.apply_codings(workload.qc_codes_files(transcripts, codings))
    log("qc: retrieve, exports")
    steps["retrieve"] = side.retrieve(workload.code_keys(1)[0], run_dir / "qc" / "retrieve.txt")
    export = run_dir / "qc" / "export.json"
    steps["export_csv"] = side.export_codings(export)
    steps["export_qdpx"] = side.export_qdpx(run_dir / "qc" / "project.qdpx")
    _partial(steps)
    notes.append(f"qc start-up alone (`qc --help`, median of 3): {side.startup_s():.2f} s")
    if steps["export_csv"].status == "ok" and steps["codings"].status == "ok":
        problem = qc_side.check_export(export, transcripts, codings)
        notes.append(f"qc export check: {problem or 'every coding, with the expected words'}")
    return steps, installed.version


def _taguette(
    args: argparse.Namespace,
    workdir: Path,
    run_dir: Path,
    transcripts: list[workload.Transcript],
    codings: list[workload.Coding],
    codes: list[str],
    notes: list[str],
) -> tuple[dict[str, Step], str]:
    log(f"taguette: installing {TAGUETTE_REQUIREMENT}")
    installed = install.ensure(workdir, "venv-taguette", TAGUETTE_REQUIREMENT, "taguette")
    if installed.venv is None:
        return {key: Step.failed(f"did not install: {installed.error}") for key in ORDER}, "-"
    folder = run_dir / "taguette"
    documents = folder / "documents"
    documents.mkdir(parents=True)
    offsets = []
    for transcript in transcripts:
        (documents / f"{transcript.name}.html").write_text(
            workload.taguette_html(transcript), encoding="utf-8"
        )
        offsets.append(workload.taguette_offsets(transcript))
    highlights = [
        [
            c.transcript,
            *workload.taguette_highlight(transcripts[c.transcript], offsets[c.transcript], c.line),
            c.code,
        ]
        for c in codings
    ]
    plan = {
        "python": str(installed.bin("python")),
        "folder": str(folder),
        "port": 7465,
        "timeout_s": args.timeout,
        "documents": [
            {"name": t.name, "file": str(documents / f"{t.name}.html")} for t in transcripts
        ],
        "tags": codes,
        "highlights": highlights,
        "retrieve": codes[0],
    }
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    result_path = folder / "result.json"
    log("taguette: in a loopback-only network namespace: start, import, codings, retrieve, export")
    shell = 'ip link set lo up && exec "$0" -m benchmarks.peers.taguette_driver "$1" "$2"'
    done = subprocess.run(
        [
            "unshare",
            "--net",
            "--",
            "sh",
            "-c",
            shell,
            sys.executable,
            str(folder / "plan.json"),
            str(result_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if not result_path.exists():
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1][:200]
        return {key: Step.failed(f"did not start: {reason}") for key in ORDER}, installed.version
    result = json.loads(result_path.read_text(encoding="utf-8"))
    steps = {key: Step(**value) for key, value in result.get("steps", {}).items()}
    error = result.get("error")
    for key in ORDER:
        if key == "export_qdpx":
            steps[key] = Step.not_available("exports only its own .sqlite3 and a .qdc codebook")
        elif key not in steps:
            steps[key] = Step.failed(error or "not reached")
    _partial(steps)
    if steps["export_csv"].status == "ok" and steps["codings"].status == "ok":
        problem = _check_taguette(folder / "export.csv", transcripts, codings)
        notes.append(f"Taguette export check: {problem or 'every coding, with the expected words'}")
    notes.append(
        "Taguette: transcripts uploaded as HTML (a .txt upload needs Calibre's ebook-convert, "
        "which is not on the package registry); CPU is the server process's only"
    )
    return steps, installed.version


def _partial(steps: dict[str, Step]) -> None:
    """When applying the codings was stopped, the later steps ran over fewer codings:
    say so in their cells."""
    codings = steps.get("codings")
    if codings is None or codings.status != "stopped":
        return
    for key in ("retrieve", "export_csv", "export_qdpx"):
        step = steps.get(key)
        if step is not None and step.status == "ok":
            steps[key] = dataclasses.replace(step, note=f"over the codings of {codings.note} only")


def _check_taguette(
    path: Path, transcripts: list[workload.Transcript], codings: list[workload.Coding]
) -> str:
    expected = sorted(
        (
            transcripts[c.transcript].name,
            c.code,
            workload.expected_quote(transcripts[c.transcript], c.line),
        )
        for c in codings
    )
    with path.open(encoding="utf-8", newline="") as handle:
        found = sorted(
            (row["document"], row["tag"], row["content"]) for row in csv.DictReader(handle)
        )
    if found == expected:
        return ""
    missing = len(set(expected) - set(found))
    return (
        f"{len(found)} highlights exported for {len(expected)} codings, "
        f"{missing} expected ones missing"
    )


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    python = platform.python_version()
    return f"{os.cpu_count()} CPUs {model}, Linux {platform.release()}, Python {python}"


if __name__ == "__main__":
    main()

"""qualcode through its command line, one process per command as a user runs it, so
start-up counts as it does for the peers."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.peers import process, workload
from benchmarks.peers.table import Step


class QualcodeSide:
    def __init__(self, qualcode: Path, folder: Path, timeout_s: float) -> None:
        self.qualcode = qualcode
        self.project = folder / "project"
        self.folder = folder
        self.timeout_s = timeout_s
        self.env = {**os.environ, "QUALCODE_CODER": workload.CODER, "LC_ALL": "C.UTF-8"}
        self.env.pop("QUALCODE_PROJECT", None)
        self.env.pop("QUALCODE_DB", None)

    def startup_s(self) -> float:
        """Median wall time of ``qualcode --help``: what every command pays before its work."""
        walls = sorted(
            process.run([str(self.qualcode), "--help"], env=self.env, timeout_s=60).wall_s
            for _ in range(3)
        )
        return walls[1]

    def version(self) -> str:
        done = self._run(["--version"])
        return done.stdout.decode().strip().split()[-1] if done.ok else "unknown"

    def _run(self, args: Sequence[str], stdout_path: Path | None = None) -> process.Run:
        return process.run(
            [str(self.qualcode), "--project", str(self.project), *args],
            cwd=self.folder,
            env=self.env,
            timeout_s=self.timeout_s,
            stdout_path=stdout_path,
        )

    def _step(self, *commands: Sequence[str], stdout_path: Path | None = None) -> Step:
        """Run the commands one after another; the step's time is their sum."""
        wall = cpu = peak = 0.0
        for args in commands:
            done = self._run(args, stdout_path)
            if done.timed_out:
                return Step(
                    "stopped", wall + done.wall_s, cpu + done.cpu_s, note=" ".join(args[:1])
                )
            if not done.ok:
                return Step.failed(f"qualcode {args[0]}: {done.error_line()}")
            wall, cpu, peak = wall + done.wall_s, cpu + done.cpu_s, max(peak, done.peak_rss_mib)
        return Step.ok(wall, cpu, peak)

    def create(self) -> Step:
        return self._step(["init", "--name", "peers"])

    def import_corpus(self, corpus: Path) -> Step:
        return self._step(["import", str(corpus)])

    def titles(self, transcripts: Sequence[workload.Transcript]) -> list[str]:
        """Each generated transcript's title in the project (matched by file stem)."""
        done = self._run(["transcripts", "--json"])
        if not done.ok:
            raise RuntimeError(f"qualcode transcripts: {done.error_line()}")
        titles = {row["title"] for row in json.loads(done.stdout)}
        out = []
        for transcript in transcripts:
            title = next((t for t in (transcript.name, transcript.filename) if t in titles), None)
            if title is None:
                raise RuntimeError(f"qualcode did not import {transcript.filename}")
            out.append(title)
        return out

    def apply_codings(self, codebook: Path, codings_csv: Path) -> Step:
        return self._step(
            ["codebook", "apply", str(codebook)], ["import-codings", str(codings_csv)]
        )

    def retrieve(self, code: str, out: Path) -> Step:
        return self._step(["codings", "--code", code, "--exact"], stdout_path=out)

    def export_codings(self, out: Path) -> Step:
        return self._step(["codings", "-o", str(out)])

    def export_qdpx(self, out: Path) -> Step:
        return self._step(["export", "-o", str(out)])


def check_export(
    path: Path,
    transcripts: Sequence[workload.Transcript],
    codings: Sequence[workload.Coding],
    title_of: Callable[[int], str],
) -> str:
    """Empty when the exported codings CSV holds exactly the codings applied, with
    the expected words; else what differs."""
    expected = {
        (title_of(c.transcript), c.code, workload.expected_quote(transcripts[c.transcript], c.line))
        for c in codings
    }
    with path.open(encoding="utf-8-sig", newline="") as handle:
        found = {(row["transcript"], row["code"], row["quote"]) for row in csv.DictReader(handle)}
    if found == expected:
        return ""
    return f"{len(expected - found)} codings missing, {len(found - expected)} unexpected"

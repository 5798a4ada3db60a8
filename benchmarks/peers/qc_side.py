"""The command-line peer, qualitative-coding (command ``qc``), driven through its CLI.

qc keeps each document as a text file and codes whole lines: ``qc code CODER`` writes
the document's codes file (one line of codes per line of text), opens the editor the
settings name on the text and that file, and stores the codes when the editor exits.
It has no command that reads codings from a file, so the codings are applied as a
coder applies them: one coding session per document. The editor is a custom one (qc's
settings allow that) that saves the prepared codes file for the document at once, so
the time is qc's own work plus one ``cp``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.peers import process, workload
from benchmarks.peers.table import Step

EDITOR = "scripted"


class QcSide:
    def __init__(self, qc: Path, folder: Path, timeout_s: float) -> None:
        self.qc = qc
        self.project = folder / "project"
        self.codes_dir = folder / "codes"
        self.timeout_s = timeout_s
        self.env = {**os.environ, "LC_ALL": "C.UTF-8"}
        self.env.pop("QC_SETTINGS", None)

    def startup_s(self) -> float:
        """Median wall time of ``qc --help``: what every command pays before its work."""
        walls = sorted(
            process.run([str(self.qc), "--help"], env=self.env, timeout_s=60).wall_s
            for _ in range(3)
        )
        return walls[1]

    def version(self) -> str:
        done = self._run(["version"], timeout_s=60)
        return done.stdout.decode().strip().split()[-1] if done.ok else "unknown"

    def _run(
        self, args: Sequence[str], *, timeout_s: float, stdout_path: Path | None = None
    ) -> process.Run:
        return process.run(
            [str(self.qc), *args],
            cwd=self.project,
            env=self.env,
            timeout_s=timeout_s,
            stdout_path=stdout_path,
        )

    def _step(self, args: Sequence[str], stdout_path: Path | None = None) -> Step:
        done = self._run(args, timeout_s=self.timeout_s, stdout_path=stdout_path)
        if done.timed_out:
            return Step("stopped", done.wall_s, done.cpu_s)
        if not done.ok:
            return Step.failed(f"qc {args[0]}: {done.error_line()}")
        return Step.ok(done.wall_s, done.cpu_s, done.peak_rss_mib)

    def create(self) -> Step:
        self.project.mkdir(parents=True)
        step = self._step(["init"])
        if step.status == "ok":
            self._use_scripted_editor()
        return step

    def _use_scripted_editor(self) -> None:
        """Settings naming an editor that saves the prepared codes file of the document
        it is opened on (``codes/<file name>``) as the codes file."""
        settings = self.project / "settings.yaml"
        lines = [
            line
            for line in settings.read_text(encoding="utf-8").splitlines()
            if not line.startswith("editor:")
        ]
        command = f'cp "{self.codes_dir}/$(basename "{{corpus_file_path}}")" "{{codes_file_path}}"'
        lines += [
            f"editor: {EDITOR}",
            "editors:",
            f"  {EDITOR}:",
            "    name: Scripted",
            f"    code_command: '{command}'",
            "    memo_command: 'true'",
        ]
        settings.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def import_corpus(self, corpus: Path) -> Step:
        return self._step(
            ["corpus", "import", "--recursive", "--importer", "verbatim", str(corpus)]
        )

    def apply_codings(self, codes_files: Mapping[str, str]) -> Step:
        """One coding session per document that has codings, until the time limit."""
        self.codes_dir.mkdir(parents=True, exist_ok=True)
        for name, text in codes_files.items():
            (self.codes_dir / name).write_text(text, encoding="utf-8")
        deadline = time.perf_counter() + self.timeout_s
        wall = cpu = peak = 0.0
        for done_count, name in enumerate(codes_files):
            left = deadline - time.perf_counter()
            if left <= 0:
                return Step(
                    "stopped", wall, cpu, peak, f"{done_count} of {len(codes_files)} documents"
                )
            done = self._run(["code", workload.CODER, "--pattern", name], timeout_s=left)
            wall, cpu, peak = wall + done.wall_s, cpu + done.cpu_s, max(peak, done.peak_rss_mib)
            if done.timed_out:
                return Step(
                    "stopped", wall, cpu, peak, f"{done_count} of {len(codes_files)} documents"
                )
            if not done.ok:
                return Step.failed(f"qc code on {name}: {done.error_line()}")
        return Step.ok(wall, cpu, peak, f"{len(codes_files)} sessions")

    def retrieve(self, code: str, out: Path) -> Step:
        return self._step(["codes", "find", code], stdout_path=out)

    def export_codings(self, out: Path) -> Step:
        return self._step(["codes", "find", "--json"], stdout_path=out)

    def export_qdpx(self, out: Path) -> Step:
        return self._step(["export", str(out)])


def check_export(
    path: Path, transcripts: Sequence[workload.Transcript], codings: Sequence[workload.Coding]
) -> str:
    """Empty when ``qc codes find --json`` lists exactly the codings applied (document,
    line, code) and each passage holds the coded words; else what differs."""
    expected = {(transcripts[c.transcript].filename, c.line, c.code) for c in codings}
    words = {
        (transcripts[c.transcript].filename, c.line): workload.expected_quote(
            transcripts[c.transcript], c.line
        )
        for c in codings
    }
    rows = json.loads(path.read_text(encoding="utf-8") or "[]")
    found = {(row["document"], row["line"], row["code"]) for row in rows}
    wrong_text = sum(
        1 for row in rows if words.get((row["document"], row["line"]), "\0") not in row["text"]
    )
    if found == expected and not wrong_text:
        return ""
    return (
        f"{len(expected - found)} codings missing, {len(found - expected)} unexpected, "
        f"{wrong_text} with other words"
    )

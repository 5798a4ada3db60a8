"""A coder's process killed mid-work loses nothing it reported as committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from qualcode.services import coding
from qualcode.services.project import Project, open_project
from tests.conftest import REPO

WRITER = """
import sys
from qualcode.services.coding import apply_code
from qualcode.services.project import open_project

project = open_project(sys.argv[1])
for i in range(100_000):
    made = apply_code(project, transcript="Fokus", code="BIC", start=i % 50, end=i % 50 + 1 + i // 50,
                      coder="crash")
    print(made.id, flush=True)
"""


def test_sigkill_mid_coding_keeps_every_reported_coding(sqlite_coded_project: Project) -> None:
    folder = sqlite_coded_project.directory
    assert folder is not None
    sqlite_coded_project.close()
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None
    reported: list[int] = []
    deadline = time.monotonic() + 60
    while len(reported) < 150 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        reported.append(int(line))
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(reported) >= 150, "the writer did not get going"

    connection = sqlite3.connect(folder / "qualcode.db")
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    with open_project(folder) as project:
        stored = {c.id for c in coding.list_codings(project, coders=["crash"])}
    assert set(reported) <= stored

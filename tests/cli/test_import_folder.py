"""``qualcode import DIR``: every supported file, one transaction each, a summary."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import qc
from tests.conftest import SHORT_FOCUS_GROUP, ProjectPlace


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "intervjuer"
    (made / "del2").mkdir(parents=True)
    (made / "fokus.txt").write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    (made / "samtal.md").write_text("I: Hej.\n\nIP: Hej hej.\n\nI: Tack.\n", encoding="utf-8")
    (made / "protokoll.pdf").write_bytes(b"%PDF-1.4 not a transcript")
    (made / ".utkast.txt").write_text("I: gammalt\n", encoding="utf-8")
    (made / "del2" / "fokus.txt").write_text("I: Andra.\n\nIP: Ja.\n", encoding="utf-8")
    return made


def titles(place: ProjectPlace) -> list[str]:
    return sorted(t["title"] for t in json.loads(qc(place, "transcripts", "--json")))


def run(place: ProjectPlace, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qualcode", *place.cli_args, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QUALCODE_CODER": "anna"},
    )


def test_a_folder_imports_its_supported_files_and_lists_the_rest(
    place: ProjectPlace, folder: Path
) -> None:
    qc(place, "init", str(place.directory))
    result = run(place, "import", str(folder))
    assert result.returncode == 0, result.stderr
    assert titles(place) == ["fokus", "samtal"]
    assert "Imported fokus.txt as" in result.stdout
    assert "skipped protokoll.pdf: unsupported file type .pdf" in result.stderr
    assert "skipped .utkast.txt: hidden or temporary file" in result.stderr
    assert "imported 2 files" in result.stderr and "skipped 2, failed 0" in result.stderr
    # piped: no progress bar
    assert "Importing" not in result.stderr


def test_recursive_and_glob(place: ProjectPlace, folder: Path) -> None:
    qc(place, "init", str(place.directory))
    qc(place, "import", str(folder), "--glob", "*.md")
    assert titles(place) == ["samtal"]
    qc(place, "import", str(folder), "--recursive")
    # two files named fokus.txt: each takes its path in the folder as its title
    assert titles(place) == ["del2/fokus.txt", "fokus.txt", "samtal"]
    assert "--recursive and --glob go with a FOLDER" in qc(
        place, "import", str(folder / "fokus.txt"), "--recursive", code=2
    )


def test_a_bad_file_fails_alone_and_a_second_run_skips_what_is_in(
    place: ProjectPlace, folder: Path
) -> None:
    qc(place, "init", str(place.directory))
    (folder / "trasig.txt").write_bytes(b"\x00\x01\x02 binary \xff\xfe\x00")
    result = run(place, "import", str(folder))
    assert result.returncode == 1
    assert "failed trasig.txt: trasig.txt" in result.stderr
    assert titles(place) == ["fokus", "samtal"]
    (folder / "trasig.txt").unlink()
    again = run(place, "import", str(folder))
    assert again.returncode == 0, again.stderr
    assert "skipped fokus.txt: already imported as 'fokus'" in again.stderr
    assert "imported 0 files" in again.stderr
    forced = run(place, "import", str(folder), "--glob", "fokus.txt", "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(titles(place)) == 3


def test_a_terminal_gets_a_progress_bar(place: ProjectPlace, folder: Path) -> None:
    qc(place, "init", str(place.directory))
    pid, fd = pty.fork()
    if pid == 0:  # the child: qualcode with a terminal for stdout and stderr
        os.execve(
            sys.executable,
            [sys.executable, "-m", "qualcode", *place.cli_args, "import", str(folder)],
            {**os.environ, "QUALCODE_CODER": "anna"},
        )
    screen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, screen
    shown = screen.decode("utf-8", "replace")
    assert f"Importing {folder}" in shown and "2/2" in shown
    assert titles(place) == ["fokus", "samtal"]

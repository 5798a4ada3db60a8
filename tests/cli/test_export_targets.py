"""Exports write only where they should: never over a device, pipe, socket or
folder, through a link only to a regular file, and every write error is one sentence
(issue 12, item 2)."""

from __future__ import annotations

import os
import resource
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.domain.errors import InvalidInput
from qualcode.services.files import write_atomically
from tests.conftest import CODEBOOK, REPO, SHORT_FOCUS_GROUP

runner = CliRunner(env={"QUALCODE_CODER": "anna", "QUALCODE_PROJECT": None, "QUALCODE_DB": None})


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    for args in (
        ["init", str(folder)],
        ["-p", str(folder), "codebook", "apply", str(CODEBOOK)],
    ):
        assert runner.invoke(app, args).exit_code == 0
    transcript = tmp_path / "fokus.txt"
    transcript.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    done = runner.invoke(app, ["-p", str(folder), "import", str(transcript), "--title", "Fokus"])
    assert done.exit_code == 0, done.stderr
    done = runner.invoke(app, ["-p", str(folder), "code", "Fokus", "BIC", "0", "5"])
    assert done.exit_code == 0, done.stderr
    return folder


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="named pipe"):
        write_atomically(fifo, b"data")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_a_device_node_is_refused_and_kept(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("only root can make a device node")
    with pytest.raises(InvalidInput, match="is a device"):
        write_atomically(node, b"data")
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_link_to_a_device_is_refused_and_kept(tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to("/dev/null")
    with pytest.raises(InvalidInput, match="symbolic link to /dev/null, which is a device"):
        write_atomically(link, b"data")
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_link_to_a_regular_file_replaces_that_file(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_dangling_link_and_a_socket_and_a_folder_are_refused(tmp_path: Path) -> None:
    dangling = tmp_path / "gone.md"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(InvalidInput, match="does not exist"):
        write_atomically(dangling, b"x")
    sock_path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        with pytest.raises(InvalidInput, match="is a socket"):
            write_atomically(sock_path, b"x")
    finally:
        server.close()
    with pytest.raises(InvalidInput, match="is a folder"):
        write_atomically(tmp_path, b"x")
    assert not dangling.exists() and leftovers(tmp_path) == []


def test_cli_refuses_a_folder_and_dev_full_in_one_sentence(project_dir: Path) -> None:
    for target in (str(project_dir), "/dev/full"):
        done = runner.invoke(app, ["-p", str(project_dir), "codebook", "export", "-o", target])
        assert done.exit_code == 1
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert "Wrote" not in done.stdout
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


WRITE_BIG = """
import sys
from qualcode.domain.errors import QualcodeError
from qualcode.services.files import write_atomically
try:
    write_atomically(sys.argv[1], b"x" * 100_000)
except QualcodeError as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
print("Wrote", sys.argv[1])
"""


def test_a_write_error_is_one_sentence_and_leaves_nothing(tmp_path: Path) -> None:
    """A file-size limit makes the write itself fail part-way, as a full disk would."""
    out = tmp_path / "book.yaml"

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run(
        [sys.executable, "-c", WRITE_BIG, str(out)],
        capture_output=True, text=True, cwd=REPO, preexec_fn=limit, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "larger than this system allows" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "Wrote" not in done.stdout
    assert not out.exists() and leftovers(tmp_path) == []


def test_dash_writes_text_formats_to_standard_output(project_dir: Path) -> None:
    done = runner.invoke(app, ["-p", str(project_dir), "codebook", "export", "-o", "-"])
    assert done.exit_code == 0 and done.stdout.startswith("codebook:")
    done = runner.invoke(app, ["-p", str(project_dir), "quotes", "BIC", "-f", "json", "-o", "-"])
    assert done.exit_code == 0, done.stderr
    assert done.stdout.lstrip().startswith("{") and "Wrote" in done.stderr
    done = runner.invoke(app, ["-p", str(project_dir), "collection", "create", "c"])
    done = runner.invoke(
        app, ["-p", str(project_dir), "collection", "export", "c", "-f", "md", "-o", "-"]
    )
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("<!-- qualcode:") and "Wrote" in done.stderr
    assert not (project_dir / "-").exists()
    done = runner.invoke(app, ["-p", str(project_dir), "quotes", "BIC", "-f", "docx", "-o", "-"])
    assert done.exit_code == 2 and "not text" in done.stderr

"""Research data stays on the machine: a whole SQLite workflow opens no socket."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from tests.conftest import CODEBOOK, TRANSCRIPTS


def test_a_sqlite_workflow_makes_no_network_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    runner = CliRunner(env={"QUALCODE_CODER": "anna", "QUALCODE_DB": None})
    project = str(tmp_path / "p")
    for args in (
        ["init", project],
        ["-p", project, "codebook", "apply", str(CODEBOOK)],
        ["-p", project, "import", str(TRANSCRIPTS / "interview-en-riverside.txt"), "--lang", "en"],
        ["-p", project, "import", str(TRANSCRIPTS / "telefon-02-alby.txt")],
        ["-p", project, "code", "1", "BIC", "0", "10"],
        ["-p", project, "codings", "--json"],
        ["-p", project, "stats"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
    assert attempts == []

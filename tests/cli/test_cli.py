"""The command line as a user drives it: init, import, code, codings --json, undo."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from tests.conftest import CODEBOOK, REPO, SHORT_FOCUS_GROUP, ProjectPlace

runner = CliRunner(env={"QUALCODE_CODER": "anna", "QUALCODE_PROJECT": None, "QUALCODE_DB": None})


def qc(place: ProjectPlace, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*place.cli_args, *args])
    assert result.exit_code == code, f"exit {result.exit_code}: {result.stdout}{result.stderr}"
    return result.stdout if code == 0 else result.stderr


@pytest.fixture
def ready(place: ProjectPlace, tmp_path: Path) -> ProjectPlace:
    qc(place, "init", str(place.directory), "--lang", "sv")
    qc(place, "codebook", "apply", str(CODEBOOK))
    transcript = tmp_path / "fokus.txt"
    transcript.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    qc(place, "import", str(transcript), "--mode", "focus_group", "--title", "Fokus")
    return place


def test_the_documented_workflow(ready: ProjectPlace) -> None:
    listed = json.loads(qc(ready, "transcripts", "--json"))
    assert [(t["title"], t["mode"], t["language"]) for t in listed] == [
        ("Fokus", "focus_group", "sv")
    ]
    shown = json.loads(qc(ready, "show", "Fokus", "--json"))
    text = shown["text"]
    assert text == SHORT_FOCUS_GROUP
    assert [s["label"] for s in shown["speakers"]] == [
        "Moderator 1",
        "Socialsekreterare A",
        "Socialsekreterare B",
    ]
    assert {s["role"] for s in shown["speakers"]} == {"moderator", "participant"}
    assert shown["units"], "sentences are stored as units"
    for turn in shown["turns"]:
        assert text[turn["start"] :].startswith(turn["speaker"])

    start = text.index("Vi lägger ärendet på is.")
    qc(ready, "code", "Fokus", "ACT.WAIT", str(start), str(start + 24))
    qc(ready, "code", "1", "DISC.STRUCT", str(start), str(start + 60), "--coder", "bertil")

    codings = json.loads(qc(ready, "codings", "--json"))
    assert [(c["code"], c["coder"], c["quote"]) for c in codings] == [
        ("ACT.WAIT", "anna", "Vi lägger ärendet på is."),
        ("DISC.STRUCT", "bertil", text[start : start + 60]),
    ]
    assert json.loads(qc(ready, "codings", "--json", "--code", "ACT"))[0]["code"] == "ACT.WAIT"
    assert json.loads(qc(ready, "codings", "--json", "--coder", "bertil"))[0]["coder"] == "bertil"

    assert "Undid applying ACT.WAIT" in qc(ready, "undo")
    assert [c["coder"] for c in json.loads(qc(ready, "codings", "--json"))] == ["bertil"]
    assert "Redid applying ACT.WAIT" in qc(ready, "redo")
    assert len(json.loads(qc(ready, "codings", "--json"))) == 2


def test_uncode_by_id_and_by_span(ready: ProjectPlace) -> None:
    made = json.loads(qc(ready, "code", "Fokus", "BIC", "0", "5", "--json"))
    qc(ready, "code", "Fokus", "BIC", "6", "9")
    assert "Removed coding" in qc(ready, "uncode", str(made["id"]))
    qc(ready, "uncode", "Fokus", "BIC", "6", "9")
    assert json.loads(qc(ready, "codings", "--json")) == []


def test_memos_and_stats(ready: ProjectPlace) -> None:
    made = json.loads(qc(ready, "code", "Fokus", "BIC", "0", "5", "--json"))
    qc(ready, "memo", "add", "Om projektet")
    qc(ready, "memo", "add", "Varför BIC", "--coding", str(made["id"]))
    memos = json.loads(qc(ready, "memo", "list", "--json"))
    assert [(m["target"], m["text"], m["author"]) for m in memos] == [
        ("project", "Om projektet", "anna"),
        ("coding", "Varför BIC", "anna"),
    ]
    stats = json.loads(qc(ready, "stats", "--json"))
    assert stats["codings"] == 1 and stats["by_code"] == {"BIC": 1} and stats["transcripts"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["code", "Fokus", "ACT.WAIT", "0", "100000"], r"runs past the end of transcript 'Fokus'"),
        (["code", "Fokus", "ACT.WAIT", "9", "9"], r"end must be greater than start"),
        (["code", "Fokus", "ACT.WAIT", "--", "-3", "9"], r"must not be negative"),
        (["code", "Nowhere", "ACT.WAIT", "0", "9"], r"no transcript with id or title 'Nowhere'"),
        (["code", "Fokus", "NO.CODE", "0", "9"], r"no code with key 'NO.CODE'"),
        (["codings", "--coder", "nobody"], r"no coder named 'nobody'"),
        (["undo", "--coder", "nobody"], r"nobody.* nothing to undo"),
        (["import", "missing.txt"], r"missing.txt does not exist"),
    ],
)
def test_bad_input_is_one_sentence_exit_1_and_changes_nothing(
    ready: ProjectPlace, args: list[str], message: str
) -> None:
    before = qc(ready, "codings", "--json"), qc(ready, "coders", "--json")
    error = qc(ready, *args, code=1)
    assert re.search(message, error), error
    assert error.startswith("qualcode: ") and error.count("\n") == 1
    assert "Traceback" not in error
    assert (qc(ready, "codings", "--json"), qc(ready, "coders", "--json")) == before


def test_usage_errors_exit_2(ready: ProjectPlace) -> None:
    assert "Missing argument" in qc(ready, "code", "Fokus", code=2)
    assert "coding id" in qc(ready, "uncode", "1", "2", code=2)
    qc(ready, "no-such-command", code=2)


def test_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    result = runner.invoke(app, ["-p", str(tmp_path), "codings"])
    assert result.exit_code == 1
    assert "is not a qualcode project" in result.stderr


def test_an_unreachable_database_url(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", "postgresql+psycopg://qc:pw@127.0.0.1:1/qc", "codings"])
    assert result.exit_code == 1
    assert result.stderr.startswith("qualcode: cannot connect to database")
    assert "pw" not in result.stderr


def test_codebook_check_reports_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "codebook: x\ncodes:\n  - key: A\n    name: A\n    definition: d\n    color: red\n"
    )
    result = runner.invoke(app, ["codebook", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:6: colour 'red' of A" in result.stderr


def test_codebook_export_round_trips(ready: ProjectPlace, tmp_path: Path) -> None:
    out = tmp_path / "export.yaml"
    qc(ready, "codebook", "export", "-o", str(out))
    assert "Added 0 codes, updated 0" in qc(ready, "codebook", "apply", str(out))


def test_real_process_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not just the Typer app, keeps the contract."""
    command = [sys.executable, "-m", "qualcode", "-p", str(tmp_path), "codings"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "is not a qualcode project" in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "qualcode", "code"], capture_output=True, text=True
    )
    assert done.returncode == 2


def test_json_keys_are_the_documented_ones(ready: ProjectPlace) -> None:
    """docs/cli.md lists each listing's keys; the output must have exactly those."""
    qc(ready, "code", "Fokus", "BIC", "0", "5")
    qc(ready, "memo", "add", "memo")
    documented = _documented_keys(REPO / "docs" / "cli.md")
    outputs = {
        "transcripts": json.loads(qc(ready, "transcripts", "--json"))[0],
        "codings": json.loads(qc(ready, "codings", "--json"))[0],
        "show": json.loads(qc(ready, "show", "Fokus", "--json")),
        "memo list": json.loads(qc(ready, "memo", "list", "--json"))[0],
        "coders": json.loads(qc(ready, "coders", "--json"))[0],
        "codebook list": json.loads(qc(ready, "codebook", "list", "--json"))[0],
        "stats": json.loads(qc(ready, "stats", "--json")),
        "quotes": json.loads(qc(ready, "quotes", "BIC", "--json")),
    }
    for command, output in outputs.items():
        assert set(output) == documented[command], command
    passage_keys = set(outputs["quotes"]["passages"][0])
    assert passage_keys == {
        "transcript_id", "transcript", "mode", "start", "end", "text", "speaker", "role",
        "timestamp_ms", "verbatim", "codes", "before", "after", "attribution", "source_text",
        "memos",
    }  # fmt: skip


def _documented_keys(path: Path) -> dict[str, set[str]]:
    """Each '### `qualcode COMMAND --json`' section's table of `key` rows."""
    keys: dict[str, set[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `qualcode (.+?) --json`", line)
        if heading:
            current = re.sub(r" [A-Z_]+$", "", heading.group(1))
            keys[current] = set()
        elif current and (row := re.match(r"^\| `(\w+)` \|", line)):
            keys[current].add(row.group(1))
    return keys

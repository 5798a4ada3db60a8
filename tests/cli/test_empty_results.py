"""Listings with nothing to show say so (issue 13, item 11)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import qc, ready
from tests.conftest import SHORT_FOCUS_GROUP, ProjectPlace

__all__ = ["ready"]  # the fixture, used by name


def test_empty_listings_say_so(ready: ProjectPlace) -> None:
    assert qc(ready, "codings", "-c", "BIC").strip() == "No codings of BIC."
    assert (
        qc(ready, "codings", "-c", "BIC", "--coder", "anna", "-t", "Fokus").strip()
        == "No codings of BIC by anna in 'Fokus'."
    )
    assert qc(ready, "memo", "list").strip() == "No memos yet."
    assert qc(ready, "collection", "list").strip().startswith("No collections yet")
    assert qc(ready, "pseudonyms").strip().startswith("No names or places")
    assert qc(ready, "attr", "list").strip() == "No attributes are set."
    for coder in ("anna", "bertil"):
        qc(ready, "code", "Fokus", "ACT.WAIT", "--sentence", "4", "--coder", coder)
    assert qc(ready, "disagreements", "anna", "bertil").startswith(
        "No disagreements between anna and bertil."
    )
    assert json.loads(qc(ready, "codings", "-c", "BIC", "--json")) == []


def test_a_query_with_no_passages_says_so_and_writes_nothing(
    ready: ProjectPlace, tmp_path: Path
) -> None:
    target = tmp_path / "bic.md"
    said = qc(ready, "quotes", "BIC", "-o", str(target))
    assert said.strip() == "0 passages match BIC; nothing was written."
    assert not target.exists()
    qc(ready, "collection", "create", "rapport")
    assert "0 passages match BIC; nothing was added to 'rapport'." in qc(
        ready, "collection", "add", "rapport", "BIC"
    )
    assert "has no quotes yet" in qc(ready, "collection", "show", "rapport")


def test_an_empty_project_says_what_to_do(place: ProjectPlace) -> None:
    qc(place, "init", str(place.directory))
    assert "No transcripts yet: qualcode import FILE" in qc(place, "transcripts")
    assert "No codes yet: qualcode codebook apply FILE" in qc(place, "codebook", "list")
    assert qc(place, "coders").strip() == "No coders yet."


def test_a_duplicate_import_names_force(ready: ProjectPlace, tmp_path: Path) -> None:
    again = tmp_path / "igen.txt"
    again.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    error = qc(ready, "import", str(again), code=1)
    assert "same content as transcript 'Fokus' (add --force to import it again)" in error
    qc(ready, "import", str(again), "--force")


def test_merge_and_retire_are_documented() -> None:
    from tests.conftest import REPO

    cli_md = (REPO / "docs" / "cli.md").read_text("utf-8")
    assert "`codebook merge SOURCE TARGET" in cli_md and "`codebook retire KEY" in cli_md

"""Shipped codebooks by name, and where the samples are looked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import qc
from tests.conftest import ProjectPlace


def test_a_shipped_codebook_is_applied_by_name(place: ProjectPlace) -> None:
    qc(place, "init", str(place.directory))
    assert "Added" in qc(place, "codebook", "apply", "starter")
    error = qc(place, "codebook", "apply", "asylum", code=1)
    assert "no codebook file or shipped codebook named 'asylum'" in error
    assert "shipped: asylum-child-welfare, starter" in error


def test_samples_elsewhere_are_named_in_the_error(
    place: ProjectPlace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALCODE_SAMPLES", str(tmp_path / "nowhere"))
    error = qc(place, "demo", "--dir", str(tmp_path / "demo"), "--build-only", code=1)
    assert f"not in {tmp_path / 'nowhere'}" in error
    assert "QUALCODE_SAMPLES names a folder without them" in error

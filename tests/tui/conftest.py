"""Fixtures for the TUI tests: real projects built with the services, on SQLite.

Importing runs spaCy's sentence splitter, so the transcripts are imported once per
session into a template project, and each test gets its own copy of that folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.domain.records import Code
from qualcode.services import codes
from qualcode.services.codebook import apply_codebook
from qualcode.services.importing import import_file
from qualcode.services.project import Project, init_project, open_project
from qualcode.tui.settings import SETTINGS_ENV

REPO = Path(__file__).resolve().parents[2]
CODEBOOK = REPO / "codebooks" / "asylum-child-welfare.yaml"
TRANSCRIPTS = REPO / "transcripts"
FOCUS_GROUP = "fokusgrupp-norrvik-ekbacka"
TELEPHONE = "telefon-01-sjostad"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The settings file the app reads: absent, so that the tester's own keymap
    never changes what a test presses."""
    path = tmp_path / "settings.yaml"
    monkeypatch.setenv(SETTINGS_ENV, str(path))
    return path


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with the shipped codebook, a focus group and a telephone
    interview (ids 1 and 2), not to be changed by tests."""
    folder = tmp_path_factory.mktemp("template") / "project"
    with init_project(folder, language="sv") as project:
        apply_codebook(project, load_codebook(CODEBOOK), coder="setup")
        import_file(project, TRANSCRIPTS / f"{FOCUS_GROUP}.txt", mode="focus_group")
        import_file(project, TRANSCRIPTS / f"{TELEPHONE}.txt", mode="telephone")
    return folder


@pytest.fixture
def tui_project(template_project: Path, tmp_path: Path) -> Iterator[Project]:
    """This test's own copy of the template project, open."""
    folder = tmp_path / "project"
    shutil.copytree(template_project, folder)
    with open_project(folder) as project:
        yield project


@pytest.fixture(scope="session")
def codebook(template_project: Path) -> dict[str, Code]:
    """The shipped codebook's codes by key."""
    with open_project(template_project) as project:
        return {code.key: code for code in codes.list_codes(project)}

"""Importing from the overview in a worker, and the user's keymap."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from qualcode.services import transcripts
from qualcode.services.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.messages import ImportProgressed, TranscriptImported
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.import_dialog import ImportDialog
from qualcode.tui.screens.overview import OverviewScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.settings import load_settings

from .helpers import notices, posted

pytestmark = pytest.mark.anyio

SIZE = (120, 40)


async def test_import_runs_in_a_worker_and_the_overview_lists_the_transcript(
    tui_project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    # a short transcript: the sentence splitter's time is not what is tested here
    (folder / "alby.txt").write_text(
        "I: Hur länge har du jobbat här?\n\nIP1: I nio år. Det blev så.\n", encoding="utf-8"
    )
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, ImportDialog)
        path = app.screen.query_one(Input)
        path.value = str(folder / "no-such-file.txt")  # typing it key by key takes seconds
        await pilot.press("enter")
        assert isinstance(app.screen, ImportDialog)  # still open, saying why
        assert "There is no file" in str(app.screen.query_one("#import-problem", Static).render())
        path.value = str(folder / "*")
        await pilot.press("tab", "enter", "up", "enter")
        assert isinstance(app.screen, ImportDialog)  # the mode chosen, back to the path
        await pilot.press("enter")
        assert isinstance(app.screen, OverviewScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        progress = posted(seen, ImportProgressed)
        assert [(m.path.name, m.done, m.total) for m in progress] == [
            ("alby.txt", 0, 2),
            ("notes.pdf", 1, 2),
        ]
        # a refused file is reported, and the others are still imported
        assert any("notes.pdf" in n and "unsupported" in n for n in notices(seen, "error"))
        [imported] = [m.report.transcript for m in posted(seen, TranscriptImported)]
        assert (imported.title, imported.mode) == ("alby", "telephone")
        listed = [t.title for t in transcripts.list_transcripts(tui_project)]
        assert "alby" in listed
        table: DataTable[str] = app.screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == listed


async def test_the_keymap_in_the_settings_file_remaps_keys(
    tui_project: Project, no_user_settings: Path
) -> None:
    no_user_settings.write_text(
        "keymap:\n  open-codebook: k\n  find-passages: ctrl+f\n  open-codebok: x\n"
        "  import-transcripts: o\n"
    )
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, OverviewScreen)  # c no longer opens the codebook
        await pilot.press("k")
        assert isinstance(app.screen, CodebookScreen)
        await pilot.press("escape", "ctrl+f")
        assert isinstance(app.screen, RetrievalScreen)
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one("Markdown").source  # type: ignore[attr-defined]
        assert "| `k` | Read the codes' definitions and criteria | `open-codebook` |" in source
        assert str(no_user_settings) in source
        [warning] = notices(seen, "warning")  # and the rest of the keymap still applies
        assert "no key has the id open-codebok" in warning
        assert "open-collections and import-transcripts would share o" in warning


async def test_a_malformed_settings_file_warns_once_and_keeps_the_default_keys(
    tui_project: Project, no_user_settings: Path
) -> None:
    no_user_settings.write_text("keymap: [open-codebook: k\n")
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        [warning] = notices(seen, "warning")
        assert str(no_user_settings) in warning and "default keys" in warning
        await pilot.press("c")
        assert isinstance(app.screen, CodebookScreen)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", None),
        ("theme: dark\n", None),
        ("keymap:\n  open-codebook: [k, ctrl+k]\n", None),
        ("- keymap\n", "must hold settings"),
        ("keymap: k\n", "keymap must map binding ids to keys"),
        ("keymap:\n  open-codebook: 3\n", "open-codebook needs a key"),
        ("keymap: {open-codebook: k\n", "cannot be read"),
    ],
)
def test_settings_files(tmp_path: Path, content: str, problem: str | None) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(content)
    settings = load_settings(path)
    if problem is None:
        assert settings.problem is None
    else:
        assert settings.problem is not None and problem in settings.problem
        assert settings.keymap == {}


def test_a_missing_settings_file_means_the_default_keys(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nothing.yaml").keymap == {}
    assert load_settings(tmp_path / "nothing.yaml").problem is None

"""REFI-QDA export and import, and a backup, from the overview's command palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Input

from qualcode.services import transcripts
from qualcode.services.project import Project, init_project
from qualcode.tui.app import make_app
from qualcode.tui.screens.text_prompt import TextPrompt

from .helpers import notices, run_command

pytestmark = pytest.mark.anyio

SIZE = (120, 40)


async def test_export_then_import_a_qdpx_and_back_up_from_the_palette(
    tui_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "study.qdpx"
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await run_command(pilot, "Export as a REFI")
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.is_file() and out.stat().st_mode & 0o077 == 0
        assert any(n == f"Wrote {out}" for n in notices(seen))
        assert any("Not carried over" in n for n in notices(seen, "warning"))

        await run_command(pilot, "Back up the project")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(n.startswith("Backed up to") for n in notices(seen))
        assert list((tui_project.directory / "backups").glob("*.db"))

    with init_project(tmp_path / "other", language="sv") as other:
        seen.clear()
        app = make_app(other, coder="bertil")
        async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
            await run_command(pilot, "Import a REFI")
            app.screen.query_one(Input).value = str(out)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert any(n.startswith("Imported ") for n in notices(seen)), notices(seen)
        assert [t.title for t in transcripts.list_transcripts(other)] == [
            t.title for t in transcripts.list_transcripts(tui_project)
        ]

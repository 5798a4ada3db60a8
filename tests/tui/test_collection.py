"""The collection screen: editing, ordering and removing quotes, and exporting."""

from __future__ import annotations

import pytest
from textual.message import Message
from textual.widgets import TextArea

from qualcode.services import collections, pseudonyms, quotes, transcripts
from qualcode.services.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.messages import CollectionExported
from qualcode.tui.screens.collection import CollectionScreen, export_format
from qualcode.tui.screens.quote_editor import QuoteEditor
from qualcode.tui.screens.text_prompt import TextPrompt

from .conftest import FOCUS_GROUP
from .helpers import notices, posted

pytestmark = pytest.mark.anyio

SIZE = (120, 40)
MALIN = "Jag heter Malin och jobbar i Norrvik"
CHILDREN = "alltså barn i asylsökande familjer"


def collect(project: Project, name: str, *phrases: str) -> None:
    text = transcripts.transcript_text(project, FOCUS_GROUP).text
    collections.create_collection(project, name, coder="anna")
    for phrase in phrases:
        start = text.index(phrase)
        collections.add_span(project, name, FOCUS_GROUP, start, start + len(phrase),
                             coder="anna", theme="ACT.WAIT")  # fmt: skip


def stored(project: Project, name: str) -> list[tuple[str, str | None]]:
    return [
        (i.verbatim_text, i.edited_text) for i in collections.show_collection(project, name).items
    ]


async def test_quotes_are_edited_checked_moved_and_removed(tui_project: Project) -> None:
    collect(tui_project, "rapport", MALIN, CHILDREN)
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, CollectionScreen)
        assert app.screen.name_shown == "rapport"
        await pilot.press("e")
        assert isinstance(app.screen, QuoteEditor)
        app.screen.query_one(TextArea).load_text("Jag heter [namn] och jobbar i Norrvik, banan")
        await pilot.press("enter")
        assert stored(tui_project, "rapport")[0] == (
            MALIN, "Jag heter [namn] och jobbar i Norrvik, banan"
        )  # fmt: skip
        warnings = notices(seen, "warning")
        assert len(warnings) == 1 and "banan" in warnings[0] and "[namn]" not in warnings[0]
        await pilot.press("right_square_bracket")  # the first quote moves down
        assert [verbatim for verbatim, _ in stored(tui_project, "rapport")] == [CHILDREN, MALIN]
        assert app.screen.highlighted is not None
        assert app.screen.highlighted.verbatim_text == MALIN  # the cursor moved with it
        await pilot.press("v")  # back to the verbatim words
        assert stored(tui_project, "rapport")[1] == (MALIN, None)
        await pilot.press("left_square_bracket", "x")
        assert stored(tui_project, "rapport") == [(CHILDREN, None)]


async def test_export_is_refused_while_a_name_leaks_and_then_written(tui_project: Project) -> None:
    collect(tui_project, "rapport", MALIN)
    # "Malin" becomes "Jonas", itself a listed name: the quote would still name someone
    pseudonyms.set_pseudonym(tui_project, "Malin", "Jonas", coder="anna")
    pseudonyms.set_pseudonym(tui_project, "Jonas", "Erik", coder="anna")
    path = tui_project.exports_dir / f"rapport.{export_format()}"
    seen: list[Message] = []
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("o", "w")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # the default path
        await app.workers.wait_for_complete()
        await pilot.pause()
        errors = notices(seen, "error")
        assert len(errors) == 1 and "'Jonas'" in errors[0]
        assert not path.exists()
        pseudonyms.set_pseudonym(tui_project, "Jonas", None, coder="anna")
        await pilot.press("w", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [m.path for m in posted(seen, CollectionExported)] == [path]
        assert path.is_file() and path.stat().st_size > 0
        assert "docx" not in quotes.FORMATS or path.suffix == ".docx"

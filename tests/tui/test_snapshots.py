"""SVG snapshots where the picture matters: coded spans, the picker, the overview.

Update deliberately with ``pytest tests/tui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from qualcode.services import coding, transcripts
from qualcode.services.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.widgets.transcript import TranscriptArea

from .conftest import FOCUS_GROUP, TELEPHONE

SIZE = (120, 40)
SnapCompare = Callable[..., bool]


def code_overlapping_passages(project: Project) -> None:
    """Two coders, nested and overlapping spans in the first turns."""
    text = transcripts.transcript_text(project, FOCUS_GROUP).text

    def code(code_key: str, phrase: str, length: int, coder: str) -> None:
        start = text.index(phrase)
        coding.apply_code(project, transcript=FOCUS_GROUP, code=code_key, start=start,
                          end=start + length, coder=coder)  # fmt: skip

    code("ACT.WAIT", "Vi skrev ju", 120, "anna")
    code("DISC.STRUCT", "alltså barn", 90, "anna")
    code("CTX.LATE", "Först, tack", 60, "bertil")
    code("EMO.POWERLESS", "Jag heter Malin", 40, "anna")


def test_coding_screen_with_overlapping_codes(
    tui_project: Project, snap_compare: SnapCompare
) -> None:
    code_overlapping_passages(tui_project)

    async def put_cursor_in_overlap(pilot: Pilot[None]) -> None:
        area = pilot.app.screen.query_one(TranscriptArea)
        area.move_to(area.text.index("alltså barn") + 3)

    app = make_app(tui_project, coder="anna", open_first=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=put_cursor_in_overlap)


def test_code_picker_filtered(tui_project: Project, snap_compare: SnapCompare) -> None:
    async def open_picker(pilot: Pilot[None]) -> None:
        area = pilot.app.screen.query_one(TranscriptArea)
        area.move_to(area.text.index("Först, tack"))
        await pilot.press("s", "c", *"vänta")
        pilot.app.screen.query_one(Input).cursor_blink = False

    app = make_app(tui_project, coder="anna", open_first=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_picker)


def test_overview(tui_project: Project, snap_compare: SnapCompare) -> None:
    code_overlapping_passages(tui_project)
    assert snap_compare(make_app(tui_project, coder="anna"), terminal_size=SIZE)


def test_retrieval_screen_with_results(tui_project: Project, snap_compare: SnapCompare) -> None:
    code_overlapping_passages(tui_project)
    for transcript, phrase, length, code_key in [
        (FOCUS_GROUP, "Och jag är Jonas", 60, "ACT.LESS"),
        (FOCUS_GROUP, "Pernilla heter jag", 120, "EMO.POWERLESS"),
        (TELEPHONE, "Jag är socialsekreterare", 90, "ACT.WAIT"),
    ]:
        start = transcripts.transcript_text(tui_project, transcript).text.index(phrase)
        coding.apply_code(tui_project, transcript=transcript, code=code_key, start=start,
                          end=start + length, coder="anna")  # fmt: skip

    async def find_passages(pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"ACT OR EMO", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down")
        pilot.app.screen.query_one(Input).cursor_blink = False

    app = make_app(tui_project, coder="anna")
    assert snap_compare(app, terminal_size=SIZE, run_before=find_passages)


# 80 × 24 is many terminals' default size; 160 × 50 a large window.
SMALL, LARGE = (80, 24), (160, 50)


def test_coding_screen_at_80_by_24(tui_project: Project, snap_compare: SnapCompare) -> None:
    code_overlapping_passages(tui_project)
    app = make_app(tui_project, coder="anna", open_first=True)
    assert snap_compare(app, terminal_size=SMALL)


def test_coding_screen_at_80_by_24_with_the_codebook_hidden(
    tui_project: Project, snap_compare: SnapCompare
) -> None:
    code_overlapping_passages(tui_project)
    app = make_app(tui_project, coder="anna", open_first=True)
    assert snap_compare(app, terminal_size=SMALL, press=["w"])


def test_help_at_80_by_24(tui_project: Project, snap_compare: SnapCompare) -> None:
    app = make_app(tui_project, coder="anna", open_first=True)
    assert snap_compare(app, terminal_size=SMALL, press=["question_mark"])


def test_code_picker_at_80_by_24(tui_project: Project, snap_compare: SnapCompare) -> None:
    async def open_picker(pilot: Pilot[None]) -> None:
        await pilot.press("s", "c")
        pilot.app.screen.query_one(Input).cursor_blink = False

    app = make_app(tui_project, coder="anna", open_first=True)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_picker)


def test_coding_screen_at_160_by_50(tui_project: Project, snap_compare: SnapCompare) -> None:
    code_overlapping_passages(tui_project)
    app = make_app(tui_project, coder="anna", open_first=True)
    assert snap_compare(app, terminal_size=LARGE)

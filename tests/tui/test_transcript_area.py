"""The transcript widget: faithful text, painted spans, labels and summaries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.app import App, ComposeResult

from qualcode.domain.records import TranscriptText
from qualcode.services import transcripts
from qualcode.services.importing import import_file
from qualcode.services.project import Project, init_project
from qualcode.tui.transcript_layout import TranscriptLayout
from qualcode.tui.widgets.transcript import PaintedSpan, TranscriptArea

from .conftest import FOCUS_GROUP, TRANSCRIPTS
from .helpers import style_at, tinted

pytestmark = pytest.mark.anyio


class AreaApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TranscriptArea(id="transcript")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[TranscriptText]]:
    """Every shipped .txt sample, imported into one project."""
    folder = tmp_path_factory.mktemp("samples") / "project"
    with init_project(folder) as project:
        for path in sorted(TRANSCRIPTS.rglob("*.txt")):
            import_file(project, path, title=str(path.relative_to(TRANSCRIPTS)))
        yield [
            transcripts.transcript_text(project, t.id)
            for t in transcripts.list_transcripts(project)
        ]


async def test_widget_text_is_the_stored_canonical_text(samples: list[TranscriptText]) -> None:
    assert len(samples) == len(list(TRANSCRIPTS.rglob("*.txt")))
    app = AreaApp()
    async with app.run_test(size=(100, 30)):
        area = app.query_one(TranscriptArea)
        for sample in samples:
            area.show_transcript(TranscriptLayout(sample))
            assert area.text == sample.text, sample.transcript.title
            assert area.document.line_count == area.transcript_layout.lines.line_count


def focus_group(tui_project: Project) -> TranscriptText:
    return transcripts.transcript_text(tui_project, FOCUS_GROUP)


async def test_repaint_spans_redraws_cached_lines(tui_project: Project) -> None:
    """Guards the one private call: if a Textual upgrade renames ``_line_cache`` or
    stops caching this way, this test fails loudly."""
    text = focus_group(tui_project)
    app = AreaApp()
    async with app.run_test(size=(100, 30)) as pilot:
        area = app.query_one(TranscriptArea)
        area.show_transcript(TranscriptLayout(text))
        await pilot.pause()
        start = text.text.index("Moderator 1: Ja")
        row, _ = area.transcript_layout.lines.location(start)
        y = area.wrapped_document.location_to_offset((row, 0)).y

        def backgrounds() -> set[object]:
            return {segment.style.bgcolor for segment in area.render_line(y) if segment.style}

        before = backgrounds()
        area.show_spans([PaintedSpan(start, start + 30, "#d62728")])
        after = backgrounds()
        assert after - before, "the cached line was drawn again without the new span"
        area.show_spans([])
        assert backgrounds() == before


async def test_labels_summaries_and_overlaps_are_styled(tui_project: Project) -> None:
    text = focus_group(tui_project)
    app = AreaApp()
    async with app.run_test(size=(100, 30)):
        area = app.query_one(TranscriptArea)
        area.show_transcript(TranscriptLayout(text))
        label = text.text.index("Moderator 1: Ja")
        assert style_at(area, label).bold and style_at(area, label + len("Moderator 1")).bold
        assert not style_at(area, label + len("Moderator 1: ")).bold
        summary = text.text.index("[Sammanfattning]")
        assert style_at(area, summary + 20).italic and style_at(area, summary + 20).dim

        speech = label + len("Moderator 1: ")
        area.show_spans([PaintedSpan(speech, speech + 20, "#d62728"),
                         PaintedSpan(speech + 10, speech + 40, "#1f77b4")])  # fmt: skip
        assert not style_at(area, speech + 5).underline
        assert style_at(area, speech + 15).underline
        assert not style_at(area, speech + 25).underline
        assert tinted(area, speech + 39) and not tinted(area, speech + 40)
        # the nested/shorter span is drawn last, on top
        assert style_at(area, speech + 15).bgcolor != style_at(area, speech + 25).bgcolor


async def test_tints_follow_a_theme_change(tui_project: Project) -> None:
    text = focus_group(tui_project)
    app = AreaApp()
    async with app.run_test(size=(100, 30)) as pilot:
        area = app.query_one(TranscriptArea)
        area.show_transcript(TranscriptLayout(text))
        area.show_spans([PaintedSpan(10, 20, "#d62728")])
        dark = style_at(area, 15).bgcolor
        app.theme = "textual-light"
        await pilot.pause()
        assert style_at(area, 15).bgcolor not in (None, dark)

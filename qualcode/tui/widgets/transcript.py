"""The transcript view: a read-only ``TextArea`` that paints coded spans, speaker
labels and summary turns.

Painting goes through the public ``get_line()`` hook, which ``TextArea`` draws under
the selection, so a selection stays visible over coded text. ``_highlights`` (the
syntax-highlighting route) is avoided: it counts UTF-8 bytes and is drawn over the
selection. Offsets are canonical-text code points, converted with ``LineIndex``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from qualcode.tui.coding_view import overlaps
from qualcode.tui.colours import speaker_colours
from qualcode.tui.transcript_layout import TranscriptLayout

# how much of a code's colour goes into its background tint: enough to tell codes
# apart, little enough to keep the words readable
TINT = 0.45
OVERLAP_STYLE = Style(underline=True)
SUMMARY_STYLE = Style(italic=True, dim=True)

LineStyles = dict[int, list[tuple[int, int, Style]]]


@dataclass(frozen=True, slots=True)
class PaintedSpan:
    """A coded stretch to paint: ``[start, end)`` in the code's colour (hex)."""

    start: int
    end: int
    colour: str


class TranscriptArea(TextArea):
    """One transcript, read-only, with coded spans tinted in their codes' colours."""

    HELP = """\
## Transcript

Coded passages are tinted in their code's colour; an **underline** marks text that
carries two or more codes. Speaker labels are bold; *dim italic* text is a summary
written instead of verbatim speech — check before quoting it.

- **arrows**, **page up/down**, **home/end** move; **shift+arrows** extend a selection
- **s** selects the sentence at the cursor (again: add the next sentence), **t** the turn
- a code's hotkey, or **c** for the picker, codes the selection
"""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            read_only=True,
            soft_wrap=True,
            highlight_cursor_line=False,
            show_cursor=True,
            id=id,
        )
        self._layout: TranscriptLayout | None = None
        self._spans: Sequence[PaintedSpan] = ()
        self._fixed_styles: LineStyles = {}
        self._span_styles: LineStyles = {}
        self._tints: dict[tuple[Color, str], Style] = {}
        self._painted_on: Color | None = None  # the background the tints were blended with

    def on_mount(self) -> None:
        # tints are blended with the theme's background, so a new theme needs new tints
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show_spans(self._spans))

    @property
    def transcript_layout(self) -> TranscriptLayout:
        if self._layout is None:
            raise RuntimeError("no transcript is shown yet")
        return self._layout

    def show_transcript(self, layout: TranscriptLayout) -> None:
        """Show a transcript's canonical text with its labels and summaries marked."""
        self._layout = layout
        self.load_text(layout.text)
        colours = speaker_colours(label.speaker for label in layout.labels)
        fixed = [(start, end, SUMMARY_STYLE) for start, end in layout.summaries]
        fixed += [
            (label.start, label.end, Style(bold=True, color=colours[label.speaker]))
            for label in layout.labels
        ]
        self._fixed_styles = self._by_line(fixed)
        self._spans, self._span_styles = (), {}
        self.repaint_spans()

    def show_spans(self, spans: Sequence[PaintedSpan]) -> None:
        """Paint these coded spans (replacing the previous ones)."""
        background = self.background_colors[1]
        if spans == self._spans and background == self._painted_on:
            return  # a reload that found nothing new (the theme is the same too)
        self._spans, self._painted_on = spans, background
        tints = self._tints

        def tint(colour: str) -> Style:
            # one style per colour on this background, kept between calls: blending per
            # span cost more than the rest, and the same object makes comparing the
            # lines before and after (below) an identity check
            style = tints.get((background, colour))
            if style is None:
                blended = background.blend(Color.parse(colour), TINT)
                style = tints[(background, colour)] = Style(bgcolor=blended.rich_color)
            return style

        styles = [
            (span.start, span.end, tint(span.colour))
            # longest first, so a span nested in another keeps its own tint on top
            for span in sorted(spans, key=lambda s: (s.start - s.end, s.start))
        ]
        styles += [
            (start, end, OVERLAP_STYLE)
            for start, end in overlaps((span.start, span.end) for span in spans)
        ]
        before, self._span_styles = self._span_styles, self._by_line(styles)
        after = self._span_styles
        self.repaint_spans(
            row for row in before.keys() | after.keys() if before.get(row) != after.get(row)
        )

    def repaint_spans(self, rows: Iterable[int] | None = None) -> None:
        """Redraw after the painted spans changed: the lines ``rows`` only (text lines,
        not screen lines), or all of them.

        ``TextArea`` caches rendered lines keyed on scroll, cursor and selection, not on
        what ``get_line()`` returns, so the cache must be emptied. ``_line_cache`` is
        private: tests/tui/test_transcript_area.py fails if a Textual upgrade changes it.
        Emptying it redraws nothing by itself; only the screen lines refreshed here are
        drawn again now (a coding changes a few lines, and redrawing every visible one
        was most of the time from a key press to the repainted screen).
        """
        self._line_cache.clear()
        if rows is None:
            self.refresh()
            return
        wrapped = self.wrapped_document
        top, height = self.scroll_offset.y, self.size.height
        screen_lines: list[tuple[int, int]] = []
        try:
            for row in rows:
                first = wrapped.location_to_offset((row, 0)).y
                screen_lines.append((first, len(wrapped.get_offsets(row)) + 1))
        except (IndexError, ValueError):  # not wrapped for this text yet: draw it all
            self.refresh()
            return
        for first, count in screen_lines:
            if first < top + height and first + count > top:
                self.refresh_lines(first, count)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for styles in (self._fixed_styles, self._span_styles):
            for start, end, style in styles.get(line_index, ()):
                line.stylize(style, start, end)
        return line

    # ------------------------------------------------------------------ offsets

    @property
    def cursor_offset(self) -> int:
        return self.transcript_layout.lines.offset(self.cursor_location)

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as ``[start, end)`` offsets without surrounding whitespace,
        or None when nothing (or only whitespace) is selected."""
        lines = self.transcript_layout.lines
        first, last = sorted(self.selection)
        start, end = lines.offset(first), lines.offset(last)
        chosen = self.text[start:end]
        start += len(chosen) - len(chosen.lstrip())
        end -= len(chosen) - len(chosen.rstrip())
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int, *, cursor_at_start: bool = False) -> None:
        """Select ``[start, end)``; the cursor (which scrolls into view) goes to the
        end, or to the start with ``cursor_at_start``."""
        lines = self.transcript_layout.lines
        first, last = lines.location(start), lines.location(end)
        self.selection = Selection(last, first) if cursor_at_start else Selection(first, last)

    def move_to(self, offset: int) -> None:
        """Put the cursor at ``offset`` (dropping any selection) and scroll it into view."""
        self.move_cursor(self.transcript_layout.lines.location(offset), center=True)

    def _by_line(self, styles: Iterable[tuple[int, int, Style]]) -> LineStyles:
        """Split offset ranges into per-line column ranges, keeping their order."""
        lines = self.transcript_layout.lines
        by_line: LineStyles = {}
        for start, end, style in styles:
            first_row, first_column = lines.location(start)
            last_row, last_column = lines.location(end)
            for row in range(first_row, last_row + 1):
                column_start = first_column if row == first_row else 0
                column_end = (
                    last_column if row == last_row else lines.line_end(row) - lines.line_start(row)
                )
                if column_end > column_start:
                    by_line.setdefault(row, []).append((column_start, column_end, style))
        return by_line

"""Reading what the transcript view paints, for assertions."""

from __future__ import annotations

from rich.style import Style

from qualcode.tui.widgets.transcript import TranscriptArea


def style_at(area: TranscriptArea, offset: int) -> Style:
    """The combined style ``get_line()`` gives the character at ``offset``."""
    row, column = area.transcript_layout.lines.location(offset)
    style = Style()
    for span in area.get_line(row).spans:
        if span.start <= column < span.end and isinstance(span.style, Style):
            style += span.style
    return style


def tinted(area: TranscriptArea, offset: int) -> bool:
    """Whether the character at ``offset`` has a coded-span background."""
    return style_at(area, offset).bgcolor is not None

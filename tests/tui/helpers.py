"""Reading what the app shows and posts, for assertions; driving the palette."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

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


def posted(seen: list[Message], kind: type[Message]) -> list[Any]:
    """Messages of one kind, each once (a bubbling message reaches the hook per node)."""
    return list({id(m): m for m in seen if isinstance(m, kind)}.values())


def notices(seen: list[Message], severity: str | None = None) -> list[str]:
    return [
        m.notification.message
        for m in seen
        if isinstance(m, Notify) and severity in (None, m.notification.severity)
    ]


async def run_command(pilot: Pilot[None], query: str) -> None:
    await pilot.press("ctrl+p")
    assert CommandPalette.is_open(pilot.app)
    await pilot.press(*query)
    await pilot.pause(0.3)  # the palette searches in a worker, after a short debounce
    await pilot.press("enter")
    await pilot.pause()

"""Short forms of text for table cells, headings and notifications."""

from __future__ import annotations


def flat(text: str) -> str:
    """``text`` on one line, runs of whitespace (line breaks too) as one space."""
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timestamp(ms: int) -> str:
    """A recording position as ``m:ss``, or ``h:mm:ss`` from an hour on."""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def counted(n: int, noun: str) -> str:
    """``1 passage``, ``2 passages``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"

"""What qualcode keeps that REFI-QDA has no place for, carried in a Description.

A code's key, labels in other languages, hotkey and patterns, a transcript's mode
and language: the schemas have no element for them, and the round trip qualcode ->
.qdpx -> qualcode must lose nothing. They travel as the last line of the element's
``Description``: ``qualcode: {json}``. Other tools show it as text and keep it (NVivo
keeps descriptions on re-export); a description without the line reads as plain text.
"""

from __future__ import annotations

import json
from typing import Any

MARKER = "qualcode: "


def pack(text: str | None, extras: dict[str, Any]) -> str | None:
    """``text`` followed by the extras line (only the extras that are set)."""
    kept = {k: v for k, v in extras.items() if v not in (None, "", [], {}, False)}
    if not kept:
        return text or None
    line = MARKER + json.dumps(kept, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"{text}\n\n{line}" if text else line


def unpack(description: str | None) -> tuple[str | None, dict[str, Any]]:
    """The description's own text and the extras of a ``pack``ed one."""
    if not description:
        return None, {}
    body, _, last = description.rstrip("\n").rpartition("\n")
    if not last.startswith(MARKER):
        return description, {}
    try:
        extras = json.loads(last[len(MARKER) :])
    except ValueError:
        return description, {}
    if not isinstance(extras, dict):
        return description, {}
    body = body.removesuffix("\n")
    return body or None, extras


def code_description(definition: str | None, sections: dict[str, str | None]) -> str | None:
    """A code's definition with its include/exclude/example as readable sections."""
    parts = [definition] if definition else []
    parts += [f"{label}: {value}" for label, value in sections.items() if value]
    return "\n\n".join(parts) or None


def split_code_description(text: str | None, sections: dict[str, str | None]) -> str | None:
    """The definition back from ``code_description``'s text, given the sections it
    was written with; text edited elsewhere is kept whole as the definition."""
    suffix = "".join(f"\n\n{label}: {value}" for label, value in sections.items() if value)
    if text is None:
        return None
    if not suffix:
        return text
    if text.endswith(suffix):
        return text[: -len(suffix)] or None
    if text == suffix[2:]:
        return None
    return text

"""Completing file paths as they are typed (right arrow or end accepts the suggestion)."""

from __future__ import annotations

from pathlib import Path

from textual.suggester import Suggester


class PathSuggester(Suggester):
    """Suggests the first file or folder (alphabetically) that completes the last part
    of the typed path; folders end in ``/`` so that typing can go on into them."""

    def __init__(self) -> None:
        # paths are case-sensitive, and files appear while the app runs
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or any(ch in value for ch in "*?["):
            return None
        typed = Path(value).expanduser()
        folder, stem = (typed, "") if value.endswith("/") else (typed.parent, typed.name)
        try:
            names = sorted(
                entry.name + ("/" if entry.is_dir() else "")
                for entry in folder.iterdir()
                if entry.name.startswith(stem) and not entry.name.startswith(".")
            )
        except OSError:
            return None
        if not names or names[0] == stem:
            return None
        return value + names[0][len(stem) :]

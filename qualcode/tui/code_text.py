"""How a code is written out in lists and detail panes: swatch, hotkey, key, label,
and its definition with the inclusion and exclusion criteria."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from qualcode.domain.records import Code


def code_prompt(code: Code, colour: str | None, language: str) -> Text:
    """One line: colour swatch, [hotkey], key and label."""
    prompt = Text()
    prompt.append("■ ", Style(color=colour))
    prompt.append(f"[{code.hotkey}] " if code.hotkey else "    ", Style(bold=True))
    prompt.append(code.key, Style(bold=True))
    prompt.append(f"  {code.label(language)}")
    return prompt


def code_description(code: Code, language: str) -> Text:
    """The code's name, definition, criteria and example, as the codebook gives them in
    ``language`` (a text it has only in another language is marked with that one)."""
    text = Text(f"{code.key}  {code.label(language)}\n", style=Style(bold=True))
    if code.retired:
        text.append("retired: it can no longer be applied\n", Style(italic=True))
    for heading, body in (
        ("", code.text_marked("definition", language)),
        ("Include: ", code.text_marked("include", language)),
        ("Exclude: ", code.text_marked("exclude", language)),
        ("Example: ", code.text_marked("example", language)),
    ):
        if body:
            text.append(f"\n{heading}", Style(bold=True))
            text.append(f"{body}\n")
    if code.patterns:
        text.append("\nPatterns: ", Style(bold=True))
        text.append(", ".join(code.patterns) + "\n")
    return text

"""The panel under the code tree listing the codings at the transcript cursor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from qualcode.domain.records import Code, Coding, Memo


class CodesHere(Static):
    """Codings covering the cursor, innermost first, with their coder and memos."""

    def show_codings(
        self,
        codings: Sequence[Coding],
        codes: Mapping[str, Code],
        colours: Mapping[str, str],
        memos: Mapping[int, Sequence[Memo]],
        language: str,
    ) -> None:
        if not codings:
            self.update(Text("No codes at the cursor", style=Style(dim=True)))
            return
        lines = Text()
        for index, coding in enumerate(codings):
            if index:
                lines.append("\n")
            code = codes.get(coding.code_key)
            lines.append("■ ", Style(color=colours.get(coding.code_key)))
            lines.append(coding.code_key, Style(bold=True))
            lines.append(f" {code.label(language) if code else ''}")
            lines.append(f"  {coding.coder}", Style(dim=True))
            for memo in memos.get(coding.id, ()):
                lines.append(f"\n    ✎ {memo.text}", Style(italic=True))
        self.update(lines)

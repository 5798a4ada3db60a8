"""The panel under the code tree listing the codings at the transcript cursor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from qualcode.domain.records import Code, Coding, Memo


class CodesHere(Static):
    """Codings covering the cursor, innermost first, with their coder and memos."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: object = None
        self._lines = 0  # lines shown (one per entry: the panel does not wrap)

    def show_codings(
        self,
        codings: Sequence[Coding],
        codes: Mapping[str, Code],
        colours: Mapping[str, str],
        memos: Mapping[int, Sequence[Memo]],
        language: str,
    ) -> None:
        # every cursor move lands here; updating re-lays out the screen, so only
        # update when what is listed changes
        shown = [(c.id, [(m.id, m.text) for m in memos.get(c.id, ())]) for c in codings]
        if shown == self._shown:
            return
        self._shown = shown
        if not codings:
            self._show([Text("No codes at the cursor", style=Style(dim=True))])
            return
        lines: list[Text] = []
        for coding in codings:
            line = Text()
            line.append("■ ", Style(color=colours.get(coding.code_key)))
            line.append(coding.code_key, Style(bold=True))
            line.append(f" {coding.coder}", Style(color="cyan"))
            code = codes.get(coding.code_key)
            if code is not None:
                line.append(f" {code.label(language)}", Style(dim=True))
            lines.append(line)
            for memo in memos.get(coding.id, ()):
                note = Text()
                note.append(f"  ✎ {memo.text}", Style(italic=True))
                lines.append(note)
        self._show(lines)

    def _show(self, lines: list[Text]) -> None:
        # the same number of unwrapped lines is the same height: repaint the panel only
        # (a layout of the whole screen costs more than the rest of applying a code)
        self.update(Text("\n").join(lines), layout=len(lines) != self._lines)
        self._lines = len(lines)

"""The panel under the code tree listing the codings at the transcript cursor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.css.scalar import Unit
from textual.widgets import Static

from qualcode.domain.records import Code, Coding, Memo


class CodesHere(Static):
    """Codings covering the cursor, innermost first, with their coder and memos."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: object = None

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
        # a panel that keeps its height is repainted alone: a layout of the whole screen
        # costs more than the rest of applying a code
        content = Text("\n").join(lines)
        height = self._height_for(content.plain.count("\n") + 1)
        self.update(content, layout=height is None or height != self._laid_out)

    @property
    def _laid_out(self) -> int | None:
        return self.outer_size.height if self.is_mounted and self.outer_size else None

    def _height_for(self, lines: int) -> int | None:
        """The height the panel takes with ``lines`` unwrapped lines: its border and
        padding, bounded by min-height and max-height (None when a bound is not in cells,
        so the caller lays out to be safe)."""
        styles = self.styles
        height = lines + styles.gutter.height
        for bound, pick in ((styles.min_height, max), (styles.max_height, min)):
            if bound is not None:
                if bound.unit is not Unit.CELLS:
                    return None
                height = pick(height, int(bound.value))
        return height

"""Krippendorff's α drawn as a horizontal bar of block characters, coloured by the
conventional thresholds: reliable from 0.8, tentative from 0.667, unreliable below
(Krippendorff 2004, *Content Analysis*, 2nd ed., §11.4.4).

A bar is a ``rich.text.Text`` so that it can stand in a ``DataTable`` cell, one bar per
code, all on the same scale: the table's column is the bar chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from rich.style import Style
from rich.text import Text

RELIABLE = 0.8
TENTATIVE = 0.667
UNDEFINED = "–"

Band = Literal["reliable", "tentative", "unreliable"]
# the theme variable each band is painted in
BAND_COLOURS: dict[Band, str] = {
    "reliable": "success",
    "tentative": "warning",
    "unreliable": "error",
}
# a bar ends in the partial block closest to its value
EIGHTHS = "▏▎▍▌▋▊▉"  # one to seven eighths of a cell
FULL = "█"
TRACK = "·"


def band(alpha: float) -> Band:
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def alpha_bar(alpha: float | None, width: int, colours: Mapping[str, str]) -> Text:
    """``alpha`` as a bar ``width`` cells long for α = 1 (a negative α draws none),
    or a dim "–" when α is undefined. ``colours`` maps the theme's ``success``,
    ``warning`` and ``error`` to colours (``App.theme_variables`` does)."""
    if alpha is None:
        return Text(UNDEFINED.ljust(width), style=Style(dim=True))
    eighths = round(min(max(alpha, 0.0), 1.0) * width * 8)
    full, rest = divmod(eighths, 8)
    bar = FULL * full + (EIGHTHS[rest - 1] if rest else "")
    return Text.assemble(
        (bar, Style(color=colours.get(BAND_COLOURS[band(alpha)]))),
        (TRACK * (width - len(bar)), Style(dim=True)),
    )

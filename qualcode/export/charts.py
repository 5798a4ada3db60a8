"""Pictures of analysis results: a matrix as a heat map, totals as bar charts.

matplotlib draws them with its Agg/SVG back ends (no display, no network); it is
imported inside the functions, so only the commands that draw pay for it. Text in an
SVG is turned into paths, so the picture looks the same without the fonts.
"""

from __future__ import annotations

import io
import math
from typing import Any

from qualcode.domain.analysis import MatrixResult, format_number
from qualcode.domain.errors import InvalidInput

FORMATS = ("svg", "png")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["svg.hashsalt"] = "qualcode"  # the same picture gives the same bytes
    import matplotlib.pyplot as plt

    return plt


def check_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInput(f"a chart is written as {' or '.join(FORMATS)}, not {fmt or 'nothing'}")
    return fmt


def heatmap(result: MatrixResult, fmt: str = "svg") -> bytes:
    """The matrix as a heat map with its numbers, labels, a colour bar and a caption
    saying what was counted and whose codings."""
    fmt = check_format(fmt)
    plt = _pyplot()
    rows, columns = result.rows.labels, result.columns.labels
    values = [[math.nan if v is None else float(v) for v in row] for row in result.cells]
    width = min(max(4.0, 1.0 + 0.55 * len(columns) + 0.08 * max(map(len, rows), default=4)), 30)
    height = min(max(3.0, 1.6 + 0.3 * len(rows)), 40)
    figure, axes = plt.subplots(figsize=(width, height))
    try:
        if rows and columns:
            image = axes.imshow(values, cmap="Oranges", aspect="auto")
            colour_bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
            colour_bar.set_label(result.measure)
            peak = max((v for row in values for v in row if not math.isnan(v)), default=0)
            for i, row in enumerate(result.cells):
                for j, value in enumerate(row):
                    dark = value is not None and peak and float(value) > 0.6 * peak
                    axes.text(
                        j,
                        i,
                        format_number(value, result.measure),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if dark else "black",
                    )
        axes.set_xticks(range(len(columns)), labels=columns, rotation=45, ha="right", fontsize=8)
        axes.set_yticks(range(len(rows)), labels=rows, fontsize=8)
        axes.set_xlabel(result.columns.dimension)
        axes.set_ylabel(result.rows.dimension)
        axes.set_title(_wrap(result.header, int(width * 9)), fontsize=9, loc="left")
        return _save(plt, figure, fmt)
    finally:
        plt.close(figure)


def bars(result: MatrixResult, fmt: str = "svg") -> bytes:
    """Each row's value per column as grouped horizontal bars (e.g. code frequencies
    by interview mode), with a legend naming the columns."""
    fmt = check_format(fmt)
    plt = _pyplot()
    rows, columns = result.rows.labels, result.columns.labels
    height = min(max(3.0, 1.4 + 0.25 * len(rows) * max(1, min(len(columns), 4))), 60)
    figure, axes = plt.subplots(figsize=(8, height))
    try:
        band = 0.8 / max(len(columns), 1)
        for j, column in enumerate(columns):
            axes.barh(
                [i + j * band for i in range(len(rows))],
                [float(v) if (v := row[j]) is not None else 0.0 for row in result.cells],
                height=band,
                label=column,
            )
        axes.set_yticks([i + 0.4 - band / 2 for i in range(len(rows))], labels=rows, fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel(result.counted)
        if columns:
            axes.legend(title=result.columns.dimension, fontsize=7, title_fontsize=8)
        axes.set_title(_wrap(result.header, 80), fontsize=9, loc="left")
        return _save(plt, figure, fmt)
    finally:
        plt.close(figure)


def _save(plt: Any, figure: Any, fmt: str) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, dpi=150, metadata=metadata)
    return buffer.getvalue()


def _wrap(text: str, width: int = 90) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])

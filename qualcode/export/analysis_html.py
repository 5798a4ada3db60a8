"""An analysis result as one self-contained HTML page: the table as a heat map (cell
colours in inline styles) and its picture as inline SVG. No script, no link to
anything outside the file, so it opens offline and prints as it looks."""

from __future__ import annotations

import html
import math
import re

from qualcode.domain.analysis import MatrixResult, format_number

_METADATA = re.compile(r"<metadata>.*?</metadata>", re.DOTALL)
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.3em; }
p.counted { max-width: 60em; }
table.matrix { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
table.matrix th, table.matrix td { border: 1px solid #bbb; padding: 0.25em 0.5em; }
table.matrix td { text-align: right; font-variant-numeric: tabular-nums; }
table.matrix th[scope=row] { text-align: left; font-weight: normal; }
table.matrix .total { font-weight: bold; background: #f2f2f2; }
figure { margin: 1.5em 0; }
figure svg { max-width: 100%; height: auto; }
@media print { td { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def matrix_html(result: MatrixResult, pictures: list[tuple[str, bytes]] | None = None) -> bytes:
    """The page for ``result``; ``pictures`` are ``(caption, svg bytes)`` shown below."""
    peak = max(
        (float(v) for row in result.cells for v in row if v is not None and not math.isnan(v)),
        default=0.0,
    )
    head = "".join(f'<th scope="col">{_e(label)}</th>' for label in result.columns.labels)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(result.language)}"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{_e(result.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(result.title)}</h1>",
        f'<p class="counted">{_e(result.header)}.</p>',
    ]
    if result.note:
        lines.append(f"<p>{_e(result.note)}</p>")
    lines.append('<table class="matrix">')
    lines.append(
        f'<thead><tr><th scope="col">{_e(result.rows.dimension)}</th>{head}'
        f'<th scope="col" class="total">{_e(result.total_label)}</th></tr></thead><tbody>'
    )
    for i, label in enumerate(result.rows.labels):
        cells = "".join(
            _cell(value, peak, result.measure, result.cell_query(i, j) or "")
            for j, value in enumerate(result.cells[i])
        )
        total = format_number(result.row_totals[i], result.measure)
        lines.append(
            f'<tr><th scope="row">{_e(label)}</th>{cells}<td class="total">{total}</td></tr>'
        )
    totals = "".join(
        f'<td class="total">{format_number(v, result.measure)}</td>' for v in result.column_totals
    )
    lines.append(
        f'<tr class="total"><th scope="row">{_e(result.total_label)}</th>{totals}'
        f'<td class="total">{format_number(result.total, result.measure)}</td></tr>'
    )
    lines.append("</tbody></table>")
    for caption, svg in pictures or []:
        lines.append(f"<figure>{_inline_svg(svg)}<figcaption>{_e(caption)}</figcaption></figure>")
    lines.append("</body></html>")
    return "\n".join(lines).encode("utf-8")


def _cell(value: float | None, peak: float, measure: str, query: str) -> str:
    text = format_number(value, measure)
    if value is None or math.isnan(value) or peak <= 0:
        return f'<td title="{_e(query)}">{text}</td>'
    share = float(value) / peak
    # white to a strong orange; text turns white on the darkest cells
    red, green, blue = (255, round(255 - 150 * share), round(255 - 230 * share))
    colour = "#fff" if share > 0.6 else "#000"
    return (
        f'<td style="background:rgb({red},{green},{blue});color:{colour}" '
        f'title="{_e(query)}">{text}</td>'
    )


def _inline_svg(svg: bytes) -> str:
    text = svg.decode("utf-8")
    start = text.find("<svg")
    # the RDF metadata block only names vocabularies; a page does not need it
    return _METADATA.sub("", text[start:]) if start >= 0 else ""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render(result: MatrixResult) -> bytes:
    """The heat-map page with its pictures: the heat map, and for codes by a grouping
    (not codes × codes) the code frequencies per group as bars."""
    from qualcode.export.charts import bars, heatmap

    pictures = [("Heat map: " + result.header, heatmap(result, "svg"))]
    if result.rows.dimension == "codes" and not result.title.startswith("codes × codes"):
        pictures.append(("By " + result.columns.dimension, bars(result, "svg")))
    return matrix_html(result, pictures)

"""Writing tables and analysis results to files: one way for every command.

The format comes from the file name's extension and is looked up in
``qualcode.export.registry`` (kind ``table`` for case tables and rates, ``matrix`` for
matrices, co-occurrence and word frequencies); the record is pseudonymised with the
project's list, as every export is (group labels, transcript titles and speakers name
places and people), rendered, and written atomically and owner-only. The terminal and
``--json`` on standard output stay the researcher's own view and are not pseudonymised.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.domain import analysis, tables
from qualcode.domain.analysis import MatrixResult
from qualcode.domain.tables import Table
from qualcode.export import registry
from qualcode.services.files import write_atomically
from qualcode.services.project import Project
from qualcode.services.pseudonyms import pseudonym_list


def check_table_path(path: Path) -> str:
    """The table format ``path`` asks for (one sentence naming the choices if none)."""
    return registry.format_for_path("table", path).name


def check_matrix_path(path: Path) -> str:
    """The analysis format ``path`` asks for (.htm is the heat map too)."""
    if path.suffix.lower() == ".htm":
        return "html"
    return registry.format_for_path("matrix", path).name


def check_path(kind: str, path: Path) -> str:
    """The format of ``kind`` (``table``, ``matrix``, ``cases``) ``path`` asks for."""
    if kind == "matrix":
        return check_matrix_path(path)
    return registry.format_for_path(kind, path).name


def write_table(project: Project, table: Table, output: Path) -> Path:
    """``table`` written to ``output`` in the format its extension asks for."""
    fmt = check_table_path(output)
    clean = tables.pseudonymised(table, pseudonym_list(project))
    return write_atomically(output, registry.render("table", fmt, clean))


def write_analysis(
    project: Project,
    result: MatrixResult,
    *,
    output: Path | None = None,
    chart: Path | None = None,
) -> list[Path]:
    """The files asked for: ``output`` as a heat-map page, JSON or a table
    (.csv/.xlsx/.md/.docx), ``chart`` as the heat map alone (.svg/.png). Both names are
    checked before anything is drawn, so a bad one writes nothing."""
    fmt = check_matrix_path(output) if output is not None else None
    chart_format = None
    if chart is not None:
        from qualcode.export.charts import check_format

        chart_format = check_format(chart.suffix)
    if fmt is None and chart_format is None:
        return []
    result = analysis.pseudonymised(result, pseudonym_list(project))
    written = []
    if output is not None and fmt is not None:
        written.append(write_atomically(output, registry.render("matrix", fmt, result)))
    if chart is not None and chart_format is not None:
        from qualcode.export.charts import heatmap

        written.append(write_atomically(chart, heatmap(result, chart_format)))
    return written

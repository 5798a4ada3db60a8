"""An analysis result (matrix, co-occurrence, word frequencies) as csv, xlsx, md, docx
or JSON bytes.

The tabular formats are the shared table writers applied to
``MatrixResult.as_table()``, so a matrix and a case table look alike in a report; the
JSON is the shape ``--json`` prints. The heat-map page is ``analysis_html.render``.
"""

from __future__ import annotations

import json

from qualcode.domain.analysis import MatrixResult
from qualcode.export import tables


def render_csv(result: MatrixResult) -> bytes:
    return tables.render_csv(result.as_table())


def render_xlsx(result: MatrixResult) -> bytes:
    return tables.render_xlsx(result.as_table())


def render_md(result: MatrixResult) -> bytes:
    return tables.render_md(result.as_table())


def render_docx(result: MatrixResult) -> bytes:
    return tables.render_docx(result.as_table())


def render_json(result: MatrixResult) -> bytes:
    return json.dumps(result.as_json(), ensure_ascii=False, indent=2).encode("utf-8")

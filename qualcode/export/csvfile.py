"""A quote collection as CSV: one row per quote and theme, UTF-8 with a BOM so Excel
reads it; a passage filed under two themes has a row under each."""

from __future__ import annotations

import csv
import io

from qualcode.domain.quotes import Collection
from qualcode.export.cells import csv_cell

COLUMNS = (
    "theme",
    "theme_name",
    "quote",
    "attribution",
    "transcript",
    "start",
    "end",
    "timestamp_ms",
    "codes",
    "verbatim",
    "before",
    "after",
    "coded_by",
    "memos",
)


def render(collection: Collection) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for theme in collection.themes:
        for q in theme.quotes:
            row = [
                theme.key,
                theme.name,
                q.text,
                q.attribution,
                q.transcript,
                q.start,
                q.end,
                q.timestamp_ms if q.timestamp_ms is not None else "",
                " ".join(q.codes),
                "yes" if q.verbatim else "no",
                q.before,
                q.after,
                " ".join(q.coders),
                " | ".join(q.memos),
            ]
            writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

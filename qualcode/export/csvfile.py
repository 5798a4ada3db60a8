"""A quote collection as CSV: one row per quote, UTF-8 with a BOM so Excel reads it."""

from __future__ import annotations

import csv
import io

from qualcode.domain.quotes import Collection

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
)


def render(collection: Collection) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for theme in collection.themes:
        for q in theme.quotes:
            writer.writerow(
                [
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
                ]
            )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

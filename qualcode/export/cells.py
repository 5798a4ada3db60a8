"""Cells that are safe to open in a spreadsheet.

A CSV cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel and LibreOffice as a formula, so a quote like "=HYPERLINK(…)" could run
when a report author opens the file (CSV injection, OWASP). Such a text cell gets a
leading apostrophe, the OWASP rule, which spreadsheets show as a plain text marker.
Numbers are written as numbers and never changed.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """``value`` as a CSV writer should get it: text neutralised, numbers as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

"""Every file format qualcode writes, in one table: kind of document -> format -> writer.

A writer takes a frozen record from ``qualcode.domain`` and returns the file's bytes;
it never touches the database or the file system (the services write the bytes with
``write_atomically``). The CLI's help texts and the TUI's format choices read the
format names from here, so a new format appears everywhere once it is listed.

Writers are named by module path and imported only when asked for, so writing
Markdown never loads python-docx or openpyxl.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.domain.errors import InvalidInput

Writer = Callable[[Any], bytes]


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # also the file extension
    label: str  # for menus
    writer: str  # "module:function"
    text: bool  # may go to standard output


_FORMATS: dict[str, tuple[Format, ...]] = {
    # a themed quote collection (``qualcode.domain.quotes.Collection``)
    "collection": (
        Format("md", "Markdown", "qualcode.export.markdown:render", True),
        Format("html", "HTML page", "qualcode.export.html:render", True),
        Format("csv", "CSV", "qualcode.export.csvfile:render", True),
        Format("json", "JSON", "qualcode.export.jsonfile:render", True),
        Format("docx", "Word", "qualcode.export.docx:render", False),
        Format("xlsx", "Excel", "qualcode.export.xlsx:render", False),
    ),
    # an intercoder agreement report (``qualcode.domain.agreement.report.AgreementReport``)
    "agreement": (
        Format("md", "Markdown", "qualcode.export.agreement:render_md", True),
        Format("html", "HTML page", "qualcode.export.agreement:render_html", True),
        Format("json", "JSON", "qualcode.export.agreement:render_json", True),
        Format("xlsx", "Excel", "qualcode.export.agreement:render_xlsx", False),
    ),
    # codings in the shape import-codings reads (``qualcode.domain.coding_table.CodingTable``)
    "codings": (
        Format("csv", "CSV", "qualcode.export.codings:render_csv", True),
        Format("xlsx", "Excel", "qualcode.export.codings:render_xlsx", False),
    ),
    # the codebook as a document for a methods appendix
    # (``qualcode.domain.codebook_doc.CodebookDocument``); the re-appliable YAML and
    # REFI-QDA .qdc codebooks are written by ``qualcode codebook export`` itself
    "codebook": (
        Format("md", "Markdown", "qualcode.export.codebook_doc:render_md", True),
        Format("html", "HTML page", "qualcode.export.codebook_doc:render_html", True),
        Format("docx", "Word", "qualcode.export.codebook_doc:render_docx", False),
    ),
    # a table of results (``qualcode.domain.tables.Table``): case tables, rates
    "table": (
        Format("csv", "CSV", "qualcode.export.tables:render_csv", True),
        Format("xlsx", "Excel", "qualcode.export.tables:render_xlsx", False),
        Format("md", "Markdown", "qualcode.export.tables:render_md", True),
        Format("html", "HTML page", "qualcode.export.tables:render_html", True),
        Format("docx", "Word", "qualcode.export.tables:render_docx", False),
    ),
    # the cases and their attributes, in the shape ``cases import`` reads
    # (``qualcode.domain.case_data.CaseSheet``)
    "cases": (
        Format("csv", "CSV", "qualcode.export.case_table:render_csv", True),
        Format("xlsx", "Excel", "qualcode.export.case_table:render_xlsx", False),
    ),
    # an analysis result (``qualcode.domain.analysis.MatrixResult``): a matrix,
    # co-occurrence or word frequencies; HTML is the heat map with its pictures
    "matrix": (
        Format("html", "HTML heat map", "qualcode.export.analysis_html:render", True),
        Format("json", "JSON", "qualcode.export.matrix:render_json", True),
        Format("csv", "CSV", "qualcode.export.matrix:render_csv", True),
        Format("xlsx", "Excel", "qualcode.export.matrix:render_xlsx", False),
        Format("md", "Markdown", "qualcode.export.matrix:render_md", True),
        Format("docx", "Word", "qualcode.export.matrix:render_docx", False),
    ),
}


def kinds() -> tuple[str, ...]:
    return tuple(_FORMATS)


def formats(kind: str) -> tuple[Format, ...]:
    """The formats a kind of document can be written in, the usual choice first."""
    try:
        return _FORMATS[kind]
    except KeyError:
        raise InvalidInput(f"no writer for {kind!r}; known: {', '.join(_FORMATS)}") from None


def format_names(kind: str) -> tuple[str, ...]:
    return tuple(fmt.name for fmt in formats(kind))


def find_format(kind: str, name: str) -> Format:
    """The format called ``name`` (an extension, with or without its dot)."""
    wanted = name.lower().lstrip(".")
    for fmt in formats(kind):
        if fmt.name == wanted:
            return fmt
    raise InvalidInput(
        f"cannot write {_describe(kind)} as {name!r}; choose one of {', '.join(format_names(kind))}"
    )


def format_for_path(kind: str, path: Path) -> Format:
    """The format a file name asks for by its extension."""
    if not path.suffix:
        raise InvalidInput(
            f"{path.name} has no extension; name it .{', .'.join(format_names(kind))}"
        )
    return find_format(kind, path.suffix)


def writer(kind: str, name: str) -> Writer:
    fmt = find_format(kind, name)
    module, function = fmt.writer.split(":")
    render: Writer = getattr(importlib.import_module(module), function)
    return render


def render(kind: str, name: str, record: Any) -> bytes:
    """The bytes of ``record`` written as format ``name``."""
    return writer(kind, name)(record)


def _describe(kind: str) -> str:
    return {
        "collection": "a quote collection",
        "agreement": "an agreement report",
        "codings": "codings",
        "codebook": "a codebook document",
        "table": "a table",
        "cases": "the case table",
        "matrix": "a matrix",
    }.get(kind, kind)

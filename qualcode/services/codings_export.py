"""Codings out as a file ``import-codings`` reads back (CSV or Excel).

The rows are the codings ``list_codings`` selects, each with its memos joined by a
blank line, in transcript order. Written atomically, owner-only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from qualcode.domain.coding_table import CodingRow, CodingTable
from qualcode.export import registry
from qualcode.services.coding import list_codings
from qualcode.services.files import write_atomically
from qualcode.services.memos import list_memos
from qualcode.services.project import Project


def coding_table(
    project: Project,
    *,
    transcripts: Sequence[str | int] = (),
    codes: Sequence[str] = (),
    coders: Sequence[str] = (),
    descendants: bool = True,
) -> CodingTable:
    found = list_codings(
        project, transcripts=transcripts, codes=codes, coders=coders, descendants=descendants
    )
    notes: dict[str, list[str]] = defaultdict(list)
    for memo in list_memos(project, target="coding"):
        notes[memo.target_ref or ""].append(memo.text)
    return CodingTable(
        tuple(
            CodingRow(
                c.transcript_title,
                c.coder,
                c.code_key,
                c.start,
                c.end,
                "\n\n".join(notes.get(str(c.id), ())),
                c.quote,
            )
            for c in found
        )
    )


def render_codings(table: CodingTable, fmt: str) -> bytes:
    return registry.render("codings", fmt, table)


def write_codings(table: CodingTable, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``table`` to ``path`` in ``fmt`` (or the format its extension names)."""
    name = fmt or registry.format_for_path("codings", Path(path)).name
    return write_atomically(path, render_codings(table, name))

"""Retrieval and export benchmarks (issue #5): a coded query over a million words, and
writing 5,000 quotes to DOCX and XLSX.

The corpus is ``benchmarks.corpus`` (100 transcripts x 10,000 words, 50,000 codings by
2 coders on 32 leaf codes), plus sentence units (``benchmarks.sentences``), a text
attribute ``county`` on every transcript set with ``services.attributes.set_attribute``
(odd transcripts "Skåne", even ones "Stockholm") and a pseudonymisation list of 20
names, so the export's replacement and leak check have work to do.

* retrieve: ``retrieve(project, "g1.1 AND g2.1 AND attr:county=Skåne")``, the two
  first leaf codes of the first two groups. Floor: one hand-written ``sqlite3`` query
  fetching ``(transcript id, code key, start, end)`` of the two codes' codings on the
  current text versions of the transcripts whose ``county`` text value is ``Skåne``,
  ordered by transcript, code and offsets; then, in Python, each code's spans are
  merged per transcript (overlapping spans joined, touching ones kept apart, as
  ``domain.spans.merge`` does) and the two interval lists intersected by a two-pointer
  sweep. The floor returns ``(transcript id, start, end)`` only: no passage text,
  speaker, context or list of overlapping codes, which the service also builds. Both
  sides must return the same passages in the same order, or the run stops.
* export: a ``Collection`` of 5,000 quotes (the first 5,000 passages of ``g1 OR g2``
  retrieved with one sentence of context, through ``build_collection``), written by
  ``write_collection(project, collection, fmt, path)`` for each of docx, xlsx, md and
  html registered in ``export.quotes.FORMATS`` (a format not registered yet is
  reported as pending). Floor: a hand-written minimal file of the same quotes in the
  same format (the stdlib only: f-strings, ``html.escape``/``xml.sax.saxutils.escape``,
  ``zipfile`` with deflate for the Office formats: a ``word/document.xml`` with a
  heading per theme, a paragraph per quote with its context and one per attribution;
  a workbook with one sheet of inline-string rows per theme, the same 11 columns),
  written and fsynced. No styles, no index sheet, no metadata.

Method as in ``bench_coding``: warm-up runs, then service and floor alternate run by
run, ``time.perf_counter_ns`` around each call, an untimed ``gc.collect()`` before it,
the setup frozen out of the collector; median and nearest-rank p95. The load average
(``/proc/loadavg``) is read after each benchmark and reported beside it.

CLI: ``python -m benchmarks.bench_retrieval [--quick] [--json] [--seed N] [--workdir DIR]``.
"""

from __future__ import annotations

import dataclasses
import io
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from html import escape as html_escape
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from benchmarks.bench_coding import connect_floor, frozen_setup, log
from benchmarks.corpus import Corpus, build_corpus
from benchmarks.harness import (
    Result,
    alternate,
    arguments,
    corpus_summary,
    emit,
    make_result,
    report,
)
from benchmarks.sentences import add_sentence_units
from qualcode.domain.quotes import Collection, Quote
from qualcode.services import attributes, pseudonyms, transcripts
from qualcode.services import quotes as quote_export
from qualcode.services.project import Project, open_project
from qualcode.services.quotes import build_collection, write_collection
from qualcode.services.retrieval import retrieve
from qualcode.store.engine import DB_FILENAME

TARGET_RETRIEVE_MS = 100.0
TARGET_EXPORT_MS = 10_000.0
ATTRIBUTE, MATCHING, OTHER = "county", "Skåne", "Stockholm"
EXPORT_FORMATS = ("docx", "xlsx", "md", "html")
PSEUDONYMS = {
    "Norrvik": "kommun A", "Ekbacka": "kommun B", "Sjöstad": "kommun C", "Dalby": "kommun D",
    "Bergslunda": "kommun E", "Åsen": "stadsdel F", "Lövhagen": "stadsdel G",
    "Kvarnbo": "skola H", "Solgården": "boende I", "Fjällnäs": "boende J",
    "Amira": "Namn 1", "Yusuf": "Namn 2", "Leila": "Namn 3", "Omar": "Namn 4",
    "Fatima": "Namn 5", "Hassan": "Namn 6", "Noor": "Namn 7", "Samir": "Namn 8",
    "Zainab": "Namn 9", "Karim": "Namn 10",
}  # fmt: skip

FLOOR_SQL = """
    SELECT c.transcript_id, k.key, c.start, c."end"
    FROM codings c
    JOIN codes k ON k.id = c.code_id
    JOIN transcripts t ON t.id = c.transcript_id
    JOIN text_versions v ON v.id = c.version_id AND v.version = t.version
    JOIN attribute_values av ON av.transcript_id = t.id
    JOIN attributes a ON a.id = av.attribute_id
    WHERE a.name = ? AND av.value_text = ? AND k.key IN (?, ?)
    ORDER BY c.transcript_id, k.key, c.start, c."end"
"""

Span = tuple[int, int]
Passage = tuple[int, int, int]  # transcript id, start, end


@dataclass(frozen=True)
class Size:
    """Corpus size and how many timed runs each benchmark makes."""

    transcripts: int
    words: int
    codings: int
    coders: int
    runs: int
    warmup: int
    quotes: int
    export_runs: int
    export_warmup: int


FULL = Size(
    transcripts=100,
    words=10_000,
    codings=50_000,
    coders=2,
    runs=21,
    warmup=3,
    quotes=5_000,
    export_runs=5,
    export_warmup=1,
)
QUICK = Size(
    transcripts=10,
    words=2_000,
    codings=2_000,
    coders=2,
    runs=5,
    warmup=1,
    quotes=250,
    export_runs=2,
    export_warmup=1,
)


# --- the corpus --------------------------------------------------------------


def prepare(project: Project, coder: str, seed: int) -> int:
    """Sentence units, the county of every transcript and the pseudonym list; returns
    the number of sentence units."""
    units = add_sentence_units(project, seed=seed)
    for number, transcript in enumerate(transcripts.list_transcripts(project), 1):
        county = MATCHING if number % 2 else OTHER
        attributes.set_attribute(project, ATTRIBUTE, county, transcript=transcript.id, coder=coder)
    for term, replacement in PSEUDONYMS.items():
        pseudonyms.set_pseudonym(project, term, replacement, coder=coder)
    return units


# --- retrieval ---------------------------------------------------------------


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans as disjoint intervals: overlapping ones joined, touching ones not."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def intersect(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """The non-empty overlaps of two sorted disjoint interval lists."""
    found: list[Span] = []
    i = j = 0
    while i < len(first) and j < len(second):
        start, end = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if start < end:
            found.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return found


def floor_retrieve(connection: sqlite3.Connection, keys: tuple[str, str]) -> list[Passage]:
    """The same passages by one SQL query and an interval sweep per transcript."""
    rows = connection.execute(FLOOR_SQL, (ATTRIBUTE, MATCHING, *keys)).fetchall()
    passages: list[Passage] = []
    for transcript_id, in_transcript in groupby(rows, key=lambda row: row[0]):
        per_code: dict[str, list[Span]] = {key: [] for key in keys}
        for _, key, start, end in in_transcript:
            per_code[key].append((start, end))
        spans = intersect(merge(per_code[keys[0]]), merge(per_code[keys[1]]))
        passages += [(transcript_id, start, end) for start, end in spans]
    return passages


def service_retrieve(project: Project, query: str) -> list[Passage]:
    return [(p.transcript_id, p.start, p.end) for p in retrieve(project, query).passages]


def bench_retrieve(
    project: Project, connection: sqlite3.Connection, size: Size, keys: tuple[str, str]
) -> Result:
    query = f"{keys[0]} AND {keys[1]} AND attr:{ATTRIBUTE}={MATCHING}"
    expected = floor_retrieve(connection, keys)
    if service_retrieve(project, query) != expected:
        raise AssertionError(f"service and floor retrieve different passages for {query}")
    service_ms, floor_ms = alternate(
        lambda: service_retrieve(project, query),
        lambda: floor_retrieve(connection, keys),
        runs=size.runs,
        warmup=size.warmup,
    )
    return make_result(
        f"retrieve {query}",
        service_ms,
        floor_ms,
        target_ms=TARGET_RETRIEVE_MS,
        floor_name="one sqlite3 SELECT of the two codes' spans in matching transcripts"
        " + merge/intersect in Python; (transcript, start, end) only",
        rows=len(expected),
    )


# --- export ------------------------------------------------------------------


def export_collection(project: Project, query: str, quotes: int) -> Collection:
    """The first ``quotes`` passages of ``query`` (one sentence of context) as a
    collection, themed and pseudonymised by ``build_collection``."""
    retrieval = retrieve(project, query, context=1)
    chosen = dataclasses.replace(retrieval, passages=retrieval.passages[:quotes])
    return build_collection(project, chosen, title=f"{quotes} quotes")


def write_synced(path: Path, data: bytes) -> None:
    """Write and fsync, as ``services.files.write_atomically`` does (no rename)."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _quote_values(quote: Quote) -> tuple[str | int, ...]:
    """A quote's cells in the order of ``export.xlsx.QUOTE_COLUMNS``."""
    timestamp = "" if quote.timestamp_ms is None else quote.timestamp_ms
    verbatim = "yes" if quote.verbatim else "no"
    codes = " ".join(quote.codes)
    return (quote.text, quote.attribution, quote.transcript, quote.start, quote.end, timestamp,
            codes, verbatim, quote.before, quote.after, quote.source_text)  # fmt: skip


def floor_markdown(collection: Collection) -> bytes:
    parts = [f"# {collection.title}\n\nQuery: `{collection.query}`\n"]
    for theme in collection.themes:
        parts.append(f"## {theme.name} ({theme.key})\n\n*{theme.definition or ''}*\n")
        parts += [
            f"> {q.before} **{q.text}** {q.after}\n>\n> — {q.attribution}\n" for q in theme.quotes
        ]
    return "\n".join(parts).encode("utf-8")


def floor_html(collection: Collection) -> bytes:
    parts = [f"<!DOCTYPE html><html><body><h1>{html_escape(collection.title)}</h1>"]
    for theme in collection.themes:
        parts.append(f"<h2>{html_escape(theme.name)}</h2>")
        parts += [
            f"<blockquote>{html_escape(q.before)} {html_escape(q.text)} {html_escape(q.after)}"
            f"<span>— {html_escape(q.attribution)}</span></blockquote>"
            for q in theme.quotes
        ]
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
OFFICE_MIME = "application/vnd.openxmlformats-officedocument"


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return buffer.getvalue()


def _content_types(overrides: dict[str, str]) -> str:
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in overrides.items())
        + "</Types>"
    )


def _relationships(targets: dict[str, tuple[str, str]]) -> str:
    return (
        f'<Relationships xmlns="{PACKAGE_RELS}">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
            for rid, (kind, target) in targets.items()
        )
        + "</Relationships>"
    )


def _w_paragraph(style: str, *runs: str) -> str:
    text = "".join(f'<w:r><w:t xml:space="preserve">{xml_escape(run)}</w:t></w:r>' for run in runs)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{text}</w:p>'


def floor_docx(collection: Collection) -> bytes:
    body = [_w_paragraph("Title", collection.title), _w_paragraph("Normal", collection.query)]
    for theme in collection.themes:
        body.append(_w_paragraph("Heading1", f"{theme.name} ({theme.key})"))
        for q in theme.quotes:
            body.append(_w_paragraph("Quote", q.before + " ", q.text, " " + q.after))
            body.append(_w_paragraph("Normal", f"— {q.attribution}"))
    document = f"<w:document {W}><w:body>{''.join(body)}</w:body></w:document>"
    return _zip(
        {
            "[Content_Types].xml": _content_types(
                {"word/document.xml": f"{OFFICE_MIME}.wordprocessingml.document.main+xml"}
            ),
            "_rels/.rels": _relationships({"rId1": (DOCUMENT_REL, "word/document.xml")}),
            "word/document.xml": document,
        }
    )


def _cell(column: int, row: int, value: str | int) -> str:
    ref = f"{chr(ord('A') + column)}{row}"
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = f'<t xml:space="preserve">{xml_escape(value)}</t>'
    return f'<c r="{ref}" t="inlineStr"><is>{text}</is></c>'


def _sheet(rows: Iterable[tuple[str | int, ...]]) -> str:
    cells = "".join(
        f'<row r="{r}">' + "".join(_cell(c, r, v) for c, v in enumerate(values)) + "</row>"
        for r, values in enumerate(rows, 1)
    )
    return f"<worksheet {S}><sheetData>{cells}</sheetData></worksheet>"


def floor_xlsx(collection: Collection) -> bytes:
    header = ("quote", "attribution", "transcript", "start", "end", "timestamp", "codes",
              "verbatim", "context before", "context after", "unedited quote")  # fmt: skip
    sheets = {
        f"xl/worksheets/sheet{n}.xml": _sheet([header, *map(_quote_values, theme.quotes)])
        for n, theme in enumerate(collection.themes, 1)
    }
    entries = "".join(
        f'<sheet name="{n} {xml_escape(theme.key)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, theme in enumerate(collection.themes, 1)
    )
    sheet_type = f"{OFFICE_MIME}.spreadsheetml.worksheet+xml"
    sheet_rels = {f"rId{n}": (SHEET_REL, name[3:]) for n, name in enumerate(sheets, 1)}
    return _zip(
        {
            "[Content_Types].xml": _content_types(
                {"xl/workbook.xml": f"{OFFICE_MIME}.spreadsheetml.sheet.main+xml"}
                | dict.fromkeys(sheets, sheet_type)
            ),
            "_rels/.rels": _relationships({"rId1": (DOCUMENT_REL, "xl/workbook.xml")}),
            "xl/workbook.xml": f"<workbook {S} {R}><sheets>{entries}</sheets></workbook>",
            "xl/_rels/workbook.xml.rels": _relationships(sheet_rels),
            **sheets,
        }
    )


FLOORS: dict[str, Callable[[Collection], bytes]] = {
    "docx": floor_docx,
    "xlsx": floor_xlsx,
    "md": floor_markdown,
    "html": floor_html,
}


def bench_export(
    project: Project, collection: Collection, fmt: str, folder: Path, size: Size
) -> Result:
    path, floor_path = folder / f"quotes.{fmt}", folder / f"floor.{fmt}"
    service_ms, floor_ms = alternate(
        lambda: write_collection(project, collection, fmt, path),
        lambda: write_synced(floor_path, FLOORS[fmt](collection)),
        runs=size.export_runs,
        warmup=size.export_warmup,
    )
    kib = path.stat().st_size / 1024
    floor_kib = floor_path.stat().st_size / 1024
    return make_result(
        f"export {len(collection.quotes)} quotes to {fmt}",
        service_ms,
        floor_ms,
        target_ms=TARGET_EXPORT_MS,
        floor_name=f"hand-written minimal {fmt} of the same quotes, stdlib only, fsynced",
        rows=len(collection.quotes),
        note=f"file {kib:,.0f} KiB, floor's {floor_kib:,.0f} KiB",
    )


# --- running -------------------------------------------------------------------


def query_keys(corpus: Corpus) -> tuple[str, str]:
    """The first leaf code of the first two groups: ``g1.1`` and ``g2.1``."""
    first, second = corpus.group_keys[:2]
    return (
        next(key for key in corpus.leaf_keys if key.startswith(f"{first}.")),
        next(key for key in corpus.leaf_keys if key.startswith(f"{second}.")),
    )


def run(size: Size, *, seed: int = 0, workdir: Path | None = None) -> dict[str, Any]:
    """Build and prepare a corpus in a temporary folder, run the benchmarks, report."""
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-retrieval-", dir=workdir) as folder:
        log(f"building corpus ({size.transcripts} x {size.words} words, {size.codings} codings)")
        corpus = build_corpus(
            Path(folder) / "project",
            transcripts=size.transcripts,
            words=size.words,
            codings=size.codings,
            coders=size.coders,
            seed=seed,
        )
        keys = query_keys(corpus)
        with (
            open_project(corpus.directory) as project,
            closing(connect_floor(corpus.directory / DB_FILENAME)) as connection,
        ):
            log("adding sentence units, counties and pseudonyms")
            began = time.perf_counter()
            units = prepare(project, corpus.coders[0], seed)
            prepared_s = time.perf_counter() - began
            with frozen_setup():
                log(f"retrieving {keys[0]} AND {keys[1]} AND attr:{ATTRIBUTE}={MATCHING}")
                results = [bench_retrieve(project, connection, size, keys)]
            export_query = f"{corpus.group_keys[0]} OR {corpus.group_keys[1]}"
            log(f"building a collection of {size.quotes} quotes from {export_query}")
            began = time.perf_counter()
            collection = export_collection(project, export_query, size.quotes)
            collection_s = time.perf_counter() - began
            registered = [fmt for fmt in EXPORT_FORMATS if fmt in quote_export.FORMATS]
            with frozen_setup():
                for fmt in registered:
                    log(f"exporting {len(collection.quotes)} quotes to {fmt}")
                    results.append(bench_export(project, collection, fmt, Path(folder), size))
    return report(
        "retrieval and export",
        quick=size == QUICK,
        corpus=corpus_summary(corpus, sentence_units=units, prepared_s=round(prepared_s, 1)),
        results=results,
        export={
            "query": export_query,
            "quotes": len(collection.quotes),
            "themes": len(collection.themes),
            "retrieve_and_build_collection_s": round(collection_s, 2),
            "pending": [fmt for fmt in EXPORT_FORMATS if fmt not in registered],
        },
    )


def main() -> None:
    args = arguments("python -m benchmarks.bench_retrieval", __doc__.split("\n")[0])
    result = run(QUICK if args.quick else FULL, seed=args.seed, workdir=args.workdir)
    export = result["export"]
    notes = [
        f"collection: {export['quotes']} quotes in {export['themes']} themes from"
        f" {export['query']!r} (retrieve with context 1 + build_collection:"
        f" {export['retrieve_and_build_collection_s']} s, untimed setup)",
    ]
    if export["pending"]:
        notes.append(
            f"pending: {', '.join(export['pending'])} not registered in"
            " qualcode.export.quotes.FORMATS yet"
        )
    emit(result, args.json, notes)


if __name__ == "__main__":
    main()

"""REFI-QDA exchange: .qdpx export and import of a large project, beside lxml alone.

Corpus (``benchmarks.corpus``): 1,000 transcripts x 1,000 words with 20,000 codings
by two coders (``--quick``: 50 x 1,000 with 1,000). Measured:

* export: ``services.exchange.export_qdpx`` (read the rows, build the records, write
  project.qde and the sources, zip, atomic write). Floor: lxml alone building and
  serialising the same ``project.qde`` from plain tuples already in memory, and zipping
  it with the same source texts.
* import: ``services.exchange.import_qdpx`` of that file into an empty project (parse,
  map positions, find turns and sentences with spaCy, store everything in one
  transaction). Floor: lxml alone parsing the same ``project.qde`` and reading every
  selection's attributes, plus unzipping the sources.

Targets (issue 11): export <= 2 s, import <= 5 s. Each side runs ``--runs`` times
(default 2), alternating, on a fresh target project per import run, after one
untimed import (spaCy's load and vocabulary, as in ``bench_import``).
"""

from __future__ import annotations

import io
import shutil
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from lxml import etree

from benchmarks.corpus import build_corpus
from benchmarks.harness import arguments, corpus_summary, emit, make_result, report
from qualcode.exchange.xml import PROJECT_NS
from qualcode.services.exchange import build_export, export_qdpx, import_qdpx
from qualcode.services.project import init_project, open_project

P = f"{{{PROJECT_NS}}}"


CPU: dict[str, list[float]] = {}


def _seconds(call: Callable[[], object], side: str) -> float:
    """Wall milliseconds of one call; its CPU milliseconds are kept under ``side`` (the
    machine is shared: CPU time shows how much of the wall time was waiting)."""
    cpu = time.process_time()
    began = time.perf_counter()
    call()
    CPU.setdefault(side, []).append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - began) * 1000


def _cpu(side: str) -> str:
    return f"CPU median {statistics.median(CPU[side]):.0f} ms"


def floor_export(rows: list[tuple[str, str, str, list[tuple[str, str, int, int, str]]]]) -> bytes:
    """The same XML elements and attributes from plain tuples, with lxml alone."""
    root = etree.Element(f"{P}Project", nsmap={None: PROJECT_NS}, name="floor")
    sources = etree.SubElement(root, f"{P}Sources")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for guid, name, text, selections in rows:
            source = etree.SubElement(
                sources,
                f"{P}TextSource",
                guid=guid,
                name=name,
                plainTextPath=f"internal://{guid}.txt",
            )
            for sel_guid, code_guid, start, end, quote in selections:
                selection = etree.SubElement(
                    source,
                    f"{P}PlainTextSelection",
                    guid=sel_guid,
                    name=quote,
                    startPosition=str(start),
                    endPosition=str(end),
                )
                coding = etree.SubElement(selection, f"{P}Coding", guid=sel_guid)
                etree.SubElement(coding, f"{P}CodeRef", targetGUID=code_guid)
            archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
        archive.writestr(
            "project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8")
        )
    return buffer.getvalue()


def floor_import(data: bytes) -> int:
    """Parse project.qde with lxml alone, read every selection, unzip the sources."""
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        for selection in root.iter(f"{P}PlainTextSelection"):
            int(selection.get("startPosition") or 0)
            int(selection.get("endPosition") or 0)
            count += 1
        for name in archive.namelist():
            if name.startswith("sources/"):
                archive.read(name).decode("utf-8")
    return count


def run(args: Any) -> dict[str, Any]:
    size = (50, 1000, 1000) if args.quick else (1000, 1000, 20_000)
    work = Path(tempfile.mkdtemp(prefix="qc-bench-exchange-", dir=args.workdir))
    try:
        corpus = build_corpus(
            work / "source", transcripts=size[0], words=size[1], codings=size[2], seed=args.seed
        )
        out = work / "out.qdpx"
        with open_project(work / "source") as project:
            built = build_export(project)
            plain = [
                (
                    s.guid,
                    s.name,
                    s.text,
                    [
                        (x.guid, x.codings[0].code_guid, x.start, x.end, x.name or "")
                        for x in s.selections
                    ],
                )
                for s in built.sources
            ]
            export_ms, export_floor_ms = [], []
            for _ in range(args.runs):
                export_ms.append(_seconds(partial(export_qdpx, project, out), "export"))
                export_floor_ms.append(_seconds(partial(floor_export, plain), "export floor"))
        data = out.read_bytes()
        # as bench_import does: spaCy's load (~3 s once per process) and its vocabulary
        # are paid by an untimed import first
        with init_project(work / "warm-up", language="sv") as warm:
            import_qdpx(warm, out, coder="bench")
        import_ms, import_floor_ms = [], []
        for n in range(args.runs):
            target = init_project(work / f"target{n}", language="sv")
            with target:
                import_ms.append(
                    _seconds(partial(import_qdpx, target, out, coder="bench"), "import")
                )
            import_floor_ms.append(_seconds(lambda: floor_import(data), "import floor"))
        results = [
            make_result(
                "export_qdpx (whole project)",
                export_ms,
                export_floor_ms,
                target_ms=2000,
                floor_name="lxml builds + serialises the same project.qde, zips the texts",
                rows=size[2],
                note=f"{_cpu('export')}; floor {_cpu('export floor')}",
            ),
            make_result(
                "import_qdpx (into an empty project)",
                import_ms,
                import_floor_ms,
                target_ms=5000,
                floor_name="lxml parses project.qde, reads every selection, unzips the texts",
                rows=size[2],
                note=f"{_cpu('import')}; floor {_cpu('import floor')}; the import also finds "
                "turns and spaCy sentences of every text",
            ),
        ]
        return report(
            "REFI-QDA exchange",
            quick=args.quick,
            corpus=corpus_summary(corpus, qdpx_bytes=len(data)),
            results=results,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    import sys

    runs = 2
    if "--runs" in sys.argv:
        index = sys.argv.index("--runs")
        runs = int(sys.argv[index + 1])
        del sys.argv[index : index + 2]
    args = arguments("bench_exchange", __doc__ or "")
    args.runs = runs
    result = run(args)
    emit(result, args.json)


if __name__ == "__main__":
    main()

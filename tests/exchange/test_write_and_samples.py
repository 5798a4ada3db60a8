"""Writing .qdpx/.qdc (valid against the REFI-QDA schemas) and reading real samples."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from qualcode.exchange import positions
from qualcode.exchange.qdc import read_qdc, write_qdc
from qualcode.exchange.qdpx import read_qdpx, write_qdpx
from qualcode.exchange.records import (
    ExCase,
    ExCode,
    ExCodebook,
    ExCoding,
    ExNote,
    ExProject,
    ExSelection,
    ExSource,
    ExUser,
    ExValue,
    ExVariable,
)
from tests.exchange.support import SAMPLES, assert_valid_codebook, assert_valid_project

G = "00000000-0000-4000-8000-{:012d}".format
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _project() -> ExProject:
    text = "Moderator: Hur var det?\nA: Det kostar för mycket 😤, tyvärr.\n"
    start = text.index("kostar")
    return ExProject(
        name="Studie",
        created=WHEN,
        users=(ExUser(G(1), "Ann"),),
        codes=(
            ExCode(
                G(2),
                "Hinder",
                color="#aabbcc",
                description="Allt som står i vägen",
                children=(ExCode(G(3), "Kostnad", note_refs=(G(20),)),),
            ),
        ),
        variables=(
            ExVariable(G(4), "Län", "Text"),
            ExVariable(G(5), "Antal", "Float"),
            ExVariable(G(6), "Svarat", "Boolean"),
            ExVariable(G(7), "Datum", "Date"),
        ),
        cases=(
            ExCase(
                G(8),
                "Malmö",
                values=(
                    ExValue(G(4), "Skåne"),
                    ExValue(G(5), Decimal("0.00001")),
                    ExValue(G(6), True),
                    ExValue(G(7), date(2013, 4, 18)),
                ),
                source_refs=(G(9),),
            ),
        ),
        sources=(
            ExSource(
                G(9),
                "Intervju 1",
                text,
                created=WHEN,
                selections=(
                    ExSelection(
                        G(10),
                        start,
                        start + len("kostar för mycket 😤"),
                        name="kostar",
                        creating_user=G(1),
                        created=WHEN,
                        codings=(ExCoding(G(11), G(3), G(1), WHEN, note_refs=(G(21),)),),
                    ),
                ),
                note_refs=(G(22),),
            ),
        ),
        notes=(
            ExNote(G(20), "Om koden", creating_user=G(1), created=WHEN, modified=WHEN),
            ExNote(G(21), "Om kodningen"),
            ExNote(G(22), "Om intervjun"),
            ExNote(G(23), "Om projektet"),
        ),
        note_refs=(G(23),),
    )


def test_written_project_is_valid_and_reads_back_the_same() -> None:
    project = _project()
    data = write_qdpx(project, "qualcode test")
    assert_valid_project(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read(f"sources/{G(9)}.txt") == project.sources[0].text.encode("utf-8")
    back = read_qdpx(data, "out.qdpx")
    assert back.sources[0].selections == project.sources[0].selections
    assert back.codes == project.codes
    assert back.cases == project.cases
    assert back.notes == project.notes
    assert back.note_refs == project.note_refs
    assert back.sources[0].note_refs == (G(22),)
    assert back.not_carried == ()


def test_exporting_the_same_project_twice_gives_the_same_bytes() -> None:
    assert write_qdpx(_project(), "q") == write_qdpx(_project(), "q")


def test_written_codebook_is_valid_and_has_no_empty_sets() -> None:
    book = ExCodebook(_project().codes)
    data = write_qdc(book, "qualcode test")
    assert_valid_codebook(data)
    assert b"<Sets" not in data
    assert read_qdc(data, "book.qdc").codes[0].children[0].name == "Kostnad"


def test_codebook_namespace_variants_and_taguette_empty_sets() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="Taguette 1.5.2"><Codes>
<Code guid="{A0000000-0000-4000-8000-000000000001}" name="interesting" isCodable="true"/>
</Codes><Sets/></CodeBook>"""
    book = read_qdc(data, "taguette.qdc")
    assert book.codes[0].guid == "a0000000-0000-4000-8000-000000000001"
    assert "1:0" in book.warnings[0]


def _sample(name: str) -> bytes:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"REFI-QDA sample not available: {path}")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "sources", "selections"),
    [
        ("nvivo-win-12.6_oltas.qdpx", 1, 97),
        ("nvivo-win-12.6_oltas0517.qdpx", 2, 303),
        ("qc-1.3.2_demo.qdpx", 2, 158),
        ("maxqda-24.7.0_ICLS_Conf_Themes_ALL_just10.qdpx", 10, 0),
    ],
)
def test_real_samples_with_text_sources(name: str, sources: int, selections: int) -> None:
    project = read_qdpx(_sample(name), name)
    assert len(project.sources) == sources
    assert sum(len(s.selections) for s in project.sources) == selections
    for source in project.sources:
        aligned = sum(positions._on_boundary(source.text, s.start) for s in source.selections)
        assert aligned >= 0.9 * len(source.selections)


def test_nvivo_windows_and_mac_put_the_same_codings_on_the_same_words() -> None:
    """The same documents exported by NVivo on Windows (CRLF, BOM) and on a Mac (LF):
    after mapping, the coded passages of the shared source are the same text."""
    windows = read_qdpx(_sample("nvivo-win-12.6_oltas0517.qdpx"), "win")
    folder = SAMPLES / "nvivo-mac-12.7_OltasSzkepticizmus_17June.extract"
    if not folder.is_dir():
        pytest.skip(f"REFI-QDA sample not available: {folder}")
    files = {p.name.lower(): p.read_bytes() for p in (folder / "sources").iterdir()}
    root = etree.fromstring((folder / "project.qde").read_bytes())
    for source in root.iter("{*}TextSource"):  # drop the source left out of the sample
        if source.get("plainTextPath", "").split("//")[-1].lower() not in files:
            source.getparent().remove(source)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", etree.tostring(root))
        for file_name, data in files.items():
            archive.writestr(f"sources/{file_name}", data)
    mac = read_qdpx(buffer.getvalue(), "mac")
    mac_quotes = {s.text[x.start : x.end] for s in mac.sources for x in s.selections}
    win_quotes = {s.text[x.start : x.end] for s in windows.sources for x in s.selections}
    shared = mac_quotes & win_quotes
    assert len(shared) >= 0.9 * len(mac_quotes)

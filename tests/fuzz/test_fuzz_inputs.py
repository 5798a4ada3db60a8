"""Fuzzing every reader of outside input (issue 12, item 9).

Each test feeds generated hostile input and accepts exactly two outcomes: a clean
``InvalidInput`` (one sentence naming the file), or a correct result. Any other
exception fails. The store-backed one also checks nothing was half-written.

The normal suite runs a small budget; ``make fuzz`` sets QUALCODE_FUZZ_EXAMPLES high.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codebook import parse_codebook
from qualcode.domain.errors import InvalidInput
from qualcode.domain.query import QuerySyntaxError, parse, to_text
from qualcode.ingest import opendocument, plain, rtf, subrip, vtt, word
from qualcode.ingest.base import ReadTranscript
from qualcode.services import coding
from qualcode.services.codings_csv import import_codings_csv
from qualcode.services.project import Project

EXAMPLES = int(os.environ.get("QUALCODE_FUZZ_EXAMPLES", "30"))
fuzz = settings(
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _one_sentence(exc: InvalidInput) -> None:
    message = str(exc)
    assert message and "Traceback" not in message


def _check_read(reader, data: bytes, name: str) -> None:  # type: ignore[no-untyped-def]
    try:
        result = reader(data, name)
    except InvalidInput as exc:
        _one_sentence(exc)
        return
    assert isinstance(result, ReadTranscript) and isinstance(result.text, str)
    assert "\r" not in result.text  # the canonical text has one kind of line break


texty = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=600).map(lambda t: t.encode("utf-8")),
    st.text(max_size=300).map(lambda t: t.encode("utf-16")),
    st.text(alphabet="Anna:Bo0123456789-> \n\r\t{}\\rtf'\"WEBVTT", max_size=600).map(
        lambda t: t.encode("latin-1", "replace")
    ),
)


@fuzz
@given(data=texty)
def test_text_readers_take_any_bytes(data: bytes) -> None:
    for reader, name in ((plain.read, "f.txt"), (rtf.read, "f.rtf")):
        _check_read(reader, data, name)


@fuzz
@given(data=texty, header=st.sampled_from([b"", b"WEBVTT\n\n", b"1\n"]))
def test_caption_readers_take_any_bytes(data: bytes, header: bytes) -> None:
    _check_read(vtt.read, header + data, "f.vtt")
    _check_read(subrip.read, header + data, "f.srt")


MEMBERS = [
    "word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
    "content.xml", "mimetype", "META-INF/manifest.xml", "styles.xml", "xl/workbook.xml",
]  # fmt: skip
xml_ish = st.one_of(
    st.binary(max_size=400),
    st.text(alphabet="<>/=\"' abcdwptxml:&;!-[]?", max_size=400).map(str.encode),
    st.just(b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>"),
)


@st.composite
def archives(draw) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in draw(st.lists(st.sampled_from(MEMBERS), unique=True, max_size=6)):
            archive.writestr(member, draw(xml_ish))
    data = out.getvalue()
    cut = draw(st.integers(0, len(data)))
    return data if draw(st.booleans()) else data[:cut]


@fuzz
@given(data=archives())
def test_archive_readers_take_any_zip(data: bytes) -> None:
    _check_read(word.read, data, "f.docx")
    _check_read(opendocument.read, data, "f.odt")


yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["key", "name", "codes", "children", "parent", "hotkey",
                             "codebook", "definition", "labels", "color", "x"]),
            inner, max_size=5,
        ),
    ),
    max_leaves=30,
)  # fmt: skip


@fuzz
@given(source=st.one_of(st.text(max_size=500), yaml_values.map(yaml.safe_dump)))
def test_the_codebook_loader_takes_any_text(source: str) -> None:
    try:
        book = parse_codebook(source, "f.yaml")
    except InvalidInput as exc:
        _one_sentence(exc)
        return
    keys = [code.key for code in book.codes]
    assert len(keys) == len(set(keys))
    assert all(code.parent_key in keys for code in book.codes if code.parent_key)


query_text = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(["(", ")", "NOT", "AND", "OR", "OVERLAPS", "NEAR/2", "A", "B.C",
                         "code:", "text:", '"x y"', "role:", "attr:n>3", "ÅÄÖ", ":", "\\"]),
        max_size=60,
    ).map(" ".join),
)  # fmt: skip


@fuzz
@given(query=query_text)
def test_the_query_parser_takes_any_text(query: str) -> None:
    try:
        tree = parse(query)
    except QuerySyntaxError as exc:
        assert str(exc)
        return
    assert parse(to_text(tree)) == tree


HEADER = "transcript,code,coder,start,end"
csv_text = st.one_of(
    st.binary(max_size=800),
    st.lists(
        st.tuples(
            st.sampled_from(["Fokus", "", "Okänd", "=1+1", '"Fokus"']),
            st.sampled_from(["BIC", "ACT.WAIT", "", "NOPE", "BIC\x00"]),
            st.sampled_from(["anna", "", " ", "x" * 120]),
            st.sampled_from(["0", "5", "-1", "x", "99999999", ""]),
            st.sampled_from(["5", "9", "0", "1e3", "", "20"]),
        ),
        max_size=8,
    ).map(lambda rows: (HEADER + "\n" + "\n".join(",".join(r) for r in rows)).encode()),
)


@fuzz
@given(data=csv_text)
def test_the_codings_csv_reader_writes_all_or_nothing(
    sqlite_coded_project: Project, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "codings.csv"
    path.write_bytes(data)
    before = len(coding.list_codings(sqlite_coded_project))
    try:
        report = import_codings_csv(sqlite_coded_project, path)
    except InvalidInput as exc:
        _one_sentence(exc)
        assert len(coding.list_codings(sqlite_coded_project)) == before
        return
    assert len(coding.list_codings(sqlite_coded_project)) == before + report.imported

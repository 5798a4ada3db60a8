"""Hostile input, the rest (issue 12, item 6): archive bombs, deep codebooks and
queries, impossible dates, catastrophic patterns, empty coder names, non-ASCII code
keys and XML entities."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.codebook import (
    MAX_CODE_DEPTH,
    Codebook,
    CodebookError,
    CodeSpec,
    dump_codebook,
    parse_codebook,
)
from qualcode.domain.errors import InvalidInput
from qualcode.domain.query import QuerySyntaxError, parse
from qualcode.ingest import word
from qualcode.services import coding, retrieval
from qualcode.services.codebook import apply_codebook
from qualcode.services.codes import add_code
from qualcode.services.importing import import_file
from qualcode.services.project import Project, open_project
from tests.conftest import CODEBOOK, SHORT_FOCUS_GROUP, ProjectPlace, add_codebook_and_transcript

runner = CliRunner(env={"QUALCODE_CODER": "anna", "QUALCODE_PROJECT": None, "QUALCODE_DB": None})


def _docx_bytes(text: str = "Anna: hej där, hur mår du?") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _replace_member(data: bytes, member: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = content if info.filename == member else source.read(info.filename)
            target.writestr(info.filename, body)
    return out.getvalue()


def test_a_docx_whose_text_unpacks_to_40_mb_is_refused_with_the_sizes() -> None:
    bomb = _replace_member(_docx_bytes(), "word/document.xml", b" " * (40 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(InvalidInput, match=r"word/document.xml would unpack to 40 MB from \d+ KB"):
        word.read(bomb, "bomb.docx")
    assert time.monotonic() - started < 5


def test_an_entity_in_a_docx_keeps_the_rest_of_its_run_and_warns() -> None:
    data = _docx_bytes("Hej där, och resten av meningen.")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    head_end = xml.index("?>") + 2
    xml = xml[:head_end] + '<!DOCTYPE w:document [<!ENTITY ort "Norrvik">]>' + xml[head_end:]
    xml = xml.replace("Hej där,", "Hej där &ort;,")
    read = word.read(_replace_member(data, "word/document.xml", xml.encode()), "e.docx")
    assert read.text.startswith("Hej där ") and "och resten av meningen." in read.text
    assert any("&ort;" in warning for warning in read.warnings)


def _nested_yaml(levels: int) -> str:
    lines = ["codebook: Djup", "codes:"]
    for level in range(levels):
        pad = "  " * (2 * level)
        lines += [f"{pad}  - key: K{level}", f"{pad}    name: Nivå {level}",
                  f"{pad}    definition: d", f"{pad}    children:"]  # fmt: skip
    lines[-1] = lines[-1].replace("    children:", "")
    return "\n".join(lines) + "\n"


def test_a_300_level_codebook_is_refused_with_its_line() -> None:
    with pytest.raises(CodebookError, match=f"nest deeper than {MAX_CODE_DEPTH} levels"):
        parse_codebook(_nested_yaml(300))
    assert len(parse_codebook(_nested_yaml(MAX_CODE_DEPTH)).codes) == MAX_CODE_DEPTH
    with pytest.raises(CodebookError, match="levels"):
        parse_codebook(_nested_yaml(MAX_CODE_DEPTH + 1))


def test_a_200_level_tree_is_refused_by_export_not_crashed() -> None:
    specs = tuple(
        CodeSpec(key=f"K{n}", parent_key=f"K{n - 1}" if n else None, name="n", labels={})
        for n in range(200)
    )
    with pytest.raises(CodebookError, match="deeper than"):
        dump_codebook(Codebook("Djup", None, "sv", specs))


def test_codes_cannot_be_nested_past_the_limit_one_by_one(project: Project) -> None:
    parent = None
    for n in range(MAX_CODE_DEPTH):
        add_code(project, f"N{n}", name="n", coder="anna", parent=parent)
        parent = f"N{n}"
    with pytest.raises(InvalidInput, match=f"at most {MAX_CODE_DEPTH}"):
        add_code(project, "TOO.DEEP", name="n", coder="anna", parent=parent)


@pytest.mark.parametrize(
    "query", ["(" * 300 + "A" + ")" * 300, "NOT " * 1000 + "A", "(NOT " * 400 + "A" + ")" * 400]
)
def test_deep_queries_are_a_clear_error(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match="more than 50 deep"):
        parse(query)


def test_swedish_letters_in_code_keys_are_accepted_and_queried(coded_project: Project) -> None:
    add_code(coded_project, "VÄNTAN.Åtgärd", name="Åtgärder", coder="anna")
    coding.apply_code(
        coded_project, transcript="Fokus", code="VÄNTAN.Åtgärd", start=0, end=5, coder="anna"
    )
    found = retrieval.retrieve(coded_project, "VÄNTAN.Åtgärd")
    assert len(found.passages) == 1
    book = parse_codebook("codebook: B\ncodes:\n  - key: ÖVRIGT\n    name: Ö\n    definition: d\n")
    assert book.codes[0].key == "ÖVRIGT"


def test_a_catastrophic_speaker_pattern_finishes(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "aaa.txt"
    path.write_text(("a" * 30 + "\n\n") * 200 + "Anna: hej\n", encoding="utf-8")
    started = time.monotonic()
    import_file(project, path, speaker_pattern=r"^(?P<label>(a|aa)+)+b")
    assert time.monotonic() - started < 30
    with pytest.raises(InvalidInput, match="look-ahead"):
        import_file(project, path, speaker_pattern=r"^(?P<label>\w+)(?=:)", force=True)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    where = tmp_path / "p"
    assert runner.invoke(app, ["init", str(where)]).exit_code == 0
    assert runner.invoke(app, ["-p", str(where), "codebook", "apply", str(CODEBOOK)]).exit_code == 0
    return where


def test_an_impossible_import_date_is_refused(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    done = runner.invoke(app, ["-p", str(folder), "import", str(path), "--date", "2013-02-30"])
    assert done.exit_code == 1 and "does not exist" in done.stderr
    done = runner.invoke(app, ["-p", str(folder), "transcripts", "--json"])
    assert done.stdout.strip() == "[]"


def test_an_empty_coder_name_is_refused(folder: Path) -> None:
    for name in ("", "   "):
        done = runner.invoke(app, ["-p", str(folder), "undo", "--coder", name])
        assert done.exit_code == 1 and "--coder needs a name" in done.stderr


def test_apply_codebook_with_unicode_keys(project: Project) -> None:
    book = parse_codebook(
        "codebook: B\ncodes:\n  - key: BARN.Förälder\n    name: F\n    definition: d\n"
    )
    assert apply_codebook(project, book, coder="anna").added == ("BARN.Förälder",)


@pytest.mark.parametrize("ref", ["²", "2147483648", "9" * 30])
def test_a_number_no_row_can_have_is_not_found_not_a_traceback(
    ref: str, place: ProjectPlace, tmp_path: Path
) -> None:
    """'²' passes str.isdigit but not int(); a number past 32 bits overflowed SQLite's
    driver and PostgreSQL's INTEGER: each used to end in a traceback."""
    with place.init() as project:
        add_codebook_and_transcript(project, tmp_path)
    args = place.cli_args
    coded = runner.invoke(app, [*args, "code", ref, "CTX.PROBLEMS", "0", "5"])
    assert coded.exit_code == 1
    assert coded.stderr.strip() == f"qualcode: no transcript with id or title {ref!r}"
    shown = runner.invoke(app, [*args, "show", ref])
    assert shown.exit_code == 1
    assert "no transcript with id or title" in shown.stderr
    removed = runner.invoke(app, [*args, "uncode", ref])
    assert removed.exit_code == 2
    assert "give a coding id" in removed.stderr
    by_span = runner.invoke(app, [*args, "uncode", "Fokus", "CTX.PROBLEMS", ref, "5"])
    assert by_span.exit_code == 2
    memo = runner.invoke(app, [*args, "memo", "add", "--coding", "9" * 20, "hej"])
    assert memo.exit_code == 1
    assert "a coding is named by its id" in memo.stderr
    with open_project(place.directory, place.db_url) as project:
        assert coding.list_codings(project) == []  # nothing was written

"""REFI-QDA import and export through the service and the CLI, on both engines."""

from __future__ import annotations

import contextlib
import json
import uuid
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.domain.errors import InvalidInput, QualcodeError
from qualcode.domain.records import CODE_CONTENT_FIELDS, Code
from qualcode.services import memos as memo_service
from qualcode.services.attributes import list_values, set_attribute, set_case
from qualcode.services.coders import list_coders
from qualcode.services.codes import list_codes
from qualcode.services.coding import apply_code, list_codings
from qualcode.services.exchange import apply_qdc, export_qdc, export_qdpx, import_qdpx
from qualcode.services.importing import import_file
from qualcode.services.project import Project, init_project
from qualcode.services.transcripts import list_transcripts
from tests.cli.test_cli import _documented_keys
from tests.conftest import ProjectPlace
from tests.exchange.support import (
    CODE_B,
    SOURCE,
    USER,
    assert_valid_codebook,
    assert_valid_project,
    qde,
    qdpx,
    selection,
    text_source,
)

TEXT = "Moderator: Hur går det?\nA: Det kostar för mycket, tyvärr.\n"
NOTE = "a0e00000-0000-4000-8000-00000000000{}".format


def _foreign_file(tmp_path: Path) -> Path:
    start = TEXT.index("kostar")
    notes = (
        f'<Notes><Note guid="{NOTE(1)}" creatingUser="{USER}"><PlainTextContent>Om '
        f'kodningen</PlainTextContent></Note><Note guid="{NOTE(2)}"><PlainTextContent>'
        "Om projektet</PlainTextContent></Note></Notes>"
    )
    variables = (
        '<Variables><Variable guid="7a000000-0000-4000-8000-000000000001" name="Antal" '
        'typeOfVariable="Integer"/></Variables>'
        '<Cases><Case guid="ca5e0000-0000-4000-8000-000000000001" name="Malmö">'
        '<VariableValue><VariableRef targetGUID="7a000000-0000-4000-8000-000000000001"/>'
        f'<IntegerValue>7</IntegerValue></VariableValue><SourceRef targetGUID="{SOURCE}"/>'
        "</Case></Cases>"
    )
    sel = selection("1", start, start + len("kostar för mycket")).replace(
        "</Coding>", f'<NoteRef targetGUID="{NOTE(1)}"/></Coding>'
    )
    document = qde(text_source(sel), origin="QualCoder 3.5").replace(
        b"<Sources>", variables.encode() + b"<Sources>"
    )
    document = document.replace(b"</Sources>", b"</Sources>" + notes.encode()).replace(
        b"</Project>", f'<NoteRef targetGUID="{NOTE(2)}"/></Project>'.encode()
    )
    path = tmp_path / "foreign.qdpx"
    path.write_bytes(qdpx({"project.qde": document, f"sources/{SOURCE}.txt": TEXT.encode("utf-8")}))
    return path


def test_import_carries_everything_onto_the_right_words(project: Project, tmp_path: Path) -> None:
    report = import_qdpx(project, _foreign_file(tmp_path), coder="me")
    assert report.counts["transcripts"] == 1 and report.counts["codings"] == 1
    [transcript] = list_transcripts(project)
    assert transcript.uuid == SOURCE and transcript.title == "Interview 1"
    assert transcript.case == "Malmö"
    [coding] = list_codings(project)
    assert coding.quote == "kostar för mycket" and coding.coder == "Ann"
    assert coding.uuid == "c0d10000-0000-4000-8000-000000000001"
    codes = {c.uuid: c for c in list_codes(project)}
    assert codes[CODE_B].name == "Cost" and codes[CODE_B].color == "#e06c75"
    assert codes[CODE_B].parent_key == "Barriers"
    memos = {m.uuid: m for m in memo_service.list_memos(project)}
    assert memos[NOTE(1)].target == "coding" and memos[NOTE(1)].author == "Ann"
    assert memos[NOTE(2)].target == "project"
    [value] = list_values(project)
    assert (value.attribute, value.owner, value.value) == ("Antal", "Malmö", 7.0)
    assert any("folder" in w for w in report.warnings)


def test_importing_the_same_file_twice_is_refused_and_writes_nothing(
    project: Project, tmp_path: Path
) -> None:
    path = _foreign_file(tmp_path)
    import_qdpx(project, path, coder="me")
    with pytest.raises(InvalidInput, match="already holds"):
        import_qdpx(project, path, coder="me")
    assert len(list_transcripts(project)) == 1 and len(list_codings(project)) == 1


def test_a_hostile_archive_writes_nothing(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "slip.qdpx"
    path.write_bytes(qdpx({"project.qde": qde(""), "../../evil.txt": b"x"}))
    with pytest.raises(InvalidInput, match="outside the archive"):
        import_qdpx(project, path, coder="me")
    assert list_transcripts(project) == [] and list_codes(project) == []


def _code_row(c: Code) -> tuple[object, ...]:
    return tuple(getattr(c, name) for name in ("uuid", "key", "parent_key", *CODE_CONTENT_FIELDS))


def _snapshot(project: Project) -> dict[str, object]:
    return {
        "transcripts": sorted(
            (t.uuid, t.title, t.mode, t.language, t.date, t.case, t.length)
            for t in list_transcripts(project)
        ),
        "codes": sorted(_code_row(c) for c in list_codes(project)),
        "codings": sorted(
            (c.uuid, c.transcript_title, c.code_key, c.coder, c.start, c.end, c.quote)
            for c in list_codings(project)
        ),
        "memos": sorted(
            (m.uuid, m.target, m.target_ref if m.target != "coding" else None, m.text, m.author)
            for m in memo_service.list_memos(project)
        ),
        "values": sorted(
            (v.attribute, v.value_type, v.scope, v.owner, v.value) for v in list_values(project)
        ),
    }


def test_round_trip_through_qdpx_loses_nothing(
    coded_project: Project, place: ProjectPlace, tmp_path: Path
) -> None:
    project = coded_project
    apply_code(project, transcript="Fokus", code="ACT.WAIT", start=100, end=140, coder="anna")
    coding = apply_code(project, transcript="Fokus", code="BIC", start=10, end=50, coder="bo")
    memo_service.add_memo(project, target="coding", ref=str(coding.id), text="väntan", coder="anna")
    memo_service.add_memo(project, target="project", ref=None, text="projektet", coder="anna")
    memo_service.add_memo(project, target="code", ref="BIC", text="koden", coder="bo")
    set_case(project, "Fokus", "Malmö", coder="anna")
    set_attribute(project, "Antal", "12.5", coder="anna", case="Malmö")
    set_attribute(project, "Svarat", "ja", coder="anna", transcript="Fokus")
    out = tmp_path / "out.qdpx"
    export_qdpx(project, out)
    assert_valid_project(out.read_bytes())
    assert out.stat().st_mode & 0o777 == 0o600
    other_place = ProjectPlace(tmp_path / "other", None)
    with other_place.init(language="sv") as other:
        import_qdpx(other, out, coder="anna")
        before, after = _snapshot(project), _snapshot(other)
        assert after == before


def test_export_of_chosen_transcripts_and_coders(coded_project: Project, tmp_path: Path) -> None:
    apply_code(coded_project, transcript="Fokus", code="BIC", start=10, end=50, coder="anna")
    apply_code(coded_project, transcript="Fokus", code="BIC", start=10, end=60, coder="bo")
    report = export_qdpx(coded_project, tmp_path / "bo.qdpx", coders=["bo"])
    assert report.counts["codings"] == 1
    with zipfile.ZipFile(tmp_path / "bo.qdpx") as archive:
        assert b'name="anna"' not in archive.read("project.qde")


def test_qdc_export_is_valid_and_applies_to_a_new_project(
    coded_project: Project, tmp_path: Path
) -> None:
    data = export_qdc(coded_project)
    assert_valid_codebook(data)
    path = tmp_path / "book.qdc"
    path.write_bytes(data)
    with init_project(tmp_path / "fresh") as fresh:
        diff, _ = apply_qdc(fresh, path, coder="me")
        assert len(diff.added) == len(list_codes(coded_project))
        assert _code_fields(fresh) == _code_fields(coded_project)
        again, _ = apply_qdc(fresh, path, coder="me")
        assert again.is_empty


def _code_fields(project: Project) -> list[tuple[object, ...]]:
    return sorted((c.uuid, c.key, c.parent_key, c.definition) for c in list_codes(project))


def test_cli_import_export_and_codebook(place: ProjectPlace, tmp_path: Path) -> None:
    runner = CliRunner()
    place.init(language="sv").close()
    foreign = _foreign_file(tmp_path)
    done = runner.invoke(app, [*place.cli_args, "import", str(foreign)])
    assert done.exit_code == 0, done.output
    assert "1 transcripts" in done.output and "1 codings" in done.output
    out = tmp_path / "out.qdpx"
    done = runner.invoke(app, [*place.cli_args, "export", "-o", str(out), "--json"])
    assert done.exit_code == 0, done.output
    assert '"codings": 1' in done.output
    documented = _documented_keys(Path(__file__).parents[2] / "docs" / "cli.md")
    assert set(json.loads(done.output)) == documented["export -o FILE.qdpx"]
    assert_valid_project(out.read_bytes())
    book = tmp_path / "book.qdc"
    done = runner.invoke(app, [*place.cli_args, "codebook", "export", "-f", "qdc", "-o", str(book)])
    assert done.exit_code == 0 and book.read_bytes().startswith(b"<?xml")
    done = runner.invoke(app, [*place.cli_args, "codebook", "apply", str(book)])
    assert done.exit_code == 0 and "Added 0 codes" in done.output
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    done = runner.invoke(app, [*place.cli_args, "import", str(bad)])
    assert done.exit_code == 1 and "not a zip archive" in done.output


WORDS = st.text(alphabet="abcdeåäö 😀\u0301", min_size=1, max_size=8).filter(
    lambda w: w.strip() != ""
)
# what a user may type into a definition or memo: any printable text, several lines
PROSE = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\n\t"),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip() != "")


@st.composite
def codebooks(draw: st.DrawFn) -> str:
    """A YAML codebook of 1-4 codes, some nested, with generated texts."""
    codes = []
    for n in range(draw(st.integers(1, 4))):
        code = {
            "key": f"K{n}",
            "name": draw(PROSE).strip().replace("\n", " ") or f"n{n}",
            "definition": draw(PROSE).strip(),
            "color": draw(st.sampled_from(["#aabbcc", "#123456"])),
        }
        if n and draw(st.booleans()):
            code["parent"] = f"K{n - 1}"
        if draw(st.booleans()):
            code["include"] = draw(PROSE).strip()
        if draw(st.booleans()):
            code["name"] = {"sv": code["name"], "en": draw(PROSE).strip().replace("\n", " ") or "e"}
        if draw(st.booleans()):
            code["patterns"] = [draw(PROSE).strip()]
        codes.append(code)
    return yaml.safe_dump({"codebook": "gen", "language": "sv", "codes": codes}, allow_unicode=True)


@settings(
    max_examples=8,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    paragraphs=st.lists(st.lists(WORDS, min_size=1, max_size=6), min_size=1, max_size=4),
    book=codebooks(),
    spans=st.lists(
        st.tuples(st.integers(0, 200), st.integers(1, 30), st.sampled_from("ab")), max_size=6
    ),
    memos=st.lists(PROSE, max_size=3),
    number=st.none() | st.floats(-1e6, 1e6, allow_nan=False),
)
def test_generated_projects_round_trip(
    tmp_path: Path,
    paragraphs: list[list[str]],
    book: str,
    spans: list[tuple[int, int, str]],
    memos: list[str],
    number: float | None,
) -> None:
    from qualcode.codebook import parse_codebook
    from qualcode.services.codebook import apply_codebook

    root = tmp_path / uuid.uuid4().hex
    root.mkdir()
    text = "\r\n".join(" ".join(words) for words in paragraphs)
    (root / "t.txt").write_text(text, encoding="utf-8")
    with init_project(root / "a", language="en") as source:
        codebook = parse_codebook(book)
        apply_codebook(source, codebook, coder="x")
        import_file(source, root / "t.txt")
        length = list_transcripts(source)[0].length
        keys = [c.key for c in codebook.codes]
        for n, (start, width, coder) in enumerate(spans):
            if start + 1 < length:
                end = min(length, start + width)
                with contextlib.suppress(QualcodeError):  # a duplicate span
                    apply_code(
                        source, transcript="t", code=keys[n % len(keys)], start=start,
                        end=end, coder=coder,
                    )  # fmt: skip
        for n, memo in enumerate(memos):
            target = [("project", None), ("transcript", "t"), ("code", keys[0])][n % 3]
            memo_service.add_memo(source, target=target[0], ref=target[1], text=memo, coder="a")
        if number is not None:
            set_attribute(
                source, "Tal", repr(number), coder="a", transcript="t", value_type="number"
            )
        export_qdpx(source, root / "out.qdpx")
        assert_valid_project((root / "out.qdpx").read_bytes())
        with init_project(root / "b", language="en") as target:
            import_qdpx(target, root / "out.qdpx", coder="x")
            assert _snapshot(target) == _snapshot(source)


def test_atlas_pseudo_user_is_not_made_a_coder(project: Project, tmp_path: Path) -> None:
    users = (
        f'<Users><User guid="{USER}" name="Ann"/>'
        '<User guid="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B" name="ATLAS.ti"/></Users>'
    )
    document = qde(text_source(selection("1", 0, 3)), origin="ATLAS.ti 23.2", users=users)
    path = tmp_path / "atlas.qdpx"
    path.write_bytes(qdpx({"project.qde": document, f"sources/{SOURCE}.txt": b"Det var svart"}))
    report = import_qdpx(project, path, coder="me")
    names = {c.name for c in list_coders(project)}
    assert "Ann" in names and "ATLAS.ti" not in names
    assert any("pseudo-user" in w for w in report.warnings)

"""`qualcode quotes`: themes follow the query, whose codings is stated and chosen, the
query is metadata unless asked for, and `--json` is the shape `-f json` writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pytest

from tests.cli.test_cli import qc, ready  # noqa: F401  (the fixture)
from tests.conftest import SHORT_FOCUS_GROUP, ProjectPlace

WAIT = "Vi lägger ärendet på is."
NOT_VALUED = "De lyssnar inte på våra bedömningar."


def span(quote: str) -> tuple[str, str]:
    start = SHORT_FOCUS_GROUP.index(quote)
    return str(start), str(start + len(quote))


def code(place: ProjectPlace, quote: str, key: str, coder: str) -> None:
    qc(place, "code", "Fokus", key, *span(quote), "--coder", coder)


def test_a_passage_is_filed_under_every_code_the_query_names(
    ready: ProjectPlace,  # noqa: F811
    tmp_path: Path,
) -> None:
    # the waiting passage also carries COND.UNCERTAIN, which the query does not name;
    # before, it was filed under whichever code came first in the codebook
    code(ready, WAIT, "ACT.WAIT", "anna")
    code(ready, WAIT, "COND.UNCERTAIN", "anna")
    code(ready, WAIT, "DISC.STRUCT", "anna")
    code(ready, NOT_VALUED, "DISC.STRUCT", "anna")

    data = json.loads(qc(ready, "quotes", "ACT.WAIT", "--json"))
    assert [theme["key"] for theme in data["themes"]] == ["ACT.WAIT"]
    assert [q["text"] for q in data["themes"][0]["quotes"]] == [WAIT]

    both = json.loads(qc(ready, "quotes", "ACT.WAIT OR DISC.STRUCT", "--json"))
    filed = {theme["key"]: [q["text"] for q in theme["quotes"]] for theme in both["themes"]}
    assert filed == {"ACT.WAIT": [WAIT], "DISC.STRUCT": [WAIT, NOT_VALUED]}
    assert [p["text"] for p in both["passages"]] == [WAIT, NOT_VALUED]  # each passage once
    assert both["by_code"]["DISC.STRUCT"] == 2

    every = json.loads(qc(ready, "quotes", "ACT.WAIT", "--themes", "codes", "--json"))
    assert {theme["key"] for theme in every["themes"]} == {
        "ACT.WAIT",
        "COND.UNCERTAIN",
        "DISC.STRUCT",
    }

    out = tmp_path / "q.csv"
    qc(ready, "quotes", "ACT.WAIT OR DISC.STRUCT", "-f", "csv", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [(r["theme"], r["quote"]) for r in rows] == [
        ("ACT.WAIT", WAIT),
        ("DISC.STRUCT", WAIT),
        ("DISC.STRUCT", NOT_VALUED),
    ]


def test_whose_codings_is_chosen_and_said(
    ready: ProjectPlace,  # noqa: F811
    tmp_path: Path,
) -> None:
    code(ready, WAIT, "ACT.WAIT", "bertil")
    code(ready, NOT_VALUED, "ACT.WAIT", "cecilia")

    # the current coder (anna, from QUALCODE_CODER) has no codings: all coders, each named
    pooled = json.loads(qc(ready, "quotes", "ACT.WAIT", "--lang", "en", "--json"))
    assert pooled["codings"] == "all coders; each quote names whose coding it is"
    assert [[c["coder"] for c in p["codes"]] for p in pooled["passages"]] == [
        ["bertil"],
        ["cecilia"],
    ]
    out = tmp_path / "pooled.md"
    qc(ready, "quotes", "ACT.WAIT", "-o", str(out))
    # the project is Swedish: so are the export's own words, unless asked otherwise
    assert "(kodat av bertil)" in out.read_text("utf-8")
    qc(ready, "quotes", "ACT.WAIT", "--lang", "en", "-o", str(out))
    assert "(coded by bertil)" in out.read_text("utf-8")

    # anna codes too: her codings alone are the default now
    code(ready, WAIT, "ACT.WAIT", "anna")
    mine = json.loads(qc(ready, "quotes", "ACT.WAIT", "--json"))
    assert mine["codings"] == "kodaren anna"
    assert [p["text"] for p in mine["passages"]] == [WAIT]
    out = tmp_path / "mine.md"
    qc(ready, "quotes", "ACT.WAIT", "-o", str(out))
    assert "kodat av" not in out.read_text("utf-8")

    chosen = json.loads(qc(ready, "quotes", "ACT.WAIT", "--coder", "cecilia", "--json"))
    assert [p["text"] for p in chosen["passages"]] == [NOT_VALUED]
    everyone = json.loads(qc(ready, "quotes", "ACT.WAIT", "--all-coders", "--json"))
    assert len(everyone["passages"]) == 2

    # a consensus layer, once there is one, is the default
    qc(ready, "accept-agreements", "anna", "bertil")
    layer = json.loads(qc(ready, "quotes", "ACT.WAIT", "--lang", "en", "--json"))
    assert layer["codings"] == "the consensus layer 'consensus'"
    assert [[c["coder"] for c in p["codes"]] for p in layer["passages"]] == [["consensus"]]

    assert "no codings" in qc(ready, "quotes", "ACT.WAIT", "--coder", "nobody", code=1)
    assert "choose one of" in qc(
        ready, "quotes", "ACT.WAIT", "--coder", "anna", "--all-coders", code=1
    )


def test_the_query_is_metadata_unless_a_methods_note_is_asked_for(
    ready: ProjectPlace,  # noqa: F811
    tmp_path: Path,
) -> None:
    code(ready, WAIT, "ACT.WAIT", "anna")
    plain = tmp_path / "plain.docx"
    qc(ready, "quotes", "ACT.WAIT", "-f", "docx", "-o", str(plain))
    document = docx.Document(str(plain))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Query" not in text and "ACT.WAIT" not in text.replace("(ACT.WAIT)", "")
    assert document.core_properties.subject == "ACT.WAIT"
    assert document.core_properties.comments == "Kodningar av kodaren anna"
    assert document.core_properties.language == "sv"

    noted = tmp_path / "noted.md"
    qc(ready, "quotes", "ACT.WAIT", "--show-query", "-o", str(noted))
    markdown = noted.read_text("utf-8")
    assert "## Om sammanställningen" in markdown
    assert "Urval med ACT.WAIT ur kodningarna av kodaren anna: 1 citat under 1 tema" in markdown
    qc(ready, "quotes", "ACT.WAIT", "--show-query", "--lang", "en", "-o", str(noted))
    markdown = noted.read_text("utf-8")
    assert "## About this collection" in markdown
    assert (
        "Selected with ACT.WAIT from the codings of coder anna: 1 quote under 1 theme" in markdown
    )
    plain_md = tmp_path / "plain.md"
    qc(ready, "quotes", "ACT.WAIT", "-o", str(plain_md))
    assert "Om sammanställningen" not in plain_md.read_text("utf-8")
    assert plain_md.read_text("utf-8").startswith(
        "<!-- qualcode: query: ACT.WAIT; codings: kodaren anna -->"
    )


def test_json_file_and_json_output_are_one_shape(
    ready: ProjectPlace,  # noqa: F811
    tmp_path: Path,
) -> None:
    code(ready, WAIT, "ACT.WAIT", "anna")
    printed = json.loads(qc(ready, "quotes", "ACT.WAIT", "--json"))
    out = tmp_path / "q.json"
    qc(ready, "quotes", "ACT.WAIT", "-f", "json", "-o", str(out))
    assert json.loads(out.read_text("utf-8")) == printed


def test_an_empty_result_says_so_and_writes_nothing(
    ready: ProjectPlace,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "none.md"
    message = qc(ready, "quotes", "BIC", "-o", str(out))
    assert not out.exists()
    assert message == "0 passages match BIC; nothing was written.\n"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(start: str) -> None:
    from qualcode.domain.quotes import Collection, Quote, Theme
    from qualcode.export import registry

    text = f'{start}HYPERLINK("http://x")'
    quote = Quote(text, "a", "T", 0, 5, None, ("A",), True)
    data = registry.render(
        "collection", "csv", Collection("t", "q", (Theme("A", "A", None, (quote,)),))
    )
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row["quote"] == "'" + text
    assert row["start"] == "0"  # numbers are left alone


# (a CSV has no title; its cells all come from the quotes, which are checked first)
@pytest.mark.parametrize("fmt", ["md", "html", "json", "docx", "xlsx"])
def test_a_name_anywhere_in_the_finished_file_is_refused(
    ready: ProjectPlace,  # noqa: F811
    tmp_path: Path,
    fmt: str,
) -> None:
    code(ready, WAIT, "ACT.WAIT", "anna")
    qc(ready, "pseudonyms", "Norrvik", "Kommun 1")
    out = tmp_path / f"q.{fmt}"
    # an inflected name in the title cannot be replaced; the file read back shows it
    message = qc(
        ready,
        "quotes",
        "ACT.WAIT",
        "--title",
        "Norrvikarna väntar",
        "-f",
        fmt,
        "-o",
        str(out),
        code=1,
    )
    assert "'Norrvikarna'" in message and "not written" in message
    assert not out.exists()
    # a full-width spelling in the title is replaced like the plain one
    qc(ready, "quotes", "ACT.WAIT", "--title", "\uff2eorrvik väntar", "-f", fmt, "-o", str(out))
    assert out.exists()


def test_attribution_may_name_the_pseudonym_and_the_passages_attributes(
    ready: ProjectPlace,  # noqa: F811
) -> None:
    code(ready, WAIT, "ACT.WAIT", "anna")
    code(ready, "Hos oss är det likadant.", "ACT.WAIT", "anna")
    qc(ready, "speakers", "Fokus", "Socialsekreterare A", "--pseudonym", "Sara")
    qc(ready, "cases", "link", "Fokus", "Norrvik")
    qc(ready, "attr", "set", "county", "Skåne", "--case", "Norrvik")
    # Socialsekreterare B works in Ekbacka: her passages take its county first
    qc(ready, "cases", "link-speaker", "Fokus", "Socialsekreterare B", "Ekbacka")
    qc(ready, "attr", "set", "county", "Stockholm", "--case", "Ekbacka")
    qc(ready, "attribution", "--template", "{pseudonym}, {role}, {county}")
    qc(ready, "pseudonyms", "Skåne", "[län]")
    data = json.loads(qc(ready, "quotes", "ACT.WAIT", "--json"))
    by_text = {p["text"]: p["attribution"] for p in data["passages"]}
    assert by_text[WAIT] == "Sara, en deltagare, [län]"
    assert by_text["Hos oss är det likadant."] == "en deltagare, Stockholm"  # no pseudonym set
    refused = qc(ready, "attribution", "--template", "{name}", code=1)
    assert "(county), not {name}" in refused


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "docx", "xlsx"])
def test_memos_go_beside_their_quotes_when_asked_for(
    ready: ProjectPlace,  # noqa: F811
    tmp_path: Path,
    fmt: str,
) -> None:
    import openpyxl

    code(ready, WAIT, "ACT.WAIT", "anna")
    qc(ready, "memo", "add", "Jämför med Norrvik", "--coding", "1", "--coder", "anna")
    qc(ready, "pseudonyms", "Norrvik", "Kommun 1")
    plain, noted = tmp_path / f"plain.{fmt}", tmp_path / f"noted.{fmt}"
    qc(ready, "quotes", "ACT.WAIT", "-f", fmt, "-o", str(plain))
    qc(ready, "quotes", "ACT.WAIT", "--memos", "-f", fmt, "-o", str(noted))

    def text(path: Path) -> str:
        if fmt == "docx":
            return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        if fmt == "xlsx":
            book = openpyxl.load_workbook(path)
            return "\n".join(
                str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
            )
        return path.read_text("utf-8-sig")

    assert "Jämför med" not in text(plain)
    assert "anna: Jämför med Kommun 1" in text(noted)  # pseudonymised like the quote
    data = json.loads(qc(ready, "quotes", "ACT.WAIT", "--memos", "--json"))
    assert data["passages"][0]["memos"] == ["anna: Jämför med Kommun 1"]

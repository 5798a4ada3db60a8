"""Quote collections as Word and Excel files, read back with python-docx and openpyxl."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import openpyxl
import pytest
from docx.document import Document as WordDocument

from qualcode.domain.quotes import Collection, Quote, Theme
from qualcode.export import docx as word
from qualcode.export import xlsx as excel
from qualcode.services import coding
from qualcode.services.project import Project
from qualcode.services.quotes import build_collection
from qualcode.services.retrieval import retrieve
from qualcode.services.transcripts import transcript_text

WAIT = "Vi lägger ärendet på is. Det är så vi gör, tyvärr."
NOT_VALUED = "De lyssnar inte på våra bedömningar."
AFTER_WAIT = "Man vet ju inte om de får stanna."
AFTER_NOT_VALUED = "Det var så här: vi skrev ett yttrande och fick aldrig svar."


def code(project: Project, quote: str, key: str, coder: str = "anna") -> None:
    text = transcript_text(project, "Fokus").text
    start = text.index(quote)
    coding.apply_code(
        project, transcript="Fokus", code=key, start=start, end=start + len(quote), coder=coder
    )


@pytest.fixture
def coded(coded_project: Project) -> Project:
    code(coded_project, WAIT, "ACT.WAIT")
    code(coded_project, "Barnen får vänta längre än andra barn.", "DISC.DIFF", "bertil")
    code(
        coded_project, "Hur ser det ut hos er när familjen väntar på beslut?", "ACT.WAIT", "bertil"
    )
    code(coded_project, NOT_VALUED, "COOP.NOTVALUED")
    return coded_project


@pytest.fixture
def retrieved(coded: Project) -> Collection:
    found = retrieve(coded, "COOP.NOTVALUED OR ACT.WAIT AND role:participant", context=1)
    return build_collection(coded, found, title="Väntan")


def quote(text: str, **changes: object) -> Quote:
    fields: dict[str, object] = {
        "text": text, "attribution": "en deltagare, fokusgrupp", "transcript": "Fokus",
        "start": 0, "end": len(text), "timestamp_ms": None, "codes": ("A",), "verbatim": True,
    }  # fmt: skip
    return Quote(**{**fields, **changes})  # type: ignore[arg-type]


def read_word(collection: Collection) -> WordDocument:
    return docx.Document(io.BytesIO(word.render(collection)))


def read_excel(collection: Collection) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(excel.render(collection)))


def paragraphs(document: WordDocument) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style is not None]


# Word


def test_word_has_real_headings_then_quotes_with_context_and_attribution(
    retrieved: Collection,
) -> None:
    document = read_word(retrieved)
    found = paragraphs(document)
    headings = [(style, text) for style, text in found if style in ("Title", "Heading 1")]
    assert headings == [
        ("Title", "Väntan"),
        ("Heading 1", "Ärendet läggs på is (ACT.WAIT)"),
        ("Heading 1", "Bedömningar tillmäts ingen vikt (COOP.NOTVALUED)"),
    ]
    assert not any("COOP.NOTVALUED OR" in text for _, text in found)  # the query is metadata
    assert document.core_properties.subject == "COOP.NOTVALUED OR ACT.WAIT AND role:participant"
    # the project is Swedish, and so are the export's own words
    assert document.core_properties.comments == (
        "Kodningar av alla kodare; varje citat anger vems kodning det är"
    )
    quotes = [n for n, (style, _) in enumerate(found) if style == "Quote"]
    assert [found[n][1] for n in quotes] == [
        f"{WAIT} {AFTER_WAIT}",
        f"{NOT_VALUED} {AFTER_NOT_VALUED}",
    ]
    assert all(
        found[n + 1] == ("Quote Attribution", "— en deltagare, fokusgrupp (kodat av anna)")
        for n in quotes
    )
    order = [text for _, text in found]
    assert (
        order.index(headings[1][1])
        < order.index(f"{WAIT} {AFTER_WAIT}")
        < order.index(headings[2][1])
        < order.index(f"{NOT_VALUED} {AFTER_NOT_VALUED}")
    )

    wait = document.paragraphs[quotes[0]]
    assert [(run.text, run.style.name) for run in wait.runs] == [
        (WAIT, "Default Paragraph Font"),
        (" " + AFTER_WAIT, "Quote Context"),
    ]
    style, definition = found[order.index(headings[1][1]) + 1]
    assert (style, definition[:27]) == ("Theme Definition", "Att skjuta upp en utredning")
    assert document.styles["Theme Definition"].font.italic
    assert document.styles["Quote"].paragraph_format.left_indent > 0
    assert document.core_properties.title == "Väntan"
    assert document.core_properties.author == "qualcode"


def test_word_marks_summaries_and_keeps_only_what_xml_can_hold() -> None:
    collection = Collection(
        "Sammanfattningar\x01",
        'text:"på is"',
        (
            Theme(
                "",
                "Uncoded",
                None,
                (
                    quote("Vi väntade\x0bpå beslut, så är det.", before="Åter igen."),
                    quote("Socialsekreteraren berättar om väntan.", verbatim=False, attribution=""),
                ),
            ),
        ),
    )
    found = paragraphs(read_word(collection))
    assert found == [
        ("Title", "Sammanfattningar"),
        ("Heading 1", "Uncoded"),
        ("Quote", "Åter igen. Vi väntade på beslut, så är det."),
        ("Quote Attribution", "— en deltagare, fokusgrupp"),
        ("Quote", "Socialsekreteraren berättar om väntan."),
        ("Quote Attribution", "— unattributed (written summary, not verbatim)"),
    ]


def test_word_keeps_line_breaks_and_tabs_in_a_quote() -> None:
    theme = Theme("A", "Tema", "Def", (quote("Första raden\nandra\traden"),))
    document = read_word(Collection("T", "A", (theme,)))
    assert [text for style, text in paragraphs(document) if style == "Quote"] == [
        "Första raden\nandra\traden"
    ]


# Excel


def test_excel_has_an_index_then_a_sheet_per_theme(retrieved: Collection) -> None:
    book = read_excel(retrieved)
    wait, not_valued = (t.name for t in retrieved.themes)
    assert book.sheetnames == ["Index", wait, not_valued]

    index = book["Index"]
    assert index["A1"].value == "Väntan"
    assert index["A2"].value is None  # the query is in the file's properties only
    assert book.properties.subject == "COOP.NOTVALUED OR ACT.WAIT AND role:participant"
    rows = [row[:4] for row in index.iter_rows(min_row=4, values_only=True)]
    assert rows == [
        ("key", "theme", "quotes", "sheet"),
        ("ACT.WAIT", wait, 1, wait),
        ("COOP.NOTVALUED", not_valued, 1, not_valued),
    ]
    assert [index.cell(row, 4).hyperlink.location for row in (5, 6)] == [
        f"'{wait}'!A1",
        f"'{not_valued}'!A1",
    ]
    assert index["E5"].value.startswith("Att skjuta upp en utredning")

    sheet = book[wait]
    header, *quotes = sheet.iter_rows(values_only=True)
    assert header == (
        "quote", "attribution", "transcript", "start", "end", "timestamp", "codes", "verbatim",
        "context before", "context after", "unedited quote", "coded by", "memos",
    )  # fmt: skip
    [row] = quotes
    passage = retrieved.themes[0].quotes[0]
    assert row == (
        WAIT, "en deltagare, fokusgrupp", "Fokus", passage.start, passage.end, None,
        "ACT.WAIT", "yes", None, AFTER_WAIT, None, "anna", None,
    )  # fmt: skip
    assert [row[0] for row in book[not_valued].iter_rows(min_row=2, values_only=True)] == [
        NOT_VALUED
    ]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet["A2"].alignment.wrap_text
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["D"].width


def test_sheet_names_follow_excels_rules() -> None:
    long_name = "Stöd/hjälp från socialtjänsten och skola"
    assert len(long_name) == 40
    names = ["A/B", "a:b", "Index", "History", long_name, long_name, "'citat'", "Barnens 'röst'"]
    themes = tuple(
        Theme(f"K{n}", name, None, (quote(f"Citat {n}"),))
        for n, name in enumerate([*names, "😀" * 20])
    )
    book = read_excel(Collection("T", "K", themes))
    sheets = book.sheetnames[1:]
    assert sheets == [
        "A-B",
        "a-b (2)",
        "Index (2)",
        "History (2)",  # Excel reserves "History"
        "Stöd-hjälp från socialtjänsten",
        "Stöd-hjälp från socialtjäns (2)",
        "citat",  # a name may not start or end with an apostrophe
        "Barnens 'röst",
        "😀" * 15,  # 30 UTF-16 units: one more emoji would be 32
    ]
    assert all(len(name.encode("utf-16-le")) <= 62 for name in sheets)
    assert len({name.casefold() for name in book.sheetnames}) == len(book.sheetnames)
    index = book["Index"]
    for row, (name, theme) in enumerate(zip(sheets, themes, strict=True), 5):
        assert index.cell(row, 4).value == name
        quoted = name.replace("'", "''")
        assert index.cell(row, 4).hyperlink.location == f"'{quoted}'!A1"
        assert book[name]["A2"].value == theme.quotes[0].text


def test_excel_cells_hold_text_as_text() -> None:
    odd = [
        quote('=HYPERLINK("http://example.org")'),
        quote("Här\x0bär vi\x00, på Åland.", before="Före\x1f", timestamp_ms=3_723_004),
        quote("x" * 40_000, verbatim=False, attribution="en deltagare, telefonintervju"),
        quote("Vi väntar […] tyvärr.", source_text="Vi väntar, som alltid, tyvärr."),
    ]
    book = read_excel(Collection("T", "A", (Theme("A", "Udda", None, tuple(odd)),)))
    rows = list(book["Udda"].iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == '=HYPERLINK("http://example.org")'
    assert (rows[1][0], rows[1][8]) == ("Här är vi, på Åland.", "Före ")
    assert rows[1][5] == timedelta(hours=1, minutes=2, seconds=3, milliseconds=4)
    assert len(rows[2][0]) == 32_767 and rows[2][0].endswith("…")
    assert (rows[2][1], rows[2][7]) == ("en deltagare, telefonintervju", "no")
    assert (rows[3][0], rows[3][10]) == ("Vi väntar […] tyvärr.", "Vi väntar, som alltid, tyvärr.")
    assert [row[1] for row in rows[:2]] == ["en deltagare, fokusgrupp"] * 2


def test_an_empty_collection_still_makes_both_files() -> None:
    empty = Collection("Inget", "NOPE", ())
    assert paragraphs(read_word(empty)) == [("Title", "Inget")]
    book = read_excel(empty)
    assert book.sheetnames == ["Index"]
    assert book["Index"].max_row == 4

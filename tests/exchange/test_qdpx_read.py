"""Reading .qdpx projects: each tool's quirks, positions on the right words, hostile files."""

from __future__ import annotations

import codecs

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.exchange import positions
from qualcode.exchange.qdpx import read_qdpx
from qualcode.ingest import zipsafe
from tests.exchange.support import CODE_B, SOURCE, USER, qde, qdpx, selection, text_source

SOURCE_TXT = f"sources/{SOURCE}.txt"


def _quotes(data: bytes) -> list[str]:
    project = read_qdpx(data, "test.qdpx")
    source = project.sources[0]
    return [source.text[s.start : s.end] for s in source.selections]


def test_nvivo_windows_utf16_units_crlf_bom_and_capital_sources_folder() -> None:
    raw = "Hej 😀😀 där\r\nDet kostar för mycket 😤 pengar\r\n"
    # NVivo counts UTF-16 units over the file as stored (CRLF = 2), BOM not counted
    units = raw.encode("utf-16-le")
    start = units.find("för mycket".encode("utf-16-le")) // 2
    end = start + len("för mycket")
    emoji = units.find("😤 pengar".encode("utf-16-le")) // 2
    data = qdpx(
        {
            "project.qde": qde(
                text_source(selection("1", start, end) + selection("2", emoji, emoji + 9)),
                origin="NVivo for Windows 12.6",
            ),
            f"Sources/{SOURCE}.txt": codecs.BOM_UTF8 + raw.encode("utf-8"),
        }
    )
    project = read_qdpx(data, "nvivo.qdpx")
    source = project.sources[0]
    assert source.text == "Hej 😀😀 där\nDet kostar för mycket 😤 pengar\n"
    assert [source.text[s.start : s.end] for s in source.selections] == [
        "för mycket",
        "😤 pengar",
    ]
    assert source.position_unit == positions.UTF16


def test_code_points_mapped_through_nfc_and_line_breaks() -> None:
    raw = "Hon sa cafe\u0301\r\nsen gick hon"
    start = raw.index("cafe")
    data = qdpx(
        {
            "project.qde": qde(text_source(selection("1", start, start + 5))),
            SOURCE_TXT: raw.encode("utf-8"),
        }
    )
    assert _quotes(data) == ["café"]
    later = raw.index("sen")
    data = qdpx(
        {
            "project.qde": qde(text_source(selection("1", later, later + 3))),
            SOURCE_TXT: raw.encode("utf-8"),
        }
    )
    assert _quotes(data) == ["sen"]


def test_atlas_counts_crlf_once_and_has_a_pseudo_user() -> None:
    raw = "Första raden\r\nAndra raden\r\nTredje raden här"
    collapsed = raw.replace("\r\n", "\n")
    start = collapsed.index("Tredje")
    users = (
        f'<Users><User guid="{USER}" name="Ann"/>'
        '<User guid="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B" name="ATLAS.ti"/></Users>'
    )
    data = qdpx(
        {
            "project.qde": qde(
                text_source(selection("1", start, start + 12, name="Tredje raden")),
                origin="ATLAS.ti 23.2.3",
                users=users,
            ),
            SOURCE_TXT: raw.encode("utf-8"),
        }
    )
    project = read_qdpx(data, "atlas.qdpx")
    assert [u.guid for u in project.users][1] == "c32a2bd5-537f-4838-8b17-df9efbafdf4b"
    assert _quotes(data) == ["Tredje raden"]


def test_qc_paths_without_internal_scheme_are_read_with_a_warning() -> None:
    data = qdpx(
        {
            "project.qde": qde(text_source(selection("1", 0, 4), path="board.txt")),
            "sources/board.txt": b"Line one\nLine two\n",
        }
    )
    project = read_qdpx(data, "qc.qdpx")
    assert project.sources[0].text.startswith("Line one")
    assert any("internal://" in w for w in project.warnings)


def test_maxqda_upper_case_braced_guids_and_document_sets() -> None:
    upper = "{" + SOURCE.upper() + "}"
    sets = (
        f'<Sets><Set guid="{{5E700000-0000-4000-8000-000000000001}}" name="Group A">'
        f'<MemberSource targetGUID="{upper}"/></Set></Sets>'
    )
    data = qdpx(
        {
            "project.qde": qde(
                text_source("", guid=upper, path=f"internal://{SOURCE.upper()}.txt"),
                origin="MAXQDA 24",
                extra=sets,
            ),
            f"sources/{SOURCE.upper()}.txt": b"Some text",
        }
    )
    project = read_qdpx(data, "maxqda.qdpx")
    assert project.sources[0].guid == SOURCE
    assert project.sets[0].member_sources == (SOURCE,)


def test_media_sources_and_graphs_are_listed_as_not_carried() -> None:
    media = (
        '<AudioSource guid="a0d10000-0000-4000-8000-000000000001" name="Call.m4a" '
        'path="internal://a0d10000-0000-4000-8000-000000000001.m4a"/>'
        '<PDFSource guid="bdf00000-0000-4000-8000-000000000001" name="Report.pdf"/>'
    )
    data = qdpx({"project.qde": qde(media), "sources/x.m4a": b"\x00"})
    project = read_qdpx(data, "media.qdpx")
    assert project.sources == ()
    assert any("audio source 'Call.m4a'" in n for n in project.not_carried)
    assert any("PDF source 'Report.pdf'" in n for n in project.not_carried)


HOSTILE_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"project.qde": HOSTILE_XXE}, "DOCTYPE"),
        ({"project.qde": BILLION_LAUGHS}, "DOCTYPE"),
        ({"project.qde": qde(""), "../evil.txt": b"x"}, "outside the archive"),
        ({"project.qde": qde(""), "/etc/evil": b"x"}, "outside the archive"),
        ({"project.qde": qde(""), "other/notes.txt": b"x"}, "outside sources/"),
        (
            {
                "project.qde": qde(text_source("", path="internal://../project.qde")),
                SOURCE_TXT: b"x",
            },
            "points outside sources/",
        ),
        ({"project.qde": b"<Project name='x'><Users></Project>"}, "not valid XML"),
        ({"project.qde": b"<CodeBook/>"}, "not a REFI-QDA project"),
        ({SOURCE_TXT: b"text"}, "no project.qde"),
        ({"project.qde": qde(text_source(selection("1", 0, 4)))}, "not in the archive"),
        (
            {"project.qde": qde(text_source(selection("1", 2, 99))), SOURCE_TXT: b"short"},
            "outside the text",
        ),
        (
            {
                "project.qde": qde(
                    text_source(selection("1", 0, 4, code="c0de0000-0000-4000-8000-0000000000ff"))
                ),
                SOURCE_TXT: b"some text",
            },
            "not in the codebook",
        ),
    ],
)
def test_hostile_or_broken_archives_are_one_clear_error(
    members: dict[str, bytes], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_qdpx(qdpx(members), "bad.qdpx")


def test_not_a_zip_and_zip_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInput, match="not a zip archive"):
        read_qdpx(b"PK but not really a zip", "bad.qdpx")
    monkeypatch.setattr(zipsafe, "MAX_MEMBER_BYTES", 10_000)
    bomb = qdpx({"project.qde": qde(""), SOURCE_TXT: b"0" * 50_000})
    with pytest.raises(InvalidInput, match="would unpack to"):
        read_qdpx(bomb, "bomb.qdpx")


def test_selection_in_source_without_coding_reference_is_error() -> None:
    broken = """<PlainTextSelection guid="5e1e0000-0000-4000-8000-000000000009"
        startPosition="0" endPosition="3"><Coding guid="c0d10000-0000-4000-8000-000000000009"/>
        </PlainTextSelection>"""
    data = qdpx({"project.qde": qde(text_source(broken)), SOURCE_TXT: b"abc def"})
    with pytest.raises(InvalidInput, match="names no code"):
        read_qdpx(data, "bad.qdpx")
    assert CODE_B

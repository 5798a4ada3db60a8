"""OpenDocument text: paragraphs in order, bold speaker spans, safe unzipping."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.ingest import zipsafe
from qualcode.ingest.registry import read_transcript

from .support import speaker_turns

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)
# T1 is bold itself, T2 inherits bold from the named style in styles.xml
STYLES = """<office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="T2" style:family="text" style:parent-style-name="Fet"/>
  <style:style style:name="T3" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
</office:automatic-styles>"""
STYLES_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NAMESPACES}><office:styles>
  <style:style style:name="Fet" style:family="text"><style:text-properties fo:font-weight="700"/></style:style>
</office:styles></office:document-styles>"""


def content_xml(body: str, styles: str = STYLES) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES}>'
        f"{styles}<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )


def write_odt(
    path: Path,
    content: str,
    mimetype: str = "application/vnd.oasis.opendocument.text",
    styles: str | None = STYLES_XML,
) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        if styles is not None:
            archive.writestr("styles.xml", styles)
    return path


def test_paragraphs_headings_lists_tables_and_bold_speakers(tmp_path: Path) -> None:
    body = """
      <text:h text:outline-level="1">Intervju  med
         socialsekreterare</text:h>
      <text:p><text:span text:style-name="T1">Intervjuare:</text:span> Hur   länge?</text:p>
      <text:p><text:span text:style-name="T2">Karin</text:span>: Sedan<text:s text:c="2"/>2015.<text:line-break/>Ungefär.</text:p>
      <text:p/>
      <text:list><text:list-item><text:p><text:span text:style-name="T3">Anna:</text:span> Kursiv är ingen talare.</text:p></text:list-item></text:list>
      <table:table><table:table-row>
        <table:table-cell><text:p><text:span text:style-name="T1">Intervjuare:</text:span> I<text:tab/>tabellen.</text:p></table:table-cell>
      </table:table-row></table:table>
    """
    result = read_transcript(write_odt(tmp_path / "intervju.odt", content_xml(body)))
    assert result.text == (
        "Intervju med socialsekreterare\n\n"
        "Intervjuare: Hur länge?\n\n"
        "Karin: Sedan  2015.\nUngefär.\n\n"
        "Anna: Kursiv är ingen talare.\n\n"
        "Intervjuare: I\ttabellen."
    )
    assert result.confirmed_speakers == {"Intervjuare", "Karin"}
    assert result.encoding is None
    assert result.warnings == ()
    assert result.source_format == "odt"
    assert speaker_turns(result) == [("Intervjuare", None), ("Karin", None), ("Intervjuare", None)]


def test_notes_comments_images_and_deleted_text_are_left_out_with_warnings(tmp_path: Path) -> None:
    body = """
      <text:tracked-changes><text:changed-region text:id="c1"><text:deletion>
        <text:p>Struken text.</text:p></text:deletion></text:changed-region></text:tracked-changes>
      <text:p>I: Vi väntade<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Fotnot.</text:p></text:note-body></text:note> länge.</text:p>
      <text:p>IP: Ja<office:annotation><text:p>Kommentar.</text:p></office:annotation>.<draw:frame><draw:image xlink:href="Pictures/a.png"/></draw:frame></text:p>
    """
    result = read_transcript(write_odt(tmp_path / "noter.odt", content_xml(body)))
    assert result.text == "I: Vi väntade länge.\n\nIP: Ja."
    assert result.warnings == (
        "noter.odt: tracked changes (deleted text) not read (1)",
        "noter.odt: footnotes or endnotes not read (1)",
        "noter.odt: comments not read (1)",
        "noter.odt: images not read (1)",
    )


def test_styles_xml_is_optional(tmp_path: Path) -> None:
    body = '<text:p><text:span text:style-name="T1">Anna:</text:span> Hej.</text:p>'
    path = write_odt(tmp_path / "utan-stilar.odt", content_xml(body), styles=None)
    assert read_transcript(path).confirmed_speakers == {"Anna"}


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "falsk.odt"
    path.write_text("I: Hej.", encoding="utf-8")
    with pytest.raises(
        InvalidInput,
        match=r"falsk.odt is not an OpenDocument text file \(it is not a zip archive\)",
    ):
        read_transcript(path)


def test_spreadsheet_renamed_to_odt(tmp_path: Path) -> None:
    path = write_odt(
        tmp_path / "tabell.odt", content_xml(""), "application/vnd.oasis.opendocument.spreadsheet"
    )
    with pytest.raises(
        InvalidInput,
        match=r"tabell.odt is not an OpenDocument text file \(its type is .*spreadsheet\)",
    ):
        read_transcript(path)


def test_zip_without_content(tmp_path: Path) -> None:
    path = tmp_path / "tom.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(
        InvalidInput, match=r"tom.odt is not an OpenDocument text file \(it has no content.xml\)"
    ):
        read_transcript(path)


def test_broken_xml(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "trasig.odt", "<office:document-content><text:p>")
    with pytest.raises(InvalidInput, match="trasig.odt is a damaged OpenDocument file"):
        read_transcript(path)


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f"<office:document-content {NAMESPACES}><office:body><office:text>"
        "<text:p>&lol2;</text:p></office:text></office:body></office:document-content>"
    )
    with pytest.raises(InvalidInput, match="skratt.odt is refused: its XML declares entities"):
        read_transcript(write_odt(tmp_path / "skratt.odt", laughs))


def test_member_that_unpacks_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a member declaring 2 MB, checked against a limit lowered to 1 MB: the same
    # guard that stops a real bomb at 32 MB, without writing one
    monkeypatch.setattr(zipsafe, "MAX_XML_MEMBER_BYTES", 1024 * 1024)
    body = "<text:p>" + "a" * (2 * 1024 * 1024) + "</text:p>"
    path = write_odt(tmp_path / "bomb.odt", content_xml(body))
    assert path.stat().st_size < 100_000
    with pytest.raises(
        InvalidInput,
        match=r"bomb.odt is refused: its part content.xml would unpack to 2 MB from \d+ KB "
        r"\(the limit is 1 MB\)",
    ):
        read_transcript(path)


def test_member_that_lies_about_its_size_is_damaged(tmp_path: Path) -> None:
    # zipfile unpacks no more than a member declares, so a small declared size cannot
    # hide a bomb from the check: reading stops there, and the file is damaged
    path = write_odt(tmp_path / "lögn.odt", content_xml("<text:p>" + "a" * 10_000 + "</text:p>"))
    data = bytearray(path.read_bytes())
    # the central directory entry of content.xml: signature, 42 bytes, then the name
    directory_entry = data.find(b"PK\x01\x02", data.rfind(b"content.xml") - 46)
    data[directory_entry + 24 : directory_entry + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="lögn.odt is damaged: content.xml cannot be unpacked"):
        read_transcript(path)


def test_document_without_text(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "tomt.odt", content_xml("<text:p> </text:p>"))
    with pytest.raises(InvalidInput, match="tomt.odt contains no text"):
        read_transcript(path)

"""``qualcode codebook export -f md|html|docx|qdc|yaml``: the codebook for a methods
appendix, each format read back with its own library."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
import pytest
from docx import Document
from lxml import etree
from markdown_it import MarkdownIt

from qualcode.codebook import parse_codebook
from qualcode.services import coding
from qualcode.services.codebook import codebook_document
from qualcode.services.project import Project
from tests.cli.test_cli import qc, ready
from tests.conftest import ProjectPlace

__all__ = ["ready"]  # the fixture, used by name


def test_the_document_is_the_tree_in_reading_order_with_counts(coded_project: Project) -> None:
    for start in (0, 10):
        coding.apply_code(
            coded_project,
            transcript="Fokus",
            code="CTX.PROBLEMS",
            start=start,
            end=start + 5,
            coder="anna",
        )
    document = codebook_document(coded_project, language="en", counts=True)
    entries = {entry.key: entry for entry in document.entries}
    keys = [entry.key for entry in document.entries]
    assert keys[:2] == ["CTX", "CTX.PROBLEMS"]
    assert (entries["CTX"].depth, entries["CTX.PROBLEMS"].depth) == (0, 1)
    assert entries["CTX.PROBLEMS"].name == "The family's problems"
    assert entries["CTX.PROBLEMS"].count == 2 and entries["CTX"].count == 0
    assert entries["CTX.PROBLEMS"].example.startswith("The father had been hitting")
    assert entries["CTX.PROBLEMS"].definition.startswith("Descriptions of the difficulties")
    for entry in document.entries:  # every child after its parent
        parent = entry.key.rpartition(".")[0]
        if parent in entries:
            assert keys.index(parent) < keys.index(entry.key)
    swedish = codebook_document(coded_project)
    assert swedish.language == "sv" and swedish.entries[1].name == "Familjens problem"
    assert swedish.title == "Asylsökande barn i den sociala barnavården"
    assert document.title == "Asylum-seeking children in social child welfare"
    assert swedish.entries[1].example.startswith("Pappan hade slagit")
    assert swedish.entries[1].definition.startswith("Beskrivningar av")
    assert swedish.entries[1].count is None


def test_markdown_has_a_heading_per_code_at_its_depth(ready: ProjectPlace) -> None:
    qc(ready, "code", "Fokus", "CTX.PROBLEMS", "--quote", "på is")
    text = qc(ready, "codebook", "export", "-f", "md", "--counts", "--lang", "en")
    tokens = MarkdownIt().parse(text)
    headings = [
        (token.tag, tokens[number + 1].content)
        for number, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert headings[0] == (
        "h1",
        "Codebook: Asylum-seeking children in social child welfare (version 1)",
    )
    assert ("h2", "CTX Case context") in headings
    assert ("h3", "CTX.PROBLEMS The family's problems") in headings
    assert "**Codings:** 1" in text and "**Exclude:** If the difficulty" in text


def test_html_is_one_self_contained_page(ready: ProjectPlace, tmp_path: Path) -> None:
    out = tmp_path / "codebook.html"
    qc(ready, "codebook", "export", "-f", "html", "-o", str(out))
    page = lxml.html.fromstring(out.read_bytes())
    assert page.get("lang") == "sv"
    assert page.xpath("//link|//script|//img") == []  # nothing fetched from elsewhere
    section = page.get_element_by_id("CTX.PROBLEMS")
    assert section.tag == "h3" and section.text_content() == "CTX.PROBLEMS Familjens problem"
    labels = [dt.text_content() for dt in section.getparent().iter("dt")]
    assert labels == ["Definition", "Inkludera", "Exkludera", "Exempel"]
    assert out.stat().st_mode & 0o077 == 0


def test_word_has_real_headings(ready: ProjectPlace, tmp_path: Path) -> None:
    out = tmp_path / "codebook.docx"
    qc(ready, "codebook", "export", "-f", "docx", "--counts", "-o", str(out))
    doc = Document(io.BytesIO(out.read_bytes()))
    styled = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert styled[0][0] == "Title" and styled[0][1].startswith("Kodbok: ")
    assert ("Heading 1", "CTX Ärendets sammanhang") in styled
    assert ("Heading 2", "CTX.PROBLEMS Familjens problem") in styled
    texts = [p.text for p in doc.paragraphs]
    after = texts[texts.index("CTX.PROBLEMS Familjens problem") + 1 :]
    assert after[0].startswith("Definition: Beskrivningar av de svårigheter")
    assert "Kodningar: 0" in after[:6]
    assert "cannot go to standard output" in qc(ready, "codebook", "export", "-f", "docx", code=2)


def test_yaml_and_qdc_still_carry_the_codebook(ready: ProjectPlace) -> None:
    book = parse_codebook(qc(ready, "codebook", "export", "-f", "yaml"))
    assert any(code.key == "CTX.PROBLEMS" for code in book.codes)
    qdc = etree.fromstring(qc(ready, "codebook", "export", "-f", "qdc").encode("utf-8"))
    names = {code.get("name") for code in qdc.iter("{*}Code")}
    assert "Familjens problem" in names or "CTX.PROBLEMS" in names
    assert "go with md, html, docx" in qc(
        ready, "codebook", "export", "-f", "qdc", "--counts", code=2
    )


@pytest.mark.parametrize("args", [["-f", "pdf"], ["-f", "md", "--lang", "de"]])
def test_a_format_or_language_it_cannot_write_is_refused(
    ready: ProjectPlace, args: list[str]
) -> None:
    code = 2 if args[1] == "pdf" else 1
    error = qc(ready, "codebook", "export", *args, code=code)
    assert ("unknown codebook format" if code == 2 else "no codebook document in 'de'") in error

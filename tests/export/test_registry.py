"""One registry of writers: every listed format renders its record to bytes, each
writer loads only its own library, and unknown formats are named with the choices."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.export import registry
from tests.conftest import REPO
from tests.export.samples import COLLECTION, QUOTE


@pytest.mark.parametrize("name", registry.format_names("collection"))
def test_every_collection_format_holds_the_quote(name: str) -> None:
    data = registry.render("collection", name, COLLECTION)
    if name == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    elif name == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        text = "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    else:
        text = data.decode("utf-8")
    if name == "json":
        assert json.loads(text)["themes"][0]["quotes"][0]["text"] == QUOTE.text
    assert "lägger ärendet på is" in text


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(InvalidInput, match="md, html, csv, json, docx, xlsx"):
        registry.find_format("collection", "pdf")
    with pytest.raises(InvalidInput, match="no extension"):
        registry.format_for_path("agreement", Path("report"))
    assert registry.format_for_path("agreement", Path("r.XLSX")).name == "xlsx"


def test_text_formats_are_marked_for_standard_output() -> None:
    text = {fmt.name for fmt in registry.formats("collection") if fmt.text}
    assert text == {"md", "html", "csv", "json"}


@pytest.mark.parametrize(
    ("name", "loaded", "not_loaded"),
    [
        ("md", set(), {"docx", "openpyxl"}),
        ("xlsx", {"openpyxl"}, {"docx"}),
        ("docx", {"docx"}, {"openpyxl"}),
    ],
)
def test_each_writer_loads_only_its_own_library(
    name: str, loaded: set[str], not_loaded: set[str]
) -> None:
    probe = (
        "import sys\n"
        "from tests.export.samples import COLLECTION\n"
        "from qualcode.export import registry\n"
        f"registry.render('collection', {name!r}, COLLECTION)\n"
        "print(','.join(sorted(m for m in ('docx', 'openpyxl') if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    modules = set(filter(None, done.stdout.strip().split(",")))
    assert loaded <= modules
    assert not (not_loaded & modules)

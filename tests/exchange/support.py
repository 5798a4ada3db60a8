"""Small hand-written REFI-QDA files mimicking each tool's quirks (never copied)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

# the shared REFI-QDA material (schemas, real samples) is read in place, never copied
REFI = Path(os.environ.get("QUALCODE_REFI_DIR", "/work/shared/refi"))
XSD = REFI / "xsd"
SAMPLES = REFI / "samples"

USER = "a1b2c3d4-0000-4000-8000-000000000001"
CODE_A = "c0de0000-0000-4000-8000-000000000001"
CODE_B = "c0de0000-0000-4000-8000-000000000002"
SOURCE = "50c00000-0000-4000-8000-000000000001"


def schema(name: str) -> etree.XMLSchema:
    path = XSD / name
    if not path.is_file():
        pytest.skip(f"REFI-QDA schemas not available: {path} is absent")
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid_project(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = etree.fromstring(archive.read("project.qde"))
    checker = schema("Project-mrt2019.xsd")
    assert checker.validate(document), checker.error_log.last_error


def assert_valid_codebook(data: bytes) -> None:
    checker = schema("Codebook-mrt2019.xsd")
    assert checker.validate(etree.fromstring(data)), checker.error_log.last_error


def qde(
    sources: str,
    *,
    origin: str = "Test",
    namespace: str = "urn:QDA-XML:project:1.0",
    users: str = f'<Users><User guid="{USER}" name="Ann"/></Users>',
    extra: str = "",
) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{namespace}" name="Study" origin="{origin}">
  {users}
  <CodeBook><Codes>
    <Code guid="{CODE_A}" name="Barriers" isCodable="false">
      <Description>Things in the way</Description>
      <Code guid="{CODE_B}" name="Cost" isCodable="true" color="#E06C75"/>
    </Code>
  </Codes></CodeBook>
  <Sources>{sources}</Sources>
  {extra}
</Project>""".encode()


def selection(guid_tail: str, start: int, end: int, code: str = CODE_B, name: str = "") -> str:
    named = f' name="{name}"' if name else ""
    return f"""<PlainTextSelection guid="5e1e0000-0000-4000-8000-{guid_tail:0>12}"{named}
        startPosition="{start}" endPosition="{end}" creatingUser="{USER}">
      <Coding guid="c0d10000-0000-4000-8000-{guid_tail:0>12}" creatingUser="{USER}">
        <CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>"""


def text_source(selections: str, path: str | None = None, guid: str = SOURCE) -> str:
    path = path if path is not None else f"internal://{guid}.txt"
    return (
        f'<TextSource guid="{guid}" name="Interview 1.txt" plainTextPath="{path}">'
        f"{selections}</TextSource>"
    )


def qdpx(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()

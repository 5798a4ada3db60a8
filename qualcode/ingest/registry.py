"""Choosing the reader for a transcript file by its extension.

Reader modules are imported only when a file of their format is read, so that
commands which never import (``qualcode --help``) do not load python-docx, lxml
or webvtt-py.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import cast

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.base import Reader, ReadTranscript
from qualcode.ingest.source import read_source

# extension (lower case) -> module in qualcode.ingest whose read() handles it
_READER_MODULES = {
    ".txt": "plain",
    ".text": "plain",
    ".md": "plain",
    ".docx": "word",
    ".odt": "opendocument",
    ".rtf": "rtf",
    ".vtt": "vtt",
    ".srt": "subrip",
}
SUPPORTED_EXTENSIONS = tuple(_READER_MODULES)


def read_transcript(path: Path) -> ReadTranscript:
    """Read a transcript file of any supported format into canonical text.

    The extension is checked first, so an unsupported file is never read; every
    problem is an ``InvalidInput`` whose message names the file.
    """
    extension = path.suffix.lower()
    module = _READER_MODULES.get(extension)
    if module is None:
        raise InvalidInput(
            f"{path.name}: unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(SUPPORTED_EXTENSIONS)}"
        )
    read = cast(Reader, importlib.import_module(f"qualcode.ingest.{module}").read)
    return read(read_source(path), path.name)

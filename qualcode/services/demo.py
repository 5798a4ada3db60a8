"""Building the sample project from the shipped codebook and transcripts.

The sample data is found by ``qualcode.services.shipped`` (inside an installed package,
beside it in a checkout, or where QUALCODE_SAMPLES points). The project is built once
in the user's data folder (or ``--dir``) and reused, so work done in the demo is kept.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from qualcode.codebook import load_codebook
from qualcode.domain.errors import InvalidInput
from qualcode.domain.text import normalise
from qualcode.services import coding
from qualcode.services.attributes import set_attribute
from qualcode.services.codebook import apply_codebook
from qualcode.services.importing import Repairs, import_file
from qualcode.services.project import Project, init_project, open_project
from qualcode.services.shipped import samples_root
from qualcode.store.engine import DB_FILENAME

CODEBOOK_FILE = "asylum-child-welfare.yaml"


def default_demo_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("qualcode") / "demo"


def build_demo(
    folder: Path, *, fresh: bool = False, progress: Callable[[str], None] = lambda _line: None
) -> Project:
    """Open the sample project in ``folder``, building it first if needed."""
    if fresh and (folder / DB_FILENAME).exists():
        shutil.rmtree(folder)
    if (folder / DB_FILENAME).exists():
        return open_project(folder)
    root = samples_root()
    project = init_project(folder, language="sv", name="Sample: asylum-seeking children")
    try:
        progress(f"Building the sample project in {folder}")
        apply_codebook(project, load_codebook(root / "codebooks" / CODEBOOK_FILE), coder="anna")
        manifest = yaml.safe_load((root / "transcripts" / "manifest.yaml").read_text("utf-8"))
        for entry in manifest["transcripts"]:
            report = import_file(
                project,
                root / "transcripts" / entry["file"],
                mode=entry["mode"],
                language=entry.get("language"),
                title=entry["title"],
                date=str(entry["date"]) if entry.get("date") else None,
                case=entry.get("case"),
                participants=entry.get("participants"),
                repairs=Repairs(bool(entry.get("dehyphenate")), bool(entry.get("reflow"))),
            )
            progress(f"  imported {report.transcript.title}")
            if entry.get("county") and entry.get("case"):
                set_attribute(project, "county", entry["county"], case=entry["case"], coder="anna")
        seeded = _seed_codings(project, root / "transcripts" / "sample-codings.yaml", manifest)
        progress(f"  added {seeded} sample codings by two coders")
    except BaseException:
        project.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return project


def _seed_codings(project: Project, path: Path, manifest: dict[str, Any]) -> int:
    if not path.is_file():
        return 0
    from qualcode.services.transcripts import transcript_text

    entries = yaml.safe_load(path.read_text("utf-8"))["codings"]
    texts = {
        entry["title"]: transcript_text(project, entry["title"]).text
        for entry in manifest["transcripts"]
    }
    for entry in entries:
        text = texts[entry["transcript"]]
        quote = unicodedata.normalize("NFC", normalise(entry["quote"]))
        start = -1
        for _ in range(int(entry.get("occurrence", 1))):
            start = text.find(quote, start + 1)
            if start < 0:
                raise InvalidInput(
                    f"{path.name}: quote not found in {entry['transcript']!r}: {quote[:50]!r}"
                )
        coding.apply_code(
            project,
            transcript=entry["transcript"],
            code=entry["code"],
            start=start,
            end=start + len(quote),
            coder=entry["coder"],
        )
    return len(entries)

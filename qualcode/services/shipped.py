"""Where the shipped codebooks and sample transcripts are.

``codebooks/`` and ``transcripts/`` at the top of a checkout are the source. Building
a wheel copies them into the package as ``qualcode/shipped/`` (see setup.py), so an
installed qualcode finds them there; an editable install or a checkout finds them
beside the package; ``QUALCODE_SAMPLES`` names another folder holding both.
"""

from __future__ import annotations

import os
from pathlib import Path

from qualcode.domain.errors import InvalidInput, NotFound

SAMPLES_ENV = "QUALCODE_SAMPLES"


def _candidates() -> list[Path]:
    configured = os.environ.get(SAMPLES_ENV)
    if configured:
        return [Path(configured)]
    package = Path(__file__).resolve().parents[1]
    return [package / "shipped", package.parent]


def _root(marker: str) -> Path:
    candidates = _candidates()
    for root in candidates:
        if (root / marker).exists():
            return root
    where = " or ".join(str(root) for root in candidates)
    hint = (
        f"set {SAMPLES_ENV} to a folder with codebooks/ and transcripts/"
        if SAMPLES_ENV not in os.environ
        else f"{SAMPLES_ENV} names a folder without them"
    )
    raise InvalidInput(f"the shipped {marker.split('/')[0]} are not in {where}; {hint}")


def samples_root() -> Path:
    """The folder holding ``codebooks/`` and ``transcripts/`` (with its manifest)."""
    return _root("transcripts/manifest.yaml")


def shipped_codebooks() -> dict[str, Path]:
    """The shipped codebooks by name (file name without ``.yaml``)."""
    folder = _root("codebooks") / "codebooks"
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def shipped_codebook(name: str) -> Path:
    """The shipped codebook called ``name`` (e.g. ``asylum-child-welfare``)."""
    books = shipped_codebooks()
    if name not in books:
        raise NotFound(
            f"no codebook file or shipped codebook named {name!r}; "
            f"shipped: {', '.join(books) or 'none'}"
        )
    return books[name]

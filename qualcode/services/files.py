"""Writing output files atomically: a temporary file in the same folder, then rename.

A reader never sees half a file, and a failed write leaves no partial file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qualcode.domain.errors import InvalidInput


def write_atomically(path: str | Path, data: bytes, *, mode: int = 0o600) -> Path:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError as exc:
        raise InvalidInput(f"cannot write {path}: no permission to write in {folder}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path

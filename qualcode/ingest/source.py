"""Reading a transcript file's bytes, with the checks every format shares.

The size is checked before anything is read, so a huge file is refused without
filling memory, and only regular files are read (a FIFO would block forever).
"""

from __future__ import annotations

import stat
from pathlib import Path

from qualcode.domain.errors import InvalidInput

# larger files are refused rather than read into memory; a transcript is far smaller
MAX_BYTES = 50 * 1024 * 1024


def read_source(path: Path) -> bytes:
    """The file's bytes, or one clear sentence saying why it cannot be read."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput(f"{path} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(f"{path} is not a regular file")
        if info.st_size > MAX_BYTES:
            raise _too_large(path, info.st_size)
        with path.open("rb") as file:
            # the size stat() gave, then whatever the file grew by since, bounded: a
            # read of MAX_BYTES + 1 at once would set aside that much memory each time
            data = file.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += file.read(MAX_BYTES + 1 - len(data))
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path} does not exist") from exc
    except PermissionError as exc:
        raise InvalidInput(f"{path} cannot be read (permission denied)") from exc
    except OSError as exc:
        raise InvalidInput(f"{path} cannot be read ({exc.strerror or exc})") from exc
    if len(data) > MAX_BYTES:
        raise _too_large(path, len(data))
    if not data:
        raise InvalidInput(f"{path.name} is empty")
    return data


def _too_large(path: Path, size: int) -> InvalidInput:
    return InvalidInput(
        f"{path.name} is {size // (1024 * 1024)} MB; transcripts over "
        f"{MAX_BYTES // (1024 * 1024)} MB are refused (split the file)"
    )

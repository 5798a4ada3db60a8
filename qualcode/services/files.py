"""Writing output files atomically: a temporary file in the same folder, then rename.

A reader never sees half a file, and a failed write leaves no partial file behind.

Where an export may write (docs/decisions.md, "Exports write only where they should"):

- a new file in an existing folder, or an existing regular file, which is replaced;
- through a symbolic link only when it ends at a regular file: that file is replaced
  and the link stays;
- never over a folder, a device (``/dev/null``, ``/dev/full``, a terminal), a named
  pipe or a socket, even for root: such a target is refused in one sentence;
- ``-`` is standard output (the CLI allows it for text formats only).

Every write is checked to the end (write, flush, fsync, close, rename): a full disk or
a file-size limit is one sentence and no file, never a "Wrote …" for nothing.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from qualcode.domain.errors import InvalidInput

STDOUT = "-"

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would be larger than this system allows",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "an input/output error occurred",
    errno.EPIPE: "the reader went away",
}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _kind(mode: int) -> str | None:
    for test, name in _KINDS:
        if test(mode):
            return name
    return None


def writable_target(path: Path) -> Path:
    """The regular file a write to ``path`` replaces (``path`` itself, or where its
    symbolic link leads), after refusing every target that is not one."""
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {_reason(exc)}") from exc
    if not stat.S_ISLNK(link.st_mode):
        kind = _kind(link.st_mode)
        if kind:
            raise InvalidInput(f"cannot write {path}: it is {kind}, not a file; name a file")
        return path
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        raise InvalidInput(
            f"cannot write {path}: it is a symbolic link to {real}, which does not exist; "
            "a link is followed only to an existing regular file"
        ) from exc
    kind = _kind(mode)
    if kind:
        raise InvalidInput(
            f"cannot write {path}: it is a symbolic link to {real}, which is {kind}; "
            "a link is followed only to a regular file"
        )
    return real


def write_to_stdout(data: bytes) -> None:
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        raise InvalidInput(f"cannot write to standard output: {_reason(exc)}") from exc


def write_atomically(path: str | Path, data: bytes, *, mode: int = 0o600) -> Path:
    if str(path) == STDOUT:
        write_to_stdout(data)
        return Path(STDOUT)
    path = Path(path)
    target = writable_target(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: cannot create a file in {folder} "
                           f"({_reason(exc)})") from exc  # fmt: skip
    try:
        _write_all(fd, data)
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {path}: {_reason(exc)}; nothing was written") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte, flush it to the disk and close, checking each step (a full
    disk may only show at fsync or close)."""
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; a folder that cannot be opened is no error."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""Opening the zip container of a Word or OpenDocument file without a zip bomb.

Sizes are checked from the zip's directory before anything is unpacked. Python's
``zipfile`` never returns more bytes than a member declares, so a member that lies
about its size cannot unpack to more than was checked.
"""

from __future__ import annotations

import io
import zipfile

from qualcode.domain.errors import InvalidInput

# a transcript's XML is a few MB; far larger members are an attack or not a transcript
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024


def open_archive(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """The zip in ``data``; ``kind`` ("a Word document") completes the message
    when it is not a zip at all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"{name} is not {kind} (it is not a zip archive)") from exc
    total = 0
    for member in archive.infolist():
        if member.file_size > MAX_MEMBER_BYTES:
            raise InvalidInput(
                f"{name} is refused: its part {member.filename} would unpack to "
                f"{_megabytes(member.file_size)} (the limit is {_megabytes(MAX_MEMBER_BYTES)})"
            )
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise InvalidInput(
            f"{name} is refused: it would unpack to {_megabytes(total)} "
            f"(the limit is {_megabytes(MAX_TOTAL_BYTES)})"
        )
    return archive


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def read_member(archive: zipfile.ZipFile, member: str, name: str, kind: str) -> bytes:
    """One member's bytes; a missing, damaged or encrypted member is InvalidInput."""
    try:
        return archive.read(member)
    except KeyError as exc:
        raise InvalidInput(f"{name} is not {kind} (it has no {member})") from exc
    except RuntimeError as exc:  # zipfile's error for an encrypted member
        raise InvalidInput(f"{name} is password-protected; save it without a password") from exc
    except (zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
        raise InvalidInput(f"{name} is damaged: {member} cannot be unpacked ({exc})") from exc

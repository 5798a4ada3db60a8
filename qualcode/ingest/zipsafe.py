"""Opening the zip container of a Word or OpenDocument file without a zip bomb.

Sizes are checked from the zip's directory before anything is unpacked. Python's
``zipfile`` never returns more bytes than a member declares, so a member that lies
about its size cannot unpack to more than was checked.
"""

from __future__ import annotations

import io
import zipfile

from qualcode.domain.errors import InvalidInput

# a transcript's XML is a few MB (a 300-page transcript about 5 MB); a far larger XML
# part is an attack (a 375 KB file unpacking to 95 MB took minutes and 830 MB of
# memory) or not a transcript. Other members (images) may be larger, but are bounded.
MAX_XML_MEMBER_BYTES = 32 * 1024 * 1024
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
_XML_SUFFIXES = (".xml", ".rels")


def open_archive(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """The zip in ``data``; ``kind`` ("a Word document") completes the message
    when it is not a zip at all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"{name} is not {kind} (it is not a zip archive)") from exc
    total = 0
    for member in archive.infolist():
        limit = (
            MAX_XML_MEMBER_BYTES
            if member.filename.lower().endswith(_XML_SUFFIXES)
            else MAX_MEMBER_BYTES
        )
        if member.file_size > limit:
            raise InvalidInput(
                f"{name} is refused: its part {member.filename} would unpack to "
                f"{_megabytes(member.file_size)} from {_kilobytes(member.compress_size)} "
                f"(the limit is {_megabytes(limit)})"
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


def _kilobytes(size: int) -> str:
    return f"{max(1, size // 1024)} KB"


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

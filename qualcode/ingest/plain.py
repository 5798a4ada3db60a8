"""Reading plain text (.txt, .md) into canonical text."""

from __future__ import annotations

from pathlib import Path

from qualcode.domain.errors import InvalidInput
from qualcode.domain.text import DecodedText, DecodeError, decode_bytes, normalise

# larger files are refused rather than read into memory; a transcript is far smaller
MAX_BYTES = 50 * 1024 * 1024
EXTENSIONS = (".txt", ".md", ".text")


def read_plain(path: Path) -> DecodedText:
    """The file's text, decoded and normalised, or one clear error naming the file."""
    if path.suffix.lower() not in EXTENSIONS:
        raise InvalidInput(
            f"{path.name}: unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(EXTENSIONS)}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidInput(
                f"{path.name} is {size // (1024 * 1024)} MB; transcripts over "
                f"{MAX_BYTES // (1024 * 1024)} MB are refused (split the file)"
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path} does not exist") from exc
    except IsADirectoryError as exc:
        raise InvalidInput(f"{path} is a folder, not a file") from exc
    except PermissionError as exc:
        raise InvalidInput(f"{path} cannot be read (permission denied)") from exc
    try:
        decoded = decode_bytes(data, path.name)
    except DecodeError as exc:
        raise InvalidInput(str(exc)) from exc
    return DecodedText(normalise(decoded.text), decoded.encoding, decoded.warning)

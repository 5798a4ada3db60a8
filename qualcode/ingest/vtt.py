"""Reading WebVTT captions (.vtt) with webvtt-py.

The file is parsed strictly, so a cue with a broken timestamp is an error naming
its line rather than a cue silently left out of the transcript. Voice spans
(``<v Name>``) give the speakers; other cue tags are dropped.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.base import ReadTranscript, decode_text, join_paragraphs
from qualcode.ingest.captions import Cue, render_cues


def read(data: bytes, name: str) -> ReadTranscript:
    decoded = decode_text(data, name)
    try:
        captions = webvtt.from_string(decoded.text, strict=True).captions
    except MalformedFileError as exc:
        raise InvalidInput(f"{name} is not a WebVTT file (its first line must be WEBVTT)") from exc
    except MalformedCaptionError as exc:
        raise _broken_cue(decoded.text, name, exc) from exc
    rendered = render_cues((cue for caption in captions for cue in _cues(caption)), name)
    return ReadTranscript(
        text=join_paragraphs(rendered.paragraphs, name),
        encoding=decoded.encoding,
        confirmed_speakers=rendered.confirmed_speakers,
        warnings=(*([decoded.warning] if decoded.warning else []), *rendered.warnings),
        source_format="vtt",
    )


def _cues(caption: webvtt.Caption) -> Iterator[Cue]:
    """The cue's text, split where a line opens a new voice span (one cue can hold
    two speakers' lines), without tags and with character references resolved."""
    groups: list[list[str]] = []
    for line in caption.lines:
        if not groups or webvtt.Caption.VOICE_SPAN_PATTERN.match(line):
            groups.append([])
        groups[-1].append(line)
    start_ms = caption.start_time.in_milliseconds()
    for lines in groups:
        part = webvtt.Caption(text=lines)
        voice = part.voice.strip() if part.voice else None
        yield Cue(start_ms, voice, html.unescape(part.text))


def _broken_cue(text: str, name: str, error: Exception) -> InvalidInput:
    """Name the first cue that does not parse on its own, by number and line."""
    cue_number = 0
    for first_line, block in _blocks(text):
        timing = next((i for i, line in enumerate(block) if "-->" in line), None)
        if timing is None:
            continue
        cue_number += 1
        try:
            webvtt.from_string("WEBVTT\n\n" + "\n".join(block), strict=True)
        except (MalformedCaptionError, MalformedFileError) as exc:
            return InvalidInput(
                f"{name}: cue {cue_number} (line {first_line + timing}) is malformed: {exc}"
            )
    return InvalidInput(f"{name} is not a valid WebVTT file: {error}")


def _blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Blocks of lines as WebVTT separates them (at empty lines), each with the
    number of its first line."""
    block: list[str] = []
    first_line = 1
    for number, line in enumerate(text.split("\n"), start=1):
        if line:
            if not block:
                first_line = number
            block.append(line)
        elif block:
            yield first_line, block
            block = []
    if block:
        yield first_line, block

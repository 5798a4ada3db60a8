"""Reading SubRip captions (.srt) with the srt package.

srt refuses a cue it cannot parse instead of skipping it, and says where, so a
broken cue is an error naming its number and line. Formatting tags (``<i>``,
``{\\an8}``) are dropped; a leading ``Name:`` in a cue is its speaker.
"""

from __future__ import annotations

import re
from datetime import timedelta

import srt

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.base import ReadTranscript, decode_text, join_paragraphs
from qualcode.ingest.captions import Cue, render_cues

# HTML-like tags (<i>, <font color=…>) and ASS override blocks ({\an8}) in cue text
_FORMATTING = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_MILLISECOND = timedelta(milliseconds=1)


def read(data: bytes, name: str) -> ReadTranscript:
    decoded = decode_text(data, name)
    cues = []
    try:
        # consumed one by one, so a parse error knows how many cues came before it
        for subtitle in srt.parse(decoded.text):
            text = _FORMATTING.sub("", subtitle.content)
            cues.append(Cue(subtitle.start // _MILLISECOND, None, text))
    except srt.SRTParseError as exc:
        raise _broken_cue(decoded.text, name, len(cues) + 1, exc) from exc
    rendered = render_cues(cues, name)
    return ReadTranscript(
        text=join_paragraphs(rendered.paragraphs, name),
        encoding=decoded.encoding,
        confirmed_speakers=rendered.confirmed_speakers,
        warnings=(*([decoded.warning] if decoded.warning else []), *rendered.warnings),
        source_format="srt",
    )


def _broken_cue(text: str, name: str, cue_number: int, error: srt.SRTParseError) -> InvalidInput:
    unparsed = text[error.expected_start : error.actual_start]
    start = error.expected_start + len(unparsed) - len(unparsed.lstrip())
    lines = unparsed.strip().split("\n")
    # show the timing line when there is one: that is usually what is wrong
    shown = next((line for line in lines if "-->" in line), lines[0])
    line_number = text.count("\n", 0, start) + 1
    return InvalidInput(f"{name}: cue {cue_number} (line {line_number}) cannot be read: {shown!r}")

"""WebVTT and SubRip captions rendered as timestamped speaker paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.ingest.registry import read_transcript

from .support import speaker_turns

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "transcripts"

VTT = """WEBVTT
Kind: captions

NOTE inspelad 2013-04-18

STYLE
::cue(.hög) { color: red }

1
00:00:01.000 --> 00:00:03.500 align:start
<v Intervjuare>Hur länge har
ni väntat?</v>

2
00:00:04.000 --> 00:00:06.000
<v.loud Karin>Sedan <i>i våras</i>.

3
00:00:06.500 --> 00:00:08.000
<v Karin>Barnen &amp; jag.

00:00:09.000 --> 00:00:10.000
[skratt]

00:01:02.250 --> 00:01:05.000
<v Intervjuare><c.hög>Och</c> nu?
<v Karin>Nu väntar vi.
"""


def test_vtt_voices_merge_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "samtal.vtt"
    path.write_text(VTT, encoding="utf-8")
    result = read_transcript(path)
    assert result.text == (
        "[00:00:01.000] Intervjuare: Hur länge har ni väntat?\n\n"
        "[00:00:04.000] Karin: Sedan i våras. Barnen & jag.\n\n"
        "[00:00:09.000] [skratt]\n\n"
        "[00:01:02.250] Intervjuare: Och nu?\n\n"
        "[00:01:02.250] Karin: Nu väntar vi."
    )
    assert result.confirmed_speakers == {"Intervjuare", "Karin"}
    assert result.encoding == "utf-8"
    assert result.warnings == ()
    assert result.source_format == "vtt"
    assert speaker_turns(result) == [
        ("Intervjuare", 1000), ("Karin", 4000), ("Intervjuare", 62250), ("Karin", 62250)
    ]  # fmt: skip


def test_vtt_cues_without_voice_keep_a_leading_label(tmp_path: Path) -> None:
    path = tmp_path / "zoom.vtt"
    path.write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAnna: Hej.\n\n"
        "2\n00:00:02.000 --> 00:00:03.000\nAnna: Hur mår du?\n\n"
        "3\n00:00:03.500 --> 00:00:04.000\nBo: Bra.\n",
        encoding="utf-8",
    )
    result = read_transcript(path)
    assert result.text == "[00:00:01.000] Anna: Hej. Hur mår du?\n\n[00:00:03.500] Bo: Bra."
    # Anna led two cues, a repeat that merging hid from turn detection; Bo led one
    assert result.confirmed_speakers == {"Anna"}
    assert speaker_turns(result) == [("Anna", 1000)]


def test_voice_that_turns_cannot_find_is_warned(tmp_path: Path) -> None:
    path = tmp_path / "röst.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v dr (värd)>Hej.\n", encoding="utf-8"
    )
    result = read_transcript(path)
    assert result.text == "[00:00:01.000] dr (värd): Hej."
    assert result.confirmed_speakers == frozenset()
    assert result.warnings[0].startswith(
        "röst.vtt: the voice 'dr (värd)' is not a form of speaker label"
    )


def test_shipped_riverside_vtt() -> None:
    result = read_transcript(TRANSCRIPTS / "interview-en-riverside.vtt")
    assert result.confirmed_speakers == {"Interviewer", "Social worker"}
    assert result.warnings == ()
    turns = speaker_turns(result)
    assert {label for label, _ in turns} == {"Interviewer", "Social worker"}
    assert turns[:3] == [("Interviewer", 1000), ("Social worker", 10500), ("Interviewer", 18500)]
    assert result.text.startswith(
        "[00:00:01.000] Interviewer: Okay, I think it's recording now. Thank you for agreeing"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHej.\n\n"
            "2\n00:00:0x.000 --> 00:00:04.000\nHopp.\n",
            r"trasig.vtt: cue 2 \(line 7\) is malformed: Invalid cue block",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:61:02.000\nHej.\n",
            r"trasig.vtt: cue 1 \(line 3\) is malformed: Invalid timestamp '00:61:02.000'",
        ),
        ("Hej.\n", r"trasig.vtt is not a WebVTT file \(its first line must be WEBVTT\)"),
        ("WEBVTT\n\nNOTE bara en kommentar\n", "trasig.vtt contains no text"),
    ],
)
def test_broken_vtt(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "trasig.vtt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        read_transcript(path)


SRT = """1
00:00:01,000 --> 00:00:03,500
Intervjuare: Hur länge har
ni väntat?

2
00:00:04,000 --> 00:00:06,000
Karin: Sedan <i>i våras</i>.

3
00:00:06,500 --> 00:00:08,000
{\\an8}Karin: Barnen och jag.

4
00:00:09,000 --> 00:00:10,000
[skratt]

5
01:02:03,004 --> 01:02:05,000
Intervjuare: Och nu?
"""


def test_srt_leading_labels_merge_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "samtal.srt"
    path.write_text(SRT, encoding="utf-8")
    result = read_transcript(path)
    assert result.text == (
        "[00:00:01.000] Intervjuare: Hur länge har ni väntat?\n\n"
        "[00:00:04.000] Karin: Sedan i våras. Barnen och jag.\n\n"
        "[00:00:09.000] [skratt]\n\n"
        "[01:02:03.004] Intervjuare: Och nu?"
    )
    assert result.confirmed_speakers == {"Intervjuare", "Karin"}
    assert result.encoding == "utf-8"
    assert result.warnings == ()
    assert result.source_format == "srt"
    assert speaker_turns(result) == [
        ("Intervjuare", 1000),
        ("Karin", 4000),
        ("Intervjuare", 3723004),
    ]


def test_srt_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "gammal.srt"
    path.write_bytes("1\r\n00:00:01,000 --> 00:00:02,000\r\nI: Hur mår ni?\r\n".encode("cp1252"))
    result = read_transcript(path)
    assert result.text == "[00:00:01.000] I: Hur mår ni?"
    assert result.warnings == ("gammal.srt is not UTF-8; read it as Windows-1252 (cp1252)",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "1\n00:00:01,000 --> 00:00:02,000\nHej.\n\n2\n00:00:0x,000 --> 00:00:04,000\nHopp.\n",
            r"trasig.srt: cue 2 \(line 5\) cannot be read: '00:00:0x,000 --> 00:00:04,000'",
        ),
        ("Det här är ingen undertext.\n", r"trasig.srt: cue 1 \(line 1\) cannot be read: 'Det här"),
    ],
)
def test_broken_srt(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "trasig.srt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        read_transcript(path)

"""The side-by-side runner's own logic: the corpus and codings it writes for each tool,
the ratio table, and the child-process stopwatch. Nothing here installs a peer or
opens a socket."""

from __future__ import annotations

import csv
import io
import sys
from html.parser import HTMLParser
from itertools import pairwise

import pytest

from benchmarks.peers import process, workload
from benchmarks.peers.table import Step, cell, format_table, speedup

CODES = workload.code_keys(40)


@pytest.fixture(scope="module")
def transcripts() -> list[workload.Transcript]:
    return workload.make_transcripts(4, 600, seed=3)


@pytest.fixture(scope="module")
def codings(transcripts: list[workload.Transcript]) -> list[workload.Coding]:
    return workload.make_codings(transcripts, 150, CODES, seed=3)


def spoken_words(transcript: workload.Transcript) -> int:
    return sum(len(line.partition(": ")[2].split()) for line in transcript.lines[1:] if line)


def test_each_transcript_has_exactly_the_words_asked_for_in_alternating_turns(
    transcripts: list[workload.Transcript],
) -> None:
    assert [spoken_words(t) for t in transcripts] == [600] * 4
    for transcript in transcripts:
        labels = [transcript.lines[n].split(":")[0] for n in transcript.turn_lines()]
        assert labels[:4] == ["I", "IP", "I", "IP"]
        assert all(a != b for a, b in pairwise(labels))
    assert workload.make_transcripts(4, 600, seed=3) == transcripts
    assert workload.make_transcripts(4, 600, seed=4) != transcripts


def test_codings_are_distinct_turn_lines_with_known_codes(
    transcripts: list[workload.Transcript], codings: list[workload.Coding]
) -> None:
    assert len(set(codings)) == len(codings) == 150
    for coding in codings:
        assert coding.line in transcripts[coding.transcript].turn_lines()
        assert coding.code in CODES
    with pytest.raises(ValueError, match="do not fit"):
        workload.make_codings(transcripts[:1], 10_000, CODES[:2], seed=0)


def test_the_qualcode_csv_points_at_the_coded_words(
    transcripts: list[workload.Transcript], codings: list[workload.Coding]
) -> None:
    titles = [f"T{index}" for index in range(len(transcripts))]
    rows = list(csv.DictReader(io.StringIO(workload.qualcode_csv(transcripts, codings, titles))))
    assert len(rows) == len(codings)
    for row, coding in zip(rows, codings, strict=True):
        text = transcripts[coding.transcript].text
        quote = text[int(row["start"]) : int(row["end"])]
        assert row["transcript"] == titles[coding.transcript]
        assert (row["coder"], row["code"]) == (workload.CODER, coding.code)
        assert quote == workload.expected_quote(transcripts[coding.transcript], coding.line)
        assert not quote.startswith(("I:", "IP:")) and quote.split()[0][0].isupper()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_taguette_byte_offsets_select_the_coded_words_in_the_html_text(
    transcripts: list[workload.Transcript], codings: list[workload.Coding]
) -> None:
    texts = []
    for transcript in transcripts:
        parser = _Text()
        parser.feed(workload.taguette_html(transcript))
        texts.append("".join(parser.parts).encode("utf-8"))
    assert any(b"\xc3" in text for text in texts), "the test needs non-ASCII letters"
    for coding in codings:
        transcript = transcripts[coding.transcript]
        offsets = workload.taguette_offsets(transcript)
        start, end = workload.taguette_highlight(transcript, offsets, coding.line)
        expected = workload.expected_quote(transcript, coding.line)
        assert texts[coding.transcript][start:end].decode("utf-8") == expected


def test_qc_codes_files_put_each_code_on_its_line(
    transcripts: list[workload.Transcript], codings: list[workload.Coding]
) -> None:
    files = workload.qc_codes_files(transcripts, codings)
    assert set(files) == {transcripts[c.transcript].filename for c in codings}
    found = set()
    for index, transcript in enumerate(transcripts):
        if transcript.filename not in files:
            continue
        lines = files[transcript.filename].split("\n")[:-1]
        assert len(lines) == len(transcript.lines)
        for number, line in enumerate(lines):
            found |= {workload.Coding(index, number, code) for code in line.split(", ") if code}
    assert found == set(codings)


def test_the_qualcode_codebook_lists_every_code() -> None:
    text = workload.qualcode_codebook(CODES[:3])
    assert [line.split(": ")[1] for line in text.splitlines() if "key:" in line] == CODES[:3]
    assert text.count("definition:") == 3


def test_speedups_say_which_side_is_faster_and_what_a_stopped_peer_means() -> None:
    ours = Step.ok(2.0, 1.5)
    assert speedup(ours, Step.ok(9.8, 5.0)) == "4.9x"
    assert speedup(ours, Step.ok(1.0, 0.5)) == "0.5x"
    assert speedup(ours, Step.ok(0.04, 0.04)) == "0.02x"
    assert speedup(ours, Step.ok(400.0, 1.0)) == "200x"
    assert speedup(ours, Step("stopped", 600.0, 500.0, note="3 of 9 documents")) == ">= 300x"
    assert speedup(ours, Step.failed("did not install: no wheel")) == "-"
    assert speedup(Step.failed("boom"), Step.ok(1.0, 1.0)) == "-"
    assert speedup(ours, Step.not_available("no such export")) == "-"


def test_cells_and_the_table_show_every_outcome() -> None:
    assert cell(Step.ok(1.234, 0.5)) == "1.23 s (CPU 0.50 s)"
    assert cell(Step.ok(123.4, 100.0, note="5 sessions")) == "123 s (CPU 100 s); 5 sessions"
    assert (
        cell(Step("stopped", 600.2, 550.0, note="3 of 9 documents"))
        == "stopped after 600 s: 3 of 9 documents"
    )
    assert cell(Step.failed("did not install: x")) == "failed: did not install: x"
    assert cell(Step.not_available("no such export")) == "n/a: no such export"
    results = {
        "qualcode": {"import": Step.ok(1.0, 0.9)},
        "qc": {"import": Step.ok(3.0, 2.0)},
        "taguette": {"import": Step.failed("did not start: unshare: Operation not permitted")},
    }
    table = format_table({"import": "import 2 transcripts"}, results, ["import"]).splitlines()
    assert table[0].startswith("| step | qualcode | qualitative-coding | speed-up vs qc | Taguette")
    assert table[2] == (
        "| import 2 transcripts | 1.00 s (CPU 0.90 s) | 3.00 s (CPU 2.00 s) | 3.0x "
        "| failed: did not start: unshare: Operation not permitted | - |"
    )


def test_the_stopwatch_measures_a_child_s_cpu_and_stops_it_at_its_timeout() -> None:
    busy = process.run(
        [
            sys.executable,
            "-c",
            "import time\nt=time.process_time()\nwhile time.process_time()-t<0.3: pass\nprint('done')",
        ]
    )
    assert busy.ok and busy.stdout == b"done\n"
    assert 0.25 <= busy.cpu_s <= busy.wall_s + 0.05
    assert busy.peak_rss_mib > 1
    failing = process.run([sys.executable, "-c", "import sys; sys.exit('bad input: line 3')"])
    assert not failing.ok and failing.error_line() == "bad input: line 3"
    stopped = process.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout_s=0.3)
    assert stopped.timed_out and not stopped.ok
    assert 0.25 <= stopped.wall_s < 5

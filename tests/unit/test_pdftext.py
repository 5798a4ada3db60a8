"""Opt-in repairs of text copied out of PDFs: line-end hyphens and hard wraps."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qualcode.domain.pdftext import dehyphenate, find_hyphen_breaks, reflow

SAMPLE = Path(__file__).resolve().parents[2] / "transcripts" / "rapport-utdrag-pdf.txt"

# ---------------------------------------------------------------- dehyphenate


@pytest.mark.parametrize(
    ("text", "expected", "joins"),
    [
        # a word broken at the line end is joined (Swedish)
        ("en socialsekre-\nterare", "en socialsekreterare", 1),
        ("placerings-\nbeslut sköts upp", "placeringsbeslut sköts upp", 1),
        ("av Migrations-\nverket", "av Migrationsverket", 1),
        ("utlännings-\nlagen går före", "utlänningslagen går före", 1),
        ("över-\nvägda placeringar", "övervägda placeringar", 1),
        ("idé-\nerna", "idéerna", 1),
        ("Müller-\nskolan", "Müllerskolan", 1),
        # ... and English
        ("an inter-\nnational study", "an international study", 1),
        ("the organi-\nzation", "the organization", 1),
        ("a ré-\nsumé", "a résumé", 1),
        # spaces after the hyphen and indentation of the next line go too
        ("hög- \nskolan", "högskolan", 1),
        ("hög-\n   skolan", "högskolan", 1),
        # a word broken over three lines is joined twice
        ("ut-\nred-\nning", "utredning", 2),
        # a soft hyphen is a discretionary break: always removed when joined
        ("socialsekre\u00ad\nterare", "socialsekreterare", 1),
        ("LVU\u00ad\nplacering", "LVUplacering", 1),
        ("inter\u00ad\nnational", "international", 1),
        # the hyphen belongs to the word: kept, only the line break goes
        ("en LVU-\nplacering", "en LVU-placering", 0),
        ("en frivillig SoL-\ninsats", "en frivillig SoL-insats", 0),
        ("IT-\nstöd och EU-\nrätten", "IT-stöd och EU-rätten", 0),
        ("a UK-\nbased charity", "a UK-based charity", 0),
        ("åren 2010-\n2012 och", "åren 2010-2012 och", 0),
        ("from 1990-\n1995", "from 1990-1995", 0),
        ("en 18-\nåring", "en 18-åring", 0),
        ("på 1990-\ntalet", "på 1990-talet", 0),
        ("under COVID-\n19", "under COVID-19", 0),
        ("ett e-\npostutskick", "ett e-postutskick", 0),
        ("an e-\nmail", "an e-mail", 0),
        ("ett i-\nland", "ett i-land", 0),
        ("A-\nkassan", "A-kassan", 0),
        ("LVU\u2010\nplacering", "LVU\u2010placering", 0),
        # the hyphen of an already hyphenated compound is not a prefix boundary
        ("LVU-placerings-\nbeslut", "LVU-placeringsbeslut", 1),
        # a suspended compound before a conjunction: hyphen kept, break becomes a space
        (
            "ett avvisnings-\neller utvisningsbeslut",
            "ett avvisnings- eller utvisningsbeslut",
            0,
        ),
        ("barn-\noch ungdomsvård", "barn- och ungdomsvård", 0),
        ("familjehems-\nsamt HVB-placeringar", "familjehems- samt HVB-placeringar", 0),
        ("förskole-\nrespektive skolbarn", "förskole- respektive skolbarn", 0),
        ("förskole-\nresp. skolbarn", "förskole- resp. skolbarn", 0),
        ("LVU-\noch SoL-placeringar", "LVU- och SoL-placeringar", 0),
        ("0-\ntill 5-åringar", "0- till 5-åringar", 0),
        ("pre-\nand post-war", "pre- and post-war", 0),
        ("short- \n  or long-term", "short- or long-term", 0),
        ("3-\nto 5-year-olds", "3- to 5-year-olds", 0),
    ],
)
def test_dehyphenate_examples(text: str, expected: str, joins: int) -> None:
    assert dehyphenate(text) == (expected, joins)


@pytest.mark.parametrize(
    "text",
    [
        # the next line starts with a capital
        "Sverige-\nDemokraterna",
        "the Home Office-\nFunded project",
        # a blank line, a list item or the end of the text follows
        "placerings-\n\nbeslut",
        "placerings-\n  \nbeslut",
        "följande-\n- tolkar",
        "följande-\n* tolkar",
        "följande-\n• tolkar",
        "följande-\na) tolkar",
        "följande-\n1. tolkar",
        "slutet-",
        "slutet-\n",
        # a dash used as punctuation
        "det var svårt -\nmen vi fortsatte",
        "it was hard -\nbut we went on",
        "det var svårt –\nmen vi fortsatte",
        "det var svårt–\nmen vi fortsatte",
        "det var svårt —\nmen vi fortsatte",
        "men --\nvi fortsatte",
        "-\nnästa rad",
        # a digit after a word that is not a number or an abbreviation
        "sida-\n2",
        # a soft hyphen where a real hyphen was probably meant
        "avvisnings\u00ad\neller utvisningsbeslut",
        "2010\u00ad\n2012",
        # no hyphen at a line end at all
        "e-postutskick och LVU-placering\nSoL-insats 2010-2012",
    ],
)
def test_dehyphenate_leaves_these_alone(text: str) -> None:
    assert dehyphenate(text) == (text, 0)
    assert find_hyphen_breaks(text) == []


def test_find_hyphen_breaks_reports_offsets_and_kinds() -> None:
    text = "en socialsekre-\nterare, en LVU-\nplacering, ett avvisnings-\neller"
    breaks = find_hyphen_breaks(text)
    assert [(text[b.start : b.end], b.replacement, b.kind) for b in breaks] == [
        ("-\n", "", "joined"),
        ("-\n", "-", "kept"),
        ("-\n", "- ", "suspended"),
    ]


# ---------------------------------------------------------------------- reflow


@pytest.mark.parametrize(
    ("text", "expected", "removed"),
    [
        ("en mening som\nfortsätter här", "en mening som fortsätter här", 1),
        ("a sentence that\ngoes on here", "a sentence that goes on here", 1),
        # the whitespace at the join collapses to one space
        ("slutet   \n   början", "slutet början", 1),
        ("slutet\t\n\tbörjan", "slutet början", 1),
        # paragraph breaks stay, however they look
        (
            "Första stycket\nfortsätter.\n\nAndra stycket\nfortsätter.",
            "Första stycket fortsätter.\n\nAndra stycket fortsätter.",
            2,
        ),
        ("ett\n\n\ntvå", "ett\n\n\ntvå", 0),
        ("ett\n  \ntvå", "ett\n  \ntvå", 0),
        ("\n\nett\n", "\n\nett\n", 0),
        # a speaker turn starts a new line; its own wrapped lines are joined
        (
            "I: Hur var det\nnär du började?\nIP1: Det var\nsvårt.",
            "I: Hur var det när du började?\nIP1: Det var svårt.",
            2,
        ),
        (
            "[00:01:02] Karin: Ja,\nvisst.\n[00:01:05] I: Okej.",
            "[00:01:02] Karin: Ja, visst.\n[00:01:05] I: Okej.",
            1,
        ),
        (
            "Interviewer: So how\ndid it start?\nSocial worker: Well, a teacher\ncalled us.",
            "Interviewer: So how did it start?\nSocial worker: Well, a teacher called us.",
            2,
        ),
        (
            "Moderator 1: Välkomna.\nSocialsekreterare A: Tack.",
            "Moderator 1: Välkomna.\nSocialsekreterare A: Tack.",
            0,
        ),
        # a summary paragraph starts a new line
        (
            "Det var allt\n[Sammanfattning] Familjen\nflyttade.",
            "Det var allt\n[Sammanfattning] Familjen flyttade.",
            1,
        ),
        (
            "That was all\n[Summary] The family\nmoved.",
            "That was all\n[Summary] The family moved.",
            1,
        ),
        # list items start a new line; their own wrapped lines are joined
        (
            "Det saknades:\n- tolkar\n* familjehem\n• tid\n1. pengar\n2) rutiner\na) kunskap\nB. stöd",
            "Det saknades:\n- tolkar\n* familjehem\n• tid\n1. pengar\n2) rutiner\na) kunskap\nB. stöd",
            0,
        ),
        ("- tolkar som\n  saknades\n- familjehem", "- tolkar som saknades\n- familjehem", 1),
        (
            "What was missing:\n- interpreters who\nspoke the dialect",
            "What was missing:\n- interpreters who spoke the dialect",
            1,
        ),
        # a short heading-like line before a blank line stays on its own line
        (
            "ska läsas som ungefärliga uppgifter.\n5.3 Resultat\n\nText",
            "ska läsas som ungefärliga uppgifter.\n5.3 Resultat\n\nText",
            0,
        ),
        (
            "as approximate figures.\nMethods and Data\n\nText",
            "as approximate figures.\nMethods and Data\n\nText",
            0,
        ),
        # ... but a paragraph's ordinary last line is joined
        ("de skulle få\nstanna.\n\nNästa", "de skulle få stanna.\n\nNästa", 1),
        ("de skulle få\nstanna\n\nNästa", "de skulle få stanna\n\nNästa", 1),
        (
            "genom familjens\nOffentliga biträde.\n\nNästa",
            "genom familjens Offentliga biträde.\n\nNästa",
            1,
        ),
        # a dash used as punctuation is joined like any line end
        ("det var svårt -\nmen vi fortsatte", "det var svårt - men vi fortsatte", 1),
        ("det var svårt –\nmen vi fortsatte", "det var svårt – men vi fortsatte", 1),
        # a word broken with a hyphen is left for dehyphenate
        ("en socialsekre-\nterare", "en socialsekre-\nterare", 0),
        ("en LVU-\nplacering", "en LVU-\nplacering", 0),
        ("socialsekre\u00ad\nterare", "socialsekre\u00ad\nterare", 0),
    ],
)
def test_reflow_examples(text: str, expected: str, removed: int) -> None:
    assert reflow(text) == (expected, removed)


# -------------------------------------------------------------- shipped sample

JOINED = {
    "socialsekre-": "socialsekreterare",
    "kommu-": "kommunernas",
    "utlännings-": "utlänningslagen",
    "Migrations-": "Migrationsverket",
    "familjehems-": "familjehemsplacering",
    "placerings-": "placeringsbeslut",
    "utrednings-": "utredningsskyldigheten",
    "informations-": "informationsvägar",
    "mottagnings-": "mottagningsenheterna",
}
KEPT = {
    "LVU-placering": 1,
    "SoL-insats": 2,
    "2010-2012": 1,
    "avvisnings- eller utvisningsbeslut": 1,
}


@pytest.fixture(scope="module")
def sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def test_sample_is_dehyphenated(sample: str) -> None:
    text, joins = dehyphenate(sample)
    assert joins == 9
    for broken, whole in JOINED.items():
        assert f"{broken}\n" not in text
        assert whole in text
    for kept, times in KEPT.items():
        assert text.count(kept) == times
    assert "e-postutskick" in text
    assert not re.search(r"[-\u00ad]\n", text)
    assert Counter(b.kind for b in find_hyphen_breaks(sample)) == {
        "joined": 9,
        "kept": 4,
        "suspended": 1,
    }


def test_sample_is_reflowed_into_paragraphs(sample: str) -> None:
    dehyphenated, _ = dehyphenate(sample)
    text, removed = reflow(dehyphenated)
    paragraphs = text.rstrip("\n").split("\n\n")
    assert paragraphs[0] == "5.2 Kartläggningen och intervjuerna"
    assert len(paragraphs) == sample.count("\n\n") + 1 == 7
    assert all("\n" not in paragraph for paragraph in paragraphs)
    assert removed == dehyphenated.count("\n") - text.count("\n")
    assert "socialsekreterare eller en enhetschef" in text
    assert "ett avvisnings- eller utvisningsbeslut" in text
    # the order of the two repairs does not matter here
    assert dehyphenate(reflow(sample)[0])[0] == text


# ---------------------------------------------------------- property tests

_TOKENS = [
    "-",
    "\u00ad",
    "\u2010",
    "–",
    " ",
    "  ",
    "\t",
    "\n",
    "\n",
    "\n",
    "\n\n",
    "\n \n",
    "ord",
    "ab",
    "e",
    "A",
    "LVU",
    "SoL",
    "2010",
    "12",
    "och",
    "eller",
    "to",
    "till",
    "socialsekre",
    "terare",
    "å",
    "Ö",
    "é",
    "ü",
    ".",
    ",",
    ":",
    "I: ",
    "IP1: ",
    "[00:01:02] Karin: ",
    "[Sammanfattning] ",
    "[Summary] ",
    "- ",
    "* ",
    "• ",
    "1. ",
    "a) ",
    "5.2 Rubrik",
]
texts = st.lists(
    st.one_of(st.sampled_from(_TOKENS), st.text(alphabet="abAB1 -\n\u00ad", max_size=4)),
    max_size=40,
).map("".join)

_NOT_KEPT_BY_DEHYPHENATE = re.compile(r"[\s\-\u2010\u00ad]")


@given(texts)
@example("aB-\ncD-\n19")
@example("ab-\ncd-\nef")
def test_dehyphenate_is_idempotent(text: str) -> None:
    once, _ = dehyphenate(text)
    assert dehyphenate(once) == (once, 0)


@given(texts)
def test_dehyphenate_only_removes_hyphens_and_line_breaks(text: str) -> None:
    result, joins = dehyphenate(text)
    assert _NOT_KEPT_BY_DEHYPHENATE.sub("", result) == _NOT_KEPT_BY_DEHYPHENATE.sub("", text)
    assert len(result) <= len(text)
    breaks = find_hyphen_breaks(text)
    assert joins == sum(b.kind == "joined" for b in breaks)
    assert text.count("\n") - result.count("\n") == len(breaks)
    assert result.count("\n\n") == text.count("\n\n")


@given(texts)
@example("A--\n2010")
def test_text_without_line_end_hyphens_is_unchanged(text: str) -> None:
    # drop every hyphen that ends a line (with the spaces and hyphens after it)
    text = re.sub(r"[-\u2010\u00ad](?:[-\u2010\u00ad]|[^\S\n])*(?=\n)", "", text)
    assert dehyphenate(text) == (text, 0)


@given(texts)
def test_reflow_is_idempotent(text: str) -> None:
    once, _ = reflow(text)
    assert reflow(once) == (once, 0)


@given(texts)
def test_reflow_keeps_characters_and_paragraphs(text: str) -> None:
    result, removed = reflow(text)
    assert re.sub(r"\s", "", result) == re.sub(r"\s", "", text)
    assert result.count("\n\n") == text.count("\n\n")
    blank = [line for line in text.split("\n") if not line.strip()]
    assert [line for line in result.split("\n") if not line.strip()] == blank
    assert text.count("\n") - result.count("\n") == removed


@given(texts)
def test_reflow_only_touches_whitespace_at_joins(text: str) -> None:
    result, _ = reflow(text)
    # every line of the result is made of whole input lines, stripped at the joins
    lines = iter(text.split("\n"))
    for out_line in result.split("\n"):
        pieces = [next(lines)]
        while " ".join(_joined(pieces)) != out_line:
            pieces.append(next(lines))
        assert " ".join(_joined(pieces)) == out_line


def _joined(pieces: list[str]) -> list[str]:
    if len(pieces) == 1:
        return pieces
    return [pieces[0].rstrip(), *(p.strip() for p in pieces[1:-1]), pieces[-1].lstrip()]

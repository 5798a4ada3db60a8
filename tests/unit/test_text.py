"""Decoding and normalisation into the canonical text."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.text import DecodeError, decode_bytes, normalise


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Hej på dig".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Hej på dig".encode(), "utf-8"),
        ("Hej på dig".encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Hej på dig".encode("utf-16-be"), "utf-16"),
        ("Hej på dig".encode("utf-32"), "utf-32"),
    ],
)
def test_unicode_encodings_are_recognised(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data, "a.txt")
    assert decoded.text == "Hej på dig"
    assert decoded.encoding == encoding
    assert decoded.warning is None


def test_cp1252_is_read_with_a_warning_naming_the_file() -> None:
    decoded = decode_bytes("Socialsekreterare: Vi väntar – på beslut".encode("cp1252"), "old.txt")
    assert decoded.text == "Socialsekreterare: Vi väntar – på beslut"
    assert decoded.encoding == "cp1252"
    assert decoded.warning is not None and "old.txt" in decoded.warning


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"text\x00\x01\x02binary", "NUL bytes"),
        (
            "Vi väntar på beslut och så vidare. Åtta barn. ".encode() + b"\xff trasig",
            "invalid byte sequence at byte",
        ),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=message) as caught:
        decode_bytes(data, "bad.txt")
    assert "bad.txt" in str(caught.value)


@pytest.mark.parametrize("separator", ["\r\n", "\r", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c"])
def test_every_line_break_becomes_newline(separator: str) -> None:
    assert normalise(f"a{separator}b") == "a\nb"


def test_decomposed_characters_are_composed() -> None:
    decomposed = "va\u0308ntar"  # ä as a + combining diaeresis
    assert normalise(decomposed) == "väntar"


@given(st.text())
def test_normalising_is_idempotent_and_leaves_only_newlines(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once.splitlines() == once.split("\n")[: len(once.splitlines())]
    assert "\r" not in once and unicodedata.is_normalized("NFC", once)

"""Edited quotes are checked against the words of the verbatim source."""

from __future__ import annotations

from qualcode.domain.quote_edits import check_edit

VERBATIM = (
    "Alltså, vi, eh, vi lägger ärendet på is, liksom, tills Migrationsverket har bestämt sig."
)


def test_dropping_fillers_and_marking_omissions_is_faithful() -> None:
    result = check_edit(
        VERBATIM, "Vi lägger ärendet på is […] tills Migrationsverket har bestämt sig."
    )
    assert result.faithful and result.omissions == 1 and result.insertions == 0


def test_insertions_in_brackets_are_allowed() -> None:
    result = check_edit(VERBATIM, "Vi lägger ärendet på is tills [myndigheten] har bestämt sig.")
    assert result.faithful and result.insertions == 1


def test_changed_or_reordered_words_are_reported() -> None:
    result = check_edit(VERBATIM, "Vi parkerar ärendet tills Migrationsverket beslutat.")
    assert result.foreign_words == ("parkerar", "beslutat")
    reordered = check_edit(VERBATIM, "Migrationsverket har bestämt sig, vi lägger ärendet på is.")
    assert not reordered.faithful

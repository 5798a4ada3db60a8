"""Percent agreement and Cohen's κ on characters: two coders, one code, many transcripts.

Every character of every transcript is one observation with two ratings, "coded" or
"not coded" by coder A and by coder B, which is how NVivo compares two coders. A
coder's own overlapping spans are merged first, so a character counts once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from qualcode.domain.agreement.cohen import cohen_kappa
from qualcode.domain.agreement.intervals import intersection_length, normalise_spans, total_length
from qualcode.domain.agreement.spantable import SpanTable, by_coder, count_by, merged
from qualcode.domain.errors import InvalidInput

TranscriptKey = TypeVar("TranscriptKey", bound=Hashable)

NO_TEXT = "no text: the transcripts have no characters"
NEITHER_CODED = "no variation: neither coder applied the code"
BOTH_CODED_ALL = "no variation: both coders coded every character"


@dataclass(frozen=True, slots=True)
class CharacterCounts:
    """Characters coded by both coders, by A only, by B only and by neither."""

    both: int
    only_a: int
    only_b: int
    neither: int

    @property
    def total(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    def __add__(self, other: CharacterCounts) -> CharacterCounts:
        return CharacterCounts(
            self.both + other.both,
            self.only_a + other.only_a,
            self.only_b + other.only_b,
            self.neither + other.neither,
        )


@dataclass(frozen=True, slots=True)
class CharacterAgreement:
    """Percent agreement and κ on characters, with the counts behind them.

    ``percent_agreement`` is 100·p_o. ``coded_share_a`` and ``coded_share_b`` are p_A
    and p_B, the shares of characters each coder coded. ``kappa`` is ``None`` exactly
    when ``reason`` says why; with no text at all every figure is ``None``.
    """

    counts: CharacterCounts
    observed_agreement: float | None
    percent_agreement: float | None
    coded_share_a: float | None
    coded_share_b: float | None
    expected_agreement: float | None
    kappa: float | None
    reason: str | None


def count_characters(
    text_length: int,
    spans_a: Iterable[tuple[int, int]],
    spans_b: Iterable[tuple[int, int]],
    *,
    where: str = "the transcript",
) -> CharacterCounts:
    """Both / only-A / only-B / neither counts over one text of ``text_length``.

    Raises ``InvalidSpan`` (naming ``where``) for a span outside the text.
    """
    a = normalise_spans(spans_a, text_length, where, merge_touching=True)
    b = normalise_spans(spans_b, text_length, where, merge_touching=True)
    both = intersection_length(a, b)
    only_a = total_length(a) - both
    only_b = total_length(b) - both
    return CharacterCounts(both, only_a, only_b, text_length - both - only_a - only_b)


def agreement_from_counts(counts: CharacterCounts) -> CharacterAgreement:
    """p_o = (both + neither)/N and Cohen's κ for the 2 × 2 table of character counts.

    Source: Cohen, J. (1960). "A coefficient of agreement for nominal scales."
    Educational and Psychological Measurement 20(1):37–46 — κ = (p_o − p_c)/(1 − p_c).
    With two categories (coded, not coded) the chance agreement is
    p_c = p_A·p_B + (1 − p_A)(1 − p_B): chance agreement on "coded" plus chance
    agreement on "not coded". The two terms are added; multiplying them, as one
    popular tool does, is not Cohen's κ.

    Undefined κ: no characters; neither coder applied the code; both coded every
    character (p_c = 1 in the last two, so κ is 0/0). Percent agreement is still
    reported in the last two cases: it is 100.
    """
    n = counts.total
    if n == 0:
        return CharacterAgreement(counts, None, None, None, None, None, None, NO_TEXT)
    kappa = cohen_kappa([[counts.both, counts.only_a], [counts.only_b, counts.neither]])
    observed = (counts.both + counts.neither) / n
    share_a = (counts.both + counts.only_a) / n
    share_b = (counts.both + counts.only_b) / n
    reason = None
    if kappa.value is None:
        reason = NEITHER_CODED if counts.neither == n else BOTH_CODED_ALL
    return CharacterAgreement(
        counts=counts,
        observed_agreement=observed,
        percent_agreement=100 * observed,
        coded_share_a=share_a,
        coded_share_b=share_b,
        expected_agreement=kappa.expected_agreement,
        kappa=kappa.value,
        reason=reason,
    )


def character_agreement(
    text_lengths: Mapping[TranscriptKey, int],
    spans_a: Mapping[TranscriptKey, Iterable[tuple[int, int]]],
    spans_b: Mapping[TranscriptKey, Iterable[tuple[int, int]]],
) -> CharacterAgreement:
    """Percent agreement and κ over all characters of all transcripts in ``text_lengths``.

    ``spans_a`` and ``spans_b`` give each coder's spans of the one code per transcript;
    a transcript a coder did not code may be left out. Counts are summed over all
    characters before p_o and κ are computed (NVivo's definition), so long transcripts
    weigh more than short ones. For a figure per transcript call ``count_characters``
    and ``agreement_from_counts`` on it.
    """
    unknown = (set(spans_a) | set(spans_b)) - set(text_lengths)
    if unknown:
        raise InvalidInput(
            f"spans given for transcripts without a text length: {sorted(map(str, unknown))}"
        )
    total = CharacterCounts(0, 0, 0, 0)
    for key, length in text_lengths.items():
        total += count_characters(
            length, spans_a.get(key, ()), spans_b.get(key, ()), where=f"transcript {key}"
        )
    return agreement_from_counts(total)


def character_counts_per_code(table: SpanTable) -> list[CharacterCounts]:
    """``character_agreement``'s counts for every code of a two-coder ``table`` at once.

    Per code: each coder's merged spans give the characters A and B coded; the
    merged spans of both together give the characters either coded; both = A + B −
    either, and neither = every character − either.
    """
    if table.n_coders != 2:
        raise InvalidInput("character agreement compares exactly two coders")
    own = by_coder(table, merge_touching=True)
    coded = count_by(own.group, own.length, table.n_groups).reshape(table.n_codes, 2)
    union = merged(table, table.code, merge_touching=True)
    either = count_by(union.group, union.length, table.n_codes)
    both = coded.sum(axis=1) - either
    neither = table.total_length - either
    return [
        CharacterCounts(b, a - b, c - b, n)
        for b, (a, c), n in zip(both.tolist(), coded.tolist(), neither.tolist(), strict=True)
    ]

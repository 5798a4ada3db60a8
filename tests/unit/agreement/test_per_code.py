"""The array paths over every code at once give the per-code reference figures.

Each ``*_per_code`` function is checked against the plain per-code function it
replaces in the service (``character_agreement``, ``presence_counts`` with
``alpha_from_values`` and ``bootstrap_values``, ``unitized_alpha``,
``match_segments``, ``exclusive_group_values``, ``fleiss_kappa`` of presence values)
on random span sets: empty codes, one coder, a coder's own
overlapping spans, spans touching at boundaries, transcripts without text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.domain.agreement import (
    alpha_from_kinds,
    alpha_from_values,
    bootstrap_kinds,
    bootstrap_values,
    character_agreement,
    character_counts_per_code,
    confusion_matrix,
    exclusive_group_choices,
    exclusive_group_values,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    group_alpha,
    group_confusion,
    group_fleiss,
    krippendorff_alpha,
    match_segments,
    match_segments_per_code,
    presence_counts,
    presence_fleiss,
    presence_kinds_per_code,
    presence_marks_per_code,
    presence_values,
    span_table,
    stack_kinds,
    stack_values,
    unit_arrays,
    unit_table,
    unitized_alpha,
    unitized_alpha_per_code,
)
from qualcode.domain.agreement.krippendorff import kinds_of
from qualcode.domain.agreement.spantable import SpanTable
from qualcode.domain.errors import InvalidSpan

Span = tuple[int, int]


@dataclass
class Corpus:
    lengths: list[int]
    n_codes: int
    coders: list[str]
    # (code, coder, transcript, start, end)
    spans: list[tuple[int, int, int, int, int]]
    units: list[tuple[int, int, int]]  # (transcript, start, end)

    @property
    def keys(self) -> list[str]:
        return [f"t{i}" for i in range(len(self.lengths))]

    def table(self) -> SpanTable:
        columns = np.array(self.spans, dtype=np.int64).reshape(-1, 5).T
        return span_table(
            self.keys,
            self.lengths,
            n_codes=self.n_codes,
            n_coders=len(self.coders),
            code=columns[0],
            coder=columns[1],
            transcript=columns[2],
            start=columns[3],
            end=columns[4],
        )

    def text_lengths(self) -> dict[str, int]:
        return dict(zip(self.keys, self.lengths, strict=True))

    def coder_spans(self, code: int) -> dict[str, dict[str, list[Span]]]:
        found: dict[str, dict[str, list[Span]]] = {c: {} for c in self.coders}
        for k, coder, t, start, end in self.spans:
            if k == code:
                found[self.coders[coder]].setdefault(self.keys[t], []).append((start, end))
        return found

    def unit_spans(self) -> dict[str, list[Span]]:
        found: dict[str, list[Span]] = {key: [] for key in self.keys}
        for t, start, end in self.units:
            found[self.keys[t]].append((start, end))
        return found


def _span_in(length: int) -> st.SearchStrategy[Span]:
    """Anywhere in the text, or on a grid of 5 so that spans often touch and overlap."""
    free = st.tuples(st.integers(0, length - 1), st.integers(1, 25))
    grid = st.tuples(
        st.integers(0, (length - 1) // 5).map(lambda n: 5 * n), st.sampled_from([5, 10])
    )
    return st.one_of(free, grid).map(lambda p: (p[0], min(length, p[0] + p[1])))


@st.composite
def corpora(draw: st.DrawFn, coders: st.SearchStrategy[int] = st.integers(1, 3)) -> Corpus:
    lengths = draw(st.lists(st.sampled_from([0, 1, 7, 30, 60]), min_size=1, max_size=4))
    n_codes = draw(st.integers(0, 4))
    n_coders = draw(coders)
    texts = [t for t, length in enumerate(lengths) if length]
    spans = []
    units = []
    if texts:
        for _ in range(draw(st.integers(0, 24)) if n_codes else 0):
            t = draw(st.sampled_from(texts))
            start, end = draw(_span_in(lengths[t]))
            code = draw(st.integers(0, n_codes - 1))
            spans.append((code, draw(st.integers(0, n_coders - 1)), t, start, end))
        for _ in range(draw(st.integers(0, 12))):
            t = draw(st.sampled_from(texts))
            units.append((t, *draw(_span_in(lengths[t]))))
    return Corpus(lengths, n_codes, [f"c{i}" for i in range(n_coders)], spans, units)


def assert_same(found: Any, expected: Any, path: str = "") -> None:
    """Equal field by field; floats within 1e-12."""
    if isinstance(expected, float) and isinstance(found, float):
        assert math.isclose(found, expected, rel_tol=1e-12, abs_tol=1e-12), path
    elif isinstance(expected, (tuple, list)):
        assert len(found) == len(expected), path
        for i, (a, b) in enumerate(zip(found, expected, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif hasattr(expected, "__dataclass_fields__"):
        assert type(found) is type(expected), path
        for field in fields(expected):
            assert_same(getattr(found, field.name), getattr(expected, field.name), field.name)
    elif isinstance(expected, np.ndarray):
        assert np.array_equal(found, expected), path
    else:
        assert found == expected, path


@given(corpora(st.just(2)))
def test_character_counts_per_code_match_character_agreement(corpus: Corpus) -> None:
    found = character_counts_per_code(corpus.table())
    assert len(found) == corpus.n_codes
    for code, counts in enumerate(found):
        spans = corpus.coder_spans(code)
        expected = character_agreement(corpus.text_lengths(), spans["c0"], spans["c1"])
        assert counts == expected.counts


@given(corpora(), st.sampled_from([0.0, 0.3, 1.0]))
def test_presence_kinds_per_code_match_presence_counts(corpus: Corpus, min_share: float) -> None:
    table = corpus.table()
    units = np.array(corpus.units, dtype=np.int64).reshape(-1, 3).T
    found = presence_kinds_per_code(
        table, unit_arrays(table, units[0], units[1], units[2]), min_share=min_share
    )
    reference_table = unit_table(corpus.text_lengths(), corpus.unit_spans())
    expected = [
        presence_counts(reference_table, corpus.coder_spans(code), min_share=min_share)
        for code in range(corpus.n_codes)
    ]
    for kinds, values in zip(found, expected, strict=True):
        # the same kinds in the same order: the bootstrap draws the same resamples
        assert_same(kinds, kinds_of(values))
        assert_same(alpha_from_kinds(kinds), alpha_from_values(values))
    assert_same(alpha_from_kinds(stack_kinds(found)), alpha_from_values(stack_values(expected)))


@given(corpora(), st.sampled_from([0.0, 0.3, 1.0]))
def test_presence_fleiss_matches_fleiss_kappa_of_the_presence_values(
    corpus: Corpus, min_share: float
) -> None:
    table = corpus.table()
    units = np.array(corpus.units, dtype=np.int64).reshape(-1, 3).T
    marks = presence_marks_per_code(
        table, unit_arrays(table, units[0], units[1], units[2]), min_share=min_share
    )
    for code in range(corpus.n_codes):
        values = presence_values(
            corpus.text_lengths(),
            corpus.unit_spans(),
            corpus.coder_spans(code),
            min_share=min_share,
        )
        expected = fleiss_kappa([list(row) for row in values.values])
        assert_same(presence_fleiss(marks[code], len(corpus.coders)), expected)


@settings(max_examples=40)
@given(corpora(st.integers(2, 3)))
def test_the_bootstrap_over_kinds_is_the_bootstrap_over_units(corpus: Corpus) -> None:
    table = corpus.table()
    units = np.array(corpus.units, dtype=np.int64).reshape(-1, 3).T
    found = presence_kinds_per_code(table, unit_arrays(table, units[0], units[1], units[2]))
    reference_table = unit_table(corpus.text_lengths(), corpus.unit_spans())
    for code, kinds in enumerate(found):
        values = presence_counts(reference_table, corpus.coder_spans(code))
        assert_same(
            bootstrap_kinds(kinds, draws=300, seed=5), bootstrap_values(values, draws=300, seed=5)
        )


@given(corpora())
def test_unitized_alpha_per_code_matches_unitized_alpha(corpus: Corpus) -> None:
    found = unitized_alpha_per_code(corpus.table(), corpus.coders)
    assert len(found) == corpus.n_codes
    for code, alpha in enumerate(found):
        # exact integers on both paths: the very same floats
        assert alpha == unitized_alpha(corpus.text_lengths(), corpus.coder_spans(code))


@given(corpora(st.just(2)), st.sampled_from([0.2, 0.5, 0.9, 1.0]))
def test_match_segments_per_code_matches_match_segments(corpus: Corpus, min_iou: float) -> None:
    found = match_segments_per_code(corpus.table(), min_iou=min_iou)
    assert len(found) == corpus.n_codes
    for code, matching in enumerate(found):
        spans = corpus.coder_spans(code)
        expected = match_segments(corpus.text_lengths(), spans["c0"], spans["c1"], min_iou=min_iou)
        assert matching == expected


@given(corpora(), st.sampled_from([0.0, 0.3, 1.0]))
def test_exclusive_group_choices_match_exclusive_group_values(
    corpus: Corpus, min_share: float
) -> None:
    """The table's codes as one exclusive group, named out of sorted order."""
    members = ("z", "b", "m", "a")[: corpus.n_codes]
    table = corpus.table()
    units = np.array(corpus.units, dtype=np.int64).reshape(-1, 3).T
    choices = exclusive_group_choices(
        table, unit_arrays(table, units[0], units[1], units[2]), min_share=min_share
    )
    codings: dict[str, dict[str, list[tuple[str, int, int]]]] = {c: {} for c in corpus.coders}
    for code, coder, t, start, end in corpus.spans:
        codings[corpus.coders[coder]].setdefault(corpus.keys[t], []).append(
            (members[code], start, end)
        )
    values = exclusive_group_values(
        members, corpus.text_lengths(), corpus.unit_spans(), codings, min_share=min_share
    )
    matrix = [list(row) for row in values.values]
    assert choices.n_conflicts == len(values.conflicts)
    assert_same(group_alpha(choices, members), krippendorff_alpha(matrix))
    if len(corpus.coders) == 2:
        assert group_confusion(choices, members) == confusion_matrix(values, "c0", "c1", members)
    counts = [[row.count(code) for code in members] for row in matrix]
    expected = fleiss_kappa_from_counts(counts, members, raters_per_unit=len(corpus.coders))
    assert_same(group_fleiss(choices, members), expected)


def test_overlapping_and_touching_spans_of_one_coder() -> None:
    """Merged for characters and presence; kept apart where they touch for unitizing."""
    corpus = Corpus(
        lengths=[0, 20],
        n_codes=2,
        coders=["c0", "c1"],
        spans=[
            (0, 0, 1, 0, 5),
            (0, 0, 1, 5, 9),  # touches the first
            (0, 0, 1, 3, 7),  # overlaps both
            (0, 1, 1, 0, 9),
            (1, 1, 1, 10, 20),  # code 1: one coder only
        ],
        units=[(1, 0, 4), (1, 4, 10), (1, 10, 20)],
    )
    table = corpus.table()
    counts = character_counts_per_code(table)
    assert (counts[0].both, counts[0].only_a, counts[0].only_b, counts[0].neither) == (9, 0, 0, 11)
    assert (counts[1].both, counts[1].only_b, counts[1].neither) == (0, 10, 10)
    unitized = unitized_alpha_per_code(table, corpus.coders)
    assert unitized[0].units_per_coder == (1, 1)  # [0, 9) after merging the overlap
    for code in range(2):
        assert unitized[code] == unitized_alpha(corpus.text_lengths(), corpus.coder_spans(code))
    units = np.array(corpus.units).T
    kinds = presence_kinds_per_code(table, unit_arrays(table, *units))
    # (absent, present) per unit, sorted: both coders mark the first two units
    assert kinds[0].kinds.tolist() == [[0, 2], [2, 0]]
    assert kinds[0].frequencies.tolist() == [2, 1]
    assert kinds[1].kinds.tolist() == [[1, 1], [2, 0]]
    assert kinds[1].frequencies.tolist() == [1, 2]


def test_a_span_outside_its_text_is_refused_as_the_reference_refuses_it() -> None:
    corpus = Corpus([10], 1, ["c0", "c1"], [(0, 0, 0, 4, 12)], [])
    with pytest.raises(InvalidSpan, match="runs past the end of transcript t0"):
        corpus.table()
    with pytest.raises(InvalidSpan, match="runs past the end of transcript t0"):
        character_agreement(corpus.text_lengths(), {"t0": [(4, 12)]}, {})

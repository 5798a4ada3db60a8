"""Code matrices and co-occurrence tables: loading the corpus and counting.

The corpus is read in a few bulk queries (``store.repositories.analysis``), laid end to
end at global offsets, and counted with numpy (``domain.matrix``). Every label of an
axis carries the query term that selects it, so each cell has a query that retrieves
exactly the passages behind its number (docs/decisions.md, "Analysis").

Which attribute value (and which case) a passage has is decided in one place,
:func:`passage_values`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from qualcode.domain import matrix as mx
from qualcode.domain import query as q
from qualcode.domain import table_words
from qualcode.domain.analysis import Axis, MatrixResult, axis_in, number
from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import Code
from qualcode.services.layers import consensus_layers
from qualcode.services.project import Project
from qualcode.services.retrieval import Retrieval, matching_spans, passages_for, retrieve
from qualcode.store.repositories import analysis as repo
from qualcode.store.repositories import cases as case_repo
from qualcode.store.repositories import codes as code_repo

DIMENSIONS = ("codes", "transcripts", "cases", "attribute:NAME", "speakers", "roles", "modes")
DIMENSIONS_WITH_CODERS = (*DIMENSIONS, "coders")
_ALIASES = {
    "code": "codes",
    "transcript": "transcripts",
    "case": "cases",
    "speaker": "speakers",
    "role": "roles",
    "mode": "modes",
    "coder": "coders",
}
NO_CASE = "(no case)"
MISSING = "(missing)"
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


# ---------------------------------------------------------------- the corpus


@dataclass
class Corpus:
    """What counting needs, read once per request."""

    transcripts: list[repo.CorpusTranscript]
    codes: list[Code]
    coders: dict[str, int]  # chosen coder name -> id
    session: Session
    all_coders: bool = False  # the chosen coders are everyone with codings
    offsets: dict[int, int] = field(default_factory=dict)  # transcript id -> global offset
    index: dict[int, int] = field(default_factory=dict)  # transcript id -> position
    code_of: mx.Ints = field(default_factory=lambda: mx.ints([]))  # per coding (position)
    coder_of: mx.Ints = field(default_factory=lambda: mx.ints([]))
    _turns: list[repo.CorpusTurn] | None = None
    _words: mx.Ints | None = None

    def __post_init__(self) -> None:
        reach = 0
        for position, t in enumerate(self.transcripts):
            self.offsets[t.id] = reach
            self.index[t.id] = position
            reach += t.length + 1  # one position between texts: spans never join across

    @property
    def turns(self) -> list[repo.CorpusTurn]:
        if self._turns is None:
            self._turns = repo.turns(self.session)
        return self._turns

    def whole(self, transcript_ids: Sequence[int]) -> tuple[list[int], list[int]]:
        starts = [self.offsets[tid] for tid in transcript_ids]
        lengths = {t.id: t.length for t in self.transcripts}
        return starts, [self.offsets[tid] + lengths[tid] for tid in transcript_ids]

    def word_starts(self) -> mx.Ints:
        """The global position of every word's first character, sorted."""
        if self._words is None:
            texts = repo.texts(self.session)
            parts = [
                np.fromiter(
                    (self.offsets[t.id] + m.start() for m in WORD.finditer(texts[t.id])),
                    dtype=np.int64,
                )
                for t in self.transcripts
            ]
            self._words = np.concatenate(parts) if parts else mx.ints([])
        return self._words


@dataclass(frozen=True)
class RegionAxis:
    """An axis whose labels are stretches of text (whole transcripts, turns): each
    region (sorted, disjoint, global) belongs to one or more labels, listed in
    ``label_of`` from ``first[region]`` for ``count[region]`` entries."""

    axis: Axis
    regions: mx.Regions  # key = region number
    first: mx.Ints
    count: mx.Ints
    label_of: mx.Ints

    def assign(self, start: mx.Ints, end: mx.Ints) -> tuple[mx.Ints, mx.Ints, mx.Ints, mx.Ints]:
        """``(span index, label index, start, end)`` of every part of the spans inside a
        region of a label."""
        span, region, s, e = mx.clip(start, end, self.regions)
        counts = self.count[region]
        if len(counts) and int(counts.max()) == 1 and int(counts.min()) == 1:
            return span, self.label_of[self.first[region]], s, e
        within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        labels = self.label_of[np.repeat(self.first[region], counts) + within]
        return np.repeat(span, counts), labels, np.repeat(s, counts), np.repeat(e, counts)


def _region_axis(
    corpus: Corpus,
    dimension: str,
    labelled: dict[str, list[tuple[int, int, int]]],
    terms: dict[str, q.Query | None],
    order: list[str],
) -> RegionAxis:
    """An axis from ``label -> [(transcript id, start, end)]`` in local offsets."""
    by_span: dict[tuple[int, int], list[int]] = defaultdict(list)
    for key, label in enumerate(order):
        for tid, start, end in labelled[label]:
            if end > start:
                base = corpus.offsets[tid]
                by_span[base + start, base + end].append(key)
    spans = sorted(by_span)
    regions = mx.Regions.of([s for s, _ in spans], [e for _, e in spans], list(range(len(spans))))
    count = mx.ints([len(by_span[span]) for span in spans])
    return RegionAxis(
        Axis(dimension, tuple(order), tuple(terms[label] for label in order)),
        regions,
        np.cumsum(count) - count,
        count,
        mx.ints([key for span in spans for key in by_span[span]]),
    )


def _transcript_filter(titles: Sequence[str]) -> q.Query | None:
    filters = [q.Filter("transcript", title) for title in titles]
    if not filters:
        return None
    return filters[0] if len(filters) == 1 else q.Or(tuple(filters))


def passage_values(corpus: Corpus, what: str) -> RegionAxis:
    """The one rule for which cases, or which values of an attribute, a passage has
    (docs/decisions.md, "Cases"): a speaker linked to a case gives their turns that
    case and its values; every other passage has its transcript's own values, then its
    cases' (a transcript in several cases is counted under each; cases that disagree
    on a value put the passage under each of their values).

    ``what`` is ``"cases"`` or an attribute name."""
    context = case_repo.attribute_context(corpus.session)
    case_names = case_repo.case_names_by_id(corpus.session)
    titles = {t.id: t.title for t in corpus.transcripts}
    labelled: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    members: dict[str, list[str]] = defaultdict(list)
    linked_turns: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    if context.speaker_cases:
        for turn in corpus.turns:
            if turn.label is not None and (turn.transcript_id, turn.label) in context.speaker_cases:
                linked_turns[turn.transcript_id].append((turn.start, turn.end, turn.label))

    def regions(t: repo.CorpusTranscript) -> list[tuple[int, int, str | None]]:
        """The transcript's stretches: (start, end, speaker label or None for the rest)."""
        own = sorted(linked_turns.get(t.id, []))
        found: list[tuple[int, int, str | None]] = []
        at = 0
        for start, end, label in own:
            if start > at:
                found.append((at, start, None))
            found.append((start, end, label))
            at = max(at, end)
        if at < t.length or not found:
            found.append((at, t.length, None))
        return found

    if what == "cases":
        for t in corpus.transcripts:
            for start, end, label in regions(t):
                if label is None:
                    ids = context.transcript_cases.get(t.id, [])
                else:
                    ids = [context.speaker_cases[(t.id, label)]]
                names = [case_names[i] for i in ids] or [NO_CASE]
                for name in names:
                    labelled[name].append((t.id, start, end))
                    if t.title not in members[name]:
                        members[name].append(t.title)
        order = sorted(label for label in labelled if label != NO_CASE)
        order += [NO_CASE] if NO_CASE in labelled else []
        # the query language has no case: term; a case is the transcripts in it
        by_case: dict[str, q.Query | None] = {
            label: _transcript_filter(members[label]) for label in order
        }
        return _region_axis(corpus, "cases", labelled, by_case, order)
    if repo.attribute_values(corpus.session, what) is None:
        names = repo.attribute_names(corpus.session)
        choices = ", ".join(names) if names else "none is set yet (qualcode attr set)"
        raise InvalidInput(f"no attribute named {what!r}; the attributes are: {choices}")
    typed: dict[str, str | float | bool] = {}
    spelled: dict[str, str] = {}  # attr: compares text without case: one column per value
    for t in corpus.transcripts:
        base = context.for_transcript(t.id)
        by_speaker = context.for_speakers(t.id)
        for start, end, label in regions(t):
            resolved = (by_speaker.get(label, {}) if label is not None else base).get(what)
            values = resolved if isinstance(resolved, tuple) else (resolved,)
            for value in values:
                shown = MISSING if value is None else _value_label(value)
                shown = spelled.setdefault(shown.casefold(), shown) if value is not None else shown
                if value is not None:
                    typed[shown] = value
                labelled[shown].append((t.id, start, end))
                if titles[t.id] not in members[shown]:
                    members[shown].append(titles[t.id])
    present = sorted(typed, key=lambda label: _sort_key(typed[label]))
    order = present + ([MISSING] if MISSING in labelled else [])
    terms: dict[str, q.Query | None] = {}
    for label in present:
        terms[label] = q.Attr(what, "=", label)
    if MISSING in labelled:
        # a missing value matches no attr: comparison, so name its transcripts
        terms[MISSING] = _transcript_filter(members[MISSING])
    return _region_axis(corpus, f"attribute:{what}", labelled, terms, order)


def _value_label(value: str | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value


def _sort_key(value: str | float | bool) -> tuple[int, float, str]:
    if isinstance(value, bool):
        return (0, float(value), "")
    if isinstance(value, float):
        return (1, value, "")
    return (2, 0.0, value.casefold())


def _turn_axis(corpus: Corpus, dimension: str) -> RegionAxis:
    titles = {t.id: t.title for t in corpus.transcripts}
    labelled: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    terms: dict[str, q.Query | None] = {}
    for turn in corpus.turns:
        if turn.speaker_id is None:
            continue
        if dimension == "roles":
            if turn.role is None:
                continue
            label = turn.role
            terms[label] = q.Filter("role", turn.role)
        else:
            label = f"{turn.speaker} ({titles[turn.transcript_id]})"
            terms[label] = q.And(
                (
                    q.Filter("transcript", titles[turn.transcript_id]),
                    q.Filter("speaker", turn.speaker or ""),
                )
            )
        labelled[label].append((turn.transcript_id, turn.start, turn.end))
    if dimension == "roles":
        order = sorted(labelled)
    else:
        first = {}
        for label, spans in labelled.items():
            first[label] = (corpus.index[spans[0][0]], spans[0][1])
        order = sorted(labelled, key=first.__getitem__)
    return _region_axis(corpus, dimension, labelled, terms, order)


def _transcript_axis(corpus: Corpus, dimension: str) -> RegionAxis:
    labelled: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    terms: dict[str, q.Query | None] = {}
    for t in corpus.transcripts:
        if dimension == "modes":
            label = t.mode
            terms[label] = q.Filter("mode", t.mode)
        else:
            label = t.title
            terms[label] = q.Filter("transcript", t.title)
        labelled[label].append((t.id, 0, t.length))
    order = sorted(labelled) if dimension == "modes" else [t.title for t in corpus.transcripts]
    return _region_axis(corpus, dimension, labelled, terms, order)


# ---------------------------------------------------------------- axes of codes and coders


@dataclass(frozen=True)
class CodeAxis:
    axis: Axis
    rows_of_code: dict[int, list[int]]  # code id -> the row of it and of each chosen ancestor


def _code_axis(corpus: Corpus, keys: Sequence[str]) -> CodeAxis:
    by_key = {code.key: code for code in corpus.codes}
    unknown = [key for key in keys if key not in by_key]
    if unknown:
        raise InvalidInput(
            f"no code {unknown[0]!r} in the codebook; the codes are: "
            + ", ".join(code.key for code in corpus.codes)
        )
    chosen = list(keys) if keys else [code.key for code in corpus.codes]
    position = {key: i for i, key in enumerate(chosen)}
    rows_of_code: dict[int, list[int]] = {}
    for code in corpus.codes:
        rows, current = [], code
        while True:
            if current.key in position:
                rows.append(position[current.key])
            if current.parent_key is None:
                break
            current = by_key[current.parent_key]
        if rows:
            rows_of_code[code.id] = rows
    axis = Axis("codes", tuple(chosen), tuple(q.Code(key) for key in chosen))
    return CodeAxis(axis, rows_of_code)


def _expand(keys_of: dict[int, list[int]], values: mx.Ints) -> tuple[mx.Ints, mx.Ints]:
    """Each value's keys: ``(index into values, key)`` pairs."""
    if not keys_of:
        return mx.ints([]), mx.ints([])
    largest = max(keys_of) + 1
    counts = np.zeros(largest, dtype=np.int64)
    starts = np.zeros(largest, dtype=np.int64)
    flat: list[int] = []
    for value in sorted(keys_of):
        starts[value] = len(flat)
        counts[value] = len(keys_of[value])
        flat.extend(keys_of[value])
    table = mx.ints(flat)
    inside = values < largest
    per = np.where(inside, counts[np.minimum(values, largest - 1)], 0)
    index = np.repeat(np.arange(len(values), dtype=np.int64), per)
    within = np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
    return index, table[np.repeat(starts[np.minimum(values, largest - 1)], per) + within]


# ---------------------------------------------------------------- the request


@dataclass(frozen=True)
class Request:
    rows: str
    columns: str
    measure: str = "codings"
    codes: tuple[str, ...] = ()
    where: str | None = None
    coders: tuple[str, ...] = ()
    consensus: bool = False
    language: str = "en"  # of the table's words and of its mode, role and case labels


def normalise_dimension(name: str) -> str:
    text = name.strip()
    lowered = text.casefold()
    for prefix in ("attribute:", "attr:"):
        if lowered.startswith(prefix) and text[len(prefix) :].strip():
            return f"attribute:{text[len(prefix) :].strip()}"
    lowered = _ALIASES.get(lowered, lowered)
    if lowered not in DIMENSIONS_WITH_CODERS:
        raise InvalidInput(
            f"unknown dimension {name!r}; use one of {', '.join(DIMENSIONS_WITH_CODERS)}"
        )
    return lowered


def _check_measure(measure: str, dimensions: Sequence[str]) -> None:
    if measure not in mx.MEASURES:
        raise InvalidInput(f"unknown measure {measure!r}; use one of {', '.join(mx.MEASURES)}")
    if measure == "transcripts" and "transcripts" in dimensions:
        raise InvalidInput(
            "counting transcripts per transcript gives only 0 or 1; "
            "use --measure codings or passages with transcripts as a dimension"
        )
    if measure == "cases" and "cases" in dimensions:
        raise InvalidInput(
            "counting cases per case gives only 0 or 1; "
            "use --measure codings or passages with cases as a dimension"
        )
    if measure == "cases" and any(d in ("transcripts", "speakers") for d in dimensions):
        raise InvalidInput(
            "a transcript or a speaker lies in one case, so counting cases per "
            f"{'transcript' if 'transcripts' in dimensions else 'speaker'} gives only 0 or 1"
        )


@dataclass(frozen=True)
class Scope:
    """Whose codings count and which passages: shared by matrices and co-occurrence."""

    coders: dict[str, int]
    pooled: bool
    where: q.Query | None
    base_terms: tuple[q.Query, ...]
    everyone: bool  # the chosen coders are all who have codings: no coder filter needed


def _scope(
    session: Session, project: Project, coders: Sequence[str], consensus: bool, where: str | None
) -> Scope:
    layers = consensus_layers(project)
    available = repo.coders_with_codings(session)
    if consensus:
        if coders:
            raise InvalidInput("give --coder or --consensus, not both")
        chosen_names = sorted(name for name in available if name in layers)
        if not chosen_names:
            raise InvalidInput(
                "there is no consensus layer yet; settle disagreements first (qualcode settle)"
            )
    elif coders:
        unknown = [name for name in coders if name not in available]
        if unknown:
            raise InvalidInput(
                f"coder {unknown[0]!r} has no codings; the coders are: "
                + (", ".join(available) or "none yet")
            )
        chosen_names = list(dict.fromkeys(coders))
    else:
        # consensus layers copy A's and B's codings: pooling them would count twice
        chosen_names = [name for name in available if name not in layers]
    parsed = None
    if where:
        parsed = q.parse(where)
        if any(isinstance(n, q.Filter) and n.field == "coder" for n in q.walk(parsed)):
            raise InvalidInput("choose coders with --coder or --consensus, not coder: in --where")
    chosen = {name: available[name] for name in chosen_names}
    coder_terms: tuple[q.Query, ...] = ()
    if set(chosen) != set(available):
        coder_terms = tuple(q.Filter("coder", name) for name in chosen)
    return Scope(
        chosen,
        pooled=len(chosen) > 1,
        where=parsed,
        base_terms=((parsed,) if parsed else ()) + coder_terms,
        everyone=not coder_terms,
    )


def _where_filter(corpus: Corpus, scope: Scope) -> tuple[mx.Regions | None, mx.Regions | None]:
    """``(intersect, contain)``: regions to cut pieces to, or occurrences a bare text:
    or lemma: filter asks the passages to contain (the evaluator's rule in AND)."""
    if scope.where is None:
        return None, None
    found = matching_spans(corpus.session, scope.where, list(scope.coders.values()))
    starts, ends = [], []
    for tid, spans in found.items():
        base = corpus.offsets[tid]
        for start, end in spans:
            starts.append(base + start)
            ends.append(base + end)
    regions = mx.Regions.of(starts, ends, [0] * len(starts))
    if isinstance(scope.where, q.Phrase | q.Lemma):
        return None, regions
    return regions, None


# ---------------------------------------------------------------- matrices


def matrix(project: Project, request: Request) -> MatrixResult:
    """The ``request.rows`` × ``request.columns`` table of ``request.measure``."""
    row_dim = normalise_dimension(request.rows)
    col_dim = normalise_dimension(request.columns)
    if row_dim == col_dim:
        hint = "; for codes × codes use qualcode cooccurrence" if row_dim == "codes" else ""
        raise InvalidInput(f"rows and columns are both {row_dim}{hint}")
    _check_measure(request.measure, (row_dim, col_dim))
    if request.codes and "codes" not in (row_dim, col_dim):
        raise InvalidInput("--codes chooses the rows or columns of codes; neither is codes")
    with project.database.read() as session:
        scope = _scope(session, project, request.coders, request.consensus, request.where)
        corpus = Corpus(
            repo.transcripts(session),
            code_repo.list_codes(session),
            scope.coders,
            session,
            all_coders=scope.everyone,
        )
        axes = [_axis(corpus, dim, request.codes) for dim in (row_dim, col_dim)]
        code_ids = _code_ids(axes)
        pieces = _pieces(corpus, code_ids)
        pieces = _assign(corpus, pieces, axes[0], "row")
        pieces = _assign(corpus, pieces, axes[1], "col")
        intersect_with, contain = _where_filter(corpus, scope)
        if intersect_with is not None:
            pieces = mx.intersect(pieces, intersect_with)
        if contain is not None:
            pieces = mx.keep_containing(pieces, contain)
        shape = (len(_labels(axes[0])), len(_labels(axes[1])))
        counts = _Counter(corpus, request.measure, axes, intersect_with)
        cells = counts(pieces, shape, (True, True))
        row_totals = counts(pieces, (shape[0], 1), (True, False))[:, 0]
        column_totals = counts(pieces, (1, shape[1]), (False, True))[0]
        total = counts(pieces, (1, 1), (False, False))[0, 0]
    rows = axis_in(_as_axis(axes[0]), request.language)
    columns = axis_in(_as_axis(axes[1]), request.language)
    result = MatrixResult(
        title=f"{rows.dimension} × {columns.dimension}",
        language=request.language,
        rows=rows,
        columns=columns,
        measure=request.measure,
        cells=tuple(tuple(row) for row in _numbers(cells)),
        row_totals=tuple(_numbers(row_totals)),
        column_totals=tuple(_numbers(column_totals)),
        total=number(total),
        coders=tuple(scope.coders),
        pooled=scope.pooled,
        where=q.to_text(scope.where) if scope.where else None,
        base_terms=scope.base_terms,
    )
    if result.empty:
        return _with_note(result, result.said["empty"])
    return result


def _numbers(values: np.ndarray) -> list[Any]:
    """Counts as ints, shares as floats, no share (NaN) as None, as plain lists."""
    if np.isfinite(values).all() and (values == np.rint(values)).all():
        return list(values.astype(np.int64).tolist())
    return (
        [None if np.isnan(v) else v for v in values.tolist()]
        if values.ndim == 1
        else [_numbers(row) for row in values]
    )


def _with_note(result: MatrixResult, note: str) -> MatrixResult:
    return replace(result, note=note)


AnyAxis = RegionAxis | CodeAxis | Axis  # a bare Axis is the coders'


def _axis(corpus: Corpus, dimension: str, codes: Sequence[str]) -> AnyAxis:
    if dimension == "codes":
        return _code_axis(corpus, codes)
    if dimension == "coders":
        names = tuple(corpus.coders)
        return Axis("coders", names, tuple(q.Filter("coder", name) for name in names))
    if dimension in ("transcripts", "modes"):
        return _transcript_axis(corpus, dimension)
    if dimension in ("speakers", "roles"):
        return _turn_axis(corpus, dimension)
    if dimension == "cases":
        return passage_values(corpus, "cases")
    return passage_values(corpus, dimension.split(":", 1)[1])


def _as_axis(axis: AnyAxis) -> Axis:
    return axis if isinstance(axis, Axis) else axis.axis


def _labels(axis: AnyAxis) -> tuple[str, ...]:
    return _as_axis(axis).labels


def _code_ids(axes: Sequence[AnyAxis]) -> set[int] | None:
    """The codes whose codings count: those of the code axis (None: every code)."""
    for axis in axes:
        if isinstance(axis, CodeAxis):
            return set(axis.rows_of_code)
    return None


def _pieces(corpus: Corpus, code_ids: set[int] | None) -> mx.Pieces:
    coder_ids = None if corpus.all_coders else list(corpus.coders.values())
    if code_ids is not None and len(code_ids) == len(corpus.codes):
        code_ids = None  # every code: a scan beats the index
    rows = repo.codings(corpus.session, coder_ids=coder_ids, code_ids=code_ids)
    if not rows:
        empty = mx.ints([])
        return mx.Pieces(empty, empty, empty, empty, empty, empty)
    data = np.asarray(rows, dtype=np.int64)
    largest = max(corpus.offsets) + 1
    offset_of, index_of = np.zeros(largest, np.int64), np.zeros(largest, np.int64)
    offset_of[list(corpus.offsets)] = list(corpus.offsets.values())
    index_of[list(corpus.index)] = list(corpus.index.values())
    offsets, docs = offset_of[data[:, 1]], index_of[data[:, 1]]
    corpus.code_of, corpus.coder_of = data[:, 2].copy(), data[:, 3].copy()
    zeros = np.zeros(len(rows), dtype=np.int64)
    position = np.arange(len(rows), dtype=np.int64)
    return mx.Pieces(position, docs, offsets + data[:, 4], offsets + data[:, 5], zeros, zeros)


def _assign(corpus: Corpus, pieces: mx.Pieces, axis: AnyAxis, side: str) -> mx.Pieces:
    """The pieces with ``side`` (row or col) set to the axis's labels; a piece with
    several labels (a code and its chosen group) is repeated, one without is dropped."""
    if isinstance(axis, CodeAxis):
        index, key = _expand(axis.rows_of_code, corpus.code_of[pieces.coding])
        return _set(pieces.take(index), side, key)
    if isinstance(axis, Axis):  # coders
        by_id = {coder_id: [i] for i, coder_id in enumerate(corpus.coders.values())}
        index, key = _expand(by_id, corpus.coder_of[pieces.coding])
        return _set(pieces.take(index), side, key)
    span, key, start, end = axis.assign(pieces.start, pieces.end)
    taken = pieces.take(span)
    return _set(mx.Pieces(taken.coding, taken.doc, start, end, taken.row, taken.col), side, key)


def _set(pieces: mx.Pieces, side: str, key: mx.Ints) -> mx.Pieces:
    if side == "row":
        return pieces.with_cells(key, pieces.col)
    return pieces.with_cells(pieces.row, key)


class _Counter:
    """Counts one measure for the cells and for the totals (an axis collapsed)."""

    def __init__(
        self,
        corpus: Corpus,
        measure: str,
        axes: Sequence[AnyAxis],
        intersect_with: mx.Regions | None,
    ) -> None:
        self.corpus = corpus
        self.measure = measure
        self.axes = axes
        self.intersect_with = intersect_with
        self.cases: RegionAxis | None = None
        self.region: mx.Pieces | None = None
        if measure == "cases":
            self.cases = passage_values(corpus, "cases")
        if measure == "share":
            self.region = self._region_pieces()

    def __call__(
        self, pieces: mx.Pieces, shape: tuple[int, int], keep: tuple[bool, bool]
    ) -> np.ndarray:
        pieces = self._collapse(pieces, keep)
        measure: mx.Measure = self.measure  # type: ignore[assignment]
        words = None
        if measure in ("words", "share"):
            words = self.corpus.word_starts()
        cases = None
        if self.cases is not None:
            span, key, _, _ = self.cases.assign(pieces.start, pieces.end)
            labels = self.cases.axis.labels
            # a transcript in no case adds no case to the count
            real = key != (labels.index(NO_CASE) if NO_CASE in labels else -1)
            cases = (span[real], key[real])
        denominator = None
        if self.region is not None:
            denominator = mx.cell_counts(
                self._collapse(self.region, keep), shape, "words", word_starts=words
            )
        return mx.cell_counts(
            pieces, shape, measure, word_starts=words, cases=cases, denominator=denominator
        )

    @staticmethod
    def _collapse(pieces: mx.Pieces, keep: tuple[bool, bool]) -> mx.Pieces:
        zeros = np.zeros(len(pieces), dtype=np.int64)
        return pieces.with_cells(pieces.row if keep[0] else zeros, pieces.col if keep[1] else zeros)

    def _region_pieces(self) -> mx.Pieces:
        """The text each cell is a share of: the whole corpus cut to the region axes'
        labels (and to the --where passages), spread over every code and coder."""
        ids = [t.id for t in self.corpus.transcripts]
        starts, ends = self.corpus.whole(ids)
        n = len(ids)
        base = mx.Pieces(
            mx.ints(range(n)),
            mx.ints(range(n)),
            mx.ints(starts),
            mx.ints(ends),
            np.zeros(n, dtype=np.int64),
            np.zeros(n, dtype=np.int64),
        )
        for side, axis in zip(("row", "col"), self.axes, strict=True):
            if isinstance(axis, RegionAxis):
                span, key, s, e = axis.assign(base.start, base.end)
                taken = base.take(span)
                base = _set(
                    mx.Pieces(taken.coding, taken.doc, s, e, taken.row, taken.col), side, key
                )
            else:
                width = len(_labels(axis))
                index = np.repeat(np.arange(len(base), dtype=np.int64), width)
                key = np.tile(np.arange(width, dtype=np.int64), len(base))
                base = _set(base.take(index), side, key)
        if self.intersect_with is not None:
            base = mx.intersect(base, self.intersect_with)
        return base


# ---------------------------------------------------------------- co-occurrence


@dataclass(frozen=True)
class CooccurrenceRequest:
    mode: str = "overlap"
    within: int = 0
    jaccard: bool = False
    codes: tuple[str, ...] = ()
    where: str | None = None
    coders: tuple[str, ...] = ()
    consensus: bool = False
    language: str = "en"  # of the table's words


def cooccurrence(project: Project, request: CooccurrenceRequest) -> MatrixResult:
    """Codes × codes: passages where two codes come together (by overlap, in the same
    sentence, within N sentences, or in the same turn); the diagonal is each code's
    own count."""
    mode = request.mode
    if mode not in mx.COOCCURRENCE_MODES:
        raise InvalidInput(
            f"unknown co-occurrence {mode!r}; use one of {', '.join(mx.COOCCURRENCE_MODES)}"
        )
    if request.within < 0:
        raise InvalidInput("--within takes a number of sentences, 0 or more")
    distance = {"sentence": 0, "near": request.within}.get(mode)
    with project.database.read() as session:
        corpus, scope, axis, found, docs = _code_stretches(session, project, request)
        ncodes = len(axis.axis.labels)
        if mode == "turn":
            turns = _turn_regions(corpus)
            span, turn, _, _ = mx.clip(found.start, found.end, turns)
            counts = mx.cooccurring_units(turn, found.group[span], ncodes)
        else:
            sentences = None
            if distance is not None:
                sentences = mx.ints(
                    sorted(
                        corpus.offsets[tid] + start
                        for tid, start in repo.sentence_starts(session)
                        if tid in corpus.offsets
                    )
                )
            counts = mx.cooccurring_passages(
                found.group,
                docs,
                found.start,
                found.end,
                ncodes,
                sentence_starts=sentences,
                within=distance or 0,
            )
    values = mx.jaccard(counts) if request.jaccard else counts
    said = table_words.words(request.language)
    what = said[f"cooc_{mode}"].format(n=request.within)
    unit = "turns" if mode == "turn" else "passages"
    unit_said = table_words.dimension(unit, request.language)
    codes_axis = axis_in(axis.axis, request.language)
    result = MatrixResult(
        title=said["cooc_title"].format(what=what),
        language=request.language,
        rows=codes_axis,
        columns=codes_axis,
        measure="jaccard" if request.jaccard else unit,
        cells=tuple(tuple(number(v) for v in row) for row in values),
        row_totals=tuple(number(v) for v in np.diag(counts)),
        column_totals=tuple(number(v) for v in np.diag(counts)),
        total=None,
        coders=tuple(scope.coders),
        pooled=scope.pooled,
        where=q.to_text(scope.where) if scope.where else None,
        base_terms=scope.base_terms,
        note=said["cooc_note"].format(
            unit=unit_said, what=what, jaccard=said["cooc_jaccard"] if request.jaccard else ""
        ),
    )
    queries = tuple(
        tuple(pair_query(result, i, j, mode, request.within) for j in range(ncodes))
        for i in range(ncodes)
    )
    return replace(result, cell_queries=queries)


def _code_stretches(
    session: Session, project: Project, request: CooccurrenceRequest
) -> tuple[Corpus, Scope, CodeAxis, mx.Stretches, mx.Ints]:
    """Each chosen code's passages (its spans and its descendants', cut to --where) as
    merged stretches, with each stretch's transcript."""
    scope = _scope(session, project, request.coders, request.consensus, request.where)
    corpus = Corpus(
        repo.transcripts(session),
        code_repo.list_codes(session),
        scope.coders,
        session,
        all_coders=scope.everyone,
    )
    axis = _code_axis(corpus, request.codes)
    pieces = _pieces(corpus, set(axis.rows_of_code))
    pieces = _assign(corpus, pieces, axis, "row")
    pieces = pieces.with_cells(pieces.row, np.zeros(len(pieces), dtype=np.int64))
    intersect_with, contain = _where_filter(corpus, scope)
    if intersect_with is not None:
        pieces = mx.intersect(pieces, intersect_with)
    if contain is not None:
        pieces = mx.keep_containing(pieces, contain)
    found = mx.stretches(pieces.row, pieces.start, pieces.end)
    docs = np.zeros(len(found.start), dtype=np.int64)
    docs[found.of_span] = pieces.doc
    return corpus, scope, axis, found, docs


def turn_passages(
    project: Project, request: CooccurrenceRequest, row: int, column: int, *, context: int = 0
) -> Retrieval:
    """The turns behind a same-turn co-occurrence cell (no query operator says "in
    the same turn", so the turns are listed directly)."""
    with project.database.read() as session:
        corpus, _, axis, found, _ = _code_stretches(session, project, request)
        turns = [t for t in corpus.turns if t.end > t.start]
        regions = _turn_regions(corpus)
        span, turn, _, _ = mx.clip(found.start, found.end, regions)
        codes = found.group[span]
        with_row = set(turn[codes == row].tolist())
        with_column = set(turn[codes == column].tolist())
    chosen = sorted(with_row & with_column)
    spans = [(turns[t].transcript_id, turns[t].start, turns[t].end) for t in chosen]
    passages = passages_for(project, spans, context=context)
    label = f"{axis.axis.labels[row]} and {axis.axis.labels[column]} in the same turn"
    return Retrieval(
        query=label,
        passages=tuple(passages),
        by_code={},
        by_transcript=dict(Counter(p.transcript for p in passages)),
    )


def pair_query(result: MatrixResult, row: int, column: int, mode: str, within: int) -> str | None:
    """The query behind a co-occurrence cell (None for turns: no operator says "same
    turn"; their drill-down lists the turns)."""
    a, b = result.rows.terms[row], result.columns.terms[column]
    assert a is not None and b is not None
    if mode == "turn":
        return None
    where = [t for t in result.base_terms if not isinstance(t, q.Filter)]
    coders = [t for t in result.base_terms if isinstance(t, q.Filter)]

    def side(term: q.Query) -> q.Query:
        return q.And((term, *where)) if where else term

    if row == column:
        node: q.Query = side(a)
    elif mode == "overlap":
        node = q.Overlaps(side(a), side(b))
    else:
        node = q.Near(side(a), side(b), {"sentence": 0}.get(mode, within))
    return q.to_text(q.And((node, *coders)) if coders else node)


def _turn_regions(corpus: Corpus) -> mx.Regions:
    starts, ends = [], []
    for turn in corpus.turns:
        base = corpus.offsets.get(turn.transcript_id)
        if base is not None and turn.end > turn.start:
            starts.append(base + turn.start)
            ends.append(base + turn.end)
    return mx.Regions.of(starts, ends, list(range(len(starts))))


# ---------------------------------------------------------------- drill-down


def cell_passages(project: Project, query: str, *, context: int = 0) -> Retrieval:
    """The passages behind a cell: its query retrieved."""
    if not query:
        raise InvalidInput("this cell has no query to retrieve its passages")
    return retrieve(project, query, context=context)

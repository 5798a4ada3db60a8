"""Where two coders disagree on one transcript, and what kind of disagreement it is.

Adjudication walks through these one at a time and settles each into a consensus
layer (``qualcode.services.adjudication``). Coder A's and coder B's codings are
compared in four steps; a coding ends up in at most one disagreement:

1. **Agreement**: a coding whose code and span (start and end) the other coder also
   has exactly. Not a disagreement and never listed.
2. **Boundary**: the same code on overlapping spans that differ. Among the codings
   not agreed, pairs are matched one-to-one, greedily by intersection over union
   (highest first; ties broken by position, then coding uuid, so input order does not
   matter), as segment matching does.
3. **Confusion**: A's coding ``a`` with code X and B's coding ``b`` with code Y ≠ X,
   neither paired yet, where IoU(a, b) ≥ ``min_iou`` (0.5 by default), A has no
   coding of Y overlapping ``b`` and B has no coding of X overlapping ``a``: on that
   passage A said X and not Y, B said Y and not X. Pairs are matched one-to-one
   greedily by IoU, as for boundaries.
4. **Presence**: every coding left over is a disagreement of its own: the other coder
   has nothing that corresponds to it. Mostly the other coder has no overlapping
   coding of the code at all; it is also the piece left over when one coder split a
   passage the other coded whole (pairing is one-to-one), and a second coding of the
   code overlapping an agreed one.

Codes are compared by key only: a parent code and its child are different codes.

Each disagreement's ``key`` is a short hash of its kind and the uuids of the codings
in it, sorted. It does not depend on which coder is called A, on ids, or on other
codings, so a settlement recorded under the key finds its disagreement again after
new codings are added elsewhere. It changes only when the disagreement itself does
(a coding in it is removed, or a new coding pairs differently with it).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from qualcode.domain.agreement.segments import intersection_over_union
from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import Coding
from qualcode.domain.spans import validate_span

Kind = Literal["presence", "boundary", "confusion"]
KINDS: tuple[Kind, ...] = ("presence", "boundary", "confusion")
DEFAULT_MIN_IOU = 0.5
KEY_DIGITS = 12  # 48 bits of SHA-256: collisions are negligible at any project's size


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One passage two coders coded differently, with the codings of each involved.

    ``start``/``end`` span the union of the codings' spans (for a boundary or a
    confusion the spans overlap, so this is the passage both read). A presence
    disagreement has codings on one side only.
    """

    key: str
    kind: Kind
    transcript_id: int
    start: int
    end: int
    codings_a: tuple[Coding, ...]
    codings_b: tuple[Coding, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The code keys involved, A's first, each once."""
        return tuple(dict.fromkeys(c.code_key for c in (*self.codings_a, *self.codings_b)))


def disagreement_key(kind: Kind, uuids: Iterable[str]) -> str:
    """``<kind>-<12 hex digits>``, from the kind and the sorted coding uuids."""
    digest = hashlib.sha256("\n".join([kind, *sorted(uuids)]).encode("utf-8")).hexdigest()
    return f"{kind}-{digest[:KEY_DIGITS]}"


def find_disagreements(
    transcript_id: int,
    text_length: int,
    codings_a: Sequence[Coding],
    codings_b: Sequence[Coding],
    *,
    min_iou: float = DEFAULT_MIN_IOU,
) -> tuple[Disagreement, ...]:
    """Coder A's and coder B's disagreements on one transcript, in text order.

    ``min_iou`` is the overlap two different codes need to count as a confusion
    rather than two presence disagreements. Raises ``InvalidInput`` for a coding of
    another transcript and ``InvalidSpan`` for one outside the text.
    """
    if not 0 < min_iou <= 1:
        raise InvalidInput(f"min_iou must be above 0 and at most 1 (got {min_iou})")
    for coding in (*codings_a, *codings_b):
        if coding.transcript_id != transcript_id:
            raise InvalidInput(
                f"coding {coding.id} belongs to transcript {coding.transcript_id}, "
                f"not {transcript_id}"
            )
        validate_span(coding.start, coding.end, text_length, f"transcript {transcript_id}")

    spans_a = {_span_of(c) for c in codings_a}
    spans_b = {_span_of(c) for c in codings_b}
    open_a = [c for c in codings_a if _span_of(c) not in spans_b]
    open_b = [c for c in codings_b if _span_of(c) not in spans_a]

    boundaries = _pair(open_a, open_b, lambda a, b: a.code_key == b.code_key)
    paired = {c.uuid for pair in boundaries for c in pair}
    open_a = [c for c in open_a if c.uuid not in paired]
    open_b = [c for c in open_b if c.uuid not in paired]

    by_code_a = _by_code(codings_a)
    by_code_b = _by_code(codings_b)

    def confused(a: Coding, b: Coding) -> bool:
        return (
            a.code_key != b.code_key
            and intersection_over_union((a.start, a.end), (b.start, b.end)) >= min_iou
            and not _any_overlap(by_code_a.get(b.code_key, ()), b)
            and not _any_overlap(by_code_b.get(a.code_key, ()), a)
        )

    confusions = _pair(open_a, open_b, confused)
    paired |= {c.uuid for pair in confusions for c in pair}

    found = [
        *(_disagreement("boundary", transcript_id, (a,), (b,)) for a, b in boundaries),
        *(_disagreement("confusion", transcript_id, (a,), (b,)) for a, b in confusions),
        *(
            _disagreement("presence", transcript_id, (a,), ())
            for a in open_a
            if a.uuid not in paired
        ),
        *(
            _disagreement("presence", transcript_id, (), (b,))
            for b in open_b
            if b.uuid not in paired
        ),
    ]
    return tuple(sorted(found, key=lambda d: (d.start, d.end, KINDS.index(d.kind), d.key)))


def _span_of(coding: Coding) -> tuple[str, int, int]:
    return coding.code_key, coding.start, coding.end


def _by_code(codings: Iterable[Coding]) -> dict[str, list[Coding]]:
    found: dict[str, list[Coding]] = defaultdict(list)
    for coding in codings:
        found[coding.code_key].append(coding)
    return found


def _overlaps(a: Coding, b: Coding) -> bool:
    return a.start < b.end and b.start < a.end


def _any_overlap(codings: Iterable[Coding], target: Coding) -> bool:
    return any(_overlaps(c, target) for c in codings)


def _pair(
    side_a: Sequence[Coding],
    side_b: Sequence[Coding],
    eligible: Callable[[Coding, Coding], bool],
) -> list[tuple[Coding, Coding]]:
    """Overlapping eligible pairs matched one-to-one, greedily by highest IoU."""
    ordered_b = sorted(side_b, key=lambda c: (c.start, c.end))
    starts = [c.start for c in ordered_b]
    longest_b = max((c.end - c.start for c in ordered_b), default=0)
    candidates = []
    for a in side_a:
        # only B's codings starting after a.start - longest_b can reach into a
        for b in ordered_b[bisect_left(starts, a.start - longest_b) :]:
            if b.start >= a.end:
                break
            if b.end > a.start and eligible(a, b):
                iou = intersection_over_union((a.start, a.end), (b.start, b.end))
                candidates.append(((-iou, a.start, a.end, b.start, b.end, a.uuid, b.uuid), a, b))
    candidates.sort(key=lambda found: found[0])
    taken: set[str] = set()
    pairs = []
    for _, a, b in candidates:
        if a.uuid in taken or b.uuid in taken:
            continue
        taken |= {a.uuid, b.uuid}
        pairs.append((a, b))
    return pairs


def _disagreement(
    kind: Kind, transcript_id: int, codings_a: tuple[Coding, ...], codings_b: tuple[Coding, ...]
) -> Disagreement:
    involved = (*codings_a, *codings_b)
    return Disagreement(
        key=disagreement_key(kind, (c.uuid for c in involved)),
        kind=kind,
        transcript_id=transcript_id,
        start=min(c.start for c in involved),
        end=max(c.end for c in involved),
        codings_a=codings_a,
        codings_b=codings_b,
    )

"""A mutually exclusive group's figures from arrays: what ``exclusive_group_values``
gives unit by unit, for the units some coder gave a code of the group.

``exclusive_group_values`` judges every code of the group on every unit for every
coder (a million checks for 8 groups over 100,000 sentences). Here only the units a
coder's spans of a member code meet are looked at (``covered_units``); a unit no
coder gave a code of the group is missing for everyone, so it is counted, not listed.
The figures the agreement report shows (α, the confusion matrix and κ for two
coders, Fleiss' κ for more, the number of conflicts) follow from the chosen codes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from qualcode.domain.agreement.categories import ordered_categories
from qualcode.domain.agreement.fleiss import FleissKappa, fleiss_kappa_from_counts
from qualcode.domain.agreement.krippendorff import (
    KrippendorffAlpha,
    PairableValues,
    alpha_from_values,
)
from qualcode.domain.agreement.spantable import IntArray, SpanTable
from qualcode.domain.agreement.units import (
    ConfusionMatrix,
    UnitArrays,
    covered_units,
    marking_share,
)
from qualcode.domain.errors import InvalidInput

MISSING = -1


@dataclass(frozen=True)
class GroupChoices:
    """Which member of the group each coder gave each unit.

    ``chosen[i, c]`` is the member (index into the group) coder ``c`` gave unit
    ``units[i]``, or ``MISSING``; only units with at least one code are listed, in
    unit order, out of ``n_units``. ``n_conflicts`` counts (unit, coder) pairs with
    two or more codes of the group (the one covering most of the unit is chosen, the
    earlier member on a tie), as ``exclusive_group_values`` lists them.
    """

    n_units: int
    units: IntArray
    chosen: IntArray
    n_conflicts: int


def exclusive_group_choices(
    table: SpanTable, units: UnitArrays, *, min_share: float = 0.0
) -> GroupChoices:
    """The choices of every coder of ``table``, whose codes are the group's members
    in the group's order (``exclusive_group_values``'s rules)."""
    if not 0 <= min_share <= 1:
        raise InvalidInput(f"min_share must lie between 0 and 1 (got {min_share})")
    m = table.n_coders
    group, unit, covered = covered_units(table, units)
    marked = covered >= marking_share(units, min_share)[unit]
    member, coder, unit, covered = (
        group[marked] // m,
        group[marked] % m,
        unit[marked],
        covered[marked],
    )
    # per (unit, coder): most characters first, then the earlier member
    order = np.lexsort((member, -covered, coder, unit))
    member, coder, unit = member[order], coder[order], unit[order]
    first = np.ones(len(unit), dtype=np.bool_)
    first[1:] = (unit[1:] != unit[:-1]) | (coder[1:] != coder[:-1])
    starts = np.flatnonzero(first)
    sizes = np.diff(np.append(starts, len(unit)))
    listed, row = np.unique(unit[starts], return_inverse=True)
    chosen = np.full((len(listed), m), MISSING, dtype=np.int64)
    chosen[row, coder[starts]] = member[starts]
    return GroupChoices(len(units), listed, chosen, int((sizes > 1).sum()))


def group_alpha(choices: GroupChoices, members: Sequence[Hashable]) -> KrippendorffAlpha:
    """``krippendorff_alpha`` of the units × coders matrix of chosen codes."""
    given = (choices.chosen != MISSING).sum(axis=1)
    pairable = choices.chosen[given >= 2]
    per_member = _per_member(pairable, len(members))
    used = [i for i in range(len(members)) if per_member[:, i].any()]
    categories = ordered_categories(members[i] for i in used)
    column = {members[i]: i for i in used}
    counts = per_member[:, [column[c] for c in categories]].astype(np.int64)
    return alpha_from_values(PairableValues(choices.n_units, categories, counts))


def group_confusion(
    choices: GroupChoices, members: Sequence[Hashable]
) -> ConfusionMatrix[Hashable]:
    """``confusion_matrix`` of two coders' chosen codes, with every member a row and a
    column."""
    if choices.chosen.shape[1] != 2:
        raise InvalidInput("a confusion matrix compares exactly two coders")
    a, b = choices.chosen[:, 0], choices.chosen[:, 1]
    both = (a != MISSING) & (b != MISSING)
    counts = np.zeros((len(members), len(members)), dtype=np.int64)
    np.add.at(counts, (a[both], b[both]), 1)
    missing_a = int(((a == MISSING) & (b != MISSING)).sum())
    missing_b = int(((a != MISSING) & (b == MISSING)).sum())
    return ConfusionMatrix(
        tuple(members),
        tuple(tuple(row) for row in counts.tolist()),
        missing_a,
        missing_b,
        choices.n_units - missing_a - missing_b - int(both.sum()),
    )


def group_fleiss(choices: GroupChoices, members: Sequence[Hashable]) -> FleissKappa:
    """Fleiss' κ with the group's members as the categories, every coder rating each
    unit counted (``fleiss_kappa_from_counts`` on the units × members counts)."""
    m = choices.chosen.shape[1]
    counts = _per_member(choices.chosen, len(members))
    found = fleiss_kappa_from_counts(counts.tolist(), tuple(members), raters_per_unit=m)
    # units nobody coded have no ratings and are excluded like any other short unit
    unlisted = choices.n_units - len(choices.units)
    return replace(found, n_units_excluded=found.n_units_excluded + unlisted)


def _per_member(chosen: IntArray, n_members: int) -> IntArray:
    """How many coders chose each member, per listed unit."""
    counts = np.zeros((len(chosen), n_members), dtype=np.int64)
    for i in range(n_members):
        counts[:, i] = (chosen == i).sum(axis=1)
    return counts

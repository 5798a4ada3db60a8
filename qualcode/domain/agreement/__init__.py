"""Intercoder agreement statistics as pure functions.

Each statistic returns a frozen result carrying the counts behind the figure, and a
``reason`` instead of a number when the statistic is undefined for the data.

- ``char_agreement``: percent agreement and Cohen's κ on characters (two coders).
- ``cohen``: Cohen's κ from a k × k table.
- ``krippendorff``: Krippendorff's α, nominal or interval, any coders, missing data;
  ``bootstrap``: its percentile confidence interval.
- ``fleiss``: Fleiss' κ for a fixed number of coders per unit.
- ``units``: coded spans turned into unit values and confusion matrices.
- ``unitized``: Krippendorff's unitizing α on spans.
- ``segments``: one-to-one matching of segments by intersection over union.
- ``groups``: an exclusive group's figures from arrays (``exclusive_group_values``
  stays the reference).
- ``spantable``: every code's spans as arrays, for the ``*_per_code`` functions
  that compute the per-code figures above for all codes at once (the per-code
  functions stay their reference; tests/unit/agreement/test_per_code.py holds them
  equal).
"""

from qualcode.domain.agreement.bootstrap import (
    AlphaInterval,
    bootstrap_alpha,
    bootstrap_kinds,
    bootstrap_values,
)
from qualcode.domain.agreement.char_agreement import (
    CharacterAgreement,
    CharacterCounts,
    agreement_from_counts,
    character_agreement,
    character_counts_per_code,
    count_characters,
)
from qualcode.domain.agreement.cohen import CohenKappa, cohen_kappa
from qualcode.domain.agreement.fleiss import (
    FleissKappa,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    fleiss_kappa_of_kinds,
)
from qualcode.domain.agreement.groups import (
    GroupChoices,
    exclusive_group_choices,
    group_alpha,
    group_confusion,
    group_fleiss,
)
from qualcode.domain.agreement.krippendorff import (
    CountedKinds,
    KrippendorffAlpha,
    PairableValues,
    alpha_from_kinds,
    alpha_from_values,
    krippendorff_alpha,
    stack_kinds,
    stack_values,
)
from qualcode.domain.agreement.segments import (
    SegmentMatch,
    SegmentMatching,
    match_segments,
    match_segments_per_code,
)
from qualcode.domain.agreement.spantable import SpanTable, span_table
from qualcode.domain.agreement.unitized import (
    UnitizedAlpha,
    unitized_alpha,
    unitized_alpha_per_code,
)
from qualcode.domain.agreement.units import (
    ConfusionMatrix,
    GroupConflict,
    Unit,
    UnitArrays,
    UnitTable,
    UnitValues,
    confusion_matrix,
    exclusive_group_values,
    presence_counts,
    presence_fleiss,
    presence_kinds_per_code,
    presence_marks_per_code,
    presence_values,
    unit_arrays,
    unit_table,
)

__all__ = [
    "AlphaInterval",
    "CharacterAgreement",
    "CharacterCounts",
    "CohenKappa",
    "ConfusionMatrix",
    "CountedKinds",
    "FleissKappa",
    "GroupChoices",
    "GroupConflict",
    "KrippendorffAlpha",
    "PairableValues",
    "SegmentMatch",
    "SegmentMatching",
    "SpanTable",
    "Unit",
    "UnitArrays",
    "UnitTable",
    "UnitValues",
    "UnitizedAlpha",
    "agreement_from_counts",
    "alpha_from_kinds",
    "alpha_from_values",
    "bootstrap_alpha",
    "bootstrap_kinds",
    "bootstrap_values",
    "character_agreement",
    "character_counts_per_code",
    "cohen_kappa",
    "confusion_matrix",
    "count_characters",
    "exclusive_group_choices",
    "exclusive_group_values",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "fleiss_kappa_of_kinds",
    "group_alpha",
    "group_confusion",
    "group_fleiss",
    "krippendorff_alpha",
    "match_segments",
    "match_segments_per_code",
    "presence_counts",
    "presence_fleiss",
    "presence_kinds_per_code",
    "presence_marks_per_code",
    "presence_values",
    "span_table",
    "stack_kinds",
    "stack_values",
    "unit_arrays",
    "unit_table",
    "unitized_alpha",
    "unitized_alpha_per_code",
]

"""An agreement report as frozen records: the figures per code, per exclusive group and
pooled, each with the counts behind it. Computed by ``qualcode.services.agreement``,
written by ``qualcode.export.agreement``."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.domain import agreement as stats


@dataclass(frozen=True)
class CodeAgreement:
    code: str
    name: str
    codings: dict[str, int]  # per coder
    characters: stats.CharacterAgreement | None  # two coders only
    alpha: stats.KrippendorffAlpha | None  # unit level (None for unit=char)
    alpha_interval: stats.AlphaInterval | None
    fleiss: stats.FleissKappa | None  # three or more coders
    unitized: stats.UnitizedAlpha
    segments: stats.SegmentMatching | None  # two coders only


@dataclass(frozen=True)
class GroupAgreement:
    """An exclusive group's codes as the categories of one variable."""

    group: str
    codes: tuple[str, ...]
    alpha: stats.KrippendorffAlpha
    confusion: stats.ConfusionMatrix | None  # two coders only
    kappa: stats.CohenKappa | None  # two coders only
    conflicts: int
    fleiss: stats.FleissKappa | None = None  # three or more coders


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    transcripts: tuple[str, ...]
    unit: str
    min_overlap: float
    per_code: tuple[CodeAgreement, ...]
    pooled_characters: stats.CharacterAgreement | None
    pooled_alpha: stats.KrippendorffAlpha | None
    groups: tuple[GroupAgreement, ...]
    language: str = "en"  # of a written report's headings and methods paragraph

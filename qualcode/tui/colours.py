"""Colours for codes and speakers.

A code without its own colour takes its parent's, so a group reads as one family of
tints; codes with neither get a fixed palette colour by codebook position, so the same
code keeps the same colour from one session to the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qualcode.domain.records import Code

# distinguishable on dark and light backgrounds once blended into a tint
CODE_PALETTE = ("#e377c2", "#17becf", "#bcbd22", "#ff7f0e", "#9467bd", "#2ca02c",
                "#d62728", "#8c564b", "#1f77b4", "#7f7f7f")  # fmt: skip
# muted, so speaker labels stand apart from coded spans without competing with them
SPEAKER_PALETTE = ("#7aa2c7", "#c79a6b", "#8fb58a", "#b48ead", "#c2b46b", "#6fb3b3")


def code_colours(codes: Sequence[Code]) -> dict[str, str]:
    """Hex colour per code key (``codes`` in codebook order, parents first)."""
    colours: dict[str, str] = {}
    for position, code in enumerate(codes):
        inherited = colours.get(code.parent_key) if code.parent_key else None
        colours[code.key] = code.color or inherited or CODE_PALETTE[position % len(CODE_PALETTE)]
    return colours


def speaker_colours(labels: Iterable[str]) -> dict[str, str]:
    """Hex colour per speaker label, in order of first appearance."""
    unique = dict.fromkeys(labels)
    return {
        label: SPEAKER_PALETTE[index % len(SPEAKER_PALETTE)] for index, label in enumerate(unique)
    }

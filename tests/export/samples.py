"""Small records for the writer tests (no writer libraries imported here)."""

from __future__ import annotations

from qualcode.domain.quotes import Collection, Quote, Theme

QUOTE = Quote(
    text="Vi lägger ärendet på is tills beslutet kommer.",
    attribution="a social worker, focus group",
    transcript="fokusgrupp",
    start=10,
    end=57,
    timestamp_ms=None,
    codes=("ACT.WAIT",),
    verbatim=True,
)
COLLECTION = Collection(
    title="On hold",
    query="ACT.WAIT",
    themes=(Theme("ACT.WAIT", "Cases on hold", "Waiting for the decision.", (QUOTE,)),),
)

"""Step results of each tool and the ratio table that puts them side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Status = Literal["ok", "stopped", "n/a", "failed"]
TOOLS = ("qualcode", "qc", "taguette")
PEERS = ("qc", "taguette")
TOOL_NAMES = {"qualcode": "qualcode", "qc": "qualitative-coding", "taguette": "Taguette"}


@dataclass(frozen=True)
class Step:
    """One tool's result for one step. ``stopped``: the step hit its time limit, and
    ``wall_s`` is the time spent until then (a lower bound); ``n/a``: the tool has no
    such function; ``failed``: it did not install, start or finish (``note`` says why)."""

    status: Status
    wall_s: float | None = None
    cpu_s: float | None = None
    peak_rss_mib: float | None = None
    note: str = ""

    @classmethod
    def ok(
        cls, wall_s: float, cpu_s: float, peak_rss_mib: float | None = None, note: str = ""
    ) -> Step:
        return cls("ok", wall_s, cpu_s, peak_rss_mib, note)

    @classmethod
    def failed(cls, note: str) -> Step:
        return cls("failed", note=note)

    @classmethod
    def not_available(cls, note: str) -> Step:
        return cls("n/a", note=note)


def speedup(ours: Step, peer: Step) -> str:
    """How many times faster qualcode's wall time is than the peer's: ``4.9x``;
    ``>= 12x`` when the peer was stopped; ``0.8x`` (slower) printed as it is; ``-``
    when either has no time."""
    if ours.status != "ok" or ours.wall_s is None or peer.wall_s is None:
        return "-"
    if peer.status not in ("ok", "stopped"):
        return "-"
    ratio = peer.wall_s / max(ours.wall_s, 1e-9)
    digits = 2 if ratio < 0.1 else 1 if ratio < 100 else 0
    text = f"{ratio:.{digits}f}x"
    return f">= {text}" if peer.status == "stopped" else text


def cell(step: Step | None) -> str:
    """``1.23 s (CPU 0.98 s)``, or what stopped the tool."""
    if step is None:
        return "-"
    if step.status == "n/a":
        return f"n/a: {step.note}" if step.note else "n/a"
    if step.status == "failed":
        return f"failed: {step.note}"
    assert step.wall_s is not None
    text = f"{_seconds(step.wall_s)}"
    if step.cpu_s is not None:
        text += f" (CPU {_seconds(step.cpu_s)})"
    if step.status == "stopped":
        text = f"stopped after {_seconds(step.wall_s)}" + (f": {step.note}" if step.note else "")
    elif step.note:
        text += f"; {step.note}"
    return text


def _seconds(value: float) -> str:
    if value < 10:
        return f"{value:.2f} s"
    return f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def format_table(
    labels: Mapping[str, str], results: Mapping[str, Mapping[str, Step]], order: Sequence[str]
) -> str:
    """A Markdown table: one row per step, each tool's wall (CPU) time and qualcode's
    speed-up over each peer (peer wall / qualcode wall; above 1 means qualcode is faster)."""
    header = [
        "step",
        "qualcode",
        TOOL_NAMES["qc"],
        "speed-up vs qc",
        TOOL_NAMES["taguette"],
        "speed-up vs Taguette",
    ]
    rows = [header, ["---"] * len(header)]
    for key in order:
        ours = results.get("qualcode", {}).get(key)
        row = [labels[key], cell(ours)]
        for peer in PEERS:
            theirs = results.get(peer, {}).get(key)
            row.append(cell(theirs))
            row.append(speedup(ours, theirs) if ours and theirs else "-")
        rows.append(row)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def as_json(
    labels: Mapping[str, str],
    results: Mapping[str, Mapping[str, Step]],
    order: Sequence[str],
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The same table as data: per step each tool's result and the speed-ups."""
    steps = []
    for key in order:
        ours = results.get("qualcode", {}).get(key)
        entry: dict[str, Any] = {"step": key, "label": labels[key]}
        for tool in TOOLS:
            step = results.get(tool, {}).get(key)
            entry[tool] = asdict(step) if step else None
        for peer in PEERS:
            theirs = results.get(peer, {}).get(key)
            entry[f"speedup_vs_{peer}"] = speedup(ours, theirs) if ours and theirs else "-"
        steps.append(entry)
    return {**extra, "steps": steps}

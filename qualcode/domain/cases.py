"""Which attribute values a passage has: the one rule, used by every front end.

A passage is a stretch of one transcript, usually spoken by one speaker. It has

1. the transcript's own attributes (scope ``transcript``: mode of interview, date…);
2. case attributes (scope ``case``: county, answered, counts) from **its speaker's
   case** when the speaker is linked to one — and then from that case only, so a value
   missing there stays missing rather than being borrowed from another municipality;
3. otherwise from **the transcript's cases**: when every case that has a value for an
   attribute agrees, that value; when they disagree, all the distinct values (a
   multi-valued attribute: ``attr:county=Skåne`` matches a focus group with people
   from Skåne and Stockholm, and so does ``attr:county=Stockholm``).

A name is either a transcript or a case attribute (never both), so the two groups
never collide. See docs/decisions.md, "Cases".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

AttrValue = str | float | bool
# one value, or the distinct values of a transcript's cases that disagree (sorted)
Resolved = AttrValue | tuple[AttrValue, ...]


def merge_cases(cases: Sequence[Mapping[str, AttrValue]]) -> dict[str, Resolved]:
    """The attributes of several cases as one: agreed values, else every distinct value."""
    seen: dict[str, list[AttrValue]] = {}
    for values in cases:
        for name, value in values.items():
            found = seen.setdefault(name, [])
            if value not in found:
                found.append(value)
    return {
        name: values[0] if len(values) == 1 else tuple(sorted(values, key=_order))
        for name, values in seen.items()
    }


def passage_attributes(
    transcript: Mapping[str, AttrValue],
    transcript_cases: Sequence[Mapping[str, AttrValue]],
    speaker_case: Mapping[str, AttrValue] | None = None,
) -> dict[str, Resolved]:
    """The attributes of a passage (see the module's rule)."""
    cases: Mapping[str, Resolved] = (
        dict(speaker_case) if speaker_case is not None else merge_cases(transcript_cases)
    )
    return {**cases, **transcript}


def values_of(value: Resolved | None) -> Iterable[AttrValue]:
    """The single values a resolved value stands for (none when missing)."""
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _order(value: AttrValue) -> tuple[str, str]:
    return (type(value).__name__, str(value))

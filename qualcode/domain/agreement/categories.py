"""The order categories are reported in: sorted when comparable, so results read stably."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

Category = TypeVar("Category", bound=Hashable)


def ordered_categories(categories: Iterable[Category]) -> tuple[Category, ...]:
    """Distinct categories, sorted; by their ``repr`` when they cannot be compared."""
    distinct = set(categories)
    try:
        return tuple(sorted(distinct))  # type: ignore[type-var]
    except TypeError:
        return tuple(sorted(distinct, key=repr))

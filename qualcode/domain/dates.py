"""Calendar dates as users type them: ``YYYY-MM-DD``, and a day that exists."""

from __future__ import annotations

import re
from datetime import date

from qualcode.domain.errors import InvalidInput

_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_date(value: str, what: str) -> str:
    """``value`` as an ISO date; refuses another form and days that do not exist
    (2013-02-30), naming ``what`` (e.g. "--date") in the sentence."""
    text = value.strip()
    if not _FORM.fullmatch(text):
        raise InvalidInput(f"{what} takes a date YYYY-MM-DD; {value!r} is not one")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(f"{what} takes a real date; {value!r} does not exist") from None

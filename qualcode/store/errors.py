"""Database errors said as one sentence a user can act on, never the driver's text.

A constraint the database enforces is the last line of defence: services check what
they can first. When one still fires (another process changed the data in between),
the user learns what kind of clash it was and that nothing was changed.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError, OperationalError

# how long a writer waits for another process's write before giving up, in seconds;
# engine.py sets the drivers' timeouts from it
LOCK_WAIT_SECONDS = 10


def _driver_text(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc) or "").lower()


def clash_sentence(exc: IntegrityError) -> str:
    text = _driver_text(exc)
    if "foreign key" in text:
        what = (
            "something it refers to was removed meanwhile, or something still refers to "
            "what it removes"
        )
    elif "unique" in text or "duplicate key" in text:
        what = "the same thing was stored meanwhile (perhaps by another coder)"
    elif "not null" in text or "null value" in text:
        what = "a required value is missing"
    else:
        what = "a value breaks a rule of the project's data"
    return f"the change was refused because {what}; nothing was changed, so look and try again"


def is_lock_timeout(exc: OperationalError) -> bool:
    text = _driver_text(exc)
    return (
        "database is locked" in text
        or "database table is locked" in text
        or "lock timeout" in text
        or "could not obtain lock" in text
        or "deadlock detected" in text
    )


def write_failure_sentence(exc: OperationalError, where: str) -> str:
    if is_lock_timeout(exc):
        return (
            f"another qualcode (a coder, an import or the TUI) was writing to {where} for "
            f"more than {LOCK_WAIT_SECONDS} seconds; nothing was changed, try again in a moment"
        )
    first = str(getattr(exc, "orig", exc)).strip().splitlines()[0:1]
    detail = first[0] if first else "unknown error"
    return f"could not write to {where} ({detail}); nothing was changed"

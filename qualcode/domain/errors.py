"""Errors that reach the user as one sentence.

Every error a user can cause (a bad offset, an unknown code, a malformed file) is a
``QualcodeError``; the CLI prints its message and exits 1, the TUI shows it as a
notification. Anything else is a bug and may show a traceback.
"""


class QualcodeError(Exception):
    """A problem the user can fix; the message names the bad value."""


class NotFound(QualcodeError):
    """A transcript, code, coder, coding or memo that does not exist."""


class InvalidSpan(QualcodeError):
    """Offsets outside the text or in the wrong order."""


class InvalidInput(QualcodeError):
    """A file or value that cannot be read or accepted."""


class Conflict(QualcodeError):
    """The action clashes with what is stored (a duplicate, a changed record)."""


class StoreError(QualcodeError):
    """The database cannot be opened or used (unreachable, read-only, newer schema)."""

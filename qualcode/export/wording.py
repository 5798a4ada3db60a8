"""Words that every quote writer prints the same way."""

SUMMARY_NOTE = "written summary, not verbatim"

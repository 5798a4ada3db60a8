"""Text that an Office Open XML file (Word, Excel) can hold.

Shared by the .docx and .xlsx writers so neither has to load the other's library.
"""

from __future__ import annotations

import re

# XML 1.0 has no place for most control characters (lxml and openpyxl refuse them) nor
# for lone surrogates. The ones Python counts as whitespace, such as the vertical tab
# Word uses for a manual line break, become a space so the words either side stay apart.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an Office file cannot hold."""
    return _NOT_XML.sub(lambda found: " " if found.group().isspace() else "", text)

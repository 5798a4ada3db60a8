"""An in-vivo code: a new code named with the participant's own words.

Given the selected words and the group highlighted in the code tree, the form
proposes the words as the name (trimmed to about 40 characters) and
``GROUP.WORDS`` as the key, unique among the codes; both can be edited. Enter adds
the code with ``qualcode.services.codes.add_code`` and returns its key, for the
caller to apply to the selection.
"""

from __future__ import annotations

from typing import ClassVar

from qualcode.tui.code_naming import propose_name
from qualcode.tui.screens.code_form import CodeForm
from qualcode.tui.text import clip, flat
from qualcode.tui.workbench import Workbench


class InVivoCode(CodeForm):
    """Adds a code named with ``words``; returns its key, or None when cancelled."""

    FIELDS: ClassVar[tuple[str, ...]] = ("name", "key", "parent")
    FORM_TITLE = "New in-vivo code"
    HINT = "enter adds the code and codes the selection with it · escape cancels"

    def __init__(self, workbench: Workbench, words: str, group: str | None) -> None:
        super().__init__(
            workbench, parent=group, name=propose_name(words), about=f"“{clip(flat(words), 76)}”"
        )

"""What every screen needs: the open project, who is coding, the language for code
labels, and whose codings the coder has chosen to see; and what the coder last asked
for (the query, the collection quotes went to), so that coming back finds them.

The view is kept here rather than on a coding screen so that blind mode survives
moving to another transcript: a second coder must not catch sight of the first
coder's work by switching transcripts.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.services.project import Project
from qualcode.tui.coding_view import CoderFilter


@dataclass
class Workbench:
    project: Project
    coder: str
    language: str
    view: CoderFilter
    query: str = ""
    collection: str | None = None

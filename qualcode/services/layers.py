"""Which coders are consensus layers rather than independent coders.

Kept apart from adjudication so that exports, matrices and agreement can ask without
loading the disagreement machinery (numpy and the agreement statistics) at start-up.
"""

from __future__ import annotations

from qualcode.services.project import Project
from qualcode.store.repositories import events

SETTLE = "adjudication.settle"
ACCEPT = "adjudication.accept_agreements"


def consensus_layers(project: Project) -> set[str]:
    """Names of the coders that hold a consensus layer (not independent coders)."""
    with project.database.read() as session:
        return {
            str(event.after["consensus"])
            for event in events.events_with_actions(session, (SETTLE, ACCEPT))
            if event.after is not None and "consensus" in event.after
        }

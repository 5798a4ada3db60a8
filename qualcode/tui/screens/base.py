"""What the workbench's full screens share: the workbench and opening a transcript."""

from __future__ import annotations

from textual.notifications import SeverityLevel
from textual.screen import Screen

from qualcode.tui.workbench import Workbench


class WorkbenchScreen(Screen[None]):
    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench

    def open_transcript(self, transcript_id: int) -> None:
        """Show the coding screen for a transcript (screens decide how)."""
        from qualcode.tui.screens.coding import CodingScreen

        self.app.push_screen(CodingScreen(self.workbench, transcript_id))

    def tell(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """Notify with the message as written: messages quote transcripts and codebook
        values, whose square brackets ("[Sammanfattning]") are not Rich markup."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    def help_markdown(self) -> str:
        """Screen-specific help added below the keys in force."""
        return ""

"""What the workbench's full screens share: the workbench, moving to the coding and
retrieval screens, notifications, and turning a failed worker into a notification."""

from __future__ import annotations

from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from qualcode.domain.errors import QualcodeError
from qualcode.tui.workbench import Workbench


class WorkbenchScreen(Screen[None]):
    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench

    def open_transcript(self, transcript_id: int) -> None:
        """Show the coding screen for a transcript (screens decide how)."""
        from qualcode.tui.screens.coding import CodingScreen

        self.app.push_screen(CodingScreen(self.workbench, transcript_id))

    def open_passage(self, transcript_id: int, start: int, end: int) -> None:
        """Show the coding screen for a transcript with ``[start, end)`` selected; escape
        comes back here."""
        from qualcode.tui.screens.coding import CodingScreen

        self.app.push_screen(CodingScreen(self.workbench, transcript_id, select=(start, end)))

    def find_passages(self) -> None:
        """Go to the retrieval screen: back to the one this screen was opened from, if
        any (so its query and results are kept), else a new one."""
        from qualcode.tui.screens.retrieval import RetrievalScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], RetrievalScreen) and stack[-1] is self:
            self.app.pop_screen()
        else:
            self.app.push_screen(RetrievalScreen(self.workbench))

    def open_collections(self, name: str | None = None) -> None:
        """Show the quote collections, with ``name`` (else the last one used) chosen."""
        from qualcode.tui.screens.collection import CollectionScreen

        self.app.push_screen(CollectionScreen(self.workbench, name))

    def open_agreement(self) -> None:
        """Show intercoder agreement per code, of everyone who coded."""
        from qualcode.tui.screens.agreement import AgreementScreen

        self.app.push_screen(AgreementScreen(self.workbench))

    def open_analysis(self) -> None:
        """Show code matrices and co-occurrence tables, each cell one enter from its
        passages."""
        from qualcode.tui.screens.analysis import AnalysisScreen

        self.app.push_screen(AnalysisScreen(self.workbench))

    def open_adjudication(self) -> None:
        """Review two coders' disagreements and settle them into the consensus layer."""
        from qualcode.tui.screens.adjudication import AdjudicationScreen

        self.app.push_screen(AdjudicationScreen(self.workbench))

    def open_cases(self) -> None:
        """Show the cases with their attributes; edit, link and tabulate them."""
        from qualcode.tui.screens.cases import CasesScreen

        self.app.push_screen(CasesScreen(self.workbench))

    def tell(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """Notify with the message as written: messages quote transcripts and codebook
        values, whose square brackets ("[Sammanfattning]") are not Rich markup."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    def data_changed(self) -> None:
        """Somebody (the CLI, another coder) changed the project: show it, keeping the
        cursor and selection. Screens that show stored data override this."""

    def help_markdown(self) -> str:
        """Screen-specific help added below the keys in force."""
        return ""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False: a refusal (a QualcodeError) is the
        # user's to fix and reads as one sentence; anything else is a bug, shown too
        # rather than lost in a worker that quietly stopped.
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self.work_ended(event.worker)
        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            if isinstance(error, QualcodeError):
                self.tell(str(error), severity="error", timeout=15)
            else:
                self.tell(f"{type(error).__name__}: {error}", severity="error", timeout=30)

    def work_ended(self, worker: Worker[object]) -> None:
        """A worker this screen started has stopped (done, failed or cancelled)."""

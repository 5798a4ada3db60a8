"""The child process of ``bench_tui``'s cold-start benchmark: start, draw one frame, exit.

``python -m benchmarks.tui_first_frame qualcode PROJECT`` runs ``qualcode --project
PROJECT tui --coder anna`` through the real entry point (``qualcode.cli.main``);
``python -m benchmarks.tui_first_frame floor`` runs a bare Textual app (a header, a
one-line ``Static`` and a footer). In both, Textual's ``App.run`` is made headless at
the terminal size ``bench_tui`` uses, and ``App._display`` (which Textual calls with
every composed frame, headless or not) is wrapped: at the end of the first call with a
frame to show, and for qualcode only once the overview's transcript table has its
rows, the wall-clock time (``time.time()``) is printed as JSON and the app told to
exit. The parent subtracts the ``time.time()`` it read just before spawning the
process, so the figure runs from process creation to the first frame: interpreter
start, imports, opening the project, building the app and screens, and composing
that frame. Writing the frame to a terminal is not included (headless).

Nothing is imported at the top beyond the stdlib, so the imports are timed as the
real command pays them.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

SIZE = (120, 40)
CODER = "anna"


def _table_rows(screen: Any) -> int | None:
    """Rows of the screen's transcript table, or None for a screen without one."""
    from textual.widgets import DataTable

    tables = screen.query(DataTable)
    return tables.first().row_count if tables else None


def _patch_textual(wait_for_rows: bool) -> None:
    from textual.app import App

    run, display = App.run, App._display
    done: list[bool] = []

    def headless_run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        return run(self, *args, **{**kwargs, "headless": True, "size": SIZE})

    def first_frame(self: App[Any], screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        if done or renderable is None:
            return
        rows = _table_rows(screen)
        if wait_for_rows and not rows:
            return
        done.append(True)
        print(json.dumps({"first_frame": time.time(), "rows": rows}), flush=True)
        self.exit()

    App.run = headless_run  # type: ignore[method-assign]
    App._display = first_frame  # type: ignore[method-assign]


def _run_floor() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("a bare Textual app")
            yield Footer()

    Bare().run()


def main() -> None:
    mode = sys.argv[1]
    _patch_textual(wait_for_rows=mode == "qualcode")
    if mode == "floor":
        _run_floor()
        return
    sys.argv = ["qualcode", "--project", sys.argv[2], "tui", "--coder", CODER]
    from qualcode.cli import main as qualcode_main

    qualcode_main()


if __name__ == "__main__":
    main()

"""One command-line process's start-up: the garbage collector waits for the code.

Loading Typer, SQLAlchemy, the mapped schema and the services makes some 60,000
objects that live as long as the process. While they are being made the cyclic
collector walks them again and again (more than 140 passes, one of them over
everything) and frees nothing: about a quarter of a short command's CPU time on the
2-core machine of BENCHMARKS.md. So ``main()`` turns the collector off, and a
command turns it back on once its code is loaded (when its project is open, or as
its work begins), first freezing what was loaded so that no later pass walks it.

Only a process started by ``main()`` is affected: tests and library callers that
drive ``app`` keep their collector as it is.
"""

from __future__ import annotations

import gc

_started_by_main = False


def loading() -> None:
    """Called by ``main()`` before any command's code is imported."""
    global _started_by_main
    _started_by_main = True
    gc.disable()


def loaded() -> None:
    """The command's code is loaded: collect from here on, never walking what was loaded."""
    global _started_by_main
    if not _started_by_main:
        return
    _started_by_main = False
    gc.freeze()
    gc.enable()

"""Run a child process and measure it: wall time, CPU time and peak memory.

``os.wait4`` returns the resource usage of the child that ended, including the
children it waited for itself (qualcode's import workers, qualitative-coding's
editor command), so each step's CPU is its own and not the runner's. A timer kills
the child's whole process group when its time is up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One child process: how long it took and what it printed."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    returncode: int
    timed_out: bool
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def error_line(self) -> str:
        """The last non-blank line of stderr (or stdout), for a one-line report."""
        for stream in (self.stderr, self.stdout):
            lines = [
                line for line in stream.decode("utf-8", "replace").splitlines() if line.strip()
            ]
            if lines:
                return lines[-1].strip()[:200]
        return f"exit status {self.returncode}"


def run(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout_s: float | None = None,
    stdout_path: Path | None = None,
) -> Run:
    """Run ``argv`` to its end (or its timeout) and measure it. Output goes to
    temporary files so a chatty child never blocks on a full pipe; ``stdout_path``
    keeps standard output in a file of the caller's choosing."""
    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    out_path = stdout_path or folder / f"peers-out-{os.getpid()}-{time.monotonic_ns()}"
    err_path = folder / f"peers-err-{os.getpid()}-{time.monotonic_ns()}"
    try:
        with out_path.open("wb") as out, err_path.open("wb") as err:
            started = time.perf_counter()
            child = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,  # its own process group, killed as one on timeout
            )
            fired = threading.Event()
            timer = _killer(child.pid, timeout_s, fired)
            try:
                _, status, usage = os.wait4(child.pid, 0)
            except BaseException:  # interrupted: take the child's process group down too
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                raise
            wall = time.perf_counter() - started
            if timer is not None:
                timer.cancel()
            child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4
        return Run(
            wall_s=wall,
            cpu_s=usage.ru_utime + usage.ru_stime,
            peak_rss_mib=usage.ru_maxrss / 1024,
            returncode=child.returncode,
            timed_out=fired.is_set(),
            stdout=out_path.read_bytes() if stdout_path is None else b"",
            stderr=err_path.read_bytes(),
        )
    finally:
        if stdout_path is None:
            out_path.unlink(missing_ok=True)
        err_path.unlink(missing_ok=True)


def _killer(pid: int, timeout_s: float | None, fired: threading.Event) -> threading.Timer | None:
    if timeout_s is None:
        return None

    def kill() -> None:
        fired.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)

    timer = threading.Timer(max(timeout_s, 0.0), kill)
    timer.daemon = True
    timer.start()
    return timer

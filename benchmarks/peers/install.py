"""Install a peer from the package registry into its own virtual environment.

This is a benchmark tool's set-up, not qualcode's run time: pip reaches the registry
(or the local mirror pip is configured with) once per work folder; ``--workdir``
reuses an environment that already has the pinned version.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Installed:
    venv: Path | None
    version: str
    error: str = ""

    def bin(self, name: str) -> Path:
        assert self.venv is not None
        return self.venv / "bin" / name


def ensure(workdir: Path, name: str, requirement: str, module: str) -> Installed:
    """A venv at ``workdir/<name>`` holding ``requirement``; ``error`` is one line
    when it could not be made. ``module`` is imported to read the installed version."""
    venv = workdir / name
    python = venv / "bin" / "python"
    version = _version(python, requirement.split("==")[0])
    if version and requirement.endswith(f"=={version}"):
        return Installed(venv, version)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            requirement,
        ],
    ]
    for argv in steps:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return Installed(None, "", _last_line(done.stderr or done.stdout))
    version = _version(python, requirement.split("==")[0])
    check = subprocess.run(
        [str(python), "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    if not version or check.returncode != 0:
        return Installed(None, "", _last_line(check.stderr) or "installed but cannot be imported")
    return Installed(venv, version)


def _version(python: Path, distribution: str) -> str:
    if not python.exists():
        return ""
    done = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({distribution!r}))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else ""


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and "WARNING" not in line]
    return lines[-1][:200] if lines else "unknown error"

"""An installed qualcode works outside a checkout (issue 13, item 17).

Builds the wheel from a copy of the sources, installs it into a fresh virtual
environment (offline: no index, no dependencies; the dependencies come from this
test's own environment through a path file), and runs the demo build and
``codebook apply asylum-child-welfare`` from a folder that is no checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from qualcode.codebook import load_codebook
from tests.conftest import REPO

pytestmark = pytest.mark.slow

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
FOLDERS = ("qualcode", "codebooks", "transcripts")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def test_the_installed_wheel_carries_the_codebooks_and_samples(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        shutil.copy2(REPO / name, source / name)
    for name in FOLDERS:
        shutil.copytree(
            REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", ".*")
        )
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
        "--no-index", "-w", dist, ".", cwd=source)  # fmt: skip
    (wheel,) = dist.glob("qualcode-*.whl")

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
               cwd=tmp_path).strip()  # fmt: skip
    # the dependencies from this environment; a plain path line, so this environment's
    # own editable qualcode is not seen there
    Path(site, "_qualcode_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-index",
        "--no-deps", wheel, cwd=tmp_path)  # fmt: skip

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("QUALCODE_") and key != "PYTHONPATH"
    }
    env |= {"HOME": str(tmp_path / "home"), "QUALCODE_CODER": "anna"}
    where = run(python, "-c", "import qualcode; print(qualcode.__file__)", cwd=elsewhere, env=env)
    assert where.strip().startswith(site), "the installed qualcode, not the checkout"

    qualcode = venv / "bin" / "qualcode"
    built = run(qualcode, "demo", "--dir", elsewhere / "demo", "--build-only", cwd=elsewhere,
                env=env)  # fmt: skip
    assert "imported Fokusgrupp Norrvik och Ekbacka" in built
    titles = json.loads(run(qualcode, "-p", elsewhere / "demo", "transcripts", "--json",
                            cwd=elsewhere, env=env))  # fmt: skip
    manifest = yaml.safe_load((REPO / "transcripts" / "manifest.yaml").read_text("utf-8"))
    assert len(titles) == len(manifest["transcripts"])

    run(qualcode, "init", elsewhere / "project", cwd=elsewhere, env=env)
    applied = run(qualcode, "-p", elsewhere / "project", "codebook", "apply",
                  "asylum-child-welfare", cwd=elsewhere, env=env)  # fmt: skip
    shipped = load_codebook(REPO / "codebooks" / "asylum-child-welfare.yaml")
    assert f"Added {len(shipped.codes)} codes" in applied
    codes = json.loads(run(qualcode, "-p", elsewhere / "project", "codebook", "list", "--json",
                           cwd=elsewhere, env=env))  # fmt: skip
    assert "ACT.WAIT" in {code["key"] for code in codes}

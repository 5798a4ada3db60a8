"""One build step beyond pyproject.toml: the shipped codebooks and sample transcripts
travel inside the wheel.

``codebooks/`` and ``transcripts/`` at the top of the checkout stay the source of
truth; building copies them into the package as ``qualcode/shipped/``, where
``qualcode.services.shipped`` looks first. An editable install reads them from the
checkout instead, so nothing is copied for it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("codebooks", "transcripts")


class BuildWithShippedData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "qualcode" / "shipped"
        for name in SHIPPED:
            destination = target / name
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(
                HERE / name, destination, ignore=shutil.ignore_patterns("__pycache__", ".*")
            )


setup(cmdclass={"build_py": BuildWithShippedData})

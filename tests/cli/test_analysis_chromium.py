"""The HTML heat map opened in headless Chromium: it renders its table and its picture,
and asks the network for nothing (every request would go to a recording proxy).

``.ci/run`` installs Chromium from the distribution's packages; without it the test
skips and says so.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from tests.cli.test_analysis_cli import coded  # noqa: F401  (fixture)
from tests.cli.test_cli import qc, ready  # noqa: F401  (fixture)
from tests.conftest import ProjectPlace

CHROMIUM = next(
    (path for path in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")) if path and Path(path).exists()),
    None,
)  # fmt: skip


class RecordingProxy:
    """A TCP listener that notes every connection made to it and answers nothing."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.requests.append(connection.recv(4096))
                except OSError:
                    self.requests.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


# hosts Chromium itself calls (network time, sign-in, connectivity) whatever the page;
# a request from the page would name the page's host or carry its referrer
BROWSER_SERVICES = (b"google.com", b"gvt1.com", b"googleapis.com", b"gstatic.com")


def browser_service(request: bytes) -> bool:
    line = request.split(b"\r\n", 1)[0]
    target = line.split(b" ")[1] if b" " in line else b""
    host = target.split(b"//")[-1].split(b"/")[0].split(b":")[0]
    return b"referer:" not in request.lower() and any(
        host == h or host.endswith(b"." + h) for h in BROWSER_SERVICES
    )


def chromium(url: str, profile: Path, proxy: RecordingProxy, *extra: str) -> str:
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            # quieten the browser's own calls home, which are not the page's
            "--no-pings",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,"
            "AutofillServerCommunication,Translate,InterestFeedContentSuggestions",
            f"--user-data-dir={profile}",
            f"--proxy-server=http://127.0.0.1:{proxy.port}",
            "--proxy-bypass-list=<-loopback>",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
def test_heat_map_renders_offline_in_chromium(coded: ProjectPlace, tmp_path: Path) -> None:  # noqa: F811
    from PIL import Image

    page = tmp_path / "matrix.html"
    qc(
        coded,
        "matrix",
        "codes",
        "roles",
        "--codes",
        "ACT,ACT.WAIT,DISC,DISC.STRUCT",
        "-o",
        str(page),
    )
    proxy = RecordingProxy()
    try:
        dom = chromium(page.as_uri(), tmp_path / "profile-dom", proxy, "--dump-dom")
        shot = tmp_path / "matrix.png"
        chromium(
            page.as_uri(),
            tmp_path / "profile-shot",
            proxy,
            f"--screenshot={shot}",
            "--window-size=1000,1400",
            "--hide-scrollbars",
        )
    finally:
        proxy.close()
    assert [r for r in proxy.requests if not browser_service(r)] == []
    # the browser built the table (four rows and the totals) and the picture
    assert dom.count("<tr") == 6 and '<th scope="row">DISC.STRUCT</th>' in dom
    assert "<svg" in dom and "<script" not in dom
    image = Image.open(shot).convert("RGB")
    width, height = image.size
    assert (width, height) == (1000, 1400)

    def orange_rows(top: int, bottom: int) -> int:
        """Rows of pixels in [top, bottom) holding a heat-map orange."""
        found = 0
        for y in range(top, bottom, 4):
            row = [image.getpixel((x, y)) for x in range(0, width, 4)]
            found += any(r > 200 and 60 < g < 200 and b < 120 for r, g, b in row)  # type: ignore[misc]
        return found

    # the table's cells near the top, the drawn heat map further down: both coloured
    assert orange_rows(0, 350) > 0
    assert orange_rows(350, height) > 10

"""Drive a Taguette server over HTTP, from inside the network namespace it runs in.

The runner starts this module under ``unshare -n`` (a network namespace holding only
the loopback device), so neither the server nor this client can reach any other
host. The server runs in single-user mode bound to 127.0.0.1, its vendor-message
fetch turned off (see ``LAUNCHER``), and is driven through the same requests its web
page sends: log in with the start-up token, create a project, upload documents, add
tags and highlights, read a tag's highlights page by page, export highlights as CSV.

Wall time is measured here, per step, from the first request to the last answer; CPU
time is the server process's (``/proc/<pid>/stat``), the client's own being left out.

    python -m benchmarks.peers.taguette_driver PLAN.json RESULT.json

Only the standard library is used (urllib, http.cookiejar), so it runs with any
Python; the server runs with the Python of Taguette's own virtual environment.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

# Taguette 1.5.2 has no setting for its start-up fetch of https://msg.taguette.org
# (``Application.check_messages``, run at start and every 24 h): the launcher replaces
# that method before the application is made, marking the messages as fetched (none),
# which is what the page waits for. The network namespace is the second guard.
LAUNCHER = """
import sys
import taguette.web.base as base
def _no_vendor_messages(self):
    self.messages_event.set()
base.Application.check_messages = _no_vendor_messages
from taguette.main import main
sys.argv[0] = "taguette"
main()
"""
TOKEN_URL = re.compile(rb"(http://\S+\?token=\w+)")


class Server:
    def __init__(self, python: str, database: Path, port: int, log: Path) -> None:
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [
                python,
                "-c",
                LAUNCHER,
                "--no-browser",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--database",
                str(database),
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            stdin=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{port}"
        self.token_url = ""
        self._lines: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line)
            self.log.write(line)
            found = TOKEN_URL.search(line)
            if found:
                self.token_url = found.group(1).decode().replace("localhost", "127.0.0.1")

    def wait_ready(self, timeout_s: float) -> None:
        deadline = time.perf_counter() + timeout_s
        while not self.token_url:
            if self.process.poll() is not None:
                raise RuntimeError(f"taguette exited with status {self.process.returncode}")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"taguette printed no start-up link in {timeout_s:.0f} s")
            time.sleep(0.005)

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        return ticks / os.sysconf("SC_CLK_TCK")

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Client:
    """Cookies and the XSRF token, as the browser keeps them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def xsrf(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "_xsrf"), "")

    def request(
        self,
        path: str,
        *,
        data: bytes | None = None,
        content_type: str = "",
        method: str | None = None,
    ) -> tuple[str, bytes]:
        url = self.base + path
        if data is not None:
            url += ("&" if "?" in url else "?") + "_xsrf=" + urllib.parse.quote(self.xsrf())
        request = urllib.request.Request(url, data=data, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        with self.opener.open(request, timeout=600) as response:
            return response.geturl(), response.read()

    def post_json(self, path: str, body: Any) -> Any:
        _, answer = self.request(
            path, data=json.dumps(body).encode(), content_type="application/json; charset=utf-8"
        )
        return json.loads(answer)

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        fields = {**fields, "_xsrf": self.xsrf()}
        url, _ = self.request(
            path,
            data=urllib.parse.urlencode(fields).encode(),
            content_type="application/x-www-form-urlencoded",
        )
        return url

    def post_file(self, path: str, fields: dict[str, str], filename: str, body: bytes) -> Any:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        ]
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: text/html\r\n\r\n".encode()
            + body
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        _, answer = self.request(
            path, data=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}"
        )
        return json.loads(answer)


class Steps:
    """Times each step; stops a step at its deadline and says how far it got."""

    def __init__(self, server: Server, timeout_s: float) -> None:
        self.server = server
        self.timeout_s = timeout_s
        self.results: dict[str, dict[str, Any]] = {}

    def run(self, key: str, items: list[Any], action: Any, unit: str) -> bool:
        cpu_before = self.server.cpu_s()
        started = time.perf_counter()
        deadline = started + self.timeout_s
        for done, item in enumerate(items):
            if time.perf_counter() > deadline:
                self._record(key, "stopped", started, cpu_before, f"{done} of {len(items)} {unit}")
                return False
            action(item)
        self._record(key, "ok", started, cpu_before, "")
        return True

    def _record(self, key: str, status: str, started: float, cpu_before: float, note: str) -> None:
        self.results[key] = {
            "status": status,
            "wall_s": time.perf_counter() - started,
            "cpu_s": self.server.cpu_s() - cpu_before,
            "peak_rss_mib": self.server.peak_rss_mib(),
            "note": note,
        }


def drive(plan: dict[str, Any], result: dict[str, Any]) -> None:
    folder = Path(plan["folder"])
    started = time.perf_counter()
    server = Server(
        plan["python"], folder / "taguette.sqlite3", plan["port"], folder / "server.log"
    )
    steps = Steps(server, plan["timeout_s"])
    result["steps"] = steps.results
    try:
        server.wait_ready(120)
        client = Client(server.base)
        _wait_healthy(client, 60)
        client.request(
            urllib.parse.urlsplit(server.token_url).path
            + "?"
            + urllib.parse.urlsplit(server.token_url).query
        )
        client.request("/project/new")  # the form page sets the XSRF cookie
        url = client.post_form("/project/new", {"name": "peers", "description": "benchmark"})
        project = int(re.search(r"/project/(\d+)", url).group(1))  # type: ignore[union-attr]
        steps.results["create"] = {
            "status": "ok",
            "wall_s": time.perf_counter() - started,
            "cpu_s": server.cpu_s(),
            "peak_rss_mib": server.peak_rss_mib(),
            "note": "server start + project",
        }
        documents: list[int] = []

        def upload(doc: dict[str, str]) -> None:
            body = Path(doc["file"]).read_bytes()
            answer = client.post_file(
                f"/api/project/{project}/document/new",
                {"name": doc["name"], "description": ""},
                Path(doc["file"]).name,
                body,
            )
            documents.append(answer["created"])

        if not steps.run("import", plan["documents"], upload, "documents"):
            return
        tags: dict[str, int] = {}

        def add_tag(path: str) -> None:
            tags[path] = client.post_json(
                f"/api/project/{project}/tag/new", {"path": path, "description": ""}
            )["id"]

        def add_highlight(item: list[Any]) -> None:
            if not tags:
                for path in plan["tags"]:
                    add_tag(path)
            index, start, end, tag = item
            client.post_json(
                f"/api/project/{project}/document/{documents[index]}/highlight/new",
                {"start_offset": start, "end_offset": end, "tags": [tags[tag]]},
            )

        if not steps.run("codings", plan["highlights"], add_highlight, "highlights"):
            return
        pages: list[Any] = []

        def read_pages(code: str) -> None:
            page = 1
            while True:
                _, answer = client.request(
                    f"/api/project/{project}/highlights/{urllib.parse.quote(code)}?page={page}"
                )
                data = json.loads(answer)
                pages.extend(data["highlights"])
                if page >= data["pages"]:
                    break
                page += 1

        steps.run("retrieve", [plan["retrieve"]], read_pages, "codes")
        (folder / "retrieve.json").write_text(json.dumps(pages), encoding="utf-8")

        def export(_: Any) -> None:
            _, answer = client.request(f"/project/{project}/export/highlights/.csv")
            (folder / "export.csv").write_bytes(answer)

        steps.run("export_csv", [None], export, "exports")
    except (OSError, RuntimeError, urllib.error.URLError, ValueError, KeyError) as error:
        result["error"] = f"{type(error).__name__}: {error}"[:300]
    finally:
        server.stop()


def _wait_healthy(client: Client, timeout_s: float) -> None:
    deadline = time.perf_counter() + timeout_s
    while True:
        try:
            client.request("/health")
            return
        except OSError:
            if time.perf_counter() > deadline:
                raise
            time.sleep(0.005)


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result: dict[str, Any] = {}
    try:
        drive(plan, result)
    finally:
        Path(sys.argv[2]).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()

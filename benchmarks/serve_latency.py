"""Whether one user can stall the others in `docgen serve` (issue 29): the p95 latency of a static file and of
a live check, first with nothing else going on, then while two PDF conversions (LibreOffice) and one hostile
upload (a PDF whose stream inflates to 1.2 GB) are in flight, each started again as soon as it ends. A real
server (`docgen serve` in its own process) on a real socket; the figures are the ratio of the two runs, and
the server's peak memory (VmHWM) at the end.

    .venv/bin/python benchmarks/serve_latency.py [--requests 200]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402

EXAMPLE = ROOT / "examples" / "2021-baode.toml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _started(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as attempt:
            if attempt.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def _p95(client: httpx.Client, token: str, requests: int) -> tuple[float, float]:
    """p95 seconds of GET /static/style.css and of POST …/check."""
    static, check = [], []
    for number in range(requests):
        started = time.perf_counter()
        assert client.get("/static/style.css").status_code == 200
        static.append(time.perf_counter() - started)
        started = time.perf_counter()
        answer = client.post(
            "/r/report.toml/check", json={"fields": {"table3.new[0]": str(number)}}, headers={"X-CSRF-Token": token}
        )
        assert answer.status_code == 200, answer.text
        check.append(time.perf_counter() - started)
    return statistics.quantiles(static, n=20)[18], statistics.quantiles(check, n=20)[18]


def _busy(
    url: str,
    cookies: httpx.Cookies,
    token: str,
    stop: threading.Event,
    bomb: bytes,
    pdfs_in_flight: int,
    uploads_in_flight: int,
) -> tuple[list[threading.Thread], dict[str, int]]:
    counts = {"pdf": 0, "upload": 0}

    def pdfs() -> None:
        with httpx.Client(base_url=url, cookies=cookies, timeout=300) as client:
            while not stop.is_set():
                response = client.get("/r/report.toml/download/pdf")
                assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
                counts["pdf"] += 1

    def uploads() -> None:
        with httpx.Client(base_url=url, cookies=cookies, timeout=300) as client:
            while not stop.is_set():
                files = {"document": ("bomb.pdf", bomb, "application/pdf")}
                response = client.post("/new", data={"_csrf": token, "kind": "upload"}, files=files)
                assert response.status_code == 400 and "解压后超过" in response.text, response.status_code
                counts["upload"] += 1

    threads = [threading.Thread(target=pdfs) for _ in range(pdfs_in_flight)]
    threads += [threading.Thread(target=uploads) for _ in range(uploads_in_flight)]
    for thread in threads:
        thread.start()
    return threads, counts


def _peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pdfs", type=int, default=2, help="PDF conversions in flight")
    parser.add_argument("--uploads", type=int, default=1, help="hostile uploads in flight")
    arguments = parser.parse_args()
    bomb = hostile.flate_bomb_pdf()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        shutil.copy(EXAMPLE, folder / "report.toml")
        port = _free_port()
        command = [sys.executable, "-m", "docgen", "serve", str(folder), "--port", str(port)]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _started(port)
            url = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=url, timeout=60) as client:
                token = re.search(r'name="_csrf" value="([^"]+)"', client.get("/r/report.toml").text).group(1)  # type: ignore[union-attr]
                _p95(client, token, 20)  # warm up
                idle_static, idle_check = _p95(client, token, arguments.requests)
                stop = threading.Event()
                threads, counts = _busy(url, client.cookies, token, stop, bomb, arguments.pdfs, arguments.uploads)
                time.sleep(3)  # LibreOffice started, the upload being read
                busy_static, busy_check = _p95(client, token, arguments.requests)
                stop.set()
                for thread in threads:
                    thread.join(300)
            peak = _peak_memory_mb(server.pid)
        finally:
            server.terminate()
            server.wait(10)
    print(f"p95 over {arguments.requests} requests each          idle      busy   ratio")
    print(
        f"  static file (GET /static/style.css) {1000 * idle_static:7.1f} ms {1000 * busy_static:7.1f} ms {busy_static / idle_static:6.1f}×"
    )
    print(
        f"  live check (POST …/check)           {1000 * idle_check:7.1f} ms {1000 * busy_check:7.1f} ms {busy_check / idle_check:6.1f}×"
    )
    print(f"  in flight meanwhile: {counts['pdf']} PDFs made, {counts['upload']} hostile uploads refused")
    print(f"  server's peak memory: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

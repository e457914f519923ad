"""`livekg serve` in a separate process on 127.0.0.1, as a user runs it, for the HTTP benchmarks.

A separate process keeps the load generator and the server from sharing one interpreter (and
one GIL), and lets the server's own peak memory be read from /proc. Only the process started
here is ever stopped, by its pid.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
# The benchmarks use the local Neo4j only (they wipe its database); a server they start must
# not reach an external one named in the environment.
EXTERNAL_NEO4J = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
START_TIMEOUT_S = 120.0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str

    def url(self, path: str) -> str:
        """`path` with non-ASCII characters percent-encoded (区商务委 in a unit path)."""
        return self.base_url + quote(path, safe="/?=&")

    def get(self, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def peak_rss_kib(self) -> int:
        """VmHWM: the most resident memory the server process has had so far."""
        return _status_field(self.process.pid, "VmHWM")

    def rss_kib(self) -> int:
        return _status_field(self.process.pid, "VmRSS")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in EXTERNAL_NEO4J}


@contextmanager
def serving(backend: str, store: Path | None = None,
            settings: dict[str, str] | None = None) -> Iterator[Server]:
    """`python -m livekg.cli serve` on a free loopback port, stopped (by pid) on exit;
    `settings`: extra environment variables (LIVEKG_…) for that server."""
    port = free_port()
    command = [sys.executable, "-m", "livekg.cli", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--backend", backend]
    if store is not None:
        command += ["--store", str(store)]
    # A file, not a pipe: a pipe nobody reads would block a server that logs many errors.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**server_env(), **(settings or {})},
                                   stdout=subprocess.DEVNULL, stderr=log)
        server = Server(process, f"http://127.0.0.1:{port}")
        try:
            _wait_until_up(server, log)
            yield server
        finally:
            _stop(process)


def _wait_until_up(server: Server, log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log.seek(0)
            error = log.read().decode(errors="replace")
            raise RuntimeError(f"livekg serve exited with {server.process.returncode}: "
                               f"{error.strip()[-500:]}")
        try:
            if server.get("/health", timeout=2.0)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"livekg serve did not answer within {START_TIMEOUT_S:g} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT (uvicorn's clean shutdown), then SIGKILL if it does not exit."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _status_field(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {name} in /proc/{pid}/status")

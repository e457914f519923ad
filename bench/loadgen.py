"""A bounded loopback HTTP load: wrk when installed (Debian's `wrk`), else a small asyncio client.

wrk is preferred because it is written in C and leaves the second core to the server; the
fallback runs in its own process (`python -m bench.loadgen URL …`) for the same reason, and
keeps HTTP/1.1 connections alive as wrk does. Either way a run is bounded by its duration,
targets 127.0.0.1 only and reports the same figures.

    python -m bench.loadgen http://127.0.0.1:8000/health --connections 32 --duration 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

# wrk calls done() once at the end; latency percentiles are in microseconds.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOADGEN {"requests": %d, "seconds": %f, "errors": %d, "non_2xx": %d, '
    .. '"p50_ms": %f, "p99_ms": %f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    errors: int
    non_2xx: int
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def generator() -> str:
    """Which load generator `hammer` uses here."""
    return "wrk" if shutil.which("wrk") else "python asyncio client (bench.loadgen)"


def hammer(url: str, connections: int, seconds: float) -> Load:
    """Keep `connections` requests in flight against `url` for `seconds`."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"load is only ever sent to 127.0.0.1, not {url}")
    if shutil.which("wrk"):
        return _wrk(url, connections, seconds)
    command = [sys.executable, "-m", "bench.loadgen", url, "--connections", str(connections),
               "--duration", str(seconds)]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=seconds + 60)
    return _report(done.stdout)


def _wrk(url: str, connections: int, seconds: float) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                   "--timeout", "10s", "-s", script.name, url]
        done = subprocess.run(command, capture_output=True, text=True, check=True,
                              timeout=seconds + 60)
    return _report(done.stdout)


def _report(output: str) -> Load:
    match = re.search(r"^LOADGEN (\{.*\})$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"the load generator printed no report: {output[-500:]}")
    return Load(**json.loads(match.group(1)))


# -- the fallback client -----------------------------------------------------------------------
async def _client(host: str, port: int, request: bytes, deadline: float,
                  latencies: list[float], failures: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            status = await _response(reader)
            latencies.append(time.perf_counter() - started)
            if not 200 <= status < 300:
                failures.append(status)
    finally:
        writer.close()


async def _response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return status


async def _run(url: str, connections: int, seconds: float) -> Load:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
               f"Connection: keep-alive\r\n\r\n").encode()
    latencies: list[float] = []
    failures: list[int] = []
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_client(parts.hostname or "127.0.0.1", parts.port or 80, request,
                                   deadline, latencies, failures) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return Load(requests=len(latencies), seconds=elapsed, errors=0, non_2xx=len(failures),
                p50_ms=ordered[len(ordered) // 2] * 1000,
                p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds (at most 60)")
    args = parser.parse_args(argv)
    if not args.url.startswith("http://127.0.0.1:"):
        parser.error("only http://127.0.0.1:PORT/… is allowed")
    load = asyncio.run(_run(args.url, args.connections, min(args.duration, 60.0)))
    print("LOADGEN " + json.dumps(asdict(load)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Peak memory of `livekg serve` with the 100× plan loaded, against the same with Changning.

The 100× plan is written to a temporary folder (text plus sidecar YAML) and loaded with
`livekg load --store` into a temporary snapshot, exactly as a user would; then `livekg serve
--store` answers a few typical requests and its VmHWM (peak resident set) is read from /proc.
The Changning-only server, measured the same way in the same run, is the baseline.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench.corpus import scaled_plan
from bench.results import Section, si, times
from bench.servers import ROOT, server_env, serving
from bench.timing import timed
from livekg.loaders.paths import DOCUMENTS_DIR

REQUESTS = ("/health", "/v1/stats", "/v1/units/区商务委/co-owners", "/v1/search?q=yuyuan",
            "/v1/tasks?limit=50", "/v1/units?limit=100")
FACTOR = 100


def load_into(store: Path, documents: Path) -> float:
    """`livekg load DOCUMENTS --store STORE` in a subprocess; its wall time in seconds."""
    command = [sys.executable, "-m", "livekg.cli", "load", str(documents), "--store", str(store)]
    seconds, _ = timed(lambda: subprocess.run(command, cwd=ROOT, env=server_env(), check=True,
                                              stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL))
    return seconds


def serve_peak_kib(store: Path) -> tuple[int, int]:
    """(peak RSS after the requests, RSS right after start-up) of `livekg serve`, in KiB."""
    with serving("memory", store) as server:
        started = server.rss_kib()
        for path in REQUESTS:
            status, body = server.get(path)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
        return server.peak_rss_kib(), started


def run(quick: bool) -> Section:
    section = Section("memory")
    plan = scaled_plan(FACTOR)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "documents"
        folder.mkdir()
        stem = plan.metadata["id"]
        (folder / f"{stem}.txt").write_text(plan.text, encoding="utf-8")
        (folder / f"{stem}.yaml").write_text(yaml.safe_dump(plan.metadata, allow_unicode=True),
                                             encoding="utf-8")
        big, small = Path(tmp) / "graph-100x.json", Path(tmp) / "graph-changning.json"
        big_load = load_into(big, folder)
        load_into(small, DOCUMENTS_DIR)
        big_peak, big_start = serve_peak_kib(big)
        small_peak, _ = serve_peak_kib(small)
        section.row(f"livekg serve, {FACTOR}× plan ({si(plan.chars)} chars, {plan.tasks} tasks)",
                    f"peak RSS {big_peak / 1024:.0f} MiB (after start-up {big_start / 1024:.0f} "
                    f"MiB); snapshot {big.stat().st_size / 2**20:.1f} MiB; "
                    f"`livekg load` took {big_load:.1f} s",
                    f"{times(big_peak / small_peak)} the Changning server's peak")
        section.row("livekg serve, Changning plan", f"peak RSS {small_peak / 1024:.0f} MiB; "
                    f"snapshot {small.stat().st_size / 2**10:.0f} KiB")
    section.notes.append(
        "VmHWM of the `livekg serve` process after GET " + ", ".join(REQUESTS) + ".")
    return section

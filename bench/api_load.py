"""HTTP API throughput and latency on both backends, each lookup set against `/health`.

`/health` does no graph work, so its throughput is what the server, the framework and the
loopback allow; a lookup's throughput as a share of it says what the lookup itself costs,
whatever the machine. Each backend is served by `livekg serve` in its own process over the
Changning graph. Every endpoint gets a short warm-up, then a run at 32 connections
(throughput; latency there includes queueing, about connections ÷ throughput) and a run at
one connection (the latency of a request on its own). In full mode `/health` is measured
before and after the lookups and averaged, so a slow spell cannot favour either side.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver

from bench.api_profile import profile_requests
from bench.loadgen import Load, generator, hammer
from bench.results import Goal, Section, si, times
from bench.servers import Server, serving
from livekg.core.backends import embedded_graph, open_backend
from livekg.core.config import Settings
from livekg.graph.neo4j_backend import Neo4jBackend
from livekg.graph.writer import Neo4jWriter
from livekg.loaders.paths import DOCUMENTS_DIR
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import load_registry

HEALTH = "/health"
LOOKUPS = {
    "task owners": "/v1/tasks/6/owners",
    "unit co-owners": "/v1/units/区商务委/co-owners",
    "search": "/v1/search?q=yuyuan",
}
CONNECTIONS = 32
SECONDS = {False: {"warm": 2.0, "load": 10.0, "single": 5.0},
           True: {"warm": 1.0, "load": 2.0, "single": 1.0}}
P99_GOAL_MS = 20.0
THROUGHPUT_GOAL = 0.5
PROFILE_REQUESTS = {False: 2000, True: 200}
# Each server measured; the uncached Neo4j one is what the answer cache is measured against.
VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "memory": ("memory", {}),
    "neo4j": ("neo4j", {}),
    "neo4j, no answer cache": ("neo4j", {"LIVEKG_API_CACHE_ENTRIES": "0"}),
}


@dataclass(frozen=True)
class EndpointLoad:
    loaded: Load  # at CONNECTIONS connections
    single: Load  # at one connection


def changning_in_neo4j(driver: Driver, database: str) -> None:
    """Make the database hold exactly the Changning plan, as `livekg load --neo4j` leaves it."""
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                    ).consume()
    path = DOCUMENTS_DIR / "changning-livestream-action-plan-2024-2026.txt"
    Neo4jWriter(driver, database).write([parse_file(path, load_registry())])


def measure(server: Server, quick: bool, label: str) -> dict[str, EndpointLoad]:
    """Every endpoint under load; in full mode `/health` twice (first and last), merged."""
    seconds = SECONDS[quick]
    for path in [HEALTH, *LOOKUPS.values()]:
        status, body = server.get(path)
        if status != 200:
            raise RuntimeError(f"{label}: GET {path} answered {status}: {body[:300]!r}")
    results: dict[str, list[EndpointLoad]] = {}
    order = [("/health", HEALTH), *LOOKUPS.items()]
    if not quick:  # /health again at the end, so a slow spell cannot favour either side
        order.append(("/health", HEALTH))
    for name, path in order:
        print(f"  API {label}: {name}", file=sys.stderr)
        url = server.url(path)
        if path != HEALTH or not quick:  # /health needs no warming: no caches, no queries
            hammer(url, CONNECTIONS, seconds["warm"])
            settle(server)
        loaded = hammer(url, CONNECTIONS, seconds["load"])
        settle(server)
        single = hammer(url, 1, seconds["single"])
        for load in (loaded, single):
            if load.errors or load.non_2xx:
                raise RuntimeError(f"{label} {path}: {load.errors} socket errors, "
                                   f"{load.non_2xx} non-2xx answers")
        results.setdefault(name, []).append(EndpointLoad(loaded, single))
    return {name: _merged(runs) for name, runs in results.items()}


def settle(server: Server, quiet_ms: float = 5.0, limit_s: float = 5.0) -> None:
    """Wait until requests queued by a loaded run have drained, so the next run (above all the
    one-connection latency run) does not start behind them: until /health answers quickly."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        started = time.perf_counter()
        server.get(HEALTH)
        if (time.perf_counter() - started) * 1000 < quiet_ms:
            return
        time.sleep(0.05)


def _merged(runs: list[EndpointLoad]) -> EndpointLoad:
    if len(runs) == 1:
        return runs[0]

    def merge(pick: Callable[[EndpointLoad], Load]) -> Load:
        loads = [pick(run) for run in runs]
        return Load(requests=sum(x.requests for x in loads),
                    seconds=sum(x.seconds for x in loads), errors=0, non_2xx=0,
                    p50_ms=sum(x.p50_ms for x in loads) / len(loads),
                    p99_ms=sum(x.p99_ms for x in loads) / len(loads))

    return EndpointLoad(merge(lambda r: r.loaded), merge(lambda r: r.single))


def _figure(result: EndpointLoad) -> str:
    loaded, single = result.loaded, result.single
    return (f"{si(loaded.per_second)} req/s, p50 {loaded.p50_ms:.1f} ms, p99 "
            f"{loaded.p99_ms:.1f} ms ({CONNECTIONS} conn); 1 conn: p50 {single.p50_ms:.1f} ms, "
            f"p99 {single.p99_ms:.1f} ms")


def run(quick: bool, driver: Driver, database: str) -> Section:
    section = Section("HTTP API")
    changning_in_neo4j(driver, database)
    measured: dict[str, dict[str, EndpointLoad]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "graph.json"
        # The Changning snapshot, built as `livekg serve` builds it.
        embedded_graph(Settings(store=store))
        for label, (kind, settings) in VARIANTS.items():
            with serving(kind, store if kind == "memory" else None, settings) as server:
                measured[label] = measure(server, quick, label)
    for label, results in measured.items():
        health = results["/health"].loaded.per_second
        for name, result in results.items():
            section.row(f"{label}: {name if name == '/health' else LOOKUPS[name]}",
                        _figure(result),
                        "" if name == "/health" else
                        f"{times(result.loaded.per_second / health)} /health's req/s")
    memory = measured["memory"]
    shares = {name: memory[name].loaded.per_second / memory["/health"].loaded.per_second
              for name in LOOKUPS}
    worst = min(shares, key=shares.__getitem__)
    section.goals.append(Goal(
        "embedded lookups ≥ ½ of /health's throughput", met=shares[worst] >= THROUGHPUT_GOAL,
        measured=", ".join(f"{name} {times(share)}" for name, share in shares.items()),
        shortfall="" if shares[worst] >= THROUGHPUT_GOAL else
        f"{worst} at {times(shares[worst])}: needs {THROUGHPUT_GOAL / shares[worst]:.3g}× "
        "its throughput"))
    neo4j = measured["neo4j"]
    neo4j_shares = {name: neo4j[name].loaded.per_second / neo4j["/health"].loaded.per_second
                    for name in LOOKUPS}
    neo4j_worst = min(neo4j_shares, key=neo4j_shares.__getitem__)
    section.goals.append(Goal(
        "Neo4j lookups ≥ ½ of /health's throughput",
        met=neo4j_shares[neo4j_worst] >= THROUGHPUT_GOAL,
        measured=", ".join(f"{name} {times(share)}" for name, share in neo4j_shares.items()),
        shortfall="" if neo4j_shares[neo4j_worst] >= THROUGHPUT_GOAL else
        f"{neo4j_worst} at {times(neo4j_shares[neo4j_worst])}: needs "
        f"{THROUGHPUT_GOAL / neo4j_shares[neo4j_worst]:.3g}× its throughput"))
    picks: tuple[tuple[str, Callable[[EndpointLoad], Load]], ...] = (
        (f"{CONNECTIONS} connections", lambda r: r.loaded), ("1 connection", lambda r: r.single))
    for where, pick in picks:
        p99 = {name: pick(neo4j[name]).p99_ms for name in LOOKUPS}
        slowest = max(p99, key=p99.__getitem__)
        section.goals.append(Goal(
            f"Neo4j lookups p99 < {P99_GOAL_MS:g} ms ({where})",
            met=p99[slowest] < P99_GOAL_MS,
            measured=", ".join(f"{name} {value:.1f} ms" for name, value in p99.items()),
            shortfall="" if p99[slowest] < P99_GOAL_MS else
            f"{slowest} {p99[slowest] - P99_GOAL_MS:.1f} ms over "
            f"({p99[slowest] / P99_GOAL_MS:.3g}× the limit)"))
    seconds = SECONDS[quick]
    section.notes.append(
        f"Load generator: {generator()}, loopback, one thread; per endpoint a "
        f"{seconds['warm']:g} s "
        f"warm-up, {seconds['load']:g} s at {CONNECTIONS} connections, {seconds['single']:g} s "
        f"at 1 connection. Server: `python -m livekg.cli serve` (one uvicorn worker) over "
        f"the Changning graph; {si(memory['/health'].loaded.requests)} /health requests "
        "measured on the embedded backend.")
    if not section.goals[0].met:
        with (tempfile.TemporaryDirectory() as tmp,
              open_backend(Settings(store=Path(tmp) / "graph.json"), "memory") as backend):
            section.profiles[f"embedded backend, GET {LOOKUPS[worst]} (in-process)"] = \
                profile_requests(backend, LOOKUPS[worst], PROFILE_REQUESTS[quick])
    if not all(goal.met for goal in section.goals[1:]):
        slowest = max(LOOKUPS, key=lambda name: neo4j[name].single.p99_ms)
        section.profiles[f"Neo4j backend, GET {LOOKUPS[slowest]} (in-process)"] = \
            profile_requests(Neo4jBackend(driver, database), LOOKUPS[slowest],
                             PROFILE_REQUESTS[quick] // 2)
    return section

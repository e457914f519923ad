"""The server dies in the middle of a load: the previous version of the document survives.

Runs its own local server (private home, port and password) so killing it disturbs no other
test. Only possible with the local server, so it is skipped when NEO4J_URI is set.
"""

from __future__ import annotations

import dataclasses
import os
import signal
from collections.abc import Iterator

import httpx
import pytest
from neo4j import Driver
from neo4j.exceptions import DriverError

from live_server import free_port, serve
from livekg import neo4j_local
from livekg.api.app import create_app
from livekg.core.config import Settings
from livekg.graph.backend import MemoryBackend
from livekg.graph.neo4j_backend import Neo4jBackend
from livekg.graph.neo4j_connect import open_driver
from livekg.graph.neo4j_store import ensure_schema, write_document
from livekg.graph.rows import GraphRows

PASSWORD = "livekg-crash-test"
pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(Settings().external_neo4j is not None,
                       reason="kills the server: only done to a private local server"),
]



@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LIVEKG_NEO4J_HOME", str(tmp_path_factory.mktemp("neo4j-crash")))
        env.setenv("LIVEKG_NEO4J_PORT", str(free_port()))
        env.setenv("LIVEKG_NEO4J_PASSWORD", PASSWORD)
        neo4j_local.start(timeout=180.0)
        try:
            yield
        finally:
            neo4j_local.stop()


def _driver() -> Driver:
    connection = Settings().local_neo4j
    return open_driver(connection.uri, connection.user, connection.password)


def test_killed_server_keeps_the_previous_version(private_server, changning_rows: GraphRows,
                                                  changning_graph) -> None:
    with _driver() as driver:
        ensure_schema(driver, "neo4j")
        write_document(driver, "neo4j", changning_rows)
        before = Neo4jBackend(driver, "neo4j").stats()
    assert before == MemoryBackend(changning_graph).stats()

    # A new version that drops every task after the first: a big change, half-written
    # when the server is killed.
    shrunk = dataclasses.replace(
        changning_rows,
        nodes=tuple(n for n in changning_rows.nodes
                    if n.label != "Task" or n.properties["number"] == 1),
        relationships=tuple(r for r in changning_rows.relationships
                            if ":task:" not in r.source or r.source.endswith(":task:1")
                            if ":task:" not in r.target or r.target.endswith(":task:1")))
    queries = 0

    def kill_after_some_writes() -> None:
        nonlocal queries
        queries += 1
        pid = neo4j_local.status().pid
        if queries == 12 and pid:
            os.kill(pid, signal.SIGKILL)

    with _driver() as driver, pytest.raises(DriverError):
        write_document(driver, "neo4j", shrunk, between_batches=kill_after_some_writes)
    assert queries >= 12

    neo4j_local.start(timeout=180.0)
    with _driver() as driver:
        backend = Neo4jBackend(driver, "neo4j")
        assert backend.stats() == before
        assert len(backend.task_owners("6")) == 14


def test_api_reports_an_outage_and_recovers_without_restart(private_server) -> None:
    connection = Settings().local_neo4j
    with _driver() as driver:
        ensure_schema(driver, "neo4j")
        app = create_app(Settings(backend="neo4j"),
                         backend=Neo4jBackend(driver, "neo4j", connection.uri))
        with serve(app) as url, httpx.Client(base_url=url, timeout=60) as client:
            assert client.get("/ready").status_code == 200
            neo4j_local.stop()
            ready = client.get("/ready")
            assert ready.status_code == 503
            assert connection.uri in ready.json()["detail"]
            lookup = client.get("/v1/units/区商务委/tasks")
            assert lookup.status_code == 503
            assert "did not answer" in lookup.json()["detail"]
            assert client.get("/health").status_code == 200
            neo4j_local.start(timeout=180.0)
            assert client.get("/ready").status_code == 200
            assert client.get("/v1/stats").status_code == 200

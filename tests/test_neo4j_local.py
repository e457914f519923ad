"""Lifecycle tests for the local Neo4j server (livekg.neo4j_local), against a real server.

The server under test gets its own home (a pytest temp dir) and a free port, so these tests never
stop or disturb the project's shared server in .neo4j/ that other test modules may be using; the
jar cache is the shared one, so only the first run ever downloads. The tests run in file order:
start, second start, auth, status, stop/restart; the module fixture always stops the server.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from live_server import free_port
from livekg import neo4j_local
from livekg.core.config import Settings
from livekg.neo4j_local import ServerStatus

# Only the lifecycle tests need (and start) a local server; they are the one allowed skip.
local_server = pytest.mark.skipif(
    Settings().external_neo4j is not None,
    reason="NEO4J_URI points at an external Neo4j; the local-server lifecycle is not used",
)

PASSWORD = "livekg-test-password"



@pytest.fixture(scope="module")
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private server home, port and password for this module; stops the server at the end."""
    home = tmp_path_factory.mktemp("neo4j-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIVEKG_NEO4J_HOME", str(home))
        mp.setenv("LIVEKG_NEO4J_PORT", str(free_port()))
        mp.setenv("LIVEKG_NEO4J_PASSWORD", PASSWORD)
        try:
            yield home
        finally:
            neo4j_local.stop()


@pytest.fixture(scope="module")
def server(isolated_home: Path) -> ServerStatus:
    return neo4j_local.start(timeout=180.0)


def _return_one(uri: str, password: str) -> int:
    with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_="neo4j")
    return int(records[0]["one"])


@pytest.mark.neo4j
@local_server
def test_start_accepts_cypher_with_password(server: ServerStatus, isolated_home: Path) -> None:
    assert server.running
    assert server.pid is not None
    assert server.home == isolated_home.resolve()
    conn = Settings().local_neo4j
    assert conn.uri == server.uri
    assert conn.password == PASSWORD
    assert _return_one(conn.uri, conn.password) == 1


@pytest.mark.neo4j
@local_server
def test_server_is_neo4j_5_26_community(server: ServerStatus) -> None:
    with GraphDatabase.driver(server.uri, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition"
        )
    assert records[0]["v"].startswith("5.26.")
    assert records[0]["edition"] == "community"


@pytest.mark.neo4j
@local_server
def test_second_start_returns_same_server(server: ServerStatus) -> None:
    again = neo4j_local.start(timeout=30.0)
    assert again.pid == server.pid
    assert again.uri == server.uri


@pytest.mark.neo4j
@local_server
def test_wrong_password_is_refused(server: ServerStatus) -> None:
    with (
        GraphDatabase.driver(server.uri, auth=("neo4j", "not-the-password")) as driver,
        pytest.raises(AuthError),
    ):
        driver.verify_connectivity()


@pytest.mark.neo4j
@local_server
def test_status_reports_running(server: ServerStatus) -> None:
    st = neo4j_local.status()
    assert st.running
    assert st.pid == server.pid
    assert st.uri == server.uri
    assert st.log_file.is_file()


@pytest.mark.neo4j
@local_server
def test_stop_then_status_not_running_and_restart(server: ServerStatus) -> None:
    pid = server.pid
    assert pid is not None
    assert neo4j_local.stop() is True
    st = neo4j_local.status()
    assert not st.running
    assert st.pid is None
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", st.port)) != 0  # Bolt is gone
    assert neo4j_local.stop() is False  # nothing left to stop

    # A restart reuses the existing store: the password set on first start still works.
    restarted = neo4j_local.start(timeout=180.0)
    assert restarted.running
    assert restarted.pid != pid
    assert _return_one(restarted.uri, PASSWORD) == 1


def test_a_server_named_by_neo4j_uri_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    # The variables Neo4j's own tools use; an unset user or database means neo4j's defaults.
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("LIVEKG_NEO4J_PORT", "7999")
    assert Settings().external_neo4j is None
    assert Settings().neo4j_connection().uri == "bolt://127.0.0.1:7999"
    monkeypatch.setenv("NEO4J_URI", " neo4j+s://db.example:7687 ")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret-password")
    monkeypatch.setenv("NEO4J_USER", "")
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    connection = Settings().neo4j_connection()
    assert (connection.uri, connection.user, connection.password, connection.database) == (
        "neo4j+s://db.example:7687", "neo4j", "secret-password", "neo4j")
    assert "secret-password" not in repr(connection) + repr(Settings())

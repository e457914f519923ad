"""Pytest plugin: a real Neo4j for the tests that need one.

NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) selects an external server;
otherwise the local server of `livekg neo4j start` is started. A server that cannot be had
fails those tests; they never skip. The tests wipe the database they are given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from neo4j import Driver

from livekg import neo4j_local
from livekg.core.config import Neo4jConnection, Settings
from livekg.graph.build import document_rows
from livekg.graph.neo4j_backend import Neo4jBackend
from livekg.graph.neo4j_connect import open_driver
from livekg.graph.neo4j_store import delete_document, ensure_schema
from livekg.graph.rows import GraphRows
from livekg.graph.schema import Label
from livekg.graph.writer import Neo4jWriter
from livekg.loaders.models import ParsedDocument

NEO4J_FIXTURES = {"neo4j_connection", "neo4j_driver", "neo4j_writer", "neo4j_changning",
                  "neo4j_empty"}
_outcomes: Counter[str] = Counter()
_uri: list[str] = []


@pytest.fixture(scope="session")
def neo4j_connection() -> Neo4jConnection:
    settings = Settings()
    connection = settings.neo4j_connection()
    if settings.external_neo4j is None:
        try:
            neo4j_local.start(settings=settings)
        except neo4j_local.Neo4jLocalError as error:
            pytest.fail(f"the local Neo4j could not be started: {error}", pytrace=False)
    _uri[:] = [connection.uri]
    return connection


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_connection: Neo4jConnection) -> Iterator[Driver]:
    driver = open_driver(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password)
    ensure_schema(driver, neo4j_connection.database)
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def neo4j_writer(neo4j_driver: Driver, neo4j_connection: Neo4jConnection) -> Neo4jWriter:
    """The one way documents get into Neo4j, as `livekg load --neo4j` writes them."""
    return Neo4jWriter(neo4j_driver, neo4j_connection.database, neo4j_connection.uri)


@pytest.fixture(scope="session")
def changning_rows(changning) -> GraphRows:
    return document_rows(changning)


@pytest.fixture
def neo4j_empty(neo4j_driver: Driver, neo4j_connection: Neo4jConnection) -> Neo4jBackend:
    """An empty database (constraints and indexes kept)."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_connection.database)
    return Neo4jBackend(neo4j_driver, neo4j_connection.database, neo4j_connection.uri)


@pytest.fixture
def neo4j_changning(neo4j_driver: Driver, neo4j_connection: Neo4jConnection,
                    neo4j_writer: Neo4jWriter, changning: ParsedDocument) -> Neo4jBackend:
    """The database holding exactly the Changning plan, whatever earlier tests left."""
    database = neo4j_connection.database
    backend = Neo4jBackend(neo4j_driver, database, neo4j_connection.uri)
    for document in backend.list_nodes(Label.DOCUMENT):
        if document["id"] != changning.document.id:
            delete_document(neo4j_driver, database, document["id"])
    neo4j_writer.write([changning])
    return backend


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if NEO4J_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "neo4j" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _outcomes[report.outcome] += 1


def pytest_terminal_summary(terminalreporter) -> None:
    if not _outcomes:
        return
    where = f" at {_uri[0]}" if _uri else ""
    terminalreporter.write_line(
        f"Neo4j tests against a real server{where}: {_outcomes['passed']} passed, "
        f"{_outcomes['failed']} failed, {_outcomes['skipped']} skipped")

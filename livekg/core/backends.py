"""Opening the graph a command or the API reads: the embedded snapshot or Neo4j."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from livekg.graph.backend import MemoryBackend
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.neo4j_backend import Neo4jBackend
from livekg.graph.neo4j_connect import open_driver
from livekg.graph.snapshot import read_snapshot, write_snapshot
from livekg.loaders.errors import DocumentError
from livekg.loaders.paths import DOCUMENTS_DIR
from livekg.loaders.pipeline import load_documents
from livekg.loaders.registry import load_registry
from livekg.neo4j_local import Neo4jConnection, connection_from_env, local_connection


def embedded_graph(store: Path) -> KnowledgeGraph:
    """The stored graph; on first use, built from the bundled documents and stored."""
    if store.exists():
        return read_snapshot(store)
    result = load_documents([DOCUMENTS_DIR], load_registry())
    if result.errors:
        raise result.errors[0]
    if not result.documents:
        raise DocumentError(DOCUMENTS_DIR, "no bundled documents", expected="*.txt plans")
    kg, _ = with_documents(KnowledgeGraph(), result.documents)
    write_snapshot(kg, store)
    return kg


def memory_backend(store: Path) -> MemoryBackend:
    return MemoryBackend(embedded_graph(store))


def neo4j_connection() -> Neo4jConnection:
    """NEO4J_URI and friends when set, else the local server of `livekg neo4j start`."""
    return connection_from_env() or local_connection()


@contextmanager
def neo4j_backend(verify: bool = True, fail_fast: bool = False) -> Iterator[Neo4jBackend]:
    """A Neo4j backend on one driver, closed on exit. `verify=False` lets a server start
    while Neo4j is down; questions then fail with 503 until it is back."""
    connection = neo4j_connection()
    with open_driver(connection.uri, connection.user, connection.password,
                     verify=verify, fail_fast=fail_fast) as driver:
        yield Neo4jBackend(driver, connection.database, connection.uri)

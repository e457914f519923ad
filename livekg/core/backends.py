"""Opening what a command or the API reads and writes: the embedded snapshot or Neo4j.

`open_backend(settings)` gives the `GraphBackend` questions are asked of; `open_writer(settings,
neo4j=…)` gives the `GraphWriter` documents are loaded through. Both close what they open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from livekg.core.config import Settings

if TYPE_CHECKING:  # the graph's modules pull in networkx and the Neo4j driver: load on use
    from livekg.graph.backend import GraphBackend
    from livekg.graph.knowledge_graph import KnowledgeGraph
    from livekg.graph.writer import GraphWriter

BackendChoice = Literal["memory", "neo4j"]


class NoStoredGraph(Exception):
    """A command that reads the embedded graph found no snapshot to read."""

    def __init__(self, store: Path) -> None:
        super().__init__(f"no graph stored at {store}; run 'livekg load' first")
        self.store = store


def embedded_graph(settings: Settings) -> KnowledgeGraph:
    """The stored graph; on first use, built from the bundled documents and stored."""
    from livekg.graph.snapshot import read_snapshot
    from livekg.graph.writer import EmbeddedWriter
    from livekg.loaders.errors import DocumentError
    from livekg.loaders.paths import DOCUMENTS_DIR
    from livekg.loaders.pipeline import load_documents
    from livekg.loaders.registry import load_registry

    if not settings.store.exists():
        registry = load_registry(settings.registry, overlay=settings.overlay)
        result = load_documents([DOCUMENTS_DIR], registry)
        if result.errors:
            raise result.errors[0]
        if not result.documents:
            raise DocumentError(DOCUMENTS_DIR, "no bundled documents", expected="*.txt plans")
        EmbeddedWriter(settings.store).write(result.documents)
    return read_snapshot(settings.store)


@contextmanager
def open_backend(settings: Settings, backend: BackendChoice | None = None, *,
                 build_missing: bool = True, verify: bool = True,
                 fail_fast: bool = False) -> Iterator[GraphBackend]:
    """The backend `backend` (else `settings.backend`) names, open until the block ends.

    Embedded: the snapshot at `settings.store`; when there is none, `build_missing` builds it
    from the bundled documents (the API's first start) or else raises NoStoredGraph (a command
    asked about a store nothing was loaded into). Neo4j: `settings.neo4j_connection()` on one
    driver; `verify=False` lets a server start while Neo4j is down (its questions then fail
    with 503 until Neo4j is back); `fail_fast` (servers) makes an outage an error within about a
    second instead of retrying.
    """
    if (backend or settings.backend) == "neo4j":
        from livekg.graph.neo4j_backend import Neo4jBackend
        from livekg.graph.neo4j_connect import open_driver

        connection = settings.neo4j_connection()
        with open_driver(connection.uri, connection.user, connection.password,
                         verify=verify, fail_fast=fail_fast,
                         pool_size=settings.neo4j_pool_size) as driver:
            yield Neo4jBackend(driver, connection.database, connection.uri)
        return
    from livekg.graph.backend import MemoryBackend
    from livekg.graph.snapshot import read_snapshot

    if build_missing:
        graph = embedded_graph(settings)
    elif settings.store.exists():
        graph = read_snapshot(settings.store)
    else:
        raise NoStoredGraph(settings.store)
    yield MemoryBackend(graph)


@contextmanager
def open_writer(settings: Settings, neo4j: bool = False,
                on_wait: Callable[[Path], None] | None = None) -> Iterator[GraphWriter]:
    """The writer documents are loaded through: the embedded store, or Neo4j.

    `on_wait(lock_file)` is called when another load holds the embedded store's lock and this
    one waits for it.
    """
    from livekg.graph.writer import EmbeddedWriter, Neo4jWriter

    if not neo4j:
        yield EmbeddedWriter(settings.store, on_wait=on_wait)
        return
    from livekg.graph.neo4j_connect import open_driver

    connection = settings.neo4j_connection()
    with open_driver(connection.uri, connection.user, connection.password,
                     pool_size=settings.neo4j_pool_size) as driver:
        yield Neo4jWriter(driver, connection.database, connection.uri)

"""The one way documents get into a graph: `GraphWriter.write(documents) -> LoadReport`.

Two sinks implement it — the embedded snapshot and Neo4j — so the CLI, the bench, the tests and
the notebooks never repeat the steps of one sink (read, replace, relink, write; or schema,
one transaction per document, relink). Callers only read the report.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from filelock import FileLock, Timeout
from neo4j import Driver

from livekg.graph.ingest import (
    FINGERPRINT,
    DocumentSummary,
    change_of,
    fingerprint,
    fingerprinted_rows,
    summarise,
    with_documents,
)
from livekg.graph.neo4j_queries import DOCUMENT_FINGERPRINT
from livekg.graph.neo4j_store import (
    WriteCounters,
    ensure_schema,
    relink_documents,
    write_document,
)
from livekg.graph.snapshot import (
    SnapshotError,
    read_snapshot,
    remove_stale_temporaries,
    write_snapshot,
)
from livekg.loaders.models import ParsedDocument


@dataclass(frozen=True)
class DocumentWrite:
    """What one document's write did: its summary and, for Neo4j, the server's counters."""

    summary: DocumentSummary
    counters: WriteCounters | None = None


@dataclass(frozen=True)
class LoadReport:
    """The outcome of one `write`: where it went and what changed, document by document."""

    target: str
    documents: list[DocumentWrite] = field(default_factory=list)
    links: WriteCounters | None = None

    @property
    def summaries(self) -> list[DocumentSummary]:
        return [write.summary for write in self.documents]


class GraphWriter(ABC):
    """A sink for parsed documents. A document's facts replace its previous version's."""

    @abstractmethod
    def write(self, documents: Iterable[ParsedDocument]) -> LoadReport:
        """Store `documents`; all or nothing per sink's unit of atomicity (see subclasses).

        `documents` may be a generator (`livekg load` parses one file at a time): each
        document is taken when the writer is ready for it and dropped once written, so
        memory does not grow with the number of documents."""


class EmbeddedWriter(GraphWriter):
    """The embedded store: one snapshot file, rewritten atomically once per `write`.

    Read, replace and write happen under a lock file beside the snapshot, so two loads into
    one store run one after the other instead of the second overwriting the first's documents.
    """

    def __init__(self, store: Path, lock_timeout: float = 600.0,
                 on_wait: Callable[[Path], None] | None = None) -> None:
        self.store = store
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait

    @property
    def lock_path(self) -> Path:
        return self.store.with_name(self.store.name + ".lock")

    def write(self, documents: Iterable[ParsedDocument]) -> LoadReport:
        report = LoadReport(target=str(self.store))
        pending = _non_empty(documents)
        if pending is None:  # nothing to load: the store is not even locked
            return report
        self.store.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.lock_path)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if self.on_wait is not None:
                self.on_wait(self.lock_path)
            try:
                lock.acquire(timeout=self.lock_timeout)
            except Timeout as error:
                raise SnapshotError(
                    f"{self.store}: another load has held {self.lock_path} for over "
                    f"{self.lock_timeout:g} s; nothing was written — try again when it ends"
                ) from error
        try:
            remove_stale_temporaries(self.store)  # left by a load that was killed
            kg = read_snapshot(self.store)
            updated, summaries = with_documents(kg, pending)
            if updated is not kg:  # every document unchanged: the snapshot stays as it is
                write_snapshot(updated, self.store)
        finally:
            lock.release()
        report.documents.extend(DocumentWrite(summary) for summary in summaries)
        return report


class Neo4jWriter(GraphWriter):
    """Neo4j: schema first, then one write transaction per document, then the links between
    documents. A failed document leaves its previous version intact.

    The schema statements run on a writer's first `write` only: they are idempotent but take
    about half a second, which a writer used for many loads (the tests) need not repeat.
    """

    def __init__(self, driver: Driver, database: str, uri: str = "") -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self._schema_ready = False

    def write(self, documents: Iterable[ParsedDocument]) -> LoadReport:
        report = LoadReport(target=f"Neo4j at {self.uri} ({self.database})")
        if not self._schema_ready:
            ensure_schema(self.driver, self.database)
            self._schema_ready = True
        changed = False
        for parsed in documents:
            digest = fingerprint(parsed)
            change = change_of(self._stored_fingerprint(parsed.document.id), digest)
            counters = WriteCounters()  # all zero: nothing written
            if change != "unchanged":  # an unchanged document costs the one read above
                counters = write_document(self.driver, self.database,
                                          fingerprinted_rows(parsed, digest))
                changed = True
            report.documents.append(DocumentWrite(summarise(parsed, change), counters))
        # Links derive from the documents alone: when none changed, neither did they.
        links = relink_documents(self.driver, self.database) if changed else WriteCounters()
        return LoadReport(target=report.target, documents=report.documents, links=links)

    def _stored_fingerprint(self, document_id: str) -> str | None:
        records, _, _ = self.driver.execute_query(
            DOCUMENT_FINGERPRINT, {"id": document_id}, database_=self.database)
        if not records:
            return None
        return records[0][FINGERPRINT] or ""


def _non_empty(documents: Iterable[ParsedDocument]) -> Iterator[ParsedDocument] | None:
    """`documents` as an iterator, or None when there are none (a generator is only known to
    be empty once asked for its first item)."""
    iterator = iter(documents)
    first = next(iterator, None)
    return None if first is None else chain([first], iterator)

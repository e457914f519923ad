"""Writing documents into Neo4j: one document, one transaction, batched UNWIND … MERGE.

A reload diffs instead of rebuilding: facts of the document that are gone are deleted, the
rest are merged, so loading the same document again creates nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TypeVar

from neo4j import Driver, ManagedTransaction, Query, Record, RoutingControl, unit_of_work

from livekg.graph import neo4j_queries as q
from livekg.graph.linking import document_links
from livekg.graph.neo4j_backend import Neo4jBackend
from livekg.graph.rows import GraphRows, NodeRow, RelationshipRow
from livekg.graph.schema import DOCUMENT_LABELS, Label, RelType

BATCH_SIZE = 1000
T = TypeVar("T")
K = TypeVar("K")
WRITE_TIMEOUT_S = 600.0


@dataclass
class WriteCounters:
    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    labels_added: int = 0

    def add(self, counters: object) -> None:
        for field in fields(self):
            setattr(self, field.name,
                    getattr(self, field.name) + getattr(counters, field.name, 0))


def ensure_schema(driver: Driver, database: str) -> None:
    for statement in q.schema_statements():
        driver.execute_query(statement, database_=database)
    driver.execute_query(q.AWAIT_INDEXES, database_=database)


def write_document(driver: Driver, database: str, rows: GraphRows,
                   between_batches: Callable[[], None] | None = None) -> WriteCounters:
    """Replace one document's facts in a single write transaction; raise on any failure."""
    counters = WriteCounters()
    with driver.session(database=database) as session:
        session.execute_write(_replace_document, rows, counters, between_batches)
    return counters


def write_links(driver: Driver, database: str, rows: list[RelationshipRow]) -> WriteCounters:
    """Make the derived links between documents exactly `rows`, writing only what differs:
    the links in the graph are read once, then, a few documents per transaction (each
    document's links in one), the ones no row wants are deleted and only new or changed rows
    merged. (Testing each stored link against the whole list of wanted links in Cypher cost
    links × rows, and 240 k new CARRIES_OUT links of 10,000 plans in one transaction were over
    the server's transaction memory.)"""
    counters = WriteCounters()
    wanted = {_link_key(row): row for row in rows}
    stored = _stored_links(driver, database)
    stale_by_document: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for key, properties in stored.items():
        if key not in wanted:
            stale_by_document[str(properties.get("document", ""))].append(key)
    changed_by_document: dict[str, list[RelationshipRow]] = defaultdict(list)
    for key, row in wanted.items():
        if stored.get(key) != {"id": row.id, **row.properties}:
            changed_by_document[str(row.properties.get("document", ""))].append(row)
    documents = sorted(stale_by_document.keys() | changed_by_document.keys())
    with driver.session(database=database) as session:
        for group in _document_groups(documents, stale_by_document, changed_by_document):
            written = session.execute_write(
                _replace_links, [k for d in group for k in stale_by_document.get(d, [])],
                [r for d in group for r in changed_by_document.get(d, [])])
            counters.add(written)
    return counters


def _stored_links(driver: Driver, database: str
                  ) -> dict[tuple[str, str, str, str], dict[str, object]]:
    stored: dict[tuple[str, str, str, str], dict[str, object]] = {}
    for link_type in _LINK_ENDS:
        records, _, _ = driver.execute_query(
            Query(q.derived_links(link_type), timeout=WRITE_TIMEOUT_S),
            database_=database, routing_=RoutingControl.READ)
        for record in records:
            stored[(str(link_type), record["id"], record["source"], record["target"])] = (
                record["properties"])
    return stored


def _document_groups(documents: list[str], *by_document: Mapping[str, Sequence[object]]
                     ) -> Iterable[list[str]]:
    """Documents in runs of at most BATCH_SIZE × 5 links (one document's links never split)."""
    group: list[str] = []
    size = 0
    for document in documents:
        links = sum(len(rows.get(document, [])) for rows in by_document)
        if group and size + links > BATCH_SIZE * 5:
            yield group
            group, size = [], 0
        group.append(document)
        size += links
    if group:
        yield group


@unit_of_work(timeout=WRITE_TIMEOUT_S)
def _replace_links(tx: ManagedTransaction, stale: list[tuple[str, str, str, str]],
                   changed: list[RelationshipRow]) -> WriteCounters:
    counters = WriteCounters()
    for stale_type, stale_keys in _grouped(stale, lambda key: RelType(key[0])):
        ends = _LINK_ENDS[stale_type]
        for stale_batch in _batches(stale_keys):
            result = tx.run(q.delete_links(stale_type, *ends),
                            rows=[{"id": i, "source": a, "target": b}
                                  for _, i, a, b in stale_batch])
            counters.add(result.consume().counters)
    for (rel_type, labels), group in _grouped(
            changed, lambda r: (r.type, _LINK_ENDS[RelType(r.type)])):
        source, target = labels
        for rel_batch in _batches(group):
            result = tx.run(
                q.merge_links(RelType(rel_type), source, target),
                rows=[{"id": r.id, "source": r.source, "target": r.target,
                       "properties": {"id": r.id, **r.properties}} for r in rel_batch])
            counters.add(result.consume().counters)
    tx.run(q.BUMP_GRAPH_VERSION).consume()
    return counters


def _link_key(row: RelationshipRow) -> tuple[str, str, str, str]:
    return (str(row.type), row.id, row.source, row.target)


def relink_documents(driver: Driver, database: str) -> WriteCounters:
    """Recompute the links between loaded documents (after any load) and store them."""
    # Every document's tasks are read back: at 10,000 plans that outlasts a question's 30 s.
    data = Neo4jBackend(driver, database, query_timeout=WRITE_TIMEOUT_S).node_link(
        labels=[Label.DOCUMENT, Label.TASK, Label.POLICY])
    return write_links(driver, database, document_links(data))


_LINK_ENDS = {RelType.IMPLEMENTS: (Label.DOCUMENT, Label.DOCUMENT),
              RelType.CARRIES_OUT: (Label.TASK, Label.TASK)}


def delete_document(driver: Driver, database: str, document_id: str) -> WriteCounters:
    """Remove a document's facts, and shared nodes no document reaches any more."""
    return write_document(driver, database, GraphRows(document_id, (), ()))


# One document is one transaction, and a plan with thousands of tasks takes longer to write
# than the server's default timeout allows analyst queries (60 s on the local server): a
# load's own timeout overrides it (honoured above the server's since Neo4j 5.3).
@unit_of_work(timeout=WRITE_TIMEOUT_S)
def _replace_document(tx: ManagedTransaction, rows: GraphRows, counters: WriteCounters,
                      between_batches: Callable[[], None] | None) -> None:
    # A retried transaction starts from zero again.
    for field in fields(counters):
        setattr(counters, field.name, 0)

    def run(query: str, **parameters: object) -> list[Record]:
        result = tx.run(query, parameters)
        records = list(result)
        counters.add(result.consume().counters)
        if between_batches is not None:
            between_batches()
        return records

    doc = rows.document_id
    # A document not in the graph yet has nothing to delete, leaves no orphans, and its own
    # nodes and relationships cannot exist: they are created, not merged (no lookup per row).
    present = bool(run(q.DOCUMENT_PRESENT, doc=doc)[0]["present"])
    if present:
        for stale_type in RelType:
            keep = [[r.id, r.source, r.target] for r in rows.relationships
                    if r.type == stale_type]
            run(q.delete_stale_relationships(stale_type), doc=doc, keep=keep)
        for label in DOCUMENT_LABELS:
            keep_ids = [n.id for n in rows.nodes if n.label == label]
            run(q.delete_stale_nodes(label), doc=doc, keep=keep_ids)
    for labels, group in _grouped(rows.nodes, lambda n: n.labels):
        create = not present and labels[0] in DOCUMENT_LABELS
        node_query = q.create_nodes(labels) if create else q.merge_nodes(labels)
        for batch in _batches(_last_of_each(group) if create else group):
            run(node_query,
                rows=[{"id": n.id, "properties": {"id": n.id, **n.properties}} for n in batch])
    labels_of = {n.id: n.label for n in rows.nodes}
    for (rel_type, source, target, create), rel_group in _grouped(
            rows.relationships,
            lambda r: (r.type, labels_of.get(r.source, ""), labels_of.get(r.target, ""),
                       not present and r.properties.get("document") == doc)):
        rel_query = q.merge_relationships(RelType(rel_type), source, target, create=create)
        for rel_batch in _batches(_last_of_each(rel_group) if create else rel_group):
            records = run(
                rel_query,
                rows=[{"id": r.id, "source": r.source, "target": r.target,
                       "properties": {"id": r.id, **r.properties}} for r in rel_batch])
            if records[0]["written"] != len(rel_batch):
                missing = len(rel_batch) - records[0]["written"]
                raise ValueError(
                    f"document {doc!r}: {missing} {rel_type} relationships point at nodes "
                    f"that do not exist; nothing was written")
    if present:
        run(q.remove_orphans())
    run(q.BUMP_GRAPH_VERSION)  # in the same transaction: readers see new facts, new version


def _grouped(items: Iterable[T], key: Callable[[T], K]) -> list[tuple[K, list[T]]]:
    groups: dict[K, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return list(groups.items())


R = TypeVar("R", NodeRow, RelationshipRow)


def _last_of_each(rows: list[R]) -> list[R]:
    """One row per id, the last one winning, as MERGE then SET would leave it: CREATE would
    refuse the second row of an id instead."""
    return list({row.id: row for row in rows}.values())


def _batches(items: list[T]) -> Iterable[list[T]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start:start + BATCH_SIZE]


"""The embedded knowledge graph: a networkx MultiDiGraph checked against the schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import networkx as nx

from livekg.graph.rows import GraphRows, NodeRow, RelationshipRow
from livekg.graph.schema import DOCUMENT_LABELS, RelType, check_node, check_relationship

# iterencode yields tiny strings (a key, a comma); joined this many at a time, each write is
# tens of KiB and the encoding is one call per batch.
JSON_BATCH = 4096

FORMAT_VERSION = 1


class KnowledgeGraph:
    """Nodes keyed by id with `labels` and properties; relationships keyed by their id.

    Example
    -------
    >>> kg = KnowledgeGraph()
    >>> kg.add_node(NodeRow("t", ("Task",), {"name": "x", "title": "x", "marker": "1.",
    ...     "number": 1, "text": "x", "span": [0, 1], "document": "d"}))
    >>> kg.node("t")["labels"]
    ['Task']
    """

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        self.graph: nx.MultiDiGraph = graph if graph is not None else nx.MultiDiGraph()
        # document id -> ids of the nodes it owns; built on first need (one pass), then kept
        # up to date, so replacing a document costs that document, not the whole graph.
        self._owned: dict[str, set[str]] | None = None

    def copy(self) -> KnowledgeGraph:
        return KnowledgeGraph(self.graph.copy())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KnowledgeGraph) and self.to_node_link() == other.to_node_link()

    __hash__ = None  # type: ignore[assignment]

    # -- writing ---------------------------------------------------------------------------
    def add_node(self, row: NodeRow) -> None:
        check_node(row.id, list(row.labels), row.properties)
        self.graph.add_node(row.id, labels=list(row.labels), **row.properties)
        # add_node merges attributes; a node's properties are replaced as a whole instead.
        attrs = self.graph.nodes[row.id]
        for key in [k for k in attrs if k not in row.properties and k != "labels"]:
            del attrs[key]
        if self._owned is not None:
            for owned in self._owned.values():
                owned.discard(row.id)
            if self._is_document_owned(row.id):
                self._owned.setdefault(row.properties["document"], set()).add(row.id)

    def add_relationship(self, row: RelationshipRow) -> None:
        for end in (row.source, row.target):
            if end not in self.graph:
                raise KeyError(f"relationship {row.id!r}: node {end!r} does not exist")
        check_relationship(row.id, row.type, self.labels(row.source), self.labels(row.target),
                           row.properties)
        if self.graph.has_edge(row.source, row.target, key=row.id):
            self.graph.remove_edge(row.source, row.target, key=row.id)
        self.graph.add_edge(row.source, row.target, key=row.id, type=row.type, **row.properties)

    def replace_document(self, rows: GraphRows) -> None:
        """Make the graph hold exactly `rows` for that document, keeping other documents."""
        if rows.document_id in self.graph:
            # A document not in the graph has no facts to remove and leaves no orphans.
            self.remove_document(rows.document_id)
        for node in rows.nodes:
            self.add_node(node)
        for rel in rows.relationships:
            self.add_relationship(rel)

    def replace_derived(self, rows: list[RelationshipRow]) -> None:
        """Swap every derived relationship (links between documents) for `rows`."""
        derived = [(u, v, k) for u, v, k, flag in self.graph.edges(keys=True, data="derived")
                   if flag]
        self.graph.remove_edges_from(derived)
        for row in rows:
            self.add_relationship(row)

    def remove_document(self, document_id: str) -> None:
        owned = self._owned_index().pop(document_id, set())
        # Only shared nodes next to the document's own can be left unreached by removing it.
        candidates = {m for n in owned for m in nx.all_neighbors(self.graph, n)
                      if m not in owned and not self._is_document_owned(m)}
        stale = [(u, v, k) for n in candidates
                 for edges in (self.graph.out_edges, self.graph.in_edges)
                 for u, v, k, doc in edges(n, keys=True, data="document")
                 if doc == document_id]
        self.graph.remove_nodes_from(owned)
        self.graph.remove_edges_from(stale)
        self._remove_orphans(candidates)

    def _owned_index(self) -> dict[str, set[str]]:
        if self._owned is None:
            self._owned = {}
            for node_id, document in self.graph.nodes(data="document"):
                if document is not None and self._is_document_owned(node_id):
                    self._owned.setdefault(document, set()).add(node_id)
        return self._owned

    def _remove_orphans(self, candidates: set[str]) -> None:
        """Shared nodes stay only while some document still reaches them: next to a node a
        document owns, or included (transitively) by a unit that is."""
        affected = set(candidates)
        frontier = list(candidates)
        while frontier:  # members were perhaps reached only through a candidate
            for _, member, rel_type in self.graph.out_edges(frontier.pop(), data="type"):
                if rel_type == RelType.INCLUDES and member not in affected:
                    affected.add(member)
                    frontier.append(member)
        self.graph.remove_nodes_from([n for n in affected if not self._reached(n)])

    def _reached(self, node: str) -> bool:
        """Whether `node` or a unit including it (transitively) touches a document's node."""
        seen = {node}
        frontier = [node]
        while frontier:
            current = frontier.pop()
            if any(self._is_document_owned(m) for m in nx.all_neighbors(self.graph, current)):
                return True
            for includer, _, rel_type in self.graph.in_edges(current, data="type"):
                if rel_type == RelType.INCLUDES and includer not in seen:
                    seen.add(includer)
                    frontier.append(includer)
        return False

    def _is_document_owned(self, node_id: str) -> bool:
        return self.labels(node_id)[0] in DOCUMENT_LABELS

    # -- reading ---------------------------------------------------------------------------
    def __contains__(self, node_id: object) -> bool:
        return node_id in self.graph

    def __len__(self) -> int:
        count: int = self.graph.number_of_nodes()
        return count

    def node(self, node_id: str) -> dict[str, Any]:
        return {"id": node_id, **self.graph.nodes[node_id]}

    def labels(self, node_id: str) -> list[str]:
        labels: list[str] = self.graph.nodes[node_id]["labels"]
        return labels

    def nodes(self, label: str | None = None) -> Iterator[dict[str, Any]]:
        for node_id, attrs in self.graph.nodes(data=True):
            if label is None or label in attrs["labels"]:
                yield {"id": node_id, **attrs}

    def relationships(self, rel_type: str | None = None) -> Iterator[dict[str, Any]]:
        for source, target, key, attrs in self.graph.edges(keys=True, data=True):
            if rel_type is None or attrs["type"] == rel_type:
                yield {"id": key, "source": source, "target": target, **attrs}

    def document_ids(self) -> list[str]:
        return sorted(n["id"] for n in self.nodes("Document"))

    # -- node-link JSON --------------------------------------------------------------------
    def to_node_link(self) -> dict[str, Any]:
        """Node-link JSON: nodes carry id, labels, name; links carry source, target, type."""
        return node_link_data(list(self.nodes()), list(self.relationships()))

    @classmethod
    def from_node_link(cls, data: dict[str, Any]) -> KnowledgeGraph:
        kg = cls()
        for node in data["nodes"]:
            props = {k: v for k, v in node.items() if k not in ("id", "labels")}
            kg.add_node(NodeRow(node["id"], tuple(node["labels"]), props))
        for link in data["links"]:
            props = {k: v for k, v in link.items()
                     if k not in ("id", "source", "target", "type")}
            kg.add_relationship(
                RelationshipRow(link["id"], link["type"], link["source"], link["target"], props))
        return kg

    def to_json_bytes(self) -> bytes:
        """Canonical bytes: the same graph always serialises identically."""
        return b"".join(self.json_chunks())

    def json_chunks(self) -> Iterator[bytes]:
        """`to_json_bytes` in pieces, so a snapshot is written without holding its whole text
        (twice: the str and its UTF-8 bytes) next to the graph. With `indent`, json.dumps runs
        this same pure-Python iterencode and joins it, so the pieces cost no extra time."""
        encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=1)
        batch: list[str] = []
        for piece in encoder.iterencode(self.to_node_link()):
            batch.append(piece)
            if len(batch) == JSON_BATCH:
                yield "".join(batch).encode("utf-8")
                batch.clear()
        batch.append("\n")
        yield "".join(batch).encode("utf-8")


def node_link_data(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, Any]:
    """The node-link envelope every producer shares (snapshots, both backends, the API):
    nodes and links sorted by id under a header naming the format and its version."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"format": "livekg-node-link", "version": FORMAT_VERSION},
        "nodes": sorted(nodes, key=lambda node: node["id"]),
        "links": sorted(links, key=lambda link: link["id"]),
    }

"""The embedded knowledge graph: a networkx MultiDiGraph checked against the schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import networkx as nx

from livekg.graph.rows import GraphRows, NodeRow, RelationshipRow
from livekg.graph.schema import DOCUMENT_LABELS, RelType, check_node, check_relationship

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
        owned = [n for n, attrs in self.graph.nodes(data=True)
                 if attrs.get("document") == document_id]
        self.graph.remove_nodes_from(owned)
        stale = [(u, v, k) for u, v, k, doc in self.graph.edges(keys=True, data="document")
                 if doc == document_id]
        self.graph.remove_edges_from(stale)
        self._remove_orphans()

    def _remove_orphans(self) -> None:
        """Shared nodes stay only while some document still reaches them."""
        anchored = {n for n in self.graph if self._is_document_owned(n)}
        anchored |= {m for n in anchored for m in nx.all_neighbors(self.graph, n)}
        frontier = list(anchored)
        while frontier:
            node = frontier.pop()
            for _, member, rel_type in self.graph.out_edges(node, data="type"):
                if rel_type == RelType.INCLUDES and member not in anchored:
                    anchored.add(member)
                    frontier.append(member)
        self.graph.remove_nodes_from([n for n in list(self.graph) if n not in anchored])

    def _is_document_owned(self, node_id: str) -> bool:
        return self.labels(node_id)[0] in DOCUMENT_LABELS

    # -- reading ---------------------------------------------------------------------------
    def __contains__(self, node_id: object) -> bool:
        return node_id in self.graph

    def __len__(self) -> int:
        return self.graph.number_of_nodes()

    def node(self, node_id: str) -> dict[str, Any]:
        return {"id": node_id, **self.graph.nodes[node_id]}

    def labels(self, node_id: str) -> list[str]:
        return self.graph.nodes[node_id]["labels"]

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
        return json.dumps(self.to_node_link(), ensure_ascii=False, sort_keys=True,
                          indent=1).encode("utf-8") + b"\n"


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

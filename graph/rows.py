"""Nodes and relationships as flat rows: what every backend writes.

Rows are named tuples, not frozen dataclasses: a large plan gives tens of thousands of them,
and a frozen dataclass costs three times as much to build (its __init__ sets each field
through object.__setattr__). A row is never hashed (its properties are a dict) nor changed in
place (`_replace` gives a new one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


class NodeRow(NamedTuple):
    id: str
    labels: tuple[str, ...]
    properties: dict[str, Any]

    @property
    def label(self) -> str:
        return self.labels[0]


class RelationshipRow(NamedTuple):
    id: str
    type: str
    source: str
    target: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class GraphRows:
    """Everything one document contributes to the graph (one per document: a dataclass)."""

    document_id: str
    nodes: tuple[NodeRow, ...]
    relationships: tuple[RelationshipRow, ...]

"""Nodes and relationships as flat rows: what every backend writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NodeRow:
    id: str
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(hash=False)

    @property
    def label(self) -> str:
        return self.labels[0]


@dataclass(frozen=True)
class RelationshipRow:
    id: str
    type: str
    source: str
    target: str
    properties: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class GraphRows:
    """Everything one document contributes to the graph."""

    document_id: str
    nodes: tuple[NodeRow, ...]
    relationships: tuple[RelationshipRow, ...]

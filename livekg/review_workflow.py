"""The review workflow behind `livekg review`: list discovered names, accept or reject them.

Decisions go to the user overlay registry (Settings.overlay); the next load reads it, so an
accepted name becomes a registered entity (same node, status registered) and a rejected one is
never discovered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from livekg.graph.backend import GraphBackend
from livekg.graph.schema import ENTITY_LABELS
from livekg.loaders import overlay as overlay_file
from livekg.loaders.overlay import Overlay


@dataclass(frozen=True)
class DiscoveredRow:
    """One discovered name: how often and where it is mentioned, and how it was found."""

    id: str
    name: str
    label: str
    method: str | None
    confidence: float | None
    jurisdiction: str | None
    count: int
    documents: tuple[str, ...]
    contexts: tuple[str, ...]   # the sentences it appears in, first few


def list_discovered(backend: GraphBackend, max_contexts: int = 3) -> list[DiscoveredRow]:
    """Every discovered entity in the graph, most mentioned first."""
    rows = []
    for label in ENTITY_LABELS:
        for node in backend.list_nodes(label.value):
            if node.get("status") != "discovered":
                continue
            mentions = backend.tasks_mentioning(node["id"])
            documents = tuple(dict.fromkeys(m.task.document for m in mentions))
            contexts = tuple(dict.fromkeys(m.sentence for m in mentions))[:max_contexts]
            rows.append(DiscoveredRow(
                id=node["id"], name=node["name"], label=label.value, method=node.get("method"),
                confidence=node.get("confidence"), jurisdiction=node.get("jurisdiction"),
                count=len(mentions), documents=documents, contexts=contexts))
    return sorted(rows, key=lambda r: (-r.count, r.label, r.name))


def accept(overlay: str | Path, name: str, label: str,
           jurisdiction: str | None = None) -> Overlay:
    """`name` is an entity of `label`: registered on the next load."""
    return overlay_file.accept(overlay, name, label, jurisdiction)


def reject(overlay: str | Path, name: str) -> Overlay:
    """`name` is not an entity: not discovered on the next load."""
    return overlay_file.reject(overlay, name)

"""The embedded store: the graph as one node-link JSON file, replaced atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import networkx as nx

from graph.knowledge_graph import KnowledgeGraph
from graph.schema import SchemaError


class SnapshotError(RuntimeError):
    """The snapshot file cannot be read as a livekg graph."""


def read_snapshot(path: str | Path) -> KnowledgeGraph:
    """The stored graph, or an empty one when nothing has been stored yet."""
    path = Path(path)
    if not path.exists():
        return KnowledgeGraph()
    try:
        return KnowledgeGraph.from_node_link(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError, SchemaError) as error:
        raise SnapshotError(
            f"{path}: not a livekg snapshot ({error}); delete it or load the documents again "
            f"with --store pointing elsewhere") from error


def write_snapshot(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write through a temporary file and rename, so readers never see half a graph."""
    write_atomically(Path(path), kg.to_json_bytes())


def write_graphml(kg: KnowledgeGraph, path: str | Path) -> None:
    path = Path(path)
    with tempfile.NamedTemporaryFile(dir=path.parent or ".", suffix=".graphml",
                                     delete=False) as handle:
        temporary = Path(handle.name)
    try:
        nx.write_graphml(kg.to_graphml_graph(), temporary, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Shared fixtures: the registry, the bundled Changning plan parsed once, and its graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from livekg.graph.backend import GraphBackend, MemoryBackend
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.loaders.models import ParsedDocument
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import Registry, load_registry

DOCUMENTS = Path(__file__).resolve().parent.parent / "data" / "documents"
CHANGNING_FILE = DOCUMENTS / "changning-livestream-action-plan-2024-2026.txt"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="session")
def parsed_file(registry: Registry) -> Callable[[Path], ParsedDocument]:
    """A plan file parsed once per session with the bundled registry and no options: the
    corpus and genre tests read the same plans from many tests."""
    cache: dict[Path, ParsedDocument] = {}

    def parse(path: Path) -> ParsedDocument:
        if path not in cache:
            cache[path] = parse_file(path, registry)
        return cache[path]

    return parse


@pytest.fixture(scope="session")
def changning_path() -> Path:
    return CHANGNING_FILE


@pytest.fixture(scope="session")
def changning(registry: Registry, changning_path: Path) -> ParsedDocument:
    return parse_file(changning_path, registry)


@pytest.fixture(scope="session")
def changning_graph(changning: ParsedDocument) -> KnowledgeGraph:
    kg, _ = with_documents(KnowledgeGraph(), [changning])
    return kg


@pytest.fixture
def backend_of(request: pytest.FixtureRequest) -> Callable[..., GraphBackend]:
    """`backend_of(kind, *documents)`: a backend holding exactly those documents — the
    embedded graph ("memory"), or a real, emptied Neo4j loaded through the writer contract
    ("neo4j"), as `livekg load` and `livekg load --neo4j` build them."""
    def make(kind: str, *documents: ParsedDocument) -> GraphBackend:
        if kind == "memory":
            kg, _ = with_documents(KnowledgeGraph(), documents)
            return MemoryBackend(kg)
        backend: GraphBackend = request.getfixturevalue("neo4j_empty")
        request.getfixturevalue("neo4j_writer").write(documents)
        return backend
    return make

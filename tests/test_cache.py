"""The API's answer cache, over HTTP: answers carry an ETag, a revalidation that matches gets
304, and a load into the graph is seen by the very next request (never a stale answer)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from test_neo4j_store import TASK_6_REMOVED, edited

from live_server import serve
from livekg.api.app import create_app
from livekg.core.config import Settings
from livekg.graph.backend import MemoryBackend
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.neo4j_backend import Neo4jBackend
from livekg.loaders.pipeline import parse_source

OWNERS_6 = "/v1/tasks/6/owners"


def owner_names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [owner["name"] for owner in response.json()["items"]]


@pytest.fixture
def edited_changning(changning, registry):
    return parse_source(edited(changning), registry,
                        {"id": changning.document.id, "jurisdiction": "shanghai-changning"})


@pytest.fixture
def neo4j_http(neo4j_changning: Neo4jBackend) -> Iterator[httpx.Client]:
    app = create_app(Settings(backend="neo4j"), backend=neo4j_changning)
    with serve(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


def test_an_unchanged_answer_revalidates_as_304(neo4j_http) -> None:
    first = neo4j_http.get(OWNERS_6)
    etag = first.headers["etag"]
    again = neo4j_http.get(OWNERS_6, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert neo4j_http.get(OWNERS_6).json() == first.json()
    other = neo4j_http.get("/v1/tasks/7/owners", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another question's answer is not the one revalidated


def test_a_neo4j_load_is_seen_by_the_next_request(neo4j_http, neo4j_writer,
                                                  edited_changning) -> None:
    before = neo4j_http.get(OWNERS_6)
    assert TASK_6_REMOVED in owner_names(before)
    assert neo4j_http.get(OWNERS_6).json() == before.json()  # now answered from the cache
    neo4j_writer.write([edited_changning])
    after = neo4j_http.get(OWNERS_6, headers={"If-None-Match": before.headers["etag"]})
    assert TASK_6_REMOVED not in owner_names(after)
    assert after.headers["etag"] != before.headers["etag"]


def test_a_new_embedded_graph_is_seen_by_the_next_request(changning_graph,
                                                          edited_changning) -> None:
    backend = MemoryBackend(changning_graph)
    with serve(create_app(Settings(), backend=backend)) as url, \
            httpx.Client(base_url=url, timeout=30) as http:
        assert TASK_6_REMOVED in owner_names(http.get(OWNERS_6))
        backend.kg, _ = with_documents(KnowledgeGraph(), [edited_changning])
        assert TASK_6_REMOVED not in owner_names(http.get(OWNERS_6))


def test_errors_are_not_cached(changning_graph) -> None:
    with serve(create_app(Settings(), backend=MemoryBackend(changning_graph))) as url, \
            httpx.Client(base_url=url, timeout=30) as http:
        for _ in range(2):
            missing = http.get("/v1/tasks/999/owners")
            assert missing.status_code == 404
            assert "etag" not in missing.headers

"""HTTP hygiene over real HTTP: hosts, framing, 405s, tokens for the Cypher endpoint, limits
as 4xx naming the limit, and a fast 503 when Neo4j is down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from live_server import free_port, serve
from livekg.api.app import create_app
from livekg.core.config import Settings
from livekg.graph.backend import MemoryBackend
from livekg.graph.neo4j_backend import Neo4jBackend
from livekg.graph.neo4j_connect import open_driver

SLOW = "MATCH (a), (b), (c), (d) WHERE a.name < d.name RETURN count(*) AS n"


@pytest.fixture(scope="module")
def memory_url(changning_graph) -> Iterator[str]:
    with serve(create_app(Settings(), backend=MemoryBackend(changning_graph))) as url:
        yield url


def neo4j_app_url(neo4j_changning: Neo4jBackend, **settings: object):
    return serve(create_app(Settings(backend="neo4j", **settings), backend=neo4j_changning))


def test_a_request_for_another_host_is_refused(memory_url: str) -> None:
    # DNS rebinding: evil.example resolves to 127.0.0.1, the browser sends its own name.
    assert httpx.get(f"{memory_url}/v1/stats", headers={"Host": "evil.example"}
                     ).status_code == 400
    assert httpx.get(f"{memory_url}/v1/stats").status_code == 200
    localhost = memory_url.replace("127.0.0.1", "localhost")
    assert httpx.get(f"{localhost}/v1/stats").status_code == 200


def test_trusted_hosts_come_from_settings(changning_graph) -> None:
    settings = Settings(trusted_hosts=["graph.example.org"])
    with serve(create_app(settings, backend=MemoryBackend(changning_graph))) as url:
        named = httpx.get(f"{url}/v1/stats", headers={"Host": "graph.example.org"})
        loopback = httpx.get(f"{url}/v1/stats")
    assert named.status_code == 200
    assert loopback.status_code == 200  # the address `livekg serve` listens on stays allowed


@pytest.mark.parametrize("path", ["/viz/tasks/9", "/docs"])
def test_html_pages_cannot_be_framed(memory_url: str, path: str) -> None:
    response = httpx.get(f"{memory_url}{path}", timeout=30)
    assert response.status_code == 200
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_json_answers_carry_no_frame_headers(memory_url: str) -> None:
    assert "x-frame-options" not in httpx.get(f"{memory_url}/v1/stats").headers


@pytest.mark.parametrize("method", ["TRACE", "DELETE", "PUT"])
def test_a_wrong_method_is_405_with_allow(memory_url: str, method: str) -> None:
    response = httpx.request(method, f"{memory_url}/v1/stats")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.headers["content-type"] == "application/problem+json"


def test_cypher_needs_tokens_configured_beyond_loopback(neo4j_changning: Neo4jBackend) -> None:
    with neo4j_app_url(neo4j_changning, host="0.0.0.0") as url:
        response = httpx.post(f"{url}/v1/cypher", json={"query": "RETURN 1 AS one"})
    assert response.status_code == 403
    assert "LIVEKG_API_TOKENS" in response.json()["detail"]


def test_cypher_takes_a_bearer_token_beyond_loopback(neo4j_changning: Neo4jBackend) -> None:
    query = {"query": "MATCH (t:Task) RETURN count(t) AS tasks"}
    with neo4j_app_url(neo4j_changning, host="0.0.0.0", api_tokens=["s3cret-token"]) as url:
        missing = httpx.post(f"{url}/v1/cypher", json=query)
        wrong = httpx.post(f"{url}/v1/cypher", json=query,
                           headers={"Authorization": "Bearer s3cret-tokeN"})
        right = httpx.post(f"{url}/v1/cypher", json=query,
                           headers={"Authorization": "Bearer s3cret-token"})
        stats = httpx.get(f"{url}/v1/stats")  # the lookups stay open
    assert missing.status_code == wrong.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert right.status_code == 200 and right.json()["rows"] == [{"tasks": 23}]
    assert stats.status_code == 200


def test_a_query_over_the_timeout_is_408_naming_it(neo4j_changning: Neo4jBackend) -> None:
    with neo4j_app_url(neo4j_changning, cypher_timeout=2) as url:
        started = time.monotonic()
        response = httpx.post(f"{url}/v1/cypher", json={"query": SLOW}, timeout=60)
    assert response.status_code == 408
    assert "LIVEKG_CYPHER_TIMEOUT" in response.json()["detail"]
    assert time.monotonic() - started < 2 + 2


def test_a_row_over_the_byte_cap_is_413_naming_it(neo4j_changning: Neo4jBackend) -> None:
    with neo4j_app_url(neo4j_changning, cypher_max_bytes=5000) as url:
        whole = httpx.post(f"{url}/v1/cypher", timeout=30, json={
            "query": "MATCH (t:Task) RETURN collect(t.text) AS texts"})
        capped = httpx.post(f"{url}/v1/cypher", timeout=30, json={
            "query": "MATCH (t:Task) RETURN t.number AS n, t.text AS text ORDER BY n"})
    assert whole.status_code == 413
    assert "LIVEKG_CYPHER_MAX_BYTES" in whole.json()["detail"]
    assert capped.status_code == 200 and capped.json()["truncated"] is True
    assert len(capped.content) < 5000 + 1000  # the rows, plus the column names and flags


def test_a_query_over_the_servers_memory_limit_is_422(neo4j_changning: Neo4jBackend) -> None:
    if Settings().external_neo4j is not None:
        pytest.skip("the memory limit is the local server's db.memory.transaction.max")
    with neo4j_app_url(neo4j_changning, cypher_timeout=60) as url:
        response = httpx.post(f"{url}/v1/cypher", timeout=120, json={
            "query": "UNWIND range(1, 200000000) AS x WITH collect(x) AS l RETURN size(l) AS n"})
    assert response.status_code == 422
    assert "db.memory.transaction.max" in response.json()["detail"]


def test_queries_beyond_the_concurrency_cap_are_429(neo4j_changning: Neo4jBackend) -> None:
    with neo4j_app_url(neo4j_changning, cypher_timeout=3, cypher_max_concurrent=1) as url, \
            ThreadPoolExecutor(2) as pool:
        running = pool.submit(httpx.post, f"{url}/v1/cypher", json={"query": SLOW}, timeout=60)
        time.sleep(1)  # the first is running on the server now
        refused = httpx.post(f"{url}/v1/cypher", json={"query": "RETURN 1 AS one"})
        first = running.result()
        after = httpx.post(f"{url}/v1/cypher", json={"query": "RETURN 1 AS one"})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert "LIVEKG_CYPHER_MAX_CONCURRENT" in refused.json()["detail"]
    assert first.status_code == 408
    assert after.status_code == 200  # the slot was given back


@pytest.mark.parametrize("path", ["/ready", "/v1/units/区商务委", "/v1/tasks/6/owners"])
def test_an_outage_is_a_503_within_a_second(path: str) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"  # nothing listens there
    driver = open_driver(uri, "neo4j", "unused", verify=False, fail_fast=True)
    backend = Neo4jBackend(driver, "neo4j", uri)
    try:
        with serve(create_app(Settings(backend="neo4j"), backend=backend)) as url:
            started = time.monotonic()
            response = httpx.get(f"{url}{path}", timeout=30)
            elapsed = time.monotonic() - started
    finally:
        driver.close()
    assert response.status_code == 503
    assert uri in response.json()["detail"]
    assert elapsed < 1.0

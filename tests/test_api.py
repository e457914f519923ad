"""The portal API over real HTTP, on the embedded backend and on Neo4j.

Expected values are read from the Changning plan.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from live_server import serve
from livekg.api.app import create_app
from livekg.core.config import Settings
from livekg.graph.backend import MemoryBackend
from livekg.graph.neo4j_backend import Neo4jBackend

DOC = "changning-livestream-action-plan-2024-2026"
TASK_6_OWNERS = ["区商务委", "区人才局", "区人社局", "区市场监管局", "区委宣传部", "区委网信办",
                 "区数据局", "区委社会工作部", "区文旅局", "各街镇", "东虹办", "市直播电商联盟",
                 "市网购商会", "市网络视听协会"]
COMMERCE_TASKS = [n for n in range(1, 24) if n not in (10, 19, 21, 22, 23)]
TASK_9_VENUES = {"愚园路", "Art Park大融城", "宜家荟聚", "愚见", "上生新所", "少年宫", "圣约翰大学",
                 "上海舞蹈中心", "王小慧艺术馆"}


@pytest.fixture(scope="module")
def memory_url(changning_graph) -> Iterator[str]:
    with serve(create_app(Settings(), backend=MemoryBackend(changning_graph))) as url:
        yield url


@pytest.fixture(scope="module")
def neo4j_url(neo4j_driver, neo4j_connection) -> Iterator[str]:
    backend = Neo4jBackend(neo4j_driver, neo4j_connection.database, neo4j_connection.uri)
    with serve(create_app(Settings(backend="neo4j"), backend=backend)) as url:
        yield url


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def client(request) -> Iterator[httpx.Client]:
    if request.param == "neo4j":
        request.getfixturevalue("neo4j_changning")
    url = request.getfixturevalue(f"{request.param}_url")
    with httpx.Client(base_url=url, timeout=30) as http:
        yield http


@pytest.fixture
def neo4j_client(neo4j_changning, neo4j_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=neo4j_url, timeout=30) as http:
        yield http


def get(client: httpx.Client, path: str, **params) -> dict | list:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def numbers(tasks: list[dict]) -> list[int]:
    return [t["number"] for t in tasks]


def test_task_owners_in_document_order(client) -> None:
    owners = get(client, "/v1/tasks/6/owners")["items"]
    assert [o["name"] for o in owners] == TASK_6_OWNERS
    assert [o["rank"] for o in owners] == list(range(1, 15))


def test_one_task_with_section_text_and_mentions(client) -> None:
    task = get(client, f"/v1/tasks/{DOC}:task:6")
    assert task["text"].startswith("6.优化直播经济综合服务。")
    assert task["section_detail"]["marker"] == "(二)"
    assert task["section_detail"]["title"] == "优化产业生态"
    assert [o["name"] for o in task["owners"]] == TASK_6_OWNERS
    mention = next(m for m in task["mentions"] if m["entity"]["name"] == "市网络视听协会")
    assert mention["sentence"].startswith("与市网络视听协会开展合作")


def test_tasks_filtered_and_paginated(client) -> None:
    assert numbers(get(client, "/v1/tasks", section=f"{DOC}:section:2.1")["items"]) == [1, 2, 3,
                                                                                        4, 5]
    assert numbers(get(client, "/v1/tasks", unit="区体育局")["items"]) == [1, 4]
    assert numbers(get(client, "/v1/tasks", q="愚园路")["items"]) == [9]
    page = get(client, "/v1/tasks", limit=5, offset=20)
    assert (page["total"], numbers(page["items"])) == (23, [21, 22, 23])


def test_documents_and_sections(client) -> None:
    documents = get(client, "/v1/documents")
    assert [d["id"] for d in documents["items"]] == [DOC]
    attachment = "附件:推动直播经济高质量发展三年行动计划任务分工表"
    assert documents["items"][0]["attachment"] == attachment
    sections = get(client, "/v1/sections", document=DOC)["items"]
    assert [s["marker"] for s in sections] == ["一、", "二、", "(一)", "(二)", "(三)", "(四)",
                                               "(五)", "三、"]


def test_units_by_kind_and_by_any_name(client) -> None:
    groups = get(client, "/v1/units", kind="group")["items"]
    assert {u["name"] for u in groups} == {"各街镇", "各相关部门"}
    by_name = get(client, "/v1/units/区商务委")
    by_id = get(client, f"/v1/units/{by_name['id']}")
    by_full_name = get(client, f"/v1/units/{by_name['full_name']}")
    assert by_name == by_id == by_full_name
    assert by_name["task_count"] == 18
    assert len(get(client, "/v1/units/各街镇")["members"]) == 10


def test_unit_tasks_and_co_owners(client) -> None:
    assert numbers(get(client, "/v1/units/区商务委/tasks")["items"]) == COMMERCE_TASKS
    co_owners = get(client, "/v1/units/区商务委/co-owners")["items"]
    top_two = [(c["name"], c["count"]) for c in co_owners[:2]]
    assert top_two == [("区委网信办", 14), ("区文旅局", 13)]
    pair = [("unit", "区商务委"), ("unit", "区委网信办")]
    response = client.get("/v1/co-owned-tasks", params=pair)
    assert numbers(response.json()["items"]) == [1, 2, 3, 4, 5, 6, 8, 9, 14, 15, 16, 17, 18, 20]


def test_which_unit_leads_most_tasks_is_one_call(client) -> None:
    # 区商务委 heads the lists of tasks 1-9, 15 and 16, and is listed in 18.
    top = get(client, "/v1/units", sort="lead_count", limit=1)
    assert top["total"] == len(get(client, "/v1/units", limit=500)["items"])
    (unit,) = top["items"]
    assert (unit["name"], unit["lead_count"], unit["task_count"]) == ("区商务委", 11, 18)
    by_tasks = get(client, "/v1/units", sort="task_count", limit=2)["items"]
    assert [(u["name"], u["task_count"]) for u in by_tasks] == [("区商务委", 18),
                                                                ("区委网信办", 15)]
    assert client.get("/v1/units", params={"sort": "busiest"}).status_code == 422


def test_tasks_led_by_a_unit_and_their_lead(client) -> None:
    led = get(client, "/v1/tasks", lead="区商务委")["items"]
    assert numbers(led) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16]
    assert {lead["name"] for task in led for lead in task["lead"]} == {"区商务委"}
    listed = get(client, "/v1/tasks", limit=100)["items"]
    assert [lead["name"] for lead in listed[13]["lead"]] == ["区委宣传部"]  # task 14
    assert numbers(get(client, "/v1/tasks", lead="区外办")["items"]) == []
    assert client.get("/v1/tasks", params={"lead": "区商务"}).status_code == 404


def test_tasks_by_what_they_mention(client) -> None:
    assert numbers(get(client, "/v1/tasks", mentions="携程")["items"]) == [4, 14]
    # Venues: 虹桥国际中央商务区 in task 6, 农展馆 in task 7, 愚园路 and the others in task 9.
    assert numbers(get(client, "/v1/tasks", mentions="Venue")["items"]) == [6, 7, 9]
    assert numbers(get(client, "/v1/tasks", mentions="venue")["items"]) == [6, 7, 9]


def test_a_units_tasks_carry_rank_role_and_lead(client) -> None:
    tasks = get(client, "/v1/units/区商务委/tasks")["items"]
    assert {t["number"]: t["rank"] for t in tasks if not t["lead"]} == {
        11: 2, 12: 5, 13: 3, 14: 5, 17: 4, 18: 4, 20: 4}
    assert all("role" in t for t in tasks)
    unit = get(client, "/v1/units/区商务委")
    assert (unit["task_count"], unit["lead_count"]) == (18, 11)


def test_workload_per_unit_and_of_one(client) -> None:
    page = get(client, "/v1/workload", limit=1)
    (top,) = page["items"]
    assert (top["name"], top["tasks_led"], top["tasks_co_owned"]) == ("区商务委", 11, 7)
    one = get(client, "/v1/units/区外办/workload")
    assert (one["tasks_led"], one["tasks_co_owned"], one["partners"]) == (0, 1, 4)
    assert [t["number"] for t in one["co_owned"]] == [14]
    assert {p["name"] for p in one["partner_units"]} == {"区委宣传部", "区委网信办", "区文旅局",
                                                         "区商务委"}
    by_partners = get(client, "/v1/workload", sort="partners", limit=1)["items"][0]
    assert by_partners["partners"] >= top["partners"]


def test_mentions_carry_english_name_kind_and_status(client) -> None:
    task = get(client, "/v1/tasks/9")
    yuyuan = next(m["entity"] for m in task["mentions"] if m["entity"]["name"] == "愚园路")
    assert (yuyuan["english_name"], yuyuan["kind"], yuyuan["status"]) == (
        "Yuyuan Road", "street", "registered")
    assert [lead["name"] for lead in task["lead"]] == ["区商务委"]
    entity = get(client, "/v1/entities/venue/愚园路")
    assert entity["mentions"][0]["entity"]["english_name"] == "Yuyuan Road"


def test_entities_by_type_and_where_they_appear(client) -> None:
    venues = {v["name"] for v in get(client, "/v1/entities/venue", limit=100)["items"]}
    assert TASK_9_VENUES | {"农展馆"} <= venues
    yuyuan = get(client, "/v1/entities/venue/愚园路")
    assert [m["task"]["number"] for m in yuyuan["mentions"]] == [9]
    bases = get(client, "/v1/entities/base")["items"]
    assert {b["name"] for b in bases} == {"尚街·创邑SPACE", "容么么数字中心"}
    assert [m["task"]["number"] for m in get(client, "/v1/entities/enterprise/携程")["mentions"]
            ] == [4, 14]


def test_search_ranks_names_aliases_and_pinyin(client) -> None:
    assert get(client, "/v1/search", q="yuyuan")["items"][0]["node"]["name"] == "愚园路"
    assert get(client, "/v1/search", q="商务委")["items"][0]["node"]["name"] == "区商务委"
    assert get(client, "/v1/search", q="shangwuwei")["items"][0]["node"]["name"] == "区商务委"


def test_path_graph_and_stats(client) -> None:
    path = get(client, "/v1/path", **{"from": "区体育局", "to": "区外办"})
    assert [n["labels"][0] for n in path["nodes"]] == ["Unit", "Task", "Unit", "Task", "Unit"]
    units = get(client, "/v1/graph", label="Unit")
    assert units["nodes"] and all("Unit" in n["labels"] for n in units["nodes"])
    assert {link["type"] for link in units["links"]} == {"INCLUDES"}
    stats = get(client, "/v1/stats")
    assert stats["relationships_by_type"]["RESPONSIBLE_FOR"] == 127


def test_not_found_is_a_problem_with_suggestions(client) -> None:
    response = client.get("/v1/units/区商务")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "区商务" in problem["detail"] and "区商务委" in problem["suggestions"]


def test_a_task_number_too_long_for_any_store_is_not_found(client) -> None:
    # found by the OpenAPI fuzzer: Neo4j's driver cannot send an integer beyond 64 bits
    response = client.get("/v1/tasks/999999999999999999999999999999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_bad_parameters_are_422(client) -> None:
    response = client.get("/v1/tasks", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


def test_health_and_ready(client) -> None:
    assert get(client, "/health")["status"] == "ok"
    assert get(client, "/ready")["status"] == "ready"


def test_cypher_reads_on_neo4j(neo4j_client) -> None:
    response = neo4j_client.post("/v1/cypher", json={
        "query": "MATCH (u:Unit {name: $unit})-[:RESPONSIBLE_FOR]->(t:Task) "
                 "RETURN t.number AS task ORDER BY task", "parameters": {"unit": "区商务委"}})
    assert response.status_code == 200, response.text
    assert [row["task"] for row in response.json()["rows"]] == COMMERCE_TASKS


WRITES = [
    "CREATE (n:Unit {id: 'x', name: 'x'})",
    "MERGE (n:Unit {id: 'x'}) RETURN n",
    "MATCH (n:Unit) SET n.name = 'x'",
    "MATCH (n:Task) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Unit) REMOVE n.name",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "CREATE INDEX x IF NOT EXISTS FOR (n:Unit) ON (n.kind)",
    "CREATE CONSTRAINT y IF NOT EXISTS FOR (n:Unit) REQUIRE n.kind IS UNIQUE",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'off')",
    "CALL db.createLabel('Pwned')",
    "CALL db.clearQueryCaches()",
    "MATCH (n:Unit) WITH n LIMIT 1 CREATE (n)-[:X]->(n)",
    "MATCH (n:Unit) CALL { WITH n SET n.pwned = true } RETURN count(*)",
    "MATCH (n:Unit) RETURN n.name; MATCH (n) DETACH DELETE n",
    "MATCH (n:Unit) FOREACH (x IN [1] | SET n.pwned = true)",
    "match (n:unit) detach delete n",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS RETURN 1",
]


@pytest.mark.parametrize("query", WRITES)
def test_cypher_refuses_writes_and_changes_nothing(neo4j_client, query: str) -> None:
    before = get(neo4j_client, "/v1/stats")
    response = neo4j_client.post("/v1/cypher", json={"query": query})
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"]
    assert get(neo4j_client, "/v1/stats") == before


def test_cypher_on_the_embedded_backend_says_how_to_start_neo4j(memory_url) -> None:
    response = httpx.post(f"{memory_url}/v1/cypher", json={"query": "RETURN 1"}, timeout=30)
    assert response.status_code == 409
    assert "livekg neo4j start" in response.json()["detail"]


@pytest.mark.parametrize("query", [
    "MATCH (t:Task) RETURN t.number AS start ORDER BY t.number LIMIT 1",
    "MATCH (t:Task) WHERE t.title <> $set RETURN {create: t.number, stop: 1} AS m LIMIT 1",
    "MATCH (t:Task) WHERE t.text CONTAINS 'CREATE' OR t.text CONTAINS \"DELETE\" RETURN t.id",
    "// a comment saying DETACH DELETE\nMATCH (u:Unit) RETURN count(u) AS units",
])
def test_cypher_allows_reads_that_only_look_like_writes(neo4j_client, query: str) -> None:
    response = neo4j_client.post("/v1/cypher", json={"query": query, "parameters": {"set": "x"}})
    assert response.status_code == 200, response.text


def test_one_document_and_a_missing_one(client) -> None:
    assert get(client, f"/v1/documents/{DOC}")["title"].startswith("长宁区")
    missing = client.get("/v1/documents/no-such-plan")
    assert missing.status_code == 404
    assert missing.json()["suggestions"] == [DOC]


def test_cors_origins_come_from_settings(changning_graph) -> None:
    settings = Settings(cors_origins=["https://portal.example"])
    with serve(create_app(settings, backend=MemoryBackend(changning_graph))) as url:
        allowed = httpx.get(f"{url}/v1/stats", headers={"Origin": "https://portal.example"})
        other = httpx.get(f"{url}/v1/stats", headers={"Origin": "https://elsewhere.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
    assert "access-control-allow-origin" not in other.headers


def test_cypher_rows_are_capped_and_queries_time_out(neo4j_changning, neo4j_driver,
                                                     neo4j_connection) -> None:
    backend = Neo4jBackend(neo4j_driver, neo4j_connection.database, neo4j_connection.uri)
    settings = Settings(backend="neo4j", cypher_max_rows=5, cypher_timeout=1)
    with serve(create_app(settings, backend=backend)) as url:
        capped = httpx.post(f"{url}/v1/cypher", timeout=30,
                            json={"query": "MATCH (t:Task) RETURN t.number AS n ORDER BY n"})
        slow = httpx.post(f"{url}/v1/cypher", timeout=60, json={
            "query": "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 "
                     "RETURN count(x) AS c"})
    assert capped.status_code == 200
    assert [row["n"] for row in capped.json()["rows"]] == [1, 2, 3, 4, 5]
    assert capped.json()["truncated"] is True
    assert slow.status_code in (400, 408, 503), slow.text
    assert "time" in slow.json()["detail"].lower()


# Values for the path and query parameters of every list endpoint, from the Changning plan.
LIST_ARGUMENTS = {"unit_id": "区商务委", "task_id": "6", "entity_type": "venue",
                  "unit": ["区商务委", "区委网信办"], "q": "委"}
LIST_PATHS = {"/v1/documents", "/v1/sections", "/v1/tasks", "/v1/tasks/{task_id}/owners",
              "/v1/units", "/v1/units/{unit_id}/tasks", "/v1/units/{unit_id}/co-owners",
              "/v1/co-owned-tasks", "/v1/entities/{entity_type}", "/v1/search", "/v1/workload"}


def _schema(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_list_endpoint_returns_one_envelope(memory_url) -> None:
    """Walk the OpenAPI spec: no bare arrays; every list is {items, total, limit, offset},
    takes limit and offset, and answers in that shape over HTTP."""
    spec = httpx.get(f"{memory_url}/openapi.json").json()
    lists = set()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            content = operation["responses"].get("200", {}).get("content", {})
            if "application/json" not in content:
                continue
            schema = _schema(spec, content["application/json"]["schema"])
            assert schema.get("type") != "array", f"{method.upper()} {path} returns a bare array"
            if set(schema.get("properties", {})) != {"items", "total", "limit", "offset"}:
                continue
            lists.add(path)
            params = {p["name"] for p in operation.get("parameters", [])}
            assert {"limit", "offset"} <= params, path
    assert lists == LIST_PATHS
    with httpx.Client(base_url=memory_url, timeout=30) as http:
        for path in sorted(lists):
            url = path.format(**LIST_ARGUMENTS)
            query = {k: v for k, v in LIST_ARGUMENTS.items() if k in ("unit", "q")
                     and k in {p["name"] for p in spec["paths"][path]["get"]["parameters"]}}
            whole = http.get(url, params={**query, "limit": 500}).json()
            page = http.get(url, params={**query, "limit": 1, "offset": 1}).json()
            assert set(page) == {"items", "total", "limit", "offset"}, path
            # one document is loaded; every other example has several answers
            assert whole["total"] >= (1 if path == "/v1/documents" else 2), path
            assert (page["limit"], page["offset"], page["total"]) == (1, 1, whole["total"])
            assert page["items"] == whole["items"][1:2], path

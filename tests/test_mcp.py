"""The MCP server through the official SDK's client: what an LLM agent would see.

Tools answer from the same backend questions as the API (expected values from the plan's text);
the Cypher tool refuses every write `POST /v1/cypher` refuses and leaves the graph unchanged.
One test launches `python -m livekg.mcp_server` and talks to it over stdio, as an agent does.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from test_api import COMMERCE_TASKS, TASK_6_OWNERS, WRITES

from livekg.core.config import Settings
from livekg.graph.backend import MemoryBackend
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.neo4j_backend import Neo4jBackend
from livekg.graph.snapshot import write_snapshot
from livekg.mcp_server import build_server

TOOLS = {"schema", "search", "task_owners", "unit_tasks", "cypher"}


def call(server: Any, *calls: tuple[str, dict[str, Any]]) -> list[Any]:
    """Call tools in one client session; the results in order."""
    async def main() -> list[Any]:
        async with Client(server) as client:
            return [await client.call_tool(name, arguments) for name, arguments in calls]

    return anyio.run(main)


def answer(result: Any) -> Any:
    assert not result.is_error, result.content
    return result.structured_content


def error_text(result: Any) -> str:
    assert result.is_error
    return " ".join(block.text for block in result.content)


@pytest.fixture(scope="module")
def memory_server(changning_graph: KnowledgeGraph) -> Any:
    return build_server(MemoryBackend(changning_graph), Settings())


def test_tools_are_listed_read_only(memory_server: Any) -> None:
    async def main() -> Any:
        async with Client(memory_server) as client:
            return await client.list_tools()

    tools = anyio.run(main).tools
    assert {tool.name for tool in tools} == TOOLS
    assert all(tool.annotations.read_only_hint for tool in tools)
    assert all(tool.description for tool in tools)


def test_questions_on_the_embedded_graph(memory_server: Any) -> None:
    schema, owners, tasks, hits, missing = call(
        memory_server, ("schema", {}), ("task_owners", {"task": "6"}),
        ("unit_tasks", {"unit": "区商务委"}), ("search", {"query": "yuyuan"}),
        ("unit_tasks", {"unit": "区商务"}))
    schema = answer(schema)
    assert schema["labels"]["Task"]["count"] == 23
    assert schema["relationships"]["RESPONSIBLE_FOR"] == {
        "from": ["Unit"], "to": ["Task"], "properties": ["document", "rank", "span", "surface"],
        "count": 127}
    assert [o["name"] for o in answer(owners)["items"]] == TASK_6_OWNERS
    assert [o["rank"] for o in answer(owners)["items"]] == list(range(1, 15))
    assert [t["number"] for t in answer(tasks)["items"]] == COMMERCE_TASKS
    assert answer(hits)["items"][0]["node"]["name"] == "愚园路"
    assert "区商务委" in error_text(missing)  # a close match is suggested


def test_cypher_needs_neo4j_and_says_how(memory_server: Any) -> None:
    (result,) = call(memory_server, ("cypher", {"query": "RETURN 1"}))
    assert "livekg neo4j start" in error_text(result)


@pytest.fixture
def neo4j_server(neo4j_changning: Neo4jBackend) -> Any:
    return build_server(neo4j_changning, Settings(backend="neo4j", cypher_max_rows=5))


def test_cypher_reads_with_the_row_cap(neo4j_server: Any) -> None:
    owned, capped = call(neo4j_server, (
        "cypher", {"query": "MATCH (u:Unit {name: $unit})-[:RESPONSIBLE_FOR]->(t:Task) "
                            "RETURN t.number AS task ORDER BY task LIMIT 3",
                   "parameters": {"unit": "区商务委"}}),
        ("cypher", {"query": "MATCH (t:Task) RETURN t.number AS n ORDER BY n"}))
    assert answer(owned) == {"columns": ["task"], "rows": [{"task": n} for n in (1, 2, 3)],
                             "truncated": False}
    assert [row["n"] for row in answer(capped)["rows"]] == [1, 2, 3, 4, 5]
    assert answer(capped)["truncated"] is True


def test_cypher_refuses_every_write_the_api_refuses(neo4j_server: Any,
                                                    neo4j_changning: Neo4jBackend) -> None:
    before = neo4j_changning.stats()
    results = call(neo4j_server, *(("cypher", {"query": query}) for query in WRITES))
    for query, result in zip(WRITES, results, strict=True):
        assert result.is_error, query
        assert error_text(result), query
    assert neo4j_changning.stats() == before


def test_the_server_over_stdio(changning_graph: KnowledgeGraph, tmp_path: Path) -> None:
    """`python -m livekg.mcp_server`, as an agent launches it, reading a stored graph."""
    store = tmp_path / "graph.json"
    write_snapshot(changning_graph, store)
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    parameters = StdioServerParameters(
        command=sys.executable, args=["-m", "livekg.mcp_server"],
        env={**env, "LIVEKG_STORE": str(store), "LIVEKG_BACKEND": "memory"}, cwd=tmp_path)

    async def main() -> tuple[Any, Any]:
        async with Client(parameters, read_timeout_seconds=60) as client:
            tools = await client.list_tools()
            return tools, await client.call_tool("task_owners", {"task": "6"})

    tools, owners = anyio.run(main)
    assert {tool.name for tool in tools.tools} == TOOLS
    names = [o["name"] for o in answer(owners)["items"]]
    assert names == TASK_6_OWNERS
    assert json.loads(owners.content[0].text)["items"][0]["name"] == "区商务委"

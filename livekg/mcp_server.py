"""A read-only MCP server, so LLM agents can query the graph safely (`livekg mcp`).

Built on the official `mcp` SDK (MCPServer, the SDK's FastMCP), served over stdio. Its tools
ask the same GraphBackend questions as the API; `cypher` goes through the backend's read-only
Cypher capability (`graph.analyst_cypher`) with the timeout and caps of `POST /v1/cypher`, so
it refuses exactly what that endpoint refuses. Nothing here can write to the graph.

Run it with `livekg mcp` or `python -m livekg.mcp_server`; point an MCP client at that command.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from neo4j.exceptions import DriverError, Neo4jError

from livekg.core.backends import open_backend
from livekg.core.config import Settings
from livekg.graph.analyst_cypher import UnsafeQuery
from livekg.graph.backend import GraphBackend
from livekg.graph.errors import AmbiguousReference, NodeNotFound
from livekg.graph.neo4j_connect import Neo4jUnavailable
from livekg.graph.schema import NODE_TYPES, RELATIONSHIP_TYPES

INSTRUCTIONS = """\
livekg answers questions about Chinese livestream-economy policy plans: which units
(government departments, associations) are responsible for which numbered tasks, in the order
the plan lists them; which venues, bases, companies, events and programmes the tasks name.
Start with `schema` and `search`; names may be Chinese (区商务委), English or pinyin (shangwuwei).
Every tool only reads; `cypher` runs one read-only Cypher query (Neo4j backend only)."""
MAX_SEARCH_LIMIT = 100
_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                             open_world_hint=False)
# What the question methods raise for a caller's mistake: reported to the agent as the
# tool's error text (it says what was wrong and suggests close names), not as a crash.
_CALLER_ERRORS = (NodeNotFound, AmbiguousReference, UnsafeQuery, Neo4jUnavailable, DriverError,
                  ValueError)  # ValueError: a parameter Bolt cannot carry (e.g. > 64 bits)


def build_server(backend: GraphBackend, settings: Settings) -> MCPServer:
    """The MCP server answering from `backend`; `settings` bound the Cypher tool."""
    server = MCPServer(name="livekg", title="livekg policy knowledge graph",
                       instructions=INSTRUCTIONS, version="1")

    @server.tool(annotations=_READ_ONLY)
    def schema() -> dict[str, Any]:
        """Node labels with their required properties, relationship types with the labels
        they connect, and how many of each the loaded graph holds."""
        stats = backend.stats()
        return {
            "labels": {label.value: {"required": sorted(spec.required),
                                     "count": stats.nodes_by_label.get(label.value, 0)}
                       for label, spec in NODE_TYPES.items()},
            "relationships": {kind.value: {"from": sorted(spec.sources),
                                           "to": sorted(spec.targets),
                                           "properties": sorted(spec.required),
                                           "count": stats.relationships_by_type.get(kind, 0)}
                              for kind, spec in RELATIONSHIP_TYPES.items()},
            "documents": stats.documents,
        }

    @server.tool(annotations=_READ_ONLY)
    def search(query: str, limit: int = 10) -> dict[str, Any]:
        """Nodes whose name, full name, alias, English name or pinyin matches `query`, best
        first (at most `limit`, 1–100)."""
        with _answers():
            hits = backend.search(query, max(1, min(limit, MAX_SEARCH_LIMIT)))
        return {"items": [hit.model_dump() for hit in hits]}

    @server.tool(annotations=_READ_ONLY)
    def task_owners(task: str) -> dict[str, Any]:
        """The units responsible for a task, in the order the plan lists them (rank 1 first).
        `task` is a task id, or its number when one document is loaded."""
        with _answers():
            owners = backend.task_owners(task)
        return {"items": [owner.model_dump() for owner in owners]}

    @server.tool(annotations=_READ_ONLY)
    def unit_tasks(unit: str) -> dict[str, Any]:
        """The tasks a unit is responsible for, in document order. `unit` is an id, short
        name, full name, alias or English name."""
        with _answers():
            tasks = backend.unit_tasks(unit)
        return {"items": [task.model_dump() for task in tasks]}

    @server.tool(annotations=_READ_ONLY)
    def cypher(query: str, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one read-only Cypher statement with `$parameters`; the same screen, timeout
        and row cap as POST /v1/cypher. Writes, LOAD CSV and admin procedures are refused."""
        analyst_cypher = backend.cypher
        if analyst_cypher is None:
            raise ToolError("cypher needs the Neo4j backend and this server reads the embedded "
                            "graph: run `livekg neo4j start`, `livekg load --neo4j`, then "
                            "`livekg mcp` with LIVEKG_BACKEND=neo4j")
        with _answers():
            result = analyst_cypher.run(query, parameters or {},
                                        timeout=settings.cypher_timeout,
                                        max_rows=settings.cypher_max_rows,
                                        max_bytes=settings.cypher_max_bytes)
        return {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}

    return server


@contextmanager
def _answers() -> Iterator[None]:
    try:
        yield
    except _CALLER_ERRORS as error:
        raise ToolError(str(error)) from error
    except Neo4jError as error:
        raise ToolError(f"Neo4j refused the query: {error.message or error}") from error


def serve_mcp(settings: Settings | None = None) -> None:
    """Serve the graph `settings.backend` names over stdio until the client disconnects."""
    settings = settings or Settings()
    # verify=False: the server starts while Neo4j is down; its tools then say so.
    with open_backend(settings, verify=False, fail_fast=True) as backend:
        build_server(backend, settings).run("stdio")


if __name__ == "__main__":
    serve_mcp()

"""`livekg mcp`: the graph as a read-only MCP server on standard input and output."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from livekg.cli.common import StoreOption, settings_with


def mcp(
    backend: Annotated[Literal["memory", "neo4j"] | None, typer.Option(
        "--backend", help="embedded graph or Neo4j (env LIVEKG_BACKEND; memory)")] = None,
    store: StoreOption = None,
) -> None:
    """Serve read-only tools (schema, search, task owners, unit tasks, Cypher) to an MCP
    client over stdio; point the client at this command."""
    from livekg.mcp_server import serve_mcp

    serve_mcp(settings_with(store=store, backend=backend))

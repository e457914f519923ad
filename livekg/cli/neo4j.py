"""`livekg neo4j start|stop|status`: the local Neo4j server (a developer tool)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from livekg.cli.common import out, settings_with

#: `status` exits with this when the server is not running (the LSB convention).
NOT_RUNNING = 3


def neo4j(
    action: Annotated[Literal["start", "stop", "status"], typer.Argument(
        metavar="ACTION", help="what to do with the local server")],
    port: Annotated[int | None, typer.Option(
        show_default=False, help="Bolt port (env LIVEKG_NEO4J_PORT; 7687)")] = None,
) -> None:
    """Start, stop or check the local Neo4j server."""
    from livekg import neo4j_local

    settings = settings_with(local_neo4j_port=port)
    external = settings.external_neo4j
    if external is not None:
        out.print(f"NEO4J_URI is set: livekg uses {external.uri} ({external.database}); "
                  f"there is no local server to {action}.")
        return
    if action == "start":
        status = neo4j_local.start(port=port, settings=settings)
        out.print(f"Neo4j {status.version} running on {status.uri} (pid {status.pid}); "
                  f"log {status.log_file}")
    elif action == "stop":
        stopped = neo4j_local.stop(settings=settings)
        out.print("Neo4j stopped." if stopped else "Neo4j was not running.")
    else:
        status = neo4j_local.status(settings)
        if not status.running:
            out.print(f"Neo4j not running (home {status.home}).")
            raise typer.Exit(NOT_RUNNING)
        out.print(f"Neo4j {status.version} running on {status.uri} (pid {status.pid}); "
                  f"log {status.log_file}")

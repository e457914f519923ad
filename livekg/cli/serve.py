"""`livekg serve`: the HTTP API on uvicorn."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from livekg.cli.common import StoreOption, out, settings_with


def serve(
    host: Annotated[str | None, typer.Option(
        metavar="H", show_default=False,
        help="listen address (env LIVEKG_HOST; 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(
        metavar="P", show_default=False, help="port (env LIVEKG_PORT; 8000)")] = None,
    backend: Annotated[Literal["memory", "neo4j"] | None, typer.Option(
        show_default=False,
        help="embedded graph or Neo4j (env LIVEKG_BACKEND; memory)")] = None,
    store: StoreOption = None,
) -> None:
    """Serve the HTTP API (docs at /docs)."""
    import uvicorn

    from livekg.api.app import create_app
    from livekg.core.backends import embedded_graph

    settings = settings_with(store=store, host=host, port=port, backend=backend)
    if settings.backend == "memory":
        embedded_graph(settings)  # build it now, so problems show before serving
    out.print(f"livekg API on http://{settings.host}:{settings.port}/docs "
              f"({settings.backend} backend)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level="warning")

"""`livekg serve`: the HTTP API on uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from livekg.cli.common import StoreOption, out, settings_with

if TYPE_CHECKING:
    from fastapi import FastAPI


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
    """Serve the front door, its views and the HTTP API (docs at /docs); print their links."""
    import uvicorn

    from livekg.api.app import create_app
    from livekg.core.backends import embedded_graph

    settings = settings_with(store=store, host=host, port=port, backend=backend)
    if settings.backend == "memory":
        embedded_graph(settings)  # build it now, so problems show before serving
    app = create_app(settings)
    base = f"http://{_browsable(settings.host)}:{settings.port}"
    out.print(f"livekg on {base}/ ({settings.backend} backend)")
    for path, what in front_door(app):
        out.print(f"  {base}{path}  {what}", markup=False)
    out.print("Ctrl+C stops it.")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


def front_door(app: FastAPI) -> list[tuple[str, str]]:
    """(path, what it is) of every page a person opens: the landing page, each view, the API
    reference and the cookbook. Read off the OpenAPI spec (every GET answering HTML), so a
    new view is listed too; a path parameter is filled with its documented example."""
    pages = []
    for path, methods in app.openapi()["paths"].items():
        operation = methods.get("get")
        if operation and "text/html" in operation["responses"].get("200", {}).get("content", {}):
            pages.append((_with_examples(path, operation), operation.get("summary", "")))
    pages += [("/docs", "API reference (Swagger UI): try every endpoint"),
              ("/redoc", "API reference (ReDoc): read it")]
    # The landing page first, then the views, then the reference and the rest.
    order = {"/": 0, "/docs": 2, "/redoc": 3}
    return sorted(pages, key=lambda page: order.get(
        page[0], 1 if page[0].startswith("/viz") else 4))


def _with_examples(path: str, operation: dict[str, Any]) -> str:
    for parameter in operation.get("parameters", []):
        examples = parameter.get("examples") or parameter.get("schema", {}).get("examples")
        if parameter.get("in") == "path" and examples:
            example = examples[0] if isinstance(examples, list) else next(iter(examples.values()))
            if isinstance(example, dict):
                example = example.get("value", "")
            path = path.replace("{" + parameter["name"] + "}", str(example))
    return path


def _browsable(host: str) -> str:
    """The address to open for a listen address: a wildcard is reached on this machine."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host

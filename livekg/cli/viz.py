"""`livekg viz`: an interactive view of the graph as one offline HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from livekg.cli.common import CommandError, StoreOption, out

View = Literal["whole", "unit", "task", "co-ownership", "entities", "explore"]


def viz(
    out_file: Annotated[Path, typer.Option(
        "--out", metavar="FILE", show_default=False, help="the HTML file to write")],
    view: Annotated[View, typer.Option(help="what to draw")] = "whole",
    focus: Annotated[str | None, typer.Option(
        show_default=False,
        help="the unit, task or (explore) node to centre on (id or any name)")] = None,
    depth: Annotated[int, typer.Option(help="hops around --focus (1-3)")] = 1,
    entity_type: Annotated[str | None, typer.Option(
        "--type", show_default=False,
        help="entity type for --view entities, e.g. venue")] = None,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="draw from Neo4j")] = False,
    store: StoreOption = None,
) -> None:
    """Write an interactive view of the graph as an HTML page."""
    from livekg.cli.inspect import stored_backend
    from livekg.graph.viz import viz_command

    with stored_backend(neo4j, store) as backend:
        try:
            page = viz_command(backend, view, focus, depth, out_file, entity_type=entity_type)
        except ValueError as error:
            raise CommandError(str(error)) from error
    out.print(f"wrote {out_file}: {page.title} ({page.node_count} nodes); "
              f"open it in a browser, it works offline")

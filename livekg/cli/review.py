"""`livekg review`: the names a load discovered, and the decisions that register or drop them."""

from __future__ import annotations

from typing import Annotated

import typer

from livekg.cli.common import CommandError, Neo4jFlag, StoreOption, err, out, settings_with

LabelOption = Annotated[str | None, typer.Option(
    "--label", metavar="LABEL",
    help="with --accept: Venue, Base, Association, Enterprise, Event, Program, Policy or "
         "Technology")]


def review(
    accept: Annotated[str | None, typer.Option(
        "--accept", metavar="NAME", help="register NAME as an entity of --label")] = None,
    label: LabelOption = None,
    reject: Annotated[str | None, typer.Option(
        "--reject", metavar="NAME", help="NAME is not an entity: never discover it again")] = None,
    neo4j: Neo4jFlag = False,
    store: StoreOption = None,
) -> None:
    """List discovered names with counts and contexts, or accept/reject one (next load honours
    it; decisions go to the overlay registry, LIVEKG_OVERLAY)."""
    from livekg import review_workflow
    from livekg.graph.schema import ENTITY_LABELS

    settings = settings_with(store=store)
    if accept is not None or reject is not None:
        if accept is not None:
            labels = {str(entity_label) for entity_label in ENTITY_LABELS}
            if label not in labels:
                raise CommandError(f"--accept needs --label, one of {', '.join(sorted(labels))}")
            review_workflow.accept(settings.overlay, accept, label)
            err.print(f"accepted {accept} as {label} in {settings.overlay}", markup=False)
        if reject is not None:
            review_workflow.reject(settings.overlay, reject)
            err.print(f"rejected {reject} in {settings.overlay}", markup=False)
        err.print("Load the documents again for the decision to take effect.")
        return
    from rich.table import Table

    from livekg.cli.inspect import stored_backend

    with stored_backend(neo4j, store) as backend:
        rows = review_workflow.list_discovered(backend)
    table = Table(title=f"{len(rows)} discovered names (status: discovered)")
    for column in ("name", "label", "mentions", "method", "confidence", "contexts"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.name, row.label, str(row.count), row.method or "",
                      f"{row.confidence:.2f}" if row.confidence is not None else "",
                      " | ".join(row.contexts))
    out.print(table)

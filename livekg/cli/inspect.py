"""`livekg stats|report|export|show|units`: look at the graph a load stored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from livekg.cli.common import CommandError, Neo4jFlag, StoreOption, err, out, settings_with

if TYPE_CHECKING:
    from livekg.graph.backend import GraphBackend, WorkloadSort


@contextmanager
def stored_backend(neo4j: bool, store: Path | None) -> Iterator[GraphBackend]:
    """Neo4j, or the embedded graph a load stored (an error when nothing was loaded)."""
    from livekg.core.backends import open_backend

    with open_backend(settings_with(store=store), "neo4j" if neo4j else "memory",
                      build_missing=False) as backend:
        yield backend


def stats(neo4j: Neo4jFlag = False, store: StoreOption = None) -> None:
    """Count nodes by label and relationships by type."""
    from rich.table import Table

    with stored_backend(neo4j, store) as backend:
        summary = backend.stats()
    table = Table(title=f"{summary.nodes} nodes, {summary.relationships} relationships")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, count in summary.nodes_by_label.items():
        table.add_row("node", label, str(count))
    for rel_type, count in summary.relationships_by_type.items():
        table.add_row("relationship", rel_type, str(count))
    out.print(table)
    out.print(f"documents: {', '.join(summary.documents)}")


def report(
    kind: Annotated[Literal["unresolved"], typer.Argument(
        metavar="KIND", help="unresolved: unit names the registry does not know")],
    neo4j: Neo4jFlag = False,
    store: StoreOption = None,
) -> None:
    """List what needs a person's review."""
    from rich.table import Table

    from livekg.graph.schema import Label

    with stored_backend(neo4j, store) as backend:
        unresolved = [u for u in backend.list_nodes(Label.UNIT) if u.get("resolved") is False]
        table = Table(title=f"{len(unresolved)} unit names not in the registry")
        for column in ("jurisdiction", "name as written", "id", "tasks"):
            table.add_column(column)
        for unit in unresolved:
            tasks = ", ".join(f"{t.document} {t.marker}" for t in backend.unit_tasks(unit["id"]))
            table.add_row(unit["jurisdiction"], unit["name"], unit["id"], tasks)
        out.print(table)
    if unresolved:
        err.print("Add them to data/registry/units.yaml (with a source) to resolve them.")


def export(
    fmt: Annotated[Literal["json", "graphml", "gexf", "neo4j-csv", "jsonld"], typer.Option(
        "--format", help="node-link JSON, GraphML or GEXF (Gephi, yEd), neo4j-admin import "
                         "CSVs (a folder), or JSON-LD (SKOS labels)")] = "json",
    out_file: Annotated[Path | None, typer.Option(
        "--out", metavar="PATH", show_default=False,
        help="output file (a folder for neo4j-csv); default: standard output")] = None,
    neo4j: Neo4jFlag = False,
    store: StoreOption = None,
) -> None:
    """Write the graph in a format other tools read."""
    from livekg.graph.exports import ExportError
    from livekg.graph.exports import export as write_export

    with stored_backend(neo4j, store) as backend:
        node_link = backend.node_link()
    try:
        written = write_export(node_link, fmt, out_file)
    except ExportError as error:
        raise CommandError(str(error)) from error
    if written:
        err.print(f"wrote {', '.join(map(str, written))}", markup=False)


def show(
    kind: Annotated[Literal["task", "unit"], typer.Argument(
        metavar="KIND", help="what to show")],
    ref: Annotated[str, typer.Argument(
        metavar="REF", help="task number or id; unit id, short name, full name or alias")],
    neo4j: Neo4jFlag = False,
    store: StoreOption = None,
) -> None:
    """Print one task or unit as tables."""
    with stored_backend(neo4j, store) as backend:
        if kind == "task":
            _show_task(backend, ref)
        else:
            _show_unit(backend, ref)


def _show_task(backend: GraphBackend, ref: str) -> None:
    from rich.table import Table

    from livekg.graph.schema import Label, RelType

    task = backend.node(backend.resolve(ref, Label.TASK))
    out.print(f"[bold]Task {task['marker']} {task['title']}[/bold]  ({task['id']})")
    out.print(task["text"], markup=False)
    from livekg.graph.backend import entity_ref

    owners = Table(title="Responsible units, in document order")
    for column in ("rank", "unit", "role", "lead", "full name", "English name", "kind"):
        owners.add_column(column)
    for owner in backend.task_owners(task["id"]):
        owners.add_row(str(owner.rank), owner.name, owner.role or "",
                       "lead" if owner.lead else "", owner.full_name or "",
                       owner.english_name or "", owner.kind)
    out.print(owners)
    mentions = Table(title="Mentions")
    for column in ("type", "name", "English name", "kind", "status", "as written", "span"):
        mentions.add_column(column)
    for rel, node in sorted(backend.related(task["id"], RelType.MENTIONS, "out"),
                            key=lambda pair: pair[0]["span"]):
        entity = entity_ref(node)
        mentions.add_row(entity.labels[-1], entity.name, entity.english_name or "",
                         entity.kind or "", entity.status, rel["surface"],
                         f"{rel['span'][0]}–{rel['span'][1]}")
    out.print(mentions)


def _show_unit(backend: GraphBackend, ref: str) -> None:
    from rich.table import Table

    from livekg.graph.schema import Label

    unit = backend.node(backend.resolve(ref, Label.UNIT))
    out.print(f"[bold]{unit['name']}[/bold]  {unit.get('full_name', '')}  "
              f"{unit.get('english_name', '')}  ({unit['id']}, {unit['kind']})")
    workload = backend.unit_workload(unit["id"])
    out.print(f"leads {workload.tasks_led} of its {workload.task_count} tasks, co-owns "
              f"{workload.tasks_co_owned}, with {workload.partners} partner units")
    tasks = Table(title="Responsible for (rank: its place in the task's list)")
    for column in ("task", "rank", "role", "lead", "title", "document"):
        tasks.add_column(column)
    for task in backend.unit_tasks(unit["id"]):
        tasks.add_row(task.marker, str(task.rank), task.role or "", "lead" if task.lead else "",
                      task.title, task.document)
    out.print(tasks)
    co_owners = Table(title="Co-owners, by shared tasks")
    for column in ("unit", "shared", "tasks"):
        co_owners.add_column(column)
    for co in backend.unit_co_owners(unit["id"]):
        numbers = ", ".join(t.rsplit(":", 1)[-1] for t in co.shared_tasks)
        co_owners.add_row(co.name, str(co.count), numbers)
    out.print(co_owners)


# `--sort` names, and the GraphBackend.workload order each gives.
UNIT_ORDERS: dict[str, WorkloadSort] = {"lead_count": "tasks_led", "task_count": "task_count",
               "co_owned": "tasks_co_owned", "partners": "partners", "name": "name"}


def units(
    sort: Annotated[Literal["lead_count", "task_count", "co_owned", "partners", "name"],
                    typer.Option(help="most tasks led, owned or co-owned, or most partners, "
                                      "first (ties by name); or by name")] = "lead_count",
    top: Annotated[int | None, typer.Option(
        metavar="N", min=1, show_default=False, help="only the first N units")] = None,
    kind: Annotated[str | None, typer.Option(
        metavar="KIND", show_default=False,
        help="only units of this kind, e.g. district_government_department")] = None,
    neo4j: Neo4jFlag = False,
    store: StoreOption = None,
) -> None:
    """Rank the units by the tasks they lead (or own): which unit leads most tasks.

    A unit leads a task when the document marks it lead; where a task's list marks no roles,
    the unit listed first leads."""
    from rich.table import Table

    with stored_backend(neo4j, store) as backend:
        order = backend.workload(UNIT_ORDERS[sort])
    shown = [w for w in order if kind is None or w.kind == kind][:top]
    table = Table(title=f"Units by {sort.replace('_', ' ')}")
    for column in ("#", "unit", "English name", "led", "co-owned", "owned", "partners"):
        table.add_column(column, justify="right" if column in ("#", "led", "co-owned", "owned",
                                                             "partners") else "left")
    for place, workload in enumerate(shown, 1):
        table.add_row(str(place), workload.name, workload.english_name or "",
                      str(workload.tasks_led), str(workload.tasks_co_owned),
                      str(workload.task_count), str(workload.partners))
    out.print(table)

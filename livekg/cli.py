"""The `livekg` command line: load documents, inspect and export the graph."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError
from rich.console import Console
from rich.table import Table

from livekg import neo4j_local
from livekg.core.backends import embedded_graph, neo4j_backend, neo4j_connection
from livekg.core.config import Settings
from livekg.graph.analyst_cypher import UnsafeQuery, run_read_only
from livekg.graph.backend import GraphBackend, MemoryBackend
from livekg.graph.build import document_rows
from livekg.graph.errors import AmbiguousReference, NodeNotFound
from livekg.graph.ingest import DocumentSummary, with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.neo4j_connect import Neo4jUnavailable, open_driver, unavailable
from livekg.graph.neo4j_store import ensure_schema, relink_documents, write_document
from livekg.graph.schema import Label, RelType
from livekg.graph.snapshot import SnapshotError, read_snapshot, write_graphml, write_snapshot
from livekg.loaders.errors import DocumentError, RegistryError
from livekg.loaders.models import ParsedDocument
from livekg.loaders.paths import DOCUMENTS_DIR
from livekg.loaders.pipeline import document_files, load_documents
from livekg.loaders.registry import load_registry
from livekg.neo4j_local import Neo4jLocalError, connection_from_env

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class CommandError(Exception):
    """A failure to report as one line, with exit status 1."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (CommandError, DocumentError, RegistryError, SnapshotError, NodeNotFound,
            AmbiguousReference, Neo4jUnavailable, Neo4jLocalError, UnsafeQuery) as error:
        err.print(f"livekg: error: {error}", markup=False)
        return 1
    except Neo4jError as error:
        err.print(f"livekg: error: Neo4j refused the query: {error.message}", markup=False)
        return 1
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        err.print(f"livekg: error: {where}{error.strerror or error}", markup=False)
        return 1
    except DriverError as error:
        err.print(f"livekg: error: {unavailable(neo4j_connection().uri, error)}", markup=False)
        err.print(f"livekg: error: {error}", markup=False)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="livekg", description="A knowledge graph of livestream-economy action plans.")
    commands = parser.add_subparsers(dest="command", required=True)

    load = _command(commands, "load", "parse documents and store them in the graph", cmd_load)
    load.add_argument("files", nargs="*", type=Path,
                      help=f"document files or folders (default: {DOCUMENTS_DIR})")

    _command(commands, "stats", "count nodes by label and relationships by type", cmd_stats)

    report = _command(commands, "report", "list what needs a person's review", cmd_report)
    report.add_argument("kind", choices=("unresolved",),
                        help="unresolved: unit names the registry does not know")

    export = _command(commands, "export", "write the graph as node-link JSON or GraphML",
                      cmd_export)
    export.add_argument("--format", choices=("json", "graphml"), default="json")
    export.add_argument("--out", type=Path, help="output file (default: standard output; "
                        "GraphML needs a file)")

    show = _command(commands, "show", "print one task or unit as tables", cmd_show)
    show.add_argument("kind", choices=("task", "unit"))
    show.add_argument("ref", help="task number or id; unit id, short name, full name or alias")

    for command in (load, commands.choices["stats"], show, report):
        command.add_argument("--neo4j", action="store_true",
                             help="use Neo4j (NEO4J_URI, else the local server) instead of the "
                                  "embedded graph")

    serve = _command(commands, "serve", "serve the HTTP API (docs at /docs)", cmd_serve)
    serve.add_argument("--host", help="listen address (env LIVEKG_HOST; 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (env LIVEKG_PORT; 8000)")
    serve.add_argument("--backend", choices=("memory", "neo4j"),
                       help="embedded graph or Neo4j (env LIVEKG_BACKEND; memory)")

    viz = _command(commands, "viz", "write an interactive view of the graph as an HTML page",
                   cmd_viz)
    viz.add_argument("--view", choices=("whole", "unit", "task", "co-ownership", "entities"),
                     default="whole")
    viz.add_argument("--focus", help="the unit or task to centre on (id or any name)")
    viz.add_argument("--depth", type=int, default=1, help="hops around --focus (1-3)")
    viz.add_argument("--type", dest="entity_type", help="entity type for --view entities, "
                     "e.g. venue")
    viz.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    viz.add_argument("--neo4j", action="store_true", help="draw from Neo4j")

    server = _command(commands, "neo4j", "start, stop or check the local Neo4j server",
                      cmd_neo4j, store=False)
    server.add_argument("action", choices=("start", "stop", "status"))
    server.add_argument("--port", type=int, help="Bolt port (env LIVEKG_NEO4J_PORT; 7687)")

    cypher = _command(commands, "cypher", "run a read-only Cypher query against Neo4j",
                      cmd_cypher, store=False)
    cypher.add_argument("query", help="Cypher text, or @FILE to read it from a file")
    cypher.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="query parameter; VALUE is read as JSON when it parses, else text")
    cypher.add_argument("--format", choices=("table", "json"), default="table")
    return parser


def _command(commands: argparse._SubParsersAction, name: str, help_text: str,
             handler: Callable[[argparse.Namespace], int],
             store: bool = True) -> argparse.ArgumentParser:
    command = commands.add_parser(name, help=help_text, description=help_text)
    if store:
        command.add_argument("--store", type=Path, default=None,
                             help="snapshot file of the embedded graph (env LIVEKG_STORE; "
                                  "default data/store/graph.json)")
    command.set_defaults(handler=handler)
    return command


def store_path(args: argparse.Namespace) -> Path:
    return args.store or Settings().store


# -- load ------------------------------------------------------------------------------------
def cmd_load(args: argparse.Namespace) -> int:
    registry = load_registry()
    files = document_files(args.files or [DOCUMENTS_DIR])
    if not files:
        raise CommandError(f"no documents found in {', '.join(map(str, args.files))}")
    result = load_documents(files, registry, on_file=_progress(len(files)))
    _report_errors(result.errors)
    if args.neo4j:
        _load_into_neo4j(result.documents)
    else:
        _load_into_snapshot(result.documents, store_path(args))
    if result.errors:
        err.print(f"{len(result.errors)} of {len(files)} files not loaded; "
                  f"the stored graph keeps their previous versions.")
        return 1
    return 0


def _load_into_snapshot(documents: list[ParsedDocument], path: Path) -> None:
    kg = read_snapshot(path)
    if documents:
        kg, summaries = with_documents(kg, documents)
        write_snapshot(kg, path)
        _print_summaries(summaries, path)
        for parsed in documents:
            _print_notices_and_review(parsed)


def _load_into_neo4j(documents: list[ParsedDocument]) -> None:
    connection = neo4j_connection()
    with open_driver(connection.uri, connection.user, connection.password) as driver:
        ensure_schema(driver, connection.database)
        table = Table(title=f"Loaded into Neo4j at {connection.uri} ({connection.database})")
        for column in ("document", "nodes +", "nodes -", "rels +", "rels -", "properties"):
            table.add_column(column, justify="left" if column == "document" else "right")
        for parsed in documents:
            counters = write_document(driver, connection.database, document_rows(parsed))
            table.add_row(parsed.document.id, str(counters.nodes_created),
                          str(counters.nodes_deleted), str(counters.relationships_created),
                          str(counters.relationships_deleted), str(counters.properties_set))
        links = relink_documents(driver, connection.database)
        table.add_row("(links between documents)", "0", "0", str(links.relationships_created),
                      str(links.relationships_deleted), str(links.properties_set))
        out.print(table)
    for parsed in documents:
        _print_notices_and_review(parsed)


def _progress(total: int) -> Callable[[Path], None] | None:
    """One line per file on standard error when loading several."""
    if total < 2:
        return None
    done = 0

    def step(path: Path) -> None:
        nonlocal done
        done += 1
        err.print(f"[{done}/{total}] {path.name}", markup=False)

    return step


def _report_errors(errors: list[DocumentError]) -> None:
    for error in errors:
        err.print(f"livekg: error: {error}", markup=False)


def _print_summaries(summaries: list[DocumentSummary], path: Path) -> None:
    table = Table(title=f"Loaded into {path}")
    for column in ("document", "change", "sections", "tasks", "owners", "mentions", "review"):
        table.add_column(column, justify="left" if column in ("document", "change") else "right")
    for s in summaries:
        table.add_row(s.id, s.change, str(s.sections), str(s.tasks), str(s.owners),
                      str(s.mentions), str(s.review))
    out.print(table)


def _print_notices_and_review(parsed: ParsedDocument) -> None:
    for notice in parsed.notices:
        err.print(f"notice: {notice}", markup=False)
    unresolved = [u for u in parsed.units if not u.resolved]
    if unresolved:
        table = Table(title=f"Unit names not in the registry ({parsed.document.id}): "
                            f"kept as units of {parsed.document.jurisdiction}")
        table.add_column("name as written")
        table.add_column("id")
        table.add_column("kind")
        for unit in unresolved:
            table.add_row(unit.short_name, unit.id, unit.kind)
        out.print(table)
    if not parsed.review:
        return
    table = Table(title=f"To review: names not in the registry ({parsed.document.id})")
    table.add_column("task", justify="right")
    table.add_column("name")
    table.add_column("why")
    for item in parsed.review:
        table.add_row(str(item.task_number or ""), item.surface, item.reason)
    out.print(table)


# -- stats, export, show -----------------------------------------------------------------------
def _graph(args: argparse.Namespace) -> KnowledgeGraph:
    path = store_path(args)
    if not path.exists():
        raise CommandError(f"no graph stored at {path}; run 'livekg load' first")
    return read_snapshot(path)


@contextmanager
def backend_for(args: argparse.Namespace) -> Iterator[GraphBackend]:
    if args.neo4j:
        with neo4j_backend() as backend:
            yield backend
    else:
        yield MemoryBackend(_graph(args))


def cmd_stats(args: argparse.Namespace) -> int:
    with backend_for(args) as backend:
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
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    with backend_for(args) as backend:
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
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    kg = _graph(args)
    if args.format == "graphml":
        if args.out is None:
            raise CommandError("GraphML export needs --out FILE")
        write_graphml(kg, args.out)
    elif args.out is None:
        sys.stdout.write(json.dumps(kg.to_node_link(), ensure_ascii=False, indent=1) + "\n")
    else:
        write_snapshot(kg, args.out)
    if args.out is not None:
        err.print(f"wrote {args.out}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with backend_for(args) as backend:
        if args.kind == "task":
            _show_task(backend, args.ref)
        else:
            _show_unit(backend, args.ref)
    return 0


def _show_task(backend: GraphBackend, ref: str) -> None:
    task = backend.node(backend.resolve(ref, Label.TASK))
    out.print(f"[bold]Task {task['marker']} {task['title']}[/bold]  ({task['id']})")
    out.print(task["text"], markup=False)
    owners = Table(title="Responsible units, in document order")
    for column in ("rank", "unit", "full name", "English name", "kind"):
        owners.add_column(column)
    for owner in backend.task_owners(task["id"]):
        owners.add_row(str(owner.rank), owner.name, owner.full_name or "",
                       owner.english_name or "", owner.kind)
    out.print(owners)
    mentions = Table(title="Mentions")
    for column in ("type", "name", "as written", "span"):
        mentions.add_column(column)
    for rel, node in sorted(backend.related(task["id"], RelType.MENTIONS, "out"),
                            key=lambda pair: pair[0]["span"]):
        mentions.add_row(node["labels"][-1], node["name"], rel["surface"],
                         f"{rel['span'][0]}–{rel['span'][1]}")
    out.print(mentions)


def _show_unit(backend: GraphBackend, ref: str) -> None:
    unit = backend.node(backend.resolve(ref, Label.UNIT))
    out.print(f"[bold]{unit['name']}[/bold]  {unit.get('full_name', '')}  "
              f"{unit.get('english_name', '')}  ({unit['id']}, {unit['kind']})")
    tasks = Table(title="Responsible for")
    for column in ("task", "title", "document"):
        tasks.add_column(column)
    for task in backend.unit_tasks(unit["id"]):
        tasks.add_row(task.marker, task.title, task.document)
    out.print(tasks)
    co_owners = Table(title="Co-owners, by shared tasks")
    for column in ("unit", "shared", "tasks"):
        co_owners.add_column(column)
    for co in backend.unit_co_owners(unit["id"]):
        numbers = ", ".join(t.rsplit(":", 1)[-1] for t in co.shared_tasks)
        co_owners.add_row(co.name, str(co.count), numbers)
    out.print(co_owners)


# -- serve, neo4j, cypher ----------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from livekg.api.app import create_app

    overrides = {key: value for key, value in (("store", args.store), ("host", args.host),
                 ("port", args.port), ("backend", args.backend)) if value is not None}
    settings = Settings(**overrides)
    if settings.backend == "memory":
        embedded_graph(settings.store)  # build it now, so problems show before serving
    out.print(f"livekg API on http://{settings.host}:{settings.port}/docs "
              f"({settings.backend} backend)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level="warning")
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    from livekg.graph.visualize import viz_command

    with backend_for(args) as backend:
        try:
            view = viz_command(backend, args.view, args.focus, args.depth, args.out,
                               entity_type=args.entity_type)
        except ValueError as error:
            raise CommandError(str(error)) from error
    out.print(f"wrote {args.out}: {view.title} ({view.node_count} nodes); "
              f"open it in a browser, it works offline")
    return 0


def cmd_neo4j(args: argparse.Namespace) -> int:
    external = connection_from_env()
    if external is not None:
        out.print(f"NEO4J_URI is set: livekg uses {external.uri} ({external.database}); "
                  f"there is no local server to {args.action}.")
        return 0
    if args.action == "start":
        status = neo4j_local.start(port=args.port)
        out.print(f"Neo4j {status.version} running on {status.uri} (pid {status.pid}); "
                  f"log {status.log_file}")
    elif args.action == "stop":
        stopped = neo4j_local.stop()
        out.print("Neo4j stopped." if stopped else "Neo4j was not running.")
    else:
        status = neo4j_local.status()
        if not status.running:
            out.print(f"Neo4j not running (home {status.home}).")
            return 3
        out.print(f"Neo4j {status.version} running on {status.uri} (pid {status.pid}); "
                  f"log {status.log_file}")
    return 0


def cmd_cypher(args: argparse.Namespace) -> int:
    query = args.query
    if query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    parameters = dict(_parameter(text) for text in args.param)
    connection = neo4j_connection()
    with open_driver(connection.uri, connection.user, connection.password) as driver:
        result = run_read_only(driver, connection.database, query, parameters)
    if args.format == "json":
        sys.stdout.write(json.dumps({"columns": result.columns, "rows": result.rows,
                                     "truncated": result.truncated},
                                    ensure_ascii=False, indent=1) + "\n")
        return 0
    table = Table(title=f"{len(result.rows)} rows" + (" (truncated)" if result.truncated
                                                      else ""))
    for column in result.columns:
        table.add_column(column)
    for row in result.rows:
        table.add_row(*(_cell(row[column]) for column in result.columns))
    out.print(table)
    return 0


def _parameter(text: str) -> tuple[str, Any]:
    key, separator, value = text.partition("=")
    if not separator or not key:
        raise CommandError(f"--param {text!r}: expected KEY=VALUE")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def _cell(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


if __name__ == "__main__":
    raise SystemExit(main())

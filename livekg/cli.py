"""The `livekg` command line: load documents, inspect and export the graph."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from graph import questions
from graph.errors import AmbiguousReference, NodeNotFound
from graph.ingest import DocumentSummary, with_documents
from graph.knowledge_graph import KnowledgeGraph
from graph.schema import Label
from graph.snapshot import SnapshotError, read_snapshot, write_graphml, write_snapshot
from livekg.settings import Settings
from loaders.errors import DocumentError, RegistryError
from loaders.models import ParsedDocument
from loaders.paths import DOCUMENTS_DIR
from loaders.pipeline import document_files, load_documents
from loaders.registry import load_registry

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class CommandError(Exception):
    """A failure to report as one line, with exit status 1."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (CommandError, DocumentError, RegistryError, SnapshotError, NodeNotFound,
            AmbiguousReference) as error:
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

    export = _command(commands, "export", "write the graph as node-link JSON or GraphML",
                      cmd_export)
    export.add_argument("--format", choices=("json", "graphml"), default="json")
    export.add_argument("--out", type=Path, help="output file (default: standard output; "
                        "GraphML needs a file)")

    show = _command(commands, "show", "print one task or unit as tables", cmd_show)
    show.add_argument("kind", choices=("task", "unit"))
    show.add_argument("ref", help="task number or id; unit id, short name, full name or alias")
    return parser


def _command(commands: argparse._SubParsersAction, name: str, help_text: str,
             handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    command = commands.add_parser(name, help=help_text, description=help_text)
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
    result = load_documents(files, registry)
    _report_errors(result.errors)
    path = store_path(args)
    kg = read_snapshot(path)
    if result.documents:
        kg, summaries = with_documents(kg, result.documents)
        write_snapshot(kg, path)
        _print_summaries(summaries, path)
        for parsed in result.documents:
            _print_notices_and_review(parsed)
    if result.errors:
        err.print(f"{len(result.errors)} of {len(files)} files not loaded; "
                  f"the stored graph keeps their previous versions.")
        return 1
    return 0


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


def cmd_stats(args: argparse.Namespace) -> int:
    summary = questions.stats(_graph(args))
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
    kg = _graph(args)
    if args.kind == "task":
        _show_task(kg, args.ref)
    else:
        _show_unit(kg, args.ref)
    return 0


def _show_task(kg: KnowledgeGraph, ref: str) -> None:
    task = kg.node(questions.resolve(kg, ref, Label.TASK))
    out.print(f"[bold]Task {task['marker']} {task['title']}[/bold]  ({task['id']})")
    out.print(task["text"], markup=False)
    owners = Table(title="Responsible units, in document order")
    for column in ("rank", "unit", "full name", "English name", "kind"):
        owners.add_column(column)
    for owner in questions.task_owners(kg, task["id"]):
        owners.add_row(str(owner.rank), owner.name, owner.full_name or "",
                       owner.english_name or "", owner.kind)
    out.print(owners)
    mentions = Table(title="Mentions")
    for column in ("type", "name", "as written", "span"):
        mentions.add_column(column)
    for _, target, attrs in sorted(kg.graph.out_edges(task["id"], data=True),
                                   key=lambda edge: edge[2].get("span", [0])):
        if attrs["type"] == "MENTIONS":
            node = kg.node(target)
            mentions.add_row(node["labels"][-1], node["name"], attrs["surface"],
                             f"{attrs['span'][0]}–{attrs['span'][1]}")
    out.print(mentions)


def _show_unit(kg: KnowledgeGraph, ref: str) -> None:
    unit = kg.node(questions.resolve(kg, ref, Label.UNIT))
    out.print(f"[bold]{unit['name']}[/bold]  {unit.get('full_name', '')}  "
              f"{unit.get('english_name', '')}  ({unit['id']}, {unit['kind']})")
    tasks = Table(title="Responsible for")
    for column in ("task", "title", "document"):
        tasks.add_column(column)
    for task in questions.unit_tasks(kg, unit["id"]):
        tasks.add_row(task.marker, task.title, task.document)
    out.print(tasks)
    co_owners = Table(title="Co-owners, by shared tasks")
    for column in ("unit", "shared", "tasks"):
        co_owners.add_column(column)
    for co in questions.unit_co_owners(kg, unit["id"]):
        numbers = ", ".join(t.rsplit(":", 1)[-1] for t in co.shared_tasks)
        co_owners.add_row(co.name, str(co.count), numbers)
    out.print(co_owners)


if __name__ == "__main__":
    raise SystemExit(main())

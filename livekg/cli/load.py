"""`livekg load`: parse documents and write them through the graph's one writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from livekg.cli.common import CommandError, Neo4jFlag, StoreOption, err, out, settings_with

if TYPE_CHECKING:
    from livekg.graph.writer import LoadReport
    from livekg.loaders.errors import DocumentError
    from livekg.loaders.models import ParsedDocument


def load(
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="FILES_OR_FOLDERS", show_default=False,
        help="document files or folders (default: the bundled documents)")] = None,
    neo4j: Neo4jFlag = False,
    store: StoreOption = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="refuse a plan without unit lists or with an unknown jurisdiction "
                         "instead of loading it with a notice")] = False,
) -> None:
    """Parse documents and store them in the graph."""
    from livekg.core.backends import open_writer
    from livekg.loaders.paths import DOCUMENTS_DIR
    from livekg.loaders.pipeline import document_files, load_documents
    from livekg.loaders.registry import load_registry

    settings = settings_with(store=store)
    registry = load_registry(settings.registry, overlay=settings.overlay)
    paths = document_files(files or [DOCUMENTS_DIR])
    if not paths:
        raise CommandError(f"no documents found in {', '.join(map(str, files or []))}")
    result = load_documents(paths, registry, on_file=_progress(len(paths)),
                            strict=strict, max_bytes=settings.max_document_bytes)
    _report_errors(result.errors)
    with open_writer(settings, neo4j=neo4j, on_wait=_waiting(settings.store)) as writer:
        report = writer.write(result.documents)
    if report.documents or report.links is not None:
        _print_report(report)
    for parsed in result.documents:
        _print_notices_and_review(parsed)
    if result.errors:
        err.print(f"{len(result.errors)} of {len(paths)} files not loaded; "
                  f"the stored graph keeps their previous versions.")
        raise typer.Exit(1)


def _waiting(store: Path) -> Callable[[Path], None]:
    def say(lock: Path) -> None:
        err.print(f"waiting for another load into {store} (lock {lock})", markup=False)

    return say


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


def _print_report(report: LoadReport) -> None:
    """The embedded store's summaries, or Neo4j's counters with the links between documents."""
    from rich.table import Table

    table = Table(title=f"Loaded into {report.target}")
    if report.links is None:
        for column in ("document", "change", "sections", "tasks", "owners", "mentions",
                       "review"):
            table.add_column(column, justify="left" if column in ("document", "change")
                             else "right")
        for s in report.summaries:
            table.add_row(s.id, s.change, str(s.sections), str(s.tasks), str(s.owners),
                          str(s.mentions), str(s.review))
    else:
        for column in ("document", "nodes +", "nodes -", "rels +", "rels -", "properties"):
            table.add_column(column, justify="left" if column == "document" else "right")
        for write in report.documents:
            c = write.counters
            assert c is not None  # Neo4j writes always carry the server's counters
            table.add_row(write.summary.id, str(c.nodes_created), str(c.nodes_deleted),
                          str(c.relationships_created), str(c.relationships_deleted),
                          str(c.properties_set))
        links = report.links
        table.add_row("(links between documents)", "0", "0", str(links.relationships_created),
                      str(links.relationships_deleted), str(links.properties_set))
    out.print(table)


def _print_notices_and_review(parsed: ParsedDocument) -> None:
    from rich.table import Table

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

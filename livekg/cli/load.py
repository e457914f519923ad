"""`livekg load`: parse documents and write them through the graph's one writer.

Files stream through: one is parsed, handed to the writer and dropped before the next is read,
so a folder of 10,000 plans costs the memory of the graph, not of every parsed plan at once.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from livekg.cli.common import CommandError, Neo4jFlag, StoreOption, err, out, settings_with

if TYPE_CHECKING:
    from livekg.graph.writer import LoadReport
    from livekg.loaders.errors import DocumentError
    from livekg.loaders.models import ParsedDocument, ReviewItem, UnitRecord
    from livekg.loaders.registry import Registry


@dataclass(frozen=True)
class Afterword:
    """What is printed about a document after the load: kept instead of the parsed document
    (a few names, not its text and tasks), so streaming stays flat in memory."""

    document_id: str
    jurisdiction: str
    notices: tuple[str, ...]
    unresolved: tuple[UnitRecord, ...]
    review: tuple[ReviewItem, ...]

    @classmethod
    def of(cls, parsed: ParsedDocument) -> Afterword:
        return cls(parsed.document.id, parsed.document.jurisdiction, parsed.notices,
                   tuple(u for u in parsed.units if not u.resolved), parsed.review)


def load(
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="FILES_OR_FOLDERS", show_default=False,
        help="document files or folders (default: the bundled documents)")] = None,
    neo4j: Neo4jFlag = False,
    store: StoreOption = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="refuse a plan without unit lists or with an unknown jurisdiction "
                         "instead of loading it with a notice")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="no progress bar and no closing line on standard error "
                              "(errors and notices are still printed)")] = False,
) -> None:
    """Parse documents and store them in the graph, one file at a time."""
    from livekg.core.backends import open_writer
    from livekg.loaders.paths import DOCUMENTS_DIR
    from livekg.loaders.pipeline import document_files
    from livekg.loaders.registry import load_registry

    started = time.perf_counter()
    settings = settings_with(store=store)
    registry = load_registry(settings.registry, overlay=settings.overlay)
    paths = document_files(files or [DOCUMENTS_DIR])
    if not paths:
        raise CommandError(f"no documents found in {', '.join(map(str, files or []))}")
    errors: list[DocumentError] = []
    afterwords: list[Afterword] = []
    with _progress(len(paths), shown=not quiet and err.is_terminal) as advance:
        documents = _parsed(paths, registry, strict, settings.max_document_bytes,
                            errors, afterwords, advance)
        with open_writer(settings, neo4j=neo4j, on_wait=_waiting(settings.store)) as writer:
            report = writer.write(documents)
    if report.documents or report.links is not None:
        _print_report(report)
    for afterword in afterwords:
        _print_notices_and_review(afterword)
    if not quiet:
        err.print(f"{len(report.documents)} of {len(paths)} files loaded in "
                  f"{time.perf_counter() - started:.1f} s; peak memory "
                  f"{peak_rss_bytes() / 2**20:.0f} MiB", markup=False)
    if errors:
        err.print(f"{len(errors)} of {len(paths)} files not loaded; "
                  f"the stored graph keeps their previous versions.")
        raise typer.Exit(1)


def _parsed(paths: list[Path], registry: Registry, strict: bool, max_bytes: int,
            errors: list[DocumentError], afterwords: list[Afterword],
            advance: Callable[[], None]) -> Iterator[ParsedDocument]:
    """Each file parsed when the writer asks for it. A bad file is reported at once (file,
    line, what was expected) and skipped; the others still load."""
    from livekg.loaders.errors import DocumentError
    from livekg.loaders.pipeline import parse_file

    for path in paths:
        try:
            parsed = parse_file(path, registry, strict=strict, max_bytes=max_bytes)
        except DocumentError as error:
            errors.append(error)
            err.print(f"livekg: error: {error}", markup=False)
            advance()
            continue
        afterwords.append(Afterword.of(parsed))
        yield parsed
        advance()  # the writer asked for the next file: this one is written


@contextmanager
def _progress(total: int, shown: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error (when it is a terminal) advanced once per file."""
    if not shown or total < 2:
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=err,
                  transient=True) as progress:
        task = progress.add_task("loading", total=total)
        yield lambda: progress.advance(task)


def peak_rss_bytes() -> int:
    """This process's peak resident memory (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _waiting(store: Path) -> Callable[[Path], None]:
    def say(lock: Path) -> None:
        err.print(f"waiting for another load into {store} (lock {lock})", markup=False)

    return say


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


def _print_notices_and_review(parsed: Afterword) -> None:
    from rich.table import Table

    for notice in parsed.notices:
        err.print(f"notice: {notice}", markup=False)
    unresolved = parsed.unresolved
    if unresolved:
        table = Table(title=f"Unit names not in the registry ({parsed.document_id}): "
                            f"kept as units of {parsed.jurisdiction}")
        table.add_column("name as written")
        table.add_column("id")
        table.add_column("kind")
        for unit in unresolved:
            table.add_row(unit.short_name, unit.id, unit.kind)
        out.print(table)
    if not parsed.review:
        return
    table = Table(title=f"To review: names not in the registry ({parsed.document_id})")
    table.add_column("task", justify="right")
    table.add_column("name")
    table.add_column("why")
    for item in parsed.review:
        table.add_row(str(item.task_number or ""), item.surface, item.reason)
    out.print(table)

"""The `livekg` command: the Typer app, one module per command group, and `main()`.

Every command imports what it needs inside its body, so `livekg --help` and shell completion
load neither the Neo4j driver, FastAPI, uvicorn nor networkx.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from livekg.cli import cypher, evaluate, inspect, load, mcp, neo4j, review, serve, viz
from livekg.cli.common import CommandError, err

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


def _print_version(wanted: bool) -> None:
    if wanted:
        from importlib.metadata import version

        typer.echo(f"livekg {version('livekg')}")
        raise typer.Exit()


app = typer.Typer(
    name="livekg", help="A knowledge graph of livestream-economy action plans.",
    no_args_is_help=True, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]})


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print livekg's version and exit.")] = False,
) -> None:
    """A knowledge graph of livestream-economy action plans."""


for command in (load.load, evaluate.evaluate, review.review, inspect.stats, inspect.report,
                inspect.export, inspect.show, inspect.units, serve.serve, mcp.mcp, viz.viz,
                neo4j.neo4j, cypher.cypher):
    app.command()(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; a failure the user can act on is one line and exit status 1."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="livekg")
    except SystemExit as done:  # Typer ends every run this way, with the exit status
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except Exception as error:
        message = _one_line(error)
        if message is None:
            raise
        err.print(f"livekg: error: {message}", markup=False)
        return 1
    return 0


def _one_line(error: Exception) -> str | None:
    """The sentence a known failure is reported as; None for a bug (its traceback shows)."""
    # Imported only when something failed, to keep the commands' start quick.
    from neo4j.exceptions import DriverError, Neo4jError
    from pydantic import ValidationError

    from livekg.core.backends import NoStoredGraph
    from livekg.graph.analyst_cypher import UnsafeQuery
    from livekg.graph.errors import AmbiguousReference, NodeNotFound
    from livekg.graph.neo4j_connect import Neo4jUnavailable, unavailable
    from livekg.graph.snapshot import SnapshotError
    from livekg.loaders.errors import DocumentError, RegistryError
    from livekg.neo4j_local import Neo4jLocalError

    if isinstance(error, CommandError | DocumentError | RegistryError | SnapshotError
                  | NodeNotFound | AmbiguousReference | Neo4jUnavailable | Neo4jLocalError
                  | UnsafeQuery | NoStoredGraph):
        return str(error)
    if isinstance(error, ValidationError) and error.title == "Settings":
        return "; ".join(_setting_problem(problem) for problem in error.errors())
    if isinstance(error, Neo4jError):
        return f"Neo4j refused the query: {error.message}"
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    if isinstance(error, DriverError):
        from livekg.core.config import Settings

        return str(unavailable(Settings().neo4j_connection().uri, error))
    return None


def _setting_problem(problem: ErrorDetails) -> str:
    """'LIVEKG_PORT: Input should be a valid integer (got 'x')' for one invalid setting."""
    name = str(problem["loc"][0]) if problem["loc"] else "a setting"
    if not name.isupper():  # a field read under the LIVEKG_ prefix
        name = f"LIVEKG_{name.upper()}"
    return f"setting {name}: {problem['msg']} (got {problem.get('input')!r})"

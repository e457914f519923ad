"""`livekg cypher`: one read-only Cypher query against Neo4j."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from livekg.cli.common import CommandError, out, settings_with


def cypher(
    query: Annotated[str, typer.Argument(
        metavar="QUERY", help="Cypher text, or @FILE to read it from a file")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", metavar="KEY=VALUE", show_default=False,
        help="query parameter (repeatable); VALUE is read as JSON when it parses, "
             "else text")] = None,
    fmt: Annotated[Literal["table", "json"], typer.Option("--format")] = "table",
) -> None:
    """Run a read-only Cypher query against Neo4j."""
    from rich.table import Table

    from livekg.graph.analyst_cypher import run_read_only
    from livekg.graph.neo4j_connect import open_driver

    if query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    parameters = dict(_parameter(text) for text in param or [])
    settings = settings_with()
    connection = settings.neo4j_connection()
    with open_driver(connection.uri, connection.user, connection.password) as driver:
        result = run_read_only(driver, connection.database, query, parameters,
                               timeout=settings.cypher_timeout,
                               max_rows=settings.cypher_max_rows,
                               max_bytes=settings.cypher_max_bytes)
    if fmt == "json":
        sys.stdout.write(json.dumps({"columns": result.columns, "rows": result.rows,
                                     "truncated": result.truncated},
                                    ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title=f"{len(result.rows)} rows" + (" (truncated)" if result.truncated
                                                      else ""))
    for column in result.columns:
        table.add_column(column)
    for row in result.rows:
        table.add_row(*(_cell(row[column]) for column in result.columns))
    out.print(table)


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

"""Running an analyst's Cypher safely: read-only by construction, bounded in time and rows.

Three layers: the text is screened (one statement, no LOAD CSV, no write or admin clauses,
only read-only procedures), EXPLAIN must report a read-only query type, and the query runs
in a READ transaction that the server itself refuses to write in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from neo4j import READ_ACCESS, Driver, ManagedTransaction, Query, unit_of_work
from neo4j.graph import Node, Path, Relationship

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 1000
WRITE_CLAUSES = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH",
                 "GRANT", "REVOKE", "DENY", "ALTER", "RENAME", "TERMINATE", "START", "STOP",
                 "ENABLE", "DEALLOCATE", "REALLOCATE")
READ_ONLY_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
})
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/",
                       re.DOTALL)
# A clause keyword, not a property (n.set), parameter ($create), map key ({stop: 1}) or alias.
_WRITE = re.compile(r"(?<![.$\w])(?<!\bAS\s)(" + "|".join(WRITE_CLAUSES) + r")\b(?!\s*:)",
                    re.IGNORECASE)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_CALL = re.compile(r"\bCALL\s+(?!\{)([A-Za-z_][\w.]*)", re.IGNORECASE)
_USE = re.compile(r"\bUSE\b", re.IGNORECASE)


class UnsafeQuery(ValueError):
    """The query is not a single read-only statement; it was not run."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


def screen(query: str) -> None:
    """Refuse what cannot be a single read-only query, before it reaches the server."""
    code = _LITERALS.sub(lambda m: " " if m.group(0)[0] in "/" else "''", query)
    if not code.strip():
        raise UnsafeQuery("the query is empty")
    if ";" in code.strip().rstrip(";"):
        raise UnsafeQuery("only one statement is allowed (found ';' between statements)")
    if _LOAD_CSV.search(code):
        raise UnsafeQuery("LOAD CSV is not allowed: queries may only read the graph")
    if match := _WRITE.search(code):
        raise UnsafeQuery(f"{match.group(1).upper()} is not allowed: queries may only read")
    if _USE.search(code):
        raise UnsafeQuery("USE is not allowed: queries run against the configured database")
    for match in _CALL.finditer(code):
        if match.group(1).lower() not in READ_ONLY_PROCEDURES:
            raise UnsafeQuery(f"procedure {match.group(1)} is not allowed; read-only "
                              f"procedures: {', '.join(sorted(READ_ONLY_PROCEDURES))}")


def run_read_only(driver: Driver, database: str, query: str,
                  parameters: dict[str, Any] | None = None, *,
                  timeout: float = DEFAULT_TIMEOUT_S,
                  max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Screen, EXPLAIN, then run `query` in a READ transaction; at most `max_rows` rows."""
    screen(query)
    parameters = parameters or {}
    text = query.strip().rstrip(";")
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        plan = session.run(Query(f"EXPLAIN {text}", timeout=timeout), parameters).consume()
        if plan.query_type != "r":
            raise UnsafeQuery(f"the server classifies this query as {plan.query_type!r}, "
                              f"not read-only ('r')")

        @unit_of_work(timeout=timeout)
        def read(tx: ManagedTransaction) -> QueryResult:
            result = tx.run(text, parameters)
            columns = list(result.keys())
            records = result.fetch(max_rows + 1)
            rows = [{key: jsonable(record[key]) for key in columns}
                    for record in records[:max_rows]]
            return QueryResult(columns, rows, truncated=len(records) > max_rows)

        return session.execute_read(read)


def jsonable(value: Any) -> Any:
    """Graph values as plain JSON: nodes and relationships become their properties."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: jsonable(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: jsonable(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [jsonable(n) for n in value.nodes],
                "relationships": [jsonable(r) for r in value.relationships]}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)

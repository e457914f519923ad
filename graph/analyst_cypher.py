"""Running an analyst's Cypher safely: read-only by the server's own plan, bounded in time,
rows and bytes.

Read-only-ness is decided from the plan Neo4j makes of the query (`EXPLAIN`), not from its
text: the query type must be `r`, and no operator may read a file or URL (`LoadCSV`), run an
administration or `SHOW`/`TERMINATE` command, touch another database, or call a procedure or
namespaced function outside the allow-lists — matched on the names the planner resolved, so
backticks and odd spacing change nothing. A lexer-based screen runs first: it refuses the
obvious cheaply (several statements, `LOAD CSV`, write clauses, unlisted calls) and what the
plan cannot show — Neo4j checks its timeout between rows, never inside one expression, so
`range()` must have literal bounds spanning a bounded number of elements. The query then runs
in a READ transaction with a timeout; its answer is capped in rows and in bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from neo4j import READ_ACCESS, Driver, Query
from neo4j.exceptions import Neo4jError
from neo4j.graph import Node, Path, Relationship

from livekg.graph.cypher_lexer import CypherSyntaxError, Token, TokenKind, tokens

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 1000
DEFAULT_MAX_BYTES = 4_000_000
# All range() calls of one query together (their sizes multiplied: they may nest) span at most
# this many elements. Neo4j checks for timeouts between rows, never inside one expression, and
# range() is the one way to make a long list from nothing: reduce(s = '', x IN range(1, 200000)
# | s + 'xxxxxxxxxx') runs on for a minute after its timeout. 10,000 keeps such a loop short.
MAX_RANGE_ELEMENTS = 10_000
READ_ONLY_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
})
# Namespaced functions allowed (un-namespaced ones are Cypher's built-ins); matched by prefix.
READ_ONLY_FUNCTION_NAMESPACES = ("point.", "vector.similarity.")
# Clause keywords that write, administer or read outside the graph.
WRITE_CLAUSES = frozenset({
    "CREATE", "INSERT", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "DROP",
    "ALTER", "RENAME", "GRANT", "REVOKE", "DENY", "TERMINATE", "START", "STOP", "ENABLE",
    "DEALLOCATE", "REALLOCATE", "SHOW", "LOAD"})
# After these words an operand follows, so a clause keyword there is a name (RETURN 1 AS set).
_OPERAND_BEFORE = frozenset({
    "MATCH", "WHERE", "RETURN", "WITH", "DISTINCT", "AS", "BY", "UNWIND", "AND", "OR", "XOR",
    "NOT", "IN", "IS", "CASE", "WHEN", "THEN", "ELSE", "STARTS", "ENDS", "CONTAINS", "SKIP",
    "LIMIT", "YIELD", "OFFSET"})
# Plan operators refused whatever the query type says (SHOW commands plan as type 'r').
_REFUSED_OPERATORS = ("LoadCSV", "Show", "Terminate", "AdministrationCommand", "Create",
                      "Merge", "Set", "Delete", "DetachDelete", "Remove", "Foreach",
                      "TransactionForeach", "TransactionApply")
_NAMESPACED_CALL = re.compile(r"(?<![\w.$`])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\s*\(")
_TIMED_OUT = ("Neo.ClientError.Transaction.TransactionTimedOut",
              "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")
_OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"


class UnsafeQuery(ValueError):
    """The query was refused or stopped: it is not a single bounded read-only statement."""


class QueryLimitExceeded(UnsafeQuery):
    """The query hit a limit the client can stay within: time, memory or answer size."""

    def __init__(self, limit: str, message: str) -> None:
        self.limit = limit
        super().__init__(message)


class AnswerTooLarge(QueryLimitExceeded):
    pass


class QueryTimedOut(QueryLimitExceeded):
    pass


class QueryOutOfMemory(QueryLimitExceeded):
    pass


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


def screen(query: str) -> list[Token]:
    """Refuse, before it reaches the server, what cannot be one bounded read-only query."""
    try:
        found = tokens(query)
    except CypherSyntaxError as error:
        raise UnsafeQuery(f"cannot read the query: {error}") from error
    if found and found[-1].is_symbol(";"):
        found = found[:-1]
    if not found:
        raise UnsafeQuery("the query is empty")
    if any(token.is_symbol(";") for token in found):
        raise UnsafeQuery("only one statement is allowed (found ';' between statements)")
    if found[0].is_word("EXPLAIN", "PROFILE"):
        raise UnsafeQuery(f"{found[0].value.upper()} is not allowed: the query is planned "
                          f"and run for you")
    for index, token in enumerate(found):
        if token.kind is not TokenKind.WORD:
            continue
        word = token.value.upper()
        if word in WRITE_CLAUSES and _in_clause_position(found, index):
            raise UnsafeQuery(_clause_refusal(found, index))
        if word == "CALL":
            _screen_procedure(found, index)
    _screen_ranges(found)
    _screen_functions(found)
    return found


def check_plan(plan: dict[str, Any] | None, query_type: str | None, database: str) -> None:
    """Refuse a query whose plan is not a read of `database` using only allowed calls."""
    if query_type != "r":
        raise UnsafeQuery(f"the server classifies this query as {query_type!r}, not "
                          f"read-only ('r')")
    for operator, details in _operators(plan):
        name, _, where = operator.partition("@")
        if where and where != database:
            raise UnsafeQuery(f"the query reads database {where!r}; queries run against "
                              f"{database!r} only")
        if name == "LoadCSV":
            raise UnsafeQuery("LOAD CSV is not allowed: queries may only read the graph")
        if name.startswith(_REFUSED_OPERATORS):
            raise UnsafeQuery(f"the plan runs {name}: only reads of the graph are allowed "
                              f"(no SHOW, TERMINATE, administration or writes)")
        if name == "ProcedureCall":
            procedure, _, details = details.partition("(")
            _check_procedure(procedure.strip())
        for function in _NAMESPACED_CALL.findall(details):
            _check_function(function)


def run_read_only(driver: Driver, database: str, query: str,
                  parameters: dict[str, Any] | None = None, *,
                  timeout: float = DEFAULT_TIMEOUT_S, max_rows: int = DEFAULT_MAX_ROWS,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> QueryResult:
    """Screen, EXPLAIN and check the plan, then run `query` in a READ transaction: at most
    `max_rows` rows and `max_bytes` bytes of JSON, within `timeout` seconds."""
    screen(query)
    parameters = parameters or {}
    text = query.strip().removesuffix(";")
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        try:
            summary = session.run(Query(f"EXPLAIN {text}", timeout=timeout),
                                  parameters).consume()
            check_plan(summary.plan, summary.query_type, database)
            # An explicit transaction: a managed one would retry a query stopped for memory.
            with session.begin_transaction(timeout=timeout) as tx:
                result = tx.run(text, parameters)
                columns = list(result.keys())
                rows, truncated = _bounded_rows(iter(result), columns, max_rows, max_bytes)
                if truncated:
                    result.consume()  # discard the rest on the server, unread
                tx.commit()
        except Neo4jError as error:
            limit = _limit_error(error, timeout)
            if limit is None:
                raise
            raise limit from error
    return QueryResult(columns, rows, truncated)


def _bounded_rows(records: Iterator[Any], columns: list[str], max_rows: int,
                  max_bytes: int) -> tuple[list[dict[str, Any]], bool]:
    rows: list[dict[str, Any]] = []
    size = 0
    for record in records:
        if len(rows) == max_rows:
            return rows, True
        row = {key: jsonable(record[key]) for key in columns}
        size += len(json.dumps(row, ensure_ascii=False, default=str).encode())
        if size > max_bytes:
            if not rows:
                raise AnswerTooLarge("max_bytes", (
                    f"the first row alone is over the answer limit of {max_bytes:,} bytes "
                    f"(LIVEKG_CYPHER_MAX_BYTES); return less per row"))
            return rows, True
        rows.append(row)
    return rows, False


def _limit_error(error: Neo4jError, timeout: float) -> QueryLimitExceeded | None:
    if error.code in _TIMED_OUT:
        return QueryTimedOut("timeout", (
            f"the query ran longer than the limit of {timeout:g} s (LIVEKG_CYPHER_TIMEOUT, "
            f"or the server's db.transaction.timeout) and was stopped"))
    if error.code == _OUT_OF_MEMORY:
        return QueryOutOfMemory("memory", (
            "the query needed more memory than the server allows one transaction "
            f"(db.memory.transaction.max) and was stopped: {error.message}"))
    return None


def _in_clause_position(found: list[Token], index: int) -> bool:
    """True when found[index] starts a clause, not when it is a name (n.set, {set: 1},
    RETURN 1 AS set, ORDER BY start, (set), $set)."""
    after = found[index + 1] if index + 1 < len(found) else None
    if after is None or after.is_symbol(":", ",", ")", "}", "]", ".", "=", "|"):
        return False
    if index == 0:
        return True
    before = found[index - 1]
    if before.kind is TokenKind.SYMBOL:
        return before.text in (")", "]", "}", "{")
    if before.kind is TokenKind.WORD:
        return before.value.upper() not in _OPERAND_BEFORE
    return True  # after a literal, parameter or quoted name: the previous clause ended


def _clause_refusal(found: list[Token], index: int) -> str:
    word = found[index].value.upper()
    if word == "LOAD":
        return "LOAD CSV is not allowed: queries may only read the graph"
    if word in ("SHOW", "TERMINATE"):
        return f"{word} commands are not allowed: queries may only read the graph"
    return f"{word} is not allowed: queries may only read"


def _called(found: list[Token], index: int) -> bool:
    return index + 1 < len(found) and found[index + 1].is_symbol("(") and not (
        index > 0 and found[index - 1].is_symbol("."))


def _qualified_name(found: list[Token], start: int) -> tuple[str, int]:
    """`db`.`labels` or db.labels starting at found[start]: the name as the server resolves it,
    and the index after it."""
    parts: list[str] = []
    index = start
    while index < len(found) and found[index].kind in (TokenKind.WORD, TokenKind.NAME):
        parts.append(found[index].value)
        index += 1
        if index < len(found) and found[index].is_symbol("."):
            index += 1
        else:
            break
    return ".".join(parts), index


def _screen_procedure(found: list[Token], index: int) -> None:
    after = found[index + 1] if index + 1 < len(found) else None
    if after is None or after.is_symbol("{", "("):
        return  # a subquery: CALL { … } or CALL (x) { … }
    name, _ = _qualified_name(found, index + 1)
    _check_procedure(name)


def _check_procedure(name: str) -> None:
    if name.lower() not in READ_ONLY_PROCEDURES:
        raise UnsafeQuery(f"procedure {name} is not allowed; read-only procedures: "
                          f"{', '.join(sorted(READ_ONLY_PROCEDURES))}")


def _screen_functions(found: list[Token]) -> None:
    for index, token in enumerate(found):
        if token.kind not in (TokenKind.WORD, TokenKind.NAME):
            continue
        if index > 0 and (found[index - 1].is_symbol(".") or found[index - 1].is_word("CALL")):
            continue
        name, end = _qualified_name(found, index)
        if "." in name and end < len(found) and found[end].is_symbol("("):
            _check_function(name)


def _check_function(name: str) -> None:
    if not name.lower().startswith(READ_ONLY_FUNCTION_NAMESPACES):
        raise UnsafeQuery(f"function {name} is not allowed; namespaced functions allowed: "
                          f"{', '.join(n + '*' for n in READ_ONLY_FUNCTION_NAMESPACES)}")


def _screen_ranges(found: list[Token]) -> None:
    """range() must have integer literal bounds, and together span MAX_RANGE_ELEMENTS at most.

    `UNWIND range(…) AS x` is exempt: its elements become rows, and between rows the timeout
    works."""
    total = 1
    for index, token in enumerate(found):
        if not (token.is_word("RANGE") and _called(found, index)):
            continue
        close = _closing(found, index + 1)
        if index > 0 and found[index - 1].is_word("UNWIND") and close + 1 < len(found) \
                and found[close + 1].is_word("AS"):
            continue
        arguments = _literal_arguments(found, index + 2)
        if arguments is None or len(arguments) not in (2, 3) or (
                len(arguments) == 3 and arguments[2] == 0):
            raise UnsafeQuery(
                "range() takes integer literals here (range(1, 10) or range(0, 100, 5)): Neo4j "
                "cannot stop a query inside one expression, so its size must be known")
        start, end, step = (*arguments, 1)[:3]
        total *= max(0, (end - start) // step + 1)
        if total > MAX_RANGE_ELEMENTS:
            raise UnsafeQuery(
                f"range() calls span over {MAX_RANGE_ELEMENTS:,} elements together: Neo4j cannot "
                f"stop a query inside one expression; use smaller ranges")


def _closing(found: list[Token], open_index: int) -> int:
    """The index of the ')' closing the '(' at found[open_index] (len(found) if none)."""
    depth = 0
    for index in range(open_index, len(found)):
        if found[index].is_symbol("(", "[", "{"):
            depth += 1
        elif found[index].is_symbol(")", "]", "}"):
            depth -= 1
            if depth == 0:
                return index
    return len(found)


def _literal_arguments(found: list[Token], start: int) -> list[int] | None:
    """The integer literals between found[start] and its closing ')', or None if any is not."""
    values: list[int] = []
    sign = 1
    expect_value = True
    for token in found[start:]:
        if expect_value and token.is_symbol("-"):
            sign = -sign
        elif expect_value and token.kind is TokenKind.NUMBER:
            try:
                values.append(sign * int(token.value.replace("_", ""), 0))
            except ValueError:
                return None
            sign, expect_value = 1, False
        elif not expect_value and token.is_symbol(","):
            expect_value = True
        elif not expect_value and token.is_symbol(")"):
            return values
        else:
            return None
    return None


def _operators(plan: dict[str, Any] | None) -> Iterator[tuple[str, str]]:
    """Every operator of the plan tree: its type (with @database) and its details text."""
    stack = [plan] if plan else []
    while stack:
        node = stack.pop()
        yield str(node.get("operatorType", "")), str(node.get("args", {}).get("Details", ""))
        stack.extend(node.get("children", []))


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

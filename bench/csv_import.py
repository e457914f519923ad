"""The same graph rows as CSV files and `LOAD CSV … MERGE` statements: the loader's yardstick.

`LOAD CSV` is what Neo4j's own documentation offers for bulk loading through Cypher. To compare
it fairly with `graph.neo4j_store.write_document`, the files hold exactly the rows that function
writes, grouped the same way (nodes by labels; relationships by type and end labels, so both
ends are found through the same `id` constraints), and every property gets its type back
(CSV holds text only): integers, floats, booleans and lists are converted in Cypher.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livekg.graph.rows import GraphRows, NodeRow, RelationshipRow

LIST_SEPARATOR = "\u001f"  # the ASCII unit separator: in no name, title or sentence
BATCH_ROWS = 1000  # as graph.neo4j_store.BATCH_SIZE
FILE_PREFIX = "livekg-bench-"


@dataclass(frozen=True)
class CsvFile:
    """One file in the server's import folder and the statement that loads it."""

    path: Path
    statement: str
    rows: int


def write_csv_files(rows: GraphRows, import_dir: Path, url_prefix: str) -> list[CsvFile]:
    """Write `rows` as CSV files into `import_dir`, which the server reads as `url_prefix`
    followed by a file's name; nodes first, then relationships."""
    files: list[CsvFile] = []
    node_groups: dict[tuple[str, ...], list[NodeRow]] = defaultdict(list)
    for node in rows.nodes:
        node_groups[node.labels].append(node)
    for index, (labels, nodes) in enumerate(node_groups.items()):
        path = import_dir / f"{FILE_PREFIX}nodes-{index}.csv"
        keys = _write(path, ["id"], [({"id": n.id}, n.properties) for n in nodes])
        primary, *extra = labels
        add_labels = "".join(f", n:{label}" for label in extra)
        files.append(CsvFile(path, _statement(
            url_prefix + path.name, f"MERGE (n:{primary} {{id: row.id}}) SET n.id = row.id"
            + "".join(f", n.{key} = {cast}" for key, cast in keys) + add_labels), len(nodes)))
    labels_of = {n.id: n.label for n in rows.nodes}
    rel_groups: dict[tuple[str, str, str], list[RelationshipRow]] = defaultdict(list)
    for rel in rows.relationships:
        key = (rel.type, labels_of.get(rel.source, ""), labels_of.get(rel.target, ""))
        rel_groups[key].append(rel)
    for index, ((rel_type, source, target), rels) in enumerate(rel_groups.items()):
        path = import_dir / f"{FILE_PREFIX}rels-{index}.csv"
        keys = _write(path, ["id", "source", "target"],
                      [({"id": r.id, "source": r.source, "target": r.target}, r.properties)
                       for r in rels])
        a = f":{source}" if source else ""
        b = f":{target}" if target else ""
        files.append(CsvFile(path, _statement(
            url_prefix + path.name,
            f"MATCH (a{a} {{id: row.source}}) MATCH (b{b} {{id: row.target}}) "
            f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b) SET r.id = row.id"
            + "".join(f", r.{key} = {cast}" for key, cast in keys)), len(rels)))
    return files


def remove_csv_files(import_dir: Path) -> None:
    for path in import_dir.glob(f"{FILE_PREFIX}*.csv"):
        path.unlink()


def _statement(url: str, body: str) -> str:
    return (f"LOAD CSV WITH HEADERS FROM '{url}' AS row "
            f"CALL (row) {{ {body} }} IN TRANSACTIONS OF {BATCH_ROWS} ROWS")


def _write(path: Path, fixed: list[str],
           records: list[tuple[dict[str, str], dict[str, Any]]]) -> list[tuple[str, str]]:
    """Write one file; return (property, Cypher expression giving it its type back)."""
    kinds: dict[str, str] = {}
    for _, properties in records:
        for key, value in properties.items():
            if key not in fixed:
                kinds.setdefault(key, _kind(value))
    keys = list(kinds)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow([*fixed, *keys])
        for ids, properties in records:
            writer.writerow([*(ids[k] for k in fixed),
                             *(_encode(properties.get(k)) for k in keys)])
    return [(key, _cast(f"row.{key}", kinds[key])) for key in keys]


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list:" + (_kind(value[0]) if value else "str")
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def _encode(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_encode(v) or "" for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cast(expression: str, kind: str) -> str:
    if kind.startswith("list:"):
        item = _cast("x", kind.removeprefix("list:"))
        split = f"split({expression}, '\\u001f')"
        return split if item == "x" else f"[x IN {split} | {item}]"
    return {"bool": f"toBoolean({expression})", "int": f"toInteger({expression})",
            "float": f"toFloat({expression})"}.get(kind, expression)

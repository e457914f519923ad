"""Neo4j load speed: the loader's batched `UNWIND … MERGE` against `LOAD CSV` of the same rows.

Each side loads one synthetic plan sized to about 10k (and, in full mode, 100k) relationships
into a wiped database that keeps the loader's constraints and indexes, then loads it a second
time (idempotent: nothing may be created). The two sides alternate who goes first; the best of
the rounds is reported. Both leave the same graph, which is checked by counting nodes by label,
relationships by type and properties.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import Driver, ManagedTransaction, Query, Record, ResultSummary
from neo4j.exceptions import Neo4jError

from bench.corpus import scaled_plan
from bench.csv_import import FILE_PREFIX, CsvFile, remove_csv_files, write_csv_files
from bench.results import Goal, Section, si, times
from bench.timing import timed
from livekg import neo4j_local
from livekg.graph.build import document_rows
from livekg.graph.neo4j_queries import META_LABEL
from livekg.graph.neo4j_store import ensure_schema, write_document
from livekg.graph.rows import GraphRows, NodeRow, RelationshipRow
from livekg.graph.writer import Neo4jWriter
from livekg.loaders.models import ParsedDocument
from livekg.loaders.pipeline import parse_source
from livekg.loaders.registry import Registry, load_registry

TARGETS = {False: (10_000, 100_000), True: (10_000,)}
ROUNDS = {False: 2, True: 1}


@dataclass
class LoadTimes:
    first_s: float = float("inf")
    second_s: float = float("inf")
    prepare_s: float = float("inf")  # writing the CSV files (LOAD CSV only)


def plan_document(target_relationships: int, registry: Registry) -> ParsedDocument:
    """A synthetic plan with about `target_relationships` relationships, parsed."""
    sample = scaled_plan(10, registry=registry)
    probe = document_rows(parse_source(sample.source(), registry, sample.metadata))
    factor = round(10 * target_relationships / len(probe.relationships))
    plan = scaled_plan(factor, registry=registry)
    return parse_source(plan.source(), registry, plan.metadata)


def plan_rows(target_relationships: int, registry: Registry) -> GraphRows:
    """Rows of a synthetic plan with about `target_relationships` relationships."""
    return document_rows(plan_document(target_relationships, registry))


def writer_reload(driver: Driver, database: str, document: ParsedDocument) -> tuple[float, float]:
    """Seconds of `livekg load --neo4j`'s writer for a first load and for loading the same
    document again (unchanged: one node read, nothing written)."""
    wipe(driver, database)
    writer = Neo4jWriter(driver, database)
    first, _ = timed(lambda: writer.write([document]))
    again, report = timed(lambda: writer.write([document]))
    if report.summaries[0].change != "unchanged":
        raise RuntimeError("loading the same document again was not a no-op")
    return first, again


def import_folder(driver: Driver, database: str) -> tuple[Path, str]:
    """Where to put CSV files for `LOAD CSV`, and the URL prefix the server reads them by.

    With `server.directories.import` set, file:///name.csv is read from that folder. The local
    server's generated neo4j.conf leaves it unset, and then Neo4j resolves file:/// URLs from
    the file-system root; a probe file tells which of the two this server does.
    """
    folder = neo4j_local.status().home / "import"
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f"{FILE_PREFIX}probe.csv"
    probe.write_text("ok\n1\n", encoding="utf-8")
    try:
        for prefix in ("file:///", folder.resolve().as_uri() + "/"):
            try:
                driver.execute_query(f"LOAD CSV WITH HEADERS FROM '{prefix}{probe.name}' AS row "
                                     "RETURN row.ok", database_=database)
                return folder, prefix
            except Neo4jError:
                continue
    finally:
        probe.unlink()
    raise RuntimeError(f"the Neo4j server cannot read CSV files from {folder}")


WIPE_TIMEOUT_S = 3600.0


def wipe(driver: Driver, database: str) -> None:
    """Delete every node and relationship; the constraints and indexes stay."""
    with driver.session(database=database) as session:
        # Relationships first: a unit named by 1,000 plans has tens of thousands, which one
        # DETACH DELETE would remove in one inner transaction, over the memory pool's limit.
        # The outer statement spans every batch: at 10,000 plans it outlasts the local
        # server's 60 s transaction timeout, so it states its own.
        for statement in ("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
                          "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"):
            session.run(Query(statement, timeout=WIPE_TIMEOUT_S)).consume()


# Rows of (label or type, count, property count), for nodes and for relationships.
Census = tuple[tuple[tuple[object, ...], ...], tuple[tuple[object, ...], ...]]


def census(driver: Driver, database: str) -> Census:
    """Nodes by label, relationships by type, property counts: what both loads must agree on."""
    nodes, _, _ = driver.execute_query(
        # The graph's version node is the loader's bookkeeping, not a fact LOAD CSV writes.
        f"MATCH (n) WHERE NOT n:{META_LABEL} UNWIND labels(n) AS label "
        "RETURN label, count(*) AS c, "
        "sum(size(keys(n))) AS p ORDER BY label", database_=database)
    rels, _, _ = driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c, sum(size(keys(r))) AS p "
        "ORDER BY t", database_=database)
    return tuple(tuple(r.values()) for r in nodes), tuple(tuple(r.values()) for r in rels)


def load_csv(driver: Driver, database: str, files: list[CsvFile]) -> int:
    """Run every LOAD CSV statement (auto-commit, batched); return nodes + rels created."""
    created = 0
    with driver.session(database=database) as session:
        for file in files:
            counters = session.run(file.statement).consume().counters
            created += counters.nodes_created + counters.relationships_created
    return created


def unwind_round(driver: Driver, database: str, rows: GraphRows, best: LoadTimes) -> Census:
    wipe(driver, database)
    first, _ = timed(lambda: write_document(driver, database, rows))
    second, counters = timed(lambda: write_document(driver, database, rows))
    if counters.nodes_created or counters.relationships_created:
        raise RuntimeError("the second UNWIND load created something: not idempotent")
    best.first_s, best.second_s = min(best.first_s, first), min(best.second_s, second)
    return census(driver, database)


def csv_round(driver: Driver, database: str, rows: GraphRows, folder: tuple[Path, str],
              best: LoadTimes) -> Census:
    wipe(driver, database)
    remove_csv_files(folder[0])
    prepare, files = timed(lambda: write_csv_files(rows, *folder))
    try:
        first, _ = timed(lambda: load_csv(driver, database, files))
        second, created = timed(lambda: load_csv(driver, database, files))
    finally:
        remove_csv_files(folder[0])
    if created:
        raise RuntimeError("the second LOAD CSV created something: not idempotent")
    best.first_s, best.second_s = min(best.first_s, first), min(best.second_s, second)
    best.prepare_s = min(best.prepare_s, prepare)
    return census(driver, database)


class _TimedTransaction:
    """Hands `_replace_document` a transaction that times every statement it runs, so the
    profile can say which statement dominates (the work is in the server, where a Python
    profiler sees only a wait on the socket)."""

    def __init__(self, tx: ManagedTransaction, spent: dict[str, list[float]]) -> None:
        self.tx = tx
        self.spent = spent

    def run(self, query: str, parameters: dict[str, Any] | None = None,
            **kwargs: object) -> _Done:
        started = time.perf_counter()
        result = self.tx.run(query, parameters, **kwargs)
        records = list(result)
        summary = result.consume()
        self.spent.setdefault(_statement_kind(query), []).append(time.perf_counter() - started)
        return _Done(records, summary)


@dataclass
class _Done:
    records: list[Record]
    summary: ResultSummary

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def consume(self) -> ResultSummary:
        return self.summary


def _statement_kind(query: str) -> str:
    rel_type = re.search(r"\[r:(\w+)", query)
    if "NOT EXISTS" in query:
        return "remove orphaned shared nodes"
    if "DELETE r" in query and rel_type:
        return f"delete stale {rel_type.group(1)} rels"
    if "DETACH DELETE" in query:
        return "delete stale document nodes"
    if "MERGE" in query and rel_type:
        return f"MERGE {rel_type.group(1)} rels"
    created_type = re.search(r"CREATE \(a\)-\[r:(\w+)", query)
    if created_type:
        return f"CREATE {created_type.group(1)} rels"
    if "CREATE (n" in query:
        return "CREATE nodes"
    if "MERGE (n" in query:
        return "MERGE nodes"
    return "other (document present?, graph version)"


def statement_breakdown(driver: Driver, database: str, rows: GraphRows) -> str:
    """Seconds per kind of statement in one `write_document` transaction (its own code), and
    how much of the wall time this Python process spent on its CPU (building and encoding the
    parameters) while the server worked."""
    from livekg.graph.neo4j_store import WriteCounters, _replace_document

    spent: dict[str, list[float]] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    with driver.session(database=database) as session:
        session.execute_write(lambda tx: _replace_document(
            _TimedTransaction(tx, spent), rows, WriteCounters(), None))  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    total = sum(sum(times_) for times_ in spent.values())
    lines = [f"{'statement':<40} {'runs':>5} {'seconds':>8} {'share':>6}"]
    for kind, times_ in sorted(spent.items(), key=lambda item: -sum(item[1])):
        if sum(times_) / total >= 0.005:
            lines.append(f"{kind:<40} {len(times_):>5} {sum(times_):>8.2f} "
                         f"{sum(times_) / total:>6.0%}")
    lines.append(f"whole transaction: {wall:.2f} s wall, of which {cpu:.2f} s CPU in this "
                 "Python process (building rows into parameters, Bolt encoding)")
    lines.append(_payload(rows))
    return "\n".join(lines)


def _payload(rows: GraphRows, top: int = 3) -> str:
    """How much text the rows ship as property values, and which properties carry most."""
    sizes: dict[str, int] = {}
    every: list[NodeRow | RelationshipRow] = [*rows.nodes, *rows.relationships]
    for row in every:
        kind = row.type if isinstance(row, RelationshipRow) else row.label
        for key, value in row.properties.items():
            if isinstance(value, str):
                sizes[f"{kind}.{key}"] = sizes.get(f"{kind}.{key}", 0) + len(value.encode())
    total = sum(sizes.values())
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:top]
    return (f"text in property values: {total / 2**20:.1f} MiB; largest: " + ", ".join(
        f"{name} {size / 2**20:.1f} MiB" for name, size in largest))


def compare(driver: Driver, database: str, rows: GraphRows, folder: tuple[Path, str],
            rounds: int) -> tuple[LoadTimes, LoadTimes]:
    """Best times of both sides over `rounds`, alternating which side goes first."""
    unwind, csv = LoadTimes(), LoadTimes()
    for round_ in range(rounds):
        print(f"  Neo4j load: {len(rows.relationships)} relationships, round {round_ + 1}",
              file=sys.stderr)
        sides: list[Callable[[], Census]] = [
            lambda: unwind_round(driver, database, rows, unwind),
            lambda: csv_round(driver, database, rows, folder, csv)]
        results = [side() for side in (sides if round_ % 2 == 0 else sides[::-1])]
        if results[0] != results[1]:
            raise RuntimeError(f"UNWIND and LOAD CSV left different graphs: {results}")
    return unwind, csv


def run(quick: bool, driver: Driver, database: str) -> Section:
    section = Section("Neo4j load")
    registry = load_registry()
    ensure_schema(driver, database)
    folder = import_folder(driver, database)
    first = (float("inf"), "")
    second = (float("inf"), "")
    largest: GraphRows | None = None
    reload_speedup = (float("inf"), "")
    for target in TARGETS[quick]:
        document = plan_document(target, registry)
        rows = largest = document_rows(document)
        count = len(rows.relationships)
        unwind, csv = compare(driver, database, rows, folder, ROUNDS[quick])
        label = f"{si(count)} rels, {si(len(rows.nodes))} nodes"
        section.row(f"UNWIND…MERGE (write_document), {label}",
                    f"{si(count / unwind.first_s)} rels/s ({unwind.first_s:.2f} s); "
                    f"2nd load {unwind.second_s:.2f} s",
                    f"{times(csv.first_s / unwind.first_s)} LOAD CSV's speed; 2nd load "
                    f"{times(csv.second_s / unwind.second_s)}")
        section.row(f"LOAD CSV … MERGE, {label}",
                    f"{si(count / csv.first_s)} rels/s ({csv.first_s:.2f} s); "
                    f"2nd load {csv.second_s:.2f} s; CSV writing {csv.prepare_s:.2f} s")
        first = min(first, (csv.first_s / unwind.first_s, label))
        second = min(second, (csv.second_s / unwind.second_s, label))
        loaded_s, reloaded_s = writer_reload(driver, database, document)
        reload_speedup = min(reload_speedup, (loaded_s / reloaded_s, label))
        section.row(f"Neo4jWriter.write (livekg load --neo4j), {label}",
                    f"first load {loaded_s:.2f} s; unchanged again {reloaded_s * 1000:.1f} ms",
                    f"reload {times(loaded_s / reloaded_s)} faster than the first load")
    for name, (ratio, label) in (("first load", first), ("second (idempotent) load", second)):
        section.goals.append(Goal(
            f"UNWIND…MERGE at least as fast as LOAD CSV: {name}", met=ratio >= 1.0,
            measured=f"worst {times(ratio)} LOAD CSV's speed ({label})",
            shortfall=f"{1 / ratio:.3g}× LOAD CSV's time" if ratio < 1 else ""))
    section.goals.append(Goal(
        "reloading an unchanged document ≥ 20× faster than its first load",
        met=reload_speedup[0] >= 20, measured=f"worst {times(reload_speedup[0])} "
        f"({reload_speedup[1]})",
        shortfall="" if reload_speedup[0] >= 20 else f"needs {20 / reload_speedup[0]:.3g}×"))
    section.notes.append(
        f"One document per load, into a wiped database with the loader's constraints; "
        f"best of {ROUNDS[quick]} round(s), sides alternating. LOAD CSV runs "
        f"`CALL (row) {{ MERGE … }} IN TRANSACTIONS OF 1000 ROWS` per file (the loader batches "
        "1,000 rows per UNWIND, in one transaction per document); its time excludes writing "
        "the CSV files (shown apart). Both leave identical graphs (checked: nodes by label, "
        "relationships by type, property counts).")
    if largest is not None and not all(goal.met for goal in section.goals):
        rows = largest
        wipe(driver, database)
        label = f"{si(len(rows.relationships))} rels"
        section.profiles[f"write_document by statement, first load ({label})"] = \
            statement_breakdown(driver, database, rows)
        section.profiles[f"write_document by statement, second load ({label})"] = \
            statement_breakdown(driver, database, rows)
    wipe(driver, database)
    return section

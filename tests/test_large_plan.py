"""A plan with 5,000 tasks, made from the Changning plan's own tasks (each task's first
sentence and its real unit list, repeated and renumbered): every task keeps its number and its
owners, the snapshot grows with the text (not owners × text), and it loads into Neo4j.
Plus the document size limit, with a message naming the file, the size and the limit.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from livekg.core.config import Neo4jConnection
from livekg.graph.neo4j_store import delete_document
from livekg.graph.writer import Neo4jWriter
from livekg.loaders.errors import DocumentError
from livekg.loaders.models import ParsedDocument
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import Registry
from livekg.loaders.source import MAX_DOCUMENT_BYTES

LIVEKG = Path(sys.executable).with_name("livekg")
TASKS = 5000
_TASK_LINE = re.compile(r"^\d+\.(?P<first>[^。]+。[^。]*。)?.*(?P<units>（责任单位[:：][^）]*）|"
                        r"\(责任单位[:：][^)]*\))$")


def big_plan(source: Path, tasks: int) -> tuple[str, list[list[str]]]:
    """The plan's preamble and first heading, then `tasks` renumbered real tasks; and, for
    each new task, the unit names its list gives, in order."""
    lines = source.read_text(encoding="utf-8").splitlines()
    first_task = next(i for i, line in enumerate(lines) if re.match(r"^\d+\.", line))
    originals = []
    for line in lines:
        if match := _TASK_LINE.match(line):
            units = match["units"]
            names = re.split("[、]", units[units.index("位") + 2:-1])
            originals.append((match["first"] or "", units, names))
    body, owners = [], []
    for number in range(1, tasks + 1):
        first, units, names = originals[(number - 1) % len(originals)]
        body.append(f"{number}.{first}{units}")
        owners.append(names)
    return "\n".join(lines[:first_task] + body) + "\n", owners


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory, changning_path: Path
              ) -> tuple[Path, list[list[str]]]:
    text, owners = big_plan(changning_path, TASKS)
    path = tmp_path_factory.mktemp("large") / "changning-5000-tasks.txt"
    path.write_text(text, encoding="utf-8")
    return path, owners


@pytest.fixture(scope="module")
def parsed(plan_file: tuple[Path, list[list[str]]], registry: Registry) -> ParsedDocument:
    return parse_file(plan_file[0], registry)


def test_every_task_keeps_its_number_and_owners(parsed: ParsedDocument,
                                                plan_file: tuple[Path, list[list[str]]]
                                                ) -> None:
    _, owners = plan_file
    assert [task.number for task in parsed.tasks] == list(range(1, TASKS + 1))
    for number in (1, 999, 1000, 1001, 4999, 5000):
        task = parsed.tasks[number - 1]
        assert [owner.surface for owner in task.owners] == owners[number - 1], number


def test_the_snapshot_grows_with_the_text(plan_file: tuple[Path, list[list[str]]],
                                          tmp_path: Path) -> None:
    path, _ = plan_file
    store = tmp_path / "graph.json"
    done = subprocess.run([str(LIVEKG), "load", str(path), "--store", str(store)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    text_bytes = path.stat().st_size
    assert store.stat().st_size < 20 * text_bytes, (
        f"snapshot {store.stat().st_size:,} bytes for {text_bytes:,} bytes of text")


def test_the_large_plan_loads_into_neo4j(parsed: ParsedDocument, neo4j_driver: Driver,
                                        neo4j_connection: Neo4jConnection) -> None:
    database = neo4j_connection.database
    try:
        Neo4jWriter(neo4j_driver, database, neo4j_connection.uri).write([parsed])
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (t:Task {document: $doc}) RETURN count(t) AS tasks, max(t.number) AS last",
            doc=parsed.document.id, database_=database)
        assert (records[0]["tasks"], records[0]["last"]) == (TASKS, TASKS)
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->(t:Task {document: $doc, number: 1000}) "
            "RETURN u.name AS unit ORDER BY r.rank", doc=parsed.document.id, database_=database)
        assert [r["unit"] for r in records] == [o.surface for o in parsed.tasks[999].owners]
    finally:
        delete_document(neo4j_driver, database, parsed.document.id)


def test_a_document_over_the_size_limit_is_refused_with_its_size(tmp_path: Path,
                                                                 registry: Registry,
                                                                 changning_path: Path) -> None:
    with pytest.raises(DocumentError) as refused:
        parse_file(changning_path, registry, max_bytes=10_000)
    size = changning_path.stat().st_size
    assert str(refused.value).startswith(f"{changning_path}: is {size:,} bytes, over the "
                                         f"limit of 10,000 bytes")
    big = tmp_path / "huge.txt"
    big.write_bytes(changning_path.read_bytes() * (MAX_DOCUMENT_BYTES // size + 1))
    done = subprocess.run([str(LIVEKG), "load", str(big), "--store", str(tmp_path / "g.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"{big}: is {big.stat().st_size:,} bytes, over the limit of " \
           f"{MAX_DOCUMENT_BYTES:,} bytes" in done.stderr
    assert not (tmp_path / "g.json").exists()

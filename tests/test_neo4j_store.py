"""Loading into a real Neo4j: idempotent, one document per transaction, all or nothing."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest
from neo4j.exceptions import ConstraintError

from bench.corpus import scaled_plan
from live_server import free_port
from livekg.core.config import Settings
from livekg.graph.backend import MemoryBackend
from livekg.graph.build import document_rows
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.neo4j_store import delete_document, write_document
from livekg.graph.rows import RelationshipRow
from livekg.loaders.paths import DOCUMENTS_DIR
from livekg.loaders.pipeline import parse_source
from livekg.loaders.source import MAX_DOCUMENT_BYTES, SourceText

TASK_6_REMOVED = "区数据局"
VENUE_ADDED = "农展馆"


def edited(changning) -> SourceText:
    """The plan with one unit removed from task 6 and one venue added to task 9."""
    text = changning.text
    assert text.count("、区数据局、区委社会工作部") == 1
    text = text.replace("、区数据局、区委社会工作部", "、区委社会工作部")
    text = text.replace("王小慧艺术馆等艺术演艺场所", "王小慧艺术馆、农展馆等艺术演艺场所")
    return SourceText(path=DOCUMENTS_DIR / changning.document.source_file, text=text,
                      sha256="edited", encoding="utf-8", notices=())


def count(backend, query: str, **params) -> int:
    records, _, _ = backend.driver.execute_query(query, params, database_=backend.database)
    return records[0][0]


def test_second_load_creates_nothing(neo4j_changning, changning_rows) -> None:
    counters = write_document(neo4j_changning.driver, neo4j_changning.database, changning_rows)
    assert (counters.nodes_created, counters.relationships_created) == (0, 0)
    assert (counters.nodes_deleted, counters.relationships_deleted) == (0, 0)


def test_counts_equal_the_embedded_graph(neo4j_changning, changning_graph) -> None:
    assert neo4j_changning.stats() == MemoryBackend(changning_graph).stats()


def test_edited_document_changes_exactly_those_facts(neo4j_changning, changning,
                                                     registry) -> None:
    before = {n: neo4j_changning.task_owners(str(n)) for n in range(1, 24)}
    parsed = parse_source(edited(changning), registry,
                          {"id": changning.document.id, "jurisdiction": "shanghai-changning"})
    write_document(neo4j_changning.driver, neo4j_changning.database, document_rows(parsed))

    owners_6 = [o.name for o in neo4j_changning.task_owners("6")]
    assert TASK_6_REMOVED not in owners_6
    assert [o.name for o in before[6] if o.name != TASK_6_REMOVED] == owners_6
    for number in set(range(1, 24)) - {6}:
        assert neo4j_changning.task_owners(str(number)) == before[number]
    assert [m.task.number for m in neo4j_changning.tasks_mentioning(VENUE_ADDED)] == [7, 9]
    # 区数据局 still owns tasks 5 and 10; its node stays.
    assert [t.number for t in neo4j_changning.unit_tasks(TASK_6_REMOVED)] == [5, 10]
    expected, _ = with_documents(KnowledgeGraph(), [parsed])
    assert neo4j_changning.stats() == MemoryBackend(expected).stats()


def test_a_load_failing_half_way_leaves_the_previous_version(neo4j_changning, changning,
                                                             registry) -> None:
    before = neo4j_changning.stats()
    parsed = parse_source(edited(changning), registry,
                          {"id": changning.document.id, "jurisdiction": "shanghai-changning"})
    rows = document_rows(parsed)
    # The last row reuses a relationship id between other nodes: the uniqueness constraint
    # refuses it only after every other row of the document has been written.
    first = next(r for r in rows.relationships if r.type == "RESPONSIBLE_FOR")
    clash = RelationshipRow(first.id, "RESPONSIBLE_FOR", "changning-foreign-affairs-office",
                            "changning-livestream-action-plan-2024-2026:task:23",
                            {**first.properties, "rank": 99})
    broken = dataclasses.replace(rows, relationships=(*rows.relationships, clash))
    with pytest.raises(ConstraintError):
        write_document(neo4j_changning.driver, neo4j_changning.database, broken)
    assert neo4j_changning.stats() == before
    assert TASK_6_REMOVED in [o.name for o in neo4j_changning.task_owners("6")]
    assert [m.task.number for m in neo4j_changning.tasks_mentioning(VENUE_ADDED)] == [7]


def test_relationships_to_missing_nodes_fail_the_whole_load(neo4j_changning,
                                                            changning_rows) -> None:
    before = neo4j_changning.stats()
    dangling = RelationshipRow("dangling", "MENTIONS", changning_rows.nodes[1].id, "no-such-node",
                               {"document": changning_rows.document_id, "surface": "x",
                                "sentence": "x", "sentence_index": 0, "span": [0, 1]})
    rows = dataclasses.replace(changning_rows, nodes=changning_rows.nodes[:-1],
                               relationships=(*changning_rows.relationships, dangling))
    with pytest.raises(ValueError, match="point at nodes that do not exist"):
        write_document(neo4j_changning.driver, neo4j_changning.database, rows)
    assert neo4j_changning.stats() == before



def _livekg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "livekg.cli", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env})


def test_a_plan_at_the_document_size_limit_is_written_in_one_transaction(neo4j_empty,
                                                                          registry) -> None:
    # The largest plan `livekg load` reads (MAX_DOCUMENT_BYTES) is one document, written
    # atomically: its one transaction must fit the local server's db.memory.transaction.max
    # (at 256 MiB a 4.95 MB plan was refused; livekg/neo4j/neo4j.conf.template).
    if Settings().external_neo4j is not None:
        pytest.skip("the transaction memory limit is the local server's configuration")
    per_copy = len(scaled_plan(1, registry=registry).text.encode("utf-8"))
    plan = scaled_plan(MAX_DOCUMENT_BYTES // per_copy - 2, registry=registry)
    assert 0.95 * MAX_DOCUMENT_BYTES < len(plan.text.encode("utf-8")) <= MAX_DOCUMENT_BYTES
    rows = document_rows(parse_source(plan.source(), registry, plan.metadata))
    try:
        counters = write_document(neo4j_empty.driver, neo4j_empty.database, rows)
        assert counters.relationships_created == len(rows.relationships) > 60_000
        stored = neo4j_empty.driver.execute_query(
            "MATCH ()-[r]->() WHERE r.document = $doc RETURN count(r) AS n",
            doc=rows.document_id, database_=neo4j_empty.database).records[0]["n"]
        assert stored == len([r for r in rows.relationships
                              if r.properties.get("document") == rows.document_id])
    finally:   # (its removal is one transaction too)
        delete_document(neo4j_empty.driver, neo4j_empty.database, rows.document_id)


@pytest.mark.parametrize("command", [["load", "--neo4j"], ["stats", "--neo4j"],
                                     ["show", "unit", "区商务委", "--neo4j"],
                                     ["cypher", "RETURN 1"]])
def test_unreachable_neo4j_is_one_clear_sentence(command: list[str]) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = _livekg(*command, NEO4J_URI=uri, NEO4J_PASSWORD="whatever")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert uri in lines[0] and "did not answer" in lines[0]


def test_wrong_password_is_one_clear_sentence(neo4j_connection) -> None:
    result = _livekg("stats", "--neo4j", NEO4J_URI=neo4j_connection.uri,
                     NEO4J_USER=neo4j_connection.user, NEO4J_PASSWORD="not-the-password")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert neo4j_connection.uri in result.stderr
    assert "password was refused" in result.stderr


def test_the_neo4j_command_finds_the_running_server(neo4j_connection) -> None:
    started = _livekg("neo4j", "start")
    status = _livekg("neo4j", "status")
    assert started.returncode == 0 and status.returncode == 0, started.stderr + status.stderr
    if os.environ.get("NEO4J_URI"):
        assert "NEO4J_URI is set" in status.stdout
    else:
        assert "running on" in status.stdout and neo4j_connection.uri in status.stdout

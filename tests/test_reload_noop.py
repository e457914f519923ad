"""Reloading costs what changed: an unchanged plan writes nothing, on either store; the same
text giving other facts (an edited registry, a newer parser) is written again."""

from __future__ import annotations

from test_neo4j_store import TASK_6_REMOVED, edited

from livekg.graph.backend import MemoryBackend
from livekg.graph.ingest import FINGERPRINT, with_documents
from livekg.graph.neo4j_store import WriteCounters
from livekg.graph.writer import EmbeddedWriter
from livekg.loaders.pipeline import parse_source
from livekg.loaders.source import SourceText


def same_text_other_facts(changning, registry):
    """The Changning plan with task 6's 区数据局 gone, yet the original text's sha256: what a
    registry edit or a parser fix does to a document whose file did not change."""
    source = edited(changning)
    source = SourceText(path=source.path, text=source.text, sha256=changning.document.sha256,
                        encoding=source.encoding, notices=source.notices)
    return parse_source(source, registry,
                        {"id": changning.document.id, "jurisdiction": "shanghai-changning"})


def test_reloading_an_unchanged_plan_into_neo4j_writes_nothing(neo4j_changning, neo4j_writer,
                                                               changning) -> None:
    version = neo4j_changning.version()
    report = neo4j_writer.write([changning])
    assert [write.summary.change for write in report.documents] == ["unchanged"]
    assert report.documents[0].counters == WriteCounters()  # nothing created, set or deleted
    assert neo4j_changning.version() == version  # and the graph's version did not move


def test_same_text_with_other_facts_is_rewritten_in_neo4j(neo4j_changning, neo4j_writer,
                                                          changning, registry) -> None:
    version = neo4j_changning.version()
    report = neo4j_writer.write([same_text_other_facts(changning, registry)])
    assert [write.summary.change for write in report.documents] == ["changed"]
    assert TASK_6_REMOVED not in [o.name for o in neo4j_changning.task_owners("6")]
    assert neo4j_changning.version() != version


def test_reloading_an_unchanged_plan_leaves_the_snapshot_file_alone(tmp_path, changning,
                                                                   registry) -> None:
    store = tmp_path / "graph.json"
    writer = EmbeddedWriter(store)
    assert [s.change for s in writer.write([changning]).summaries] == ["new"]
    before = store.stat()
    assert [s.change for s in writer.write([changning]).summaries] == ["unchanged"]
    after = store.stat()
    # The snapshot is replaced by renaming a new file over it: the same inode means untouched.
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)

    report = writer.write([same_text_other_facts(changning, registry)])
    assert [s.change for s in report.summaries] == ["changed"]
    assert store.stat().st_ino != before.st_ino
    text = store.read_text(encoding="utf-8")
    assert FINGERPRINT in text


def test_replacing_a_plan_keeps_shared_nodes_still_reached(changning_graph, changning,
                                                           registry) -> None:
    kg, _ = with_documents(changning_graph, [same_text_other_facts(changning, registry)])
    backend = MemoryBackend(kg)
    assert TASK_6_REMOVED not in [o.name for o in backend.task_owners("6")]
    # 区数据局 still owns tasks 5 and 10 (read from the plan): its node stays.
    assert [t.number for t in backend.unit_tasks(TASK_6_REMOVED)] == [5, 10]
    assert kg.to_node_link()["nodes"] != changning_graph.to_node_link()["nodes"]


def test_removing_the_only_plan_leaves_nothing_it_brought(changning_graph) -> None:
    kg = changning_graph.copy()
    kg.remove_document(changning_graph.document_ids()[0])
    assert len(kg) == 0  # every unit and venue was reached through that plan alone

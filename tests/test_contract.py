"""One suite, two backends: every question gives the same answer embedded and on Neo4j.

Expected values are read from the Changning plan's responsible-unit lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from livekg.graph.backend import GraphBackend, MemoryBackend
from livekg.graph.errors import NodeNotFound

TASK_6_OWNERS = ["区商务委", "区人才局", "区人社局", "区市场监管局", "区委宣传部", "区委网信办",
                 "区数据局", "区委社会工作部", "区文旅局", "各街镇", "东虹办", "市直播电商联盟",
                 "市网购商会", "市网络视听协会"]
# Tasks whose lists name 区商务委: every task but 10, 19 and 21–23.
COMMERCE_TASKS = [n for n in range(1, 24) if n not in (10, 19, 21, 22, 23)]
# Tasks naming both 区商务委 and 区委网信办.
COMMERCE_AND_CAC = [1, 2, 3, 4, 5, 6, 8, 9, 14, 15, 16, 17, 18, 20]


@pytest.fixture
def memory(changning_graph) -> MemoryBackend:
    return MemoryBackend(changning_graph)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request, memory) -> GraphBackend:
    if request.param == "memory":
        return memory
    return request.getfixturevalue("neo4j_changning")


def same_on_both(request, question: Callable[[GraphBackend], Any]) -> Any:
    """The memory answer, after checking Neo4j gives exactly the same."""
    memory = MemoryBackend(request.getfixturevalue("changning_graph"))
    neo4j = request.getfixturevalue("neo4j_changning")
    expected = question(memory)
    assert question(neo4j) == expected
    return expected


QUESTIONS: dict[str, Callable[[GraphBackend], Any]] = {
    "task_owners 6": lambda b: b.task_owners("6"),
    "task_owners by id": lambda b: b.task_owners(
        "changning-livestream-action-plan-2024-2026:task:15"),
    "unit_tasks 区商务委": lambda b: b.unit_tasks("区商务委"),
    "unit_tasks by English name": lambda b: b.unit_tasks("Changning District Sports Bureau"),
    "unit_co_owners 区商务委": lambda b: b.unit_co_owners("区商务委"),
    "unit_co_owners 市网购商会": lambda b: b.unit_co_owners("市网购商会"),
    "tasks_co_owned_by pair": lambda b: b.tasks_co_owned_by(["区商务委", "区委网信办"]),
    "tasks_co_owned_by three": lambda b: b.tasks_co_owned_by(["区商务委", "区人社局", "区科委"]),
    "tasks_mentioning 愚园路": lambda b: b.tasks_mentioning("愚园路"),
    "tasks_mentioning 携程": lambda b: b.tasks_mentioning("携程"),
    "neighbourhood 区外办 1": lambda b: b.neighbourhood("区外办", 1),
    "neighbourhood 农展馆 2": lambda b: b.neighbourhood("农展馆", 2),
    "shortest_path": lambda b: b.shortest_path("区体育局", "区外办"),
    "search 商务委": lambda b: b.search("商务委"),
    "search yuyuan": lambda b: b.search("yuyuan"),
    "search Road": lambda b: b.search("road", limit=5),
    "stats": lambda b: b.stats(),
    "node": lambda b: b.node("shanghai-online-shopping-chamber"),
    "list_nodes Unit": lambda b: b.list_nodes("Unit"),
    "list_nodes Task": lambda b: b.list_nodes("Task"),
    "related task 9 mentions": lambda b: b.related(
        "changning-livestream-action-plan-2024-2026:task:9", "MENTIONS", "out"),
    "related task 9 owners": lambda b: b.related(
        "changning-livestream-action-plan-2024-2026:task:9", "RESPONSIBLE_FOR", "in"),
    "node_link all": lambda b: b.node_link(),
    "node_link units and tasks": lambda b: b.node_link(labels=["Unit", "Task"]),
}


@pytest.mark.neo4j
@pytest.mark.parametrize("name", QUESTIONS)
def test_both_backends_give_identical_answers(request, name: str) -> None:
    same_on_both(request, QUESTIONS[name])


def test_task_6_owners_in_document_order(backend: GraphBackend) -> None:
    owners = backend.task_owners("6")
    assert [o.name for o in owners] == TASK_6_OWNERS
    assert [o.rank for o in owners] == list(range(1, 15))


def test_commerce_commission_owns_18_tasks(backend: GraphBackend) -> None:
    assert [t.number for t in backend.unit_tasks("区商务委")] == COMMERCE_TASKS


def test_top_co_owners_of_the_commerce_commission(backend: GraphBackend) -> None:
    co_owners = backend.unit_co_owners("区商务委")
    assert [(c.name, c.count) for c in co_owners[:2]] == [("区委网信办", 14), ("区文旅局", 13)]
    assert [int(t.rsplit(":", 1)[1]) for t in co_owners[0].shared_tasks] == COMMERCE_AND_CAC


def test_tasks_co_owned_by_a_pair(backend: GraphBackend) -> None:
    tasks = backend.tasks_co_owned_by(["区商务委", "区委网信办"])
    assert [t.number for t in tasks] == COMMERCE_AND_CAC


def test_venue_mentions_trace_to_their_sentence(backend: GraphBackend, changning) -> None:
    (mention,) = backend.tasks_mentioning("愚园路")
    assert mention.task.number == 9
    start, end = mention.span
    assert changning.text[start:end] == "愚园路"
    assert mention.sentence.startswith("依托愚园路的网红打卡地属性")


def test_shortest_path_between_two_units_runs_through_shared_tasks(
        backend: GraphBackend) -> None:
    path = backend.shortest_path("区体育局", "区外办")
    assert path is not None
    labels = [node.labels[0] for node in path.nodes]
    assert labels == ["Unit", "Task", "Unit", "Task", "Unit"]
    assert len(path.edges) == 4


def test_search_ranks_names_and_pinyin(backend: GraphBackend) -> None:
    assert backend.search("商务委")[0].node.name == "区商务委"
    assert backend.search("yuyuan")[0].node.name == "愚园路"
    assert backend.search("shangwuwei")[0].node.name == "区商务委"


def test_unknown_names_are_refused_with_suggestions(backend: GraphBackend) -> None:
    with pytest.raises(NodeNotFound) as error:
        backend.unit_tasks("区商务")
    assert "区商务委" in error.value.suggestions


def test_counts_agree_with_the_document(backend: GraphBackend) -> None:
    stats = backend.stats()
    assert stats.relationships_by_type["RESPONSIBLE_FOR"] == 127
    assert stats.nodes_by_label["Task"] == 23
    assert stats.documents == ["changning-livestream-action-plan-2024-2026"]


def test_digits_that_are_not_ascii_are_not_task_numbers(backend: GraphBackend) -> None:
    with pytest.raises(NodeNotFound):
        backend.task_owners("¹")

"""The contract suite: every question of GraphBackend, asked of both backends (embedded and a
real Neo4j), must give the answer the document gives, and the same answer on both.

Expected values are read from the Changning plan's responsible-unit lists and task texts.
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
# Tasks naming both 区商务委 and 区委网信办 (区委网信办 owns 1-6, 8, 9, 14-20; all but 19).
COMMERCE_AND_CAC = [1, 2, 3, 4, 5, 6, 8, 9, 14, 15, 16, 17, 18, 20]
# 区文旅局 owns 1-6, 8, 9, 14, 15, 17-20; all but 19 are shared with 区商务委.
CULTURE_SHARED = [1, 2, 3, 4, 5, 6, 8, 9, 14, 15, 17, 18, 20]
# 区委宣传部 owns 1, 4, 5, 6, 8, 9, 14, 15, 17, 19; all but 19 are shared with 区商务委.
PUBLICITY_SHARED = [1, 4, 5, 6, 8, 9, 14, 15, 17]
TASK_9 = "changning-livestream-action-plan-2024-2026:task:9"


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
    "unit_tasks 区外办 (not lead)": lambda b: b.unit_tasks("区外办"),
    "task_leads": lambda b: b.task_leads(),
    "workload by id": lambda b: b.workload(),
    "workload by tasks led": lambda b: b.workload("tasks_led"),
    "workload by partners": lambda b: b.workload("partners"),
    "unit_workload 区商务委": lambda b: b.unit_workload("区商务委"),
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


# -- every question, on both backends ------------------------------------------------------------
def _numbers(task_ids: list[str]) -> list[int]:
    return [int(task_id.rsplit(":", 1)[1]) for task_id in task_ids]


def test_task_owners_by_task_id(backend: GraphBackend, changning) -> None:
    owners = backend.task_owners(changning.tasks[15].id)
    assert [o.name for o in owners] == ["区商务委", "区委网信办"]


def test_unit_tasks_carry_their_titles(backend: GraphBackend) -> None:
    tasks = backend.unit_tasks("区商务委")
    assert tasks[0].title == "推动直播平台创新发展"
    assert tasks[-1].title == "加强行业自律"
    assert [t.number for t in backend.unit_tasks("区外办")] == [14]


def test_co_owners_come_most_shared_first_with_their_shared_tasks(
        backend: GraphBackend) -> None:
    co = backend.unit_co_owners("区商务委")
    assert [(c.name, c.count) for c in co[:3]] == [
        ("区委网信办", 14), ("区文旅局", 13), ("区委宣传部", 9)]
    assert _numbers(co[1].shared_tasks) == CULTURE_SHARED
    assert _numbers(co[2].shared_tasks) == PUBLICITY_SHARED
    assert "区商务委" not in [c.name for c in co]
    # 区外办 shares task 14 only.
    assert next(c.count for c in co if c.name == "区外办") == 1


def test_tasks_co_owned_by_three_units(backend: GraphBackend) -> None:
    tasks = backend.tasks_co_owned_by(["区商务委", "区委网信办", "区体育局"])
    assert [t.number for t in tasks] == [1, 4]


def test_no_units_own_no_tasks_together(backend: GraphBackend) -> None:
    assert backend.tasks_co_owned_by([]) == []


def test_ctrip_is_mentioned_in_tasks_4_and_14(backend: GraphBackend) -> None:
    mentions = backend.tasks_mentioning("携程")
    assert [m.task.number for m in mentions] == [4, 14]
    assert all(m.entity.name == "携程" for m in mentions)


@pytest.mark.parametrize("ref", [
    "changning-commerce-commission",              # id
    "区商务委",                                     # short name, as in the document
    "上海市长宁区商务委员会",                          # full name
    "长宁区商务委",                                  # alias
    "Changning District Commission of Commerce",  # English name
    "changning district commission of commerce",  # ... in any case
    " 区商务委 ",                                   # surrounding spaces
])
def test_resolve_accepts_any_name(backend: GraphBackend, ref: str) -> None:
    assert backend.resolve(ref) == "changning-commerce-commission"
    assert backend.resolve(ref, "Unit") == "changning-commerce-commission"


def test_resolve_task_by_number(backend: GraphBackend, changning) -> None:
    assert backend.resolve("23", "Task") == changning.tasks[22].id


def test_an_id_of_another_label_is_not_that_label(backend: GraphBackend) -> None:
    with pytest.raises(NodeNotFound):
        backend.resolve("changning-commerce-commission", "Task")


def test_unknown_name_names_itself_and_suggests(backend: GraphBackend) -> None:
    with pytest.raises(NodeNotFound) as raised:
        backend.resolve("区商务局", "Unit")
    assert "区商务委" in raised.value.suggestions
    assert "区商务局" in str(raised.value)


def test_unknown_task_number(backend: GraphBackend) -> None:
    with pytest.raises(NodeNotFound):
        backend.task_owners("24")


def test_neighbourhood_of_a_venue(backend: GraphBackend, changning) -> None:
    sub = backend.neighbourhood("愚园路")
    assert {n.name for n in sub.nodes} == {"愚园路", "打造特色直播场景"}
    assert [(e.type, e.source) for e in sub.edges] == [("MENTIONS", changning.tasks[8].id)]


def test_neighbourhood_of_task_9(backend: GraphBackend) -> None:
    sub = backend.neighbourhood(TASK_9)
    names = {n.name for n in sub.nodes}
    owners = {"区商务委", "区委宣传部", "区委网信办", "区文旅局", "区民政局", "各街镇", "东虹办"}
    venues = {"愚园路", "Art Park大融城", "宜家荟聚", "愚见", "上生新所", "少年宫", "圣约翰大学",
              "上海舞蹈中心", "王小慧艺术馆"}
    assert owners | venues | {"优化产业生态"} <= names
    assert "打造具有影响力的直播IP活动" not in names  # task 8 is two hops away
    # Every edge stays inside the neighbourhood and every owner edge is there.
    ids = {n.id for n in sub.nodes}
    assert all(e.source in ids and e.target in ids for e in sub.edges)
    assert len([e for e in sub.edges
                if e.type == "RESPONSIBLE_FOR" and e.target == TASK_9]) == 7


def test_shortest_path_between_units_goes_through_their_shared_task(
        backend: GraphBackend, changning) -> None:
    path = backend.shortest_path("区外办", "区委宣传部")
    assert path is not None
    assert [n.name for n in path.nodes] == ["区外办", "支持平台和MCN机构走出去", "区委宣传部"]
    assert path.nodes[1].id == changning.tasks[13].id
    assert [e.type for e in path.edges] == ["RESPONSIBLE_FOR", "RESPONSIBLE_FOR"]


def test_shortest_path_sports_and_finance(backend: GraphBackend) -> None:
    # 区体育局 (tasks 1, 4) and 区财政局 (tasks 4, 10, 11, 13) share task 4 only.
    path = backend.shortest_path("区体育局", "区财政局")
    assert path is not None
    assert [n.name for n in path.nodes] == ["区体育局", "大力支持品牌直播发展", "区财政局"]


def test_a_path_from_a_node_to_itself_is_the_node(backend: GraphBackend) -> None:
    path = backend.shortest_path("区外办", "区外办")
    assert path is not None
    assert [n.name for n in path.nodes] == ["区外办"]
    assert path.edges == []


def test_search_for_nothing_finds_nothing(backend: GraphBackend) -> None:
    assert backend.search("   ") == []
    assert backend.search("绝对不存在的名字") == []


def test_search_says_what_matched_and_prefers_english_to_pinyin(backend: GraphBackend) -> None:
    # 愚园路: English name "Yuyuan Road", pinyin "yuyuanlu"; both start with the query, and
    # of equal matches the English name is the preferred property.
    hit = backend.search("yuyuan")[0]
    assert (hit.node.name, hit.matched, hit.field) == ("愚园路", "Yuyuan Road", "english_name")


def test_stats_count_the_document(backend: GraphBackend) -> None:
    s = backend.stats()
    assert s.nodes_by_label["Document"] == 1
    assert s.nodes_by_label["Section"] == 8
    assert s.nodes_by_label["Target"] == 1
    assert s.relationships_by_type["IMPLEMENTS"] == 1
    assert s.relationships_by_type["INCLUDES"] == 10


def test_related_gives_a_tasks_owners_with_their_rank(backend: GraphBackend) -> None:
    pairs = backend.related(TASK_9, "RESPONSIBLE_FOR", "in")
    assert sorted((link["rank"], unit["name"]) for link, unit in pairs)[:2] == [
        (1, "区商务委"), (2, "区委宣传部")]
    assert backend.related("no-such-node", "MENTIONS", "out") == []


def test_node_link_keeps_only_links_between_kept_nodes(backend: GraphBackend) -> None:
    data = backend.node_link(labels=["Unit", "Task"])
    assert {label for node in data["nodes"] for label in node["labels"]} <= {
        "Unit", "Task", "Association"}  # 市网购商会 is a unit and an association
    assert {link["type"] for link in data["links"]} == {"RESPONSIBLE_FOR", "MENTIONS",
                                                        "INCLUDES"}
    assert len([n for n in data["nodes"] if "Task" in n["labels"]]) == 23


def test_unknown_labels_and_types_are_refused(backend: GraphBackend) -> None:
    with pytest.raises(ValueError):
        backend.list_nodes("Nonsense")
    with pytest.raises(ValueError):
        backend.related(TASK_9, "NONSENSE", "out")
    with pytest.raises(ValueError):
        backend.node_link(labels=["Nonsense"])


def test_read_only_cypher_is_a_capability_of_neo4j_only(backend: GraphBackend) -> None:
    if backend.name == "memory":
        assert backend.cypher is None
        return
    assert backend.cypher is not None
    result = backend.cypher.run("MATCH (t:Task {number: $n}) RETURN t.title AS title",
                                {"n": 9})
    assert result.rows == [{"title": "打造特色直播场景"}]

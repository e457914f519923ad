"""The questions, asked of the embedded graph of the Changning plan."""

from __future__ import annotations

import pytest

from livekg.graph import questions
from livekg.graph.errors import NodeNotFound

TASK_6_OWNERS = ["区商务委", "区人才局", "区人社局", "区市场监管局", "区委宣传部", "区委网信办",
                 "区数据局", "区委社会工作部", "区文旅局", "各街镇", "东虹办", "市直播电商联盟",
                 "市网购商会", "市网络视听协会"]
COMMERCE_TASKS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 20]
# 区委网信办 owns 1-6, 8, 9, 14-20; all but 19 are shared with 区商务委.
CYBERSPACE_SHARED = [1, 2, 3, 4, 5, 6, 8, 9, 14, 15, 16, 17, 18, 20]
# 区文旅局 owns 1-6, 8, 9, 14, 15, 17-20; all but 19 are shared with 区商务委.
CULTURE_SHARED = [1, 2, 3, 4, 5, 6, 8, 9, 14, 15, 17, 18, 20]
# 区委宣传部 owns 1, 4, 5, 6, 8, 9, 14, 15, 17, 19; all but 19 are shared with 区商务委.
PUBLICITY_SHARED = [1, 4, 5, 6, 8, 9, 14, 15, 17]


def _numbers(task_ids, kg):
    return [kg.node(t)["number"] for t in task_ids]


def test_task_owners_of_task_6_in_order(changning_graph):
    owners = questions.task_owners(changning_graph, "6")
    assert [o.name for o in owners] == TASK_6_OWNERS
    assert [o.rank for o in owners] == list(range(1, 15))


def test_task_owners_by_task_id(changning_graph, changning):
    owners = questions.task_owners(changning_graph, changning.tasks[15].id)
    assert [o.name for o in owners] == ["区商务委", "区委网信办"]


def test_unit_tasks_of_commerce_commission(changning_graph):
    tasks = questions.unit_tasks(changning_graph, "区商务委")
    assert [t.number for t in tasks] == COMMERCE_TASKS
    assert tasks[0].title == "推动直播平台创新发展"
    assert tasks[-1].title == "加强行业自律"


def test_unit_tasks_of_foreign_affairs_office(changning_graph):
    assert [t.number for t in questions.unit_tasks(changning_graph, "区外办")] == [14]


def test_co_owners_of_commerce_commission(changning_graph):
    co = questions.unit_co_owners(changning_graph, "区商务委")
    assert [(c.name, c.count) for c in co[:3]] == [
        ("区委网信办", 14), ("区文旅局", 13), ("区委宣传部", 9)]
    assert _numbers(co[0].shared_tasks, changning_graph) == CYBERSPACE_SHARED
    assert _numbers(co[1].shared_tasks, changning_graph) == CULTURE_SHARED
    assert _numbers(co[2].shared_tasks, changning_graph) == PUBLICITY_SHARED
    assert "区商务委" not in [c.name for c in co]
    # 区外办 shares task 14 only.
    assert next(c.count for c in co if c.name == "区外办") == 1


def test_tasks_co_owned_by_two_units(changning_graph):
    tasks = questions.tasks_co_owned_by(changning_graph, ["区商务委", "区委网信办"])
    assert [t.number for t in tasks] == CYBERSPACE_SHARED


def test_tasks_co_owned_by_three_units(changning_graph):
    tasks = questions.tasks_co_owned_by(changning_graph, ["区商务委", "区委网信办", "区体育局"])
    assert [t.number for t in tasks] == [1, 4]


def test_tasks_mentioning_yuyuan_road(changning_graph):
    mentions = questions.tasks_mentioning(changning_graph, "愚园路")
    assert [m.task.number for m in mentions] == [9]
    assert mentions[0].surface == "愚园路"
    assert mentions[0].sentence.startswith("依托愚园路的网红打卡地属性")
    assert "愚园路" in mentions[0].sentence


def test_tasks_mentioning_ctrip(changning_graph):
    assert [m.task.number for m in questions.tasks_mentioning(changning_graph, "携程")] == [4, 14]


@pytest.mark.parametrize("ref", [
    "changning-commerce-commission",              # id
    "区商务委",                                     # short name, as in the document
    "上海市长宁区商务委员会",                          # full name
    "长宁区商务委",                                  # alias
    "Changning District Commission of Commerce",  # English name
    "changning district commission of commerce",  # ... in any case
    " 区商务委 ",                                   # surrounding spaces
])
def test_resolve_accepts_any_name(changning_graph, ref):
    assert questions.resolve(changning_graph, ref) == "changning-commerce-commission"
    assert questions.resolve(changning_graph, ref, "Unit") == "changning-commerce-commission"


def test_resolve_task_by_number(changning_graph, changning):
    assert questions.resolve(changning_graph, "23", "Task") == changning.tasks[22].id


def test_unknown_name_raises_with_suggestions(changning_graph):
    with pytest.raises(NodeNotFound) as raised:
        questions.resolve(changning_graph, "区商务局", "Unit")
    assert "区商务委" in raised.value.suggestions
    assert "区商务局" in str(raised.value)


def test_unknown_task_number(changning_graph):
    with pytest.raises(NodeNotFound):
        questions.task_owners(changning_graph, "24")


def test_neighbourhood_of_a_venue(changning_graph, changning):
    sub = questions.neighbourhood(changning_graph, "愚园路")
    assert {n.name for n in sub.nodes} == {"愚园路", "打造特色直播场景"}
    assert [(e.type, e.source) for e in sub.edges] == [("MENTIONS", changning.tasks[8].id)]


def test_neighbourhood_of_task_9(changning_graph, changning):
    sub = questions.neighbourhood(changning_graph, changning.tasks[8].id)
    names = {n.name for n in sub.nodes}
    owners = {"区商务委", "区委宣传部", "区委网信办", "区文旅局", "区民政局", "各街镇", "东虹办"}
    venues = {"愚园路", "Art Park大融城", "宜家荟聚", "愚见", "上生新所", "少年宫", "圣约翰大学",
              "上海舞蹈中心", "王小慧艺术馆"}
    assert owners | venues | {"优化产业生态"} <= names
    assert "打造具有影响力的直播IP活动" not in names  # task 8 is two hops away
    # Every edge stays inside the neighbourhood and every owner edge is there.
    ids = {n.id for n in sub.nodes}
    assert all(e.source in ids and e.target in ids for e in sub.edges)
    assert len([e for e in sub.edges if e.type == "RESPONSIBLE_FOR"
                and e.target == changning.tasks[8].id]) == 7


def test_shortest_path_between_units_goes_through_their_shared_task(changning_graph, changning):
    path = questions.shortest_path(changning_graph, "区外办", "区委宣传部")
    assert [n.name for n in path.nodes] == ["区外办", "支持平台和MCN机构走出去", "区委宣传部"]
    assert path.nodes[1].id == changning.tasks[13].id
    assert [e.type for e in path.edges] == ["RESPONSIBLE_FOR", "RESPONSIBLE_FOR"]


def test_shortest_path_sports_and_finance(changning_graph):
    # 区体育局 (tasks 1, 4) and 区财政局 (tasks 4, 10, 11, 13) share task 4 only.
    path = questions.shortest_path(changning_graph, "区体育局", "区财政局")
    assert [n.name for n in path.nodes] == ["区体育局", "大力支持品牌直播发展", "区财政局"]


def test_search_commerce(changning_graph):
    hits = questions.search(changning_graph, "商务委")
    assert hits[0].node.name == "区商务委"


def test_search_by_pinyin(changning_graph):
    hits = questions.search(changning_graph, "yuyuan")
    assert hits
    assert hits[0].node.name == "愚园路"


def test_search_nothing(changning_graph):
    assert questions.search(changning_graph, "   ") == []
    assert questions.search(changning_graph, "绝对不存在的名字") == []


def test_stats(changning_graph):
    s = questions.stats(changning_graph)
    assert s.nodes_by_label["Document"] == 1
    assert s.nodes_by_label["Task"] == 23
    assert s.nodes_by_label["Section"] == 8
    assert s.nodes_by_label["Target"] == 1
    assert s.relationships_by_type["RESPONSIBLE_FOR"] == 127
    assert s.relationships_by_type["IMPLEMENTS"] == 1
    assert s.relationships_by_type["INCLUDES"] == 10
    assert s.documents == ["changning-livestream-action-plan-2024-2026"]

"""Responsible units (责任单位): each task's owners, in the document's order, with spans."""

from __future__ import annotations

import pytest

# Typed from the document for a handful of tasks.
OWNERS = {
    1: ["区商务委", "区科委", "区委宣传部", "区委网信办", "区文旅局", "区体育局"],
    2: ["区商务委", "区科委", "区国资委", "区投促办", "区委网信办", "区人社局", "区房管局",
        "区文旅局", "各街镇", "东虹办"],
    10: ["区科委", "区数据局", "区发改委", "区财政局"],
    12: ["区人社局", "区人才局", "区总工会", "区教育局", "区商务委", "市网购商会"],
    15: ["区商务委", "区文旅局", "区委宣传部", "区委网信办", "东虹办", "虹桥海外发展服务中心",
         "市网购商会"],
    16: ["区商务委", "区委网信办"],
    21: ["各相关部门"],
}

COMMERCE_TASKS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 20]

SUBDISTRICTS_AND_TOWN = {
    "华阳路街道", "江苏路街道", "新华路街道", "周家桥街道", "天山路街道", "仙霞新村街道",
    "虹桥街道", "程家桥街道", "北新泾街道", "新泾镇",
}


def _lists_by_split(text: str) -> dict[int, list[str]]:
    """Each numbered line's unit list, read with plain string splitting."""
    lists = {}
    for line in text.split("\n"):
        head, dot, _ = line.partition(".")
        if dot and head.isdigit():
            unit_list = line.split("(责任单位:")[1]
            assert unit_list.endswith(")")
            lists[int(head)] = unit_list[:-1].split("、")
    return lists


def _surfaces(task):
    return [owner.surface for owner in task.owners]


@pytest.mark.parametrize("number", sorted(OWNERS))
def test_owners_typed_from_the_document(changning, number):
    assert _surfaces(changning.tasks[number - 1]) == OWNERS[number]


def test_every_task_owners_match_a_plain_split_of_the_text(changning):
    expected = _lists_by_split(changning.text)
    assert sorted(expected) == list(range(1, 24))
    for task in changning.tasks:
        assert _surfaces(task) == expected[task.number], f"task {task.number}"


def test_ranks_count_from_one_in_document_order(changning):
    for task in changning.tasks:
        assert [owner.rank for owner in task.owners] == list(range(1, len(task.owners) + 1))


def test_task_6_has_14_owners(changning):
    surfaces = _surfaces(changning.tasks[5])
    assert len(surfaces) == 14
    assert surfaces[:3] == ["区商务委", "区人才局", "区人社局"]
    assert surfaces[-3:] == ["市直播电商联盟", "市网购商会", "市网络视听协会"]


def test_every_owner_is_a_registry_unit(changning, registry):
    for task in changning.tasks:
        for owner in task.owners:
            assert owner.unit_id in registry.units, (task.number, owner.surface)


def test_same_name_same_unit_everywhere(changning):
    ids_by_surface: dict[str, set[str]] = {}
    for task in changning.tasks:
        for owner in task.owners:
            ids_by_surface.setdefault(owner.surface, set()).add(owner.unit_id)
    assert all(len(ids) == 1 for ids in ids_by_surface.values()), ids_by_surface
    # ... and different names are different units.
    unit_ids = [next(iter(ids)) for ids in ids_by_surface.values()]
    assert len(set(unit_ids)) == len(unit_ids)


def test_commerce_commission_owns_18_tasks(changning):
    owned = [t.number for t in changning.tasks if "区商务委" in _surfaces(t)]
    assert owned == COMMERCE_TASKS


def test_commerce_commission_owns_18_tasks_in_the_graph(changning_graph, changning):
    unit_id = next(o.unit_id for o in changning.tasks[0].owners if o.surface == "区商务委")
    tasks = sorted(changning_graph.node(rel["target"])["number"]
                   for rel in changning_graph.relationships("RESPONSIBLE_FOR")
                   if rel["source"] == unit_id)
    assert tasks == COMMERCE_TASKS


def test_127_responsibility_edges(changning_graph):
    # 6+10+6+6+6+14+5+9+7+4+7+6+7+5+7+2+4+4+4+5+1+1+1 entries in the 23 lists.
    assert len(list(changning_graph.relationships("RESPONSIBLE_FOR"))) == 127


def test_responsibility_edges_carry_rank_and_surface(changning_graph, changning):
    task_6 = changning.tasks[5].id
    edges = sorted((rel for rel in changning_graph.relationships("RESPONSIBLE_FOR")
                    if rel["target"] == task_6), key=lambda rel: rel["rank"])
    assert [rel["surface"] for rel in edges] == _surfaces(changning.tasks[5])
    assert [changning_graph.node(rel["source"])["name"] for rel in edges] == \
        _surfaces(changning.tasks[5])


def test_owner_spans_slice_the_source(changning):
    for task in changning.tasks:
        for owner in task.owners:
            assert changning.text[owner.span.start:owner.span.end] == owner.surface
            assert task.span.start <= owner.span.start < owner.span.end <= task.span.end


@pytest.mark.parametrize("name", ["市网购商会", "市直播电商联盟", "市网络视听协会"])
def test_city_association_is_one_node_that_is_unit_and_association(changning_graph, name):
    nodes = [n for n in changning_graph.nodes() if n["name"] == name]
    assert len(nodes) == 1
    assert {"Unit", "Association"} <= set(nodes[0]["labels"])


def test_online_shopping_chamber_owns_its_five_tasks(changning_graph):
    (node,) = [n for n in changning_graph.nodes() if n["name"] == "市网购商会"]
    # No second node for the same chamber under its full name.
    assert not [n for n in changning_graph.nodes()
                if n["name"] == "上海市网购商会" and n["id"] != node["id"]]
    tasks = sorted(changning_graph.node(rel["target"])["number"]
                   for rel in changning_graph.relationships("RESPONSIBLE_FOR")
                   if rel["source"] == node["id"])
    assert tasks == [6, 8, 12, 15, 20]


def test_association_mentioned_and_responsible_is_the_same_node(changning_graph, changning):
    # Task 6 both names 市网络视听协会 in its text and lists it as a responsible unit.
    task_6 = changning.tasks[5].id
    owner_ids = {rel["source"] for rel in changning_graph.relationships("RESPONSIBLE_FOR")
                 if rel["target"] == task_6}
    mentioned = {rel["target"] for rel in changning_graph.relationships("MENTIONS")
                 if rel["source"] == task_6
                 and changning_graph.node(rel["target"])["name"] == "市网络视听协会"}
    assert len(mentioned) == 1
    assert mentioned <= owner_ids


def test_all_subdistricts_and_towns_group(changning_graph):
    (group,) = [n for n in changning_graph.nodes() if n["name"] == "各街镇"]
    assert "Unit" in group["labels"]
    members = {changning_graph.node(rel["target"])["name"]
               for rel in changning_graph.relationships("INCLUDES")
               if rel["source"] == group["id"]}
    assert members == SUBDISTRICTS_AND_TOWN
    tasks = sorted(changning_graph.node(rel["target"])["number"]
                   for rel in changning_graph.relationships("RESPONSIBLE_FOR")
                   if rel["source"] == group["id"])
    assert tasks == [2, 3, 6, 7, 9, 11]


def test_all_relevant_departments_own_the_organisational_tasks(changning_graph):
    (group,) = [n for n in changning_graph.nodes() if n["name"] == "各相关部门"]
    tasks = sorted(changning_graph.node(rel["target"])["number"]
                   for rel in changning_graph.relationships("RESPONSIBLE_FOR")
                   if rel["source"] == group["id"])
    assert tasks == [21, 22, 23]

"""Who leads a task, and each unit's workload: asked of both backends, answered as the
documents say.

The lead rule (graph.backend.leads): the unit the document marks lead; where a task's list
marks no roles, the unit listed first. The Changning plan marks no roles, so its leads are the
first-listed units, read off each task's (责任单位:…) list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from livekg.graph.backend import GraphBackend, MemoryBackend
from livekg.loaders.pipeline import parse_file

DOC = "changning-livestream-action-plan-2024-2026"
# The first unit of each task's list in the Changning plan.
CHANGNING_LEADS = {
    "区商务委": [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16], "区科委": [10], "区人才局": [11],
    "区人社局": [12], "区投促办": [13], "区委宣传部": [14, 17, 19], "区市场监管局": [18],
    "区委网信办": [20], "各相关部门": [21, 22, 23]}
# 区商务委's place in the lists it does not head: task 11 (区人才局、区商务委…), 12 (…区教育局、
# 区商务委、市网购商会), 13 (区投促办、区发改委、区商务委…), 14 (…区文旅局、区商务委), 17, 18, 20.
COMMERCE_NOT_LEADING = {11: 2, 12: 5, 13: 3, 14: 5, 17: 4, 18: 4, 20: 4}
LABELS_PLAN = Path(__file__).parent / "fixtures" / "genre" / "labels.txt"


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def changning_backend(request, changning_graph) -> GraphBackend:
    if request.param == "memory":
        return MemoryBackend(changning_graph)
    return request.getfixturevalue("neo4j_changning")


@pytest.fixture(scope="module")
def labels_plan(registry):
    return parse_file(LABELS_PLAN, registry)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def labels_backend(request, labels_plan, backend_of) -> GraphBackend:
    """The plan whose lists say 牵头单位/配合单位 (and 区商务委牵头，…配合)."""
    return backend_of(request.param, labels_plan)


def _number(task_id: str) -> int:
    return int(task_id.rsplit(":", 1)[1])


def test_the_commerce_commission_leads_most_tasks(changning_backend: GraphBackend) -> None:
    top = changning_backend.workload("tasks_led")
    assert (top[0].name, top[0].tasks_led, top[0].task_count) == ("区商务委", 11, 18)
    assert top[0].tasks_co_owned == 7
    led = {w.name: w.tasks_led for w in top if w.tasks_led}
    assert led == {name: len(tasks) for name, tasks in CHANGNING_LEADS.items()}
    # Ties (区委宣传部 and 各相关部门 lead three each) are broken by name.
    assert [w.name for w in top[1:3]] == sorted(["区委宣传部", "各相关部门"])


def test_every_task_is_led_by_its_first_unit(changning_backend: GraphBackend) -> None:
    leads = changning_backend.task_leads()
    assert len(leads) == 23
    expected = {number: name for name, numbers in CHANGNING_LEADS.items() for number in numbers}
    assert {_number(task): [u.name for u in units] for task, units in leads.items()} == {
        number: [name] for number, name in expected.items()}


def test_a_units_tasks_carry_its_rank_and_whether_it_leads(
        changning_backend: GraphBackend) -> None:
    tasks = changning_backend.unit_tasks("区商务委")
    assert [t.number for t in tasks if t.lead] == CHANGNING_LEADS["区商务委"]
    assert {t.number: t.rank for t in tasks if not t.lead} == COMMERCE_NOT_LEADING
    assert all(t.rank == 1 for t in tasks if t.lead)
    assert all(t.role is None for t in tasks)  # the plan marks no roles


def test_workload_of_a_unit_that_leads_nothing(changning_backend: GraphBackend) -> None:
    # 区外办 is listed in task 14 only, third, beside 区委宣传部、区委网信办、区文旅局、区商务委.
    workload = changning_backend.unit_workload("区外办")
    assert (workload.task_count, workload.tasks_led, workload.tasks_co_owned,
            workload.partners) == (1, 0, 1, 4)
    (task,) = changning_backend.unit_tasks("区外办")
    assert (task.number, task.rank, task.lead) == (14, 3, False)


def test_partners_are_the_co_owners(changning_backend: GraphBackend) -> None:
    for unit in ("区商务委", "区委宣传部", "市网购商会"):
        workload = changning_backend.unit_workload(unit)
        assert workload.partners == len(changning_backend.unit_co_owners(unit))
    by_unit = {w.name: w for w in changning_backend.workload()}
    assert by_unit["区商务委"] == changning_backend.unit_workload("区商务委")


def test_task_owners_mark_the_lead(changning_backend: GraphBackend) -> None:
    owners = changning_backend.task_owners("14")
    assert [o.name for o in owners if o.lead] == ["区委宣传部"]


def test_workload_refuses_an_unknown_order(changning_backend: GraphBackend) -> None:
    with pytest.raises(ValueError, match="tasks_led"):
        changning_backend.workload("busiest")  # type: ignore[arg-type]


def test_marked_roles_decide_the_lead(labels_backend: GraphBackend) -> None:
    # Task 3: （牵头单位：区商务委；配合单位：区文旅局、区委宣传部）; task 4: （牵头部门：区人社局；
    # 配合部门：区人才局、区教育局）; task 5: （区商务委牵头，区房管局、新泾镇配合）.
    owners = labels_backend.task_owners("3")
    assert [(o.name, o.role, o.lead) for o in owners] == [
        ("区商务委", "lead", True), ("区文旅局", "support", False),
        ("区委宣传部", "support", False)]
    leads = {_number(task): [u.name for u in units]
             for task, units in labels_backend.task_leads().items()}
    assert leads[4] == ["区人社局"]
    assert leads[5] == ["区商务委"]
    # Task 1 (责任部门：区商务委、区投促办) marks no roles: the first listed leads.
    assert leads[1] == ["区商务委"]
    commerce = labels_backend.unit_workload("区商务委")
    assert (commerce.task_count, commerce.tasks_led) == (3, 3)
    culture = labels_backend.unit_workload("区文旅局")  # supports 3, alone responsible for 6
    assert (culture.task_count, culture.tasks_led, culture.tasks_co_owned) == (2, 1, 1)


def test_mentions_name_the_entity_in_english_with_its_kind_and_status(
        changning_backend: GraphBackend) -> None:
    (mention,) = changning_backend.tasks_mentioning("愚园路")
    entity = mention.entity
    assert (entity.name, entity.english_name, entity.kind, entity.status) == (
        "愚园路", "Yuyuan Road", "street", "registered")


def test_a_unit_listed_in_no_task_carries_nothing(changning_backend: GraphBackend) -> None:
    # 北新泾街道 is one of 各街镇's members; no list names it itself.
    assert changning_backend.unit_tasks("北新泾街道") == []
    workload = changning_backend.unit_workload("北新泾街道")
    assert (workload.task_count, workload.tasks_led, workload.partners) == (0, 0, 0)
    assert workload in changning_backend.workload()


# A real plan whose lead is not listed first: 岚综管综〔2017〕175号, item 二、
# "区环境与国土资源局配合规划局对划定的水源水库、地质公园等重要生态功能区域界线进行确认。"
# — 规划局 leads although 区环境与国土资源局 is written first.
REDLINE_PLAN = (Path(__file__).parent / "corpus"
                / "pt-2017-lzgz-175-ecological-redline-division.txt")


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def redline_backend(request, parsed_file, backend_of) -> GraphBackend:
    return backend_of(request.param, parsed_file(REDLINE_PLAN))


def test_a_marked_lead_listed_second_leads(redline_backend: GraphBackend) -> None:
    held = {task.marker: task for task in redline_backend.unit_tasks("区环境与国土资源局")}
    task = held["二、"]
    assert (task.rank, task.role, task.lead) == (1, "support", False)
    assert [unit.name for unit in redline_backend.task_leads()[task.id]] == ["规划局"]
    assert redline_backend.unit_workload("区环境与国土资源局").tasks_led == 0

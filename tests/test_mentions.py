"""Names of venues, bases, enterprises, technologies … found in the task texts."""

from __future__ import annotations

import itertools

import pytest

QUOTES = "“”《》"

TASK_9_VENUES = ["愚园路", "Art Park大融城", "宜家荟聚", "愚见", "上生新所", "少年宫", "圣约翰大学",
                 "上海舞蹈中心", "王小慧艺术馆"]


@pytest.fixture(scope="module")
def names(registry):
    """Registry id for every entity name (the form without quotes)."""
    return {entity.name: entity.id for entity in registry.entities.values()}


def _unquoted(text: str) -> str:
    return "".join(c for c in text if c not in QUOTES)


def _mentioned_names(task, registry):
    return [registry.entities[m.entity_id].name if m.entity_id in registry.entities
            else registry.units[m.entity_id].short_name for m in task.mentions]


def _tasks_mentioning(changning, entity_id):
    return sorted({t.number for t in changning.tasks for m in t.mentions
                   if m.entity_id == entity_id})


def test_task_9_venues_in_order(changning, registry):
    task = changning.tasks[8]
    venues = [m for m in task.mentions
              if m.entity_id in registry.entities
              and registry.entities[m.entity_id].label == "Venue"]
    assert [m.surface for m in venues] == TASK_9_VENUES


def test_task_2_mentions_both_bases(changning, registry):
    task = changning.tasks[1]
    bases = [registry.entities[m.entity_id].name for m in task.mentions
             if m.entity_id in registry.entities
             and registry.entities[m.entity_id].label == "Base"]
    assert bases == ["尚街·创邑SPACE", "容么么数字中心"]


@pytest.mark.parametrize(("name", "tasks"), [
    ("携程", [4, 14]),
    ("爱奇艺", [4, 17]),
    ("农展馆", [7]),
    ("愚园路", [9]),
    ("飞书深诺", [17]),
    ("上海国际MCN发展与服务联盟", [3, 15]),  # task 15 writes 上海MCN发展与服务联盟
    ("人工智能大模型", [5]),
])
def test_which_tasks_mention(changning, names, name, tasks):
    assert _tasks_mentioning(changning, names[name]) == tasks


def test_every_mention_span_points_at_its_surface(changning):
    for task in changning.tasks:
        for mention in task.mentions:
            where = (task.number, mention.surface)
            assert changning.text[mention.span.start:mention.span.end] == mention.surface, where
            assert task.span.start <= mention.span.start < mention.span.end <= task.span.end
            assert mention.surface in mention.sentence, where
            assert task.sentences[mention.sentence_index].text == mention.sentence, where


def test_every_mention_is_a_registry_name(changning, registry):
    for task in changning.tasks:
        for mention in task.mentions:
            if mention.entity_id in registry.entities:
                entity = registry.entities[mention.entity_id]
                known = {_unquoted(n) for n in (entity.name, *entity.aliases)}
            else:
                unit = registry.units[mention.entity_id]
                known = {unit.short_name, unit.full_name, *unit.aliases}
            assert _unquoted(mention.surface) in known, (task.number, mention.surface)


def test_mentions_in_a_task_never_overlap(changning):
    for task in changning.tasks:
        spans = sorted((m.span.start, m.span.end) for m in task.mentions)
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start, task.number


def test_longest_match_wins_in_task_5(changning, registry):
    # 人工智能大模型, 生成式人工智能 and 数字人主播 contain the shorter registry names
    # 人工智能 and 数字人; only the longer names are reported.
    assert _mentioned_names(changning.tasks[4], registry) == [
        "人工智能大模型", "区块链", "生成式人工智能", "数字人主播", "3D直播间", "数字人主播"]


def test_generative_ai_is_not_also_artificial_intelligence(changning, names):
    task = changning.tasks[4]
    start = task.text.index("生成式人工智能") + task.span.start
    at_that_place = [m for m in task.mentions
                     if m.span.start < start + len("生成式人工智能") and start < m.span.end]
    assert [m.entity_id for m in at_that_place] == [names["生成式人工智能"]]
    assert names["人工智能"] not in {m.entity_id for m in task.mentions}


def test_task_1_adjacent_names_all_found(changning, registry):
    # 大数据、人工智能、数字人、扩展现实 sit next to each other; each is a name of its own.
    assert _mentioned_names(changning.tasks[0], registry) == [
        "大数据", "人工智能", "数字人", "扩展现实", "长宁咖啡文化节", "最虹桥嘉年华",
        "上海女子半程马拉松", "长宁微旅行"]


def test_task_10_policy_names_win_over_the_technology_inside(changning, registry):
    names_10 = _mentioned_names(changning.tasks[9], registry)
    assert "本市新型基础设施建设行动" in names_10
    assert "推动人工智能大模型创新发展若干措施" in names_10
    assert "人工智能大模型" not in names_10


def test_quoted_part_of_a_name_maps_to_the_whole_name(changning, names):
    # “最虹桥”嘉年华 (task 1) and “丝路云品”联盟企业 (task 16).
    assert _tasks_mentioning(changning, names["最虹桥嘉年华"]) == [1]
    assert _tasks_mentioning(changning, names["丝路云品联盟"]) == [16]


def test_unit_named_inside_a_longer_entity_name_resolves_to_the_longer(changning, names):
    # Task 15: 上海市网购商会出海服务专委会 is the committee, not the chamber itself.
    task = changning.tasks[14]
    ids = [m.entity_id for m in task.mentions]
    assert names["上海市网购商会出海服务专委会"] in ids
    assert "市网购商会" not in [m.surface for m in task.mentions]


def test_review_list_of_the_bundled_plan_is_settled(changning):
    # Every name discovery finds in the bundled plan is registered, generic (《行动计划》) or
    # rejected in data/registry/reviewed.yaml (“丝路云品”, “文化出海”): nothing left to review.
    assert changning.review == ()


def test_review_items_are_not_registry_names(changning, registry):
    known = {_unquoted(n) for e in registry.entities.values() for n in (e.name, *e.aliases)}
    known |= {n for u in registry.units.values()
              for n in (u.short_name, u.full_name, *u.aliases) if n}
    for item in changning.review:
        assert _unquoted(item.surface) not in known, item


def test_review_items_point_at_their_text(changning):
    for item in changning.review:
        assert _unquoted(changning.text[item.span.start:item.span.end]) == \
            _unquoted(item.surface)
        assert item.surface in item.sentence
        task = changning.tasks[item.task_number - 1]
        assert task.span.start <= item.span.start < item.span.end <= task.span.end


def test_mentions_in_the_graph(changning_graph, changning):
    mentions = list(changning_graph.relationships("MENTIONS"))
    assert len(mentions) == sum(len(t.mentions) for t in changning.tasks)
    task_9 = changning.tasks[8].id
    venues = {changning_graph.node(rel["target"])["name"] for rel in mentions
              if rel["source"] == task_9 and "Venue" in changning_graph.labels(rel["target"])}
    assert venues == set(TASK_9_VENUES)

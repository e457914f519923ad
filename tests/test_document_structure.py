"""The outline of the Changning plan: sections, the 23 tasks, the target, the implemented plan.

Every expected value below was typed from reading
data/documents/changning-livestream-action-plan-2024-2026.txt.
"""

from __future__ import annotations

import shutil

import pytest

from livekg.loaders.pipeline import parse_file

TITLES = {
    1: "推动直播平台创新发展",
    2: "提升直播基地能级",
    3: "培育壮大MCN机构",
    4: "大力支持品牌直播发展",
    5: "加快直播经济模式创新",
    6: "优化直播经济综合服务",
    7: "推动直播经济与传统产业联动发展",
    8: "打造具有影响力的直播IP活动",
    9: "打造特色直播场景",
    10: "加大算力等基础设施供给",
    11: "做好直播人才引进和服务保障",
    12: "加强直播人才培养和评价",
    13: "加大政策支持引导",
    14: "支持平台和MCN机构走出去",
    15: "做好直播经济走出去服务",
    16: "鼓励开展跨境电商直播业务",
    17: "扩大国际交流合作",
    18: "深化包容审慎监管",
    19: "营造公平发展环境",
    20: "加强行业自律",
    21: "加强组织实施",
    22: "建立长效工作机制",
    23: "做好宣传引导",
}

# (marker as written, title, 1-based line in the file)
SECTIONS = [
    ("一、", "工作目标", 2),
    ("二、", "主要任务", 5),
    ("(一)", "加快主体培育", 7),
    ("(二)", "优化产业生态", 13),
    ("(三)", "加强要素保障", 18),
    ("(四)", "支持直播经济走出去", 23),
    ("(五)", "引导规范发展", 28),
    ("三、", "组织保障", 32),
]

TASKS_BY_SECTION = {
    "(一)": range(1, 6),
    "(二)": range(6, 10),
    "(三)": range(10, 14),
    "(四)": range(14, 18),
    "(五)": range(18, 21),
    "三、": range(21, 24),
}

# 1-based line of each task in the file.
TASK_LINES = {
    **{n: 7 + n for n in range(1, 6)},     # lines 8-12
    **{n: 8 + n for n in range(6, 10)},    # lines 14-17
    **{n: 9 + n for n in range(10, 14)},   # lines 19-22
    **{n: 10 + n for n in range(14, 18)},  # lines 24-27
    **{n: 11 + n for n in range(18, 21)},  # lines 29-31
    **{n: 12 + n for n in range(21, 24)},  # lines 33-35
}


def test_there_are_23_tasks_numbered_1_to_23(changning):
    assert [task.number for task in changning.tasks] == list(range(1, 24))


@pytest.mark.parametrize("number", sorted(TITLES))
def test_task_title_and_marker(changning, number):
    task = changning.tasks[number - 1]
    assert task.number == number
    assert task.title == TITLES[number]
    assert task.marker == f"{number}."


def test_task_text_is_its_whole_line(changning):
    lines = changning.text.split("\n")
    for task in changning.tasks:
        assert task.line == TASK_LINES[task.number]
        assert task.text == lines[task.line - 1]
        assert changning.text[task.span.start:task.span.end] == task.text


def test_sections_markers_titles_and_lines(changning):
    found = [(s.marker, s.title, s.line) for s in changning.sections]
    assert found == SECTIONS


def test_subsections_belong_to_main_tasks_heading(changning):
    by_marker = {s.marker: s for s in changning.sections}
    main_tasks = by_marker["二、"]
    for marker in ("(一)", "(二)", "(三)", "(四)", "(五)"):
        assert by_marker[marker].parent_id == main_tasks.id
        assert by_marker[marker].level == 2
    for marker in ("一、", "二、", "三、"):
        assert by_marker[marker].parent_id is None
        assert by_marker[marker].level == 1


@pytest.mark.parametrize("marker", list(TASKS_BY_SECTION))
def test_section_holds_its_tasks(changning, marker):
    section = next(s for s in changning.sections if s.marker == marker)
    held = [task.number for task in changning.tasks if task.section_id == section.id]
    assert held == list(TASKS_BY_SECTION[marker])


def test_section_span_slices_the_heading_line(changning):
    for section in changning.sections:
        assert changning.text[section.span.start:section.span.end] == section.marker + \
            section.title


def test_the_target(changning):
    assert len(changning.targets) == 1
    target = changning.targets[0]
    assert (target.metric, target.operator, target.value, target.unit, target.year) == (
        "直播经济各类主体规模", ">", 250, "家", 2026)


def test_the_target_keeps_its_sentence(changning):
    target = changning.targets[0]
    assert target.sentence == "力争到2026年,区域内直播经济各类主体规模超过250家。"
    assert "超过250家" in changning.text[target.span.start:target.span.end]


def test_the_implemented_city_plan(changning, registry):
    assert len(changning.implements) == 1
    policy = changning.implements[0]
    title = "上海市推动直播经济高质量发展三年行动计划(2024-2026年)"
    assert policy.title == title
    assert changning.text[policy.span.start:policy.span.end] == title
    assert policy.sentence.startswith("为落实《上海市推动直播经济高质量发展三年行动计划")
    # It is the registry's record of that plan, not an ad-hoc node.
    assert registry.entities[policy.entity_id].label == "Policy"
    assert registry.entities[policy.entity_id].name == title


def test_the_implemented_plan_is_in_the_graph(changning_graph, changning):
    doc_id = changning.document.id
    targets = [
        changning_graph.node(rel["target"]) for rel in changning_graph.relationships("IMPLEMENTS")
        if rel["source"] == doc_id
    ]
    assert [(t["labels"], t["name"]) for t in targets] == [
        (["Policy"], "上海市推动直播经济高质量发展三年行动计划(2024-2026年)")]


def test_attachment_line(changning):
    assert changning.document.attachment == "附件:推动直播经济高质量发展三年行动计划任务分工表"


def test_document_metadata_from_sidecar(changning):
    meta = changning.document
    assert meta.id == "changning-livestream-action-plan-2024-2026"
    assert meta.title == "长宁区推动直播经济高质量发展三年行动计划(2024-2026年)"
    assert meta.jurisdiction == "shanghai-changning"
    assert meta.source_file == "changning-livestream-action-plan-2024-2026.txt"
    assert meta.encoding == "utf-8"


def test_without_sidecar_title_comes_from_the_attachment_line(tmp_path, changning_path,
                                                              registry):
    copy = tmp_path / "plan.txt"
    shutil.copyfile(changning_path, copy)
    parsed = parse_file(copy, registry)
    assert parsed.document.jurisdiction == "shanghai-changning"
    assert parsed.document.title.startswith("长宁区")
    assert "推动直播经济高质量发展三年行动计划" in parsed.document.title
    assert not parsed.document.title.endswith("任务分工表")
    assert [t.title for t in parsed.tasks] == [TITLES[n] for n in range(1, 24)]


def test_sentence_spans_slice_the_source(changning):
    for task in changning.tasks:
        assert task.sentences, f"task {task.number} has no sentences"
        for index, sentence in enumerate(task.sentences):
            assert sentence.index == index
            assert changning.text[sentence.span.start:sentence.span.end] == sentence.text


def test_sentences_cover_the_task_text_before_its_unit_list(changning):
    for task in changning.tasks:
        body = task.text.split("(责任单位:")[0]
        assert "".join(s.text for s in task.sentences) == body


def test_task_1_sentences(changning):
    sentences = [s.text for s in changning.tasks[0].sentences]
    # Task 1 has six full stops before its unit list.
    assert len(sentences) == 6
    assert sentences[2] == ("推动直播平台提升大数据、人工智能、数字人、扩展现实等技术应用水平,"
                            "注重加大技术创新与模式创新,形成一批具有示范引领作用的优质直播案例。")
    assert sentences[-1].endswith("展现长宁城市魅力。")

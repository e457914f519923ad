"""Unit-list forms of real published plans (tests/corpus/, sources in its README).

Each test names the form, quotes the real sentence it rests on (checked to be in the plan as
published), loads that plan with no sidecar and checks the task that carries the sentence.
Expected owners were typed from reading the sentence, not from the parser's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from livekg.loaders.models import ParsedDocument, Task
from livekg.loaders.pipeline import parse_file
from livekg.loaders.unit_lists import find_unit_lists

CORPUS = Path(__file__).resolve().parent / "corpus"
L, S = "lead", "support"


@pytest.fixture(scope="module")
def plan(registry):
    cache: dict[str, ParsedDocument] = {}

    def load(slug: str) -> ParsedDocument:
        if slug not in cache:
            cache[slug] = parse_file(CORPUS / f"{slug}.txt", registry)
        return cache[slug]
    return load


def task_with(doc: ParsedDocument, sentence: str) -> Task:
    """The task whose text holds `sentence`, after checking the plan really says it."""
    assert sentence in doc.text, f"not in {doc.document.source_file}: {sentence}"
    at = doc.text.index(sentence)
    return next(t for t in doc.tasks if t.span.start <= at < t.span.end)


def owners(task: Task) -> list[tuple[str, str | None]]:
    return [(o.surface, o.role) for o in task.owners]


def owners_in(doc: ParsedDocument, task: Task, sentence: str) -> list[tuple[str, str | None]]:
    """The owners from the list in `sentence` only (a task may carry several lists)."""
    start = doc.text.index(sentence)
    return [(o.surface, o.role) for o in task.owners
            if start <= o.span.start < start + len(sentence)]


def test_label_line_after_the_task(plan):
    doc = plan("pt-2024-lzgz-30-equipment-renewal-tradein")
    task = task_with(doc, "责任单位:区交通建设局、市场监管局、资源生态局")
    assert task.marker == "（一）"
    assert owners(task) == [("区交通建设局", None), ("市场监管局", None), ("资源生态局", None)]


def test_label_line_with_a_role_word_inside(plan):
    doc = plan("pt-2024-lzgz-30-equipment-renewal-tradein")
    task = task_with(doc, "责任单位：人行平潭支行牵头，区财政金融局，"
                          "国家金融监督管理总局平潭监管支局")
    assert owners(task) == [("人行平潭支行", L), ("区财政金融局", S),
                            ("国家金融监督管理总局平潭监管支局", S)]


def test_label_line_with_full_width_numbering_and_collectives(plan):
    doc = plan("city-2026-zhengzhou-opc-community")
    task = task_with(doc, "1．打造环高校OPC创业带。")
    assert (task.marker, task.number) == ("1．", 1)
    second = task_with(doc, "2．建设“一区一特色”创业社区")
    assert owners(second) == [("各开发区管委会", None), ("各区县（市）政府", None)]


def test_host_and_organiser_lines(plan):
    # 主办单位：… then 承办单位：… as two lines after an event: both are owners, in order.
    doc = plan("pt-2017-lzgz-159-tourism-peak-season-100-days")
    task = task_with(doc, "承办单位：区旅游发展委员会、党工委宣传部")
    assert owners(task) == [("平潭综合实验区管委会", None), ("省旅游发展委员会", None),
                            ("省广播影视集团", None), ("区旅游发展委员会", None),
                            ("党工委宣传部", None)]


def test_lead_then_responsible_units_on_one_line(plan):
    doc = plan("county-2026-taicang-opc")
    task = task_with(doc, "（牵头单位：市委组织部（人才办），责任单位：市教育局、市科技局、"
                          "市工信局、市人社局、市招商局、团市委）")
    assert owners(task) == [("市委组织部（人才办）", L), ("市教育局", S), ("市科技局", S),
                            ("市工信局", S), ("市人社局", S), ("市招商局", S), ("团市委", S)]


def test_lead_label_and_support_label_in_one_bracket(plan):
    doc = plan("pt-2017-lzgz-159-tourism-peak-season-100-days")
    task = task_with(doc, "（牵头负责单位：平潭综合实验区管委会；配合单位：省旅游发展委员会）")
    assert owners(task) == [("平潭综合实验区管委会", L), ("省旅游发展委员会", S)]


def test_unit_line_after_the_last_sub_item_covers_the_group(plan):
    doc = plan("pt-2017-lzgz-159-tourism-peak-season-100-days")
    task = task_with(doc, "四、强化多元媒体宣传")
    assert task.marker == "四、"
    assert "3.启动网络营销" in task.text  # the sub-items are the group task's own text
    assert owners(task) == [("省旅游发展委员会", L), ("平潭综合实验区管委会", S),
                            ("省广播影视集团", S)]


def test_mixed_brackets(plan):
    doc = plan("pt-2023-new-pollutants-governance")
    task = task_with(doc, "（区资源生态局牵头负责)")
    assert owners(task) == [("区资源生态局", L)]


def test_by_duty_in_the_middle_of_a_list(plan):
    doc = plan("pt-2017-lzgz-208-fangguanfu-task-division")
    task = task_with(doc, "责任单位：区行政审批局、市场监督管理局牵头，区直相关部门按职责分工负责,"
                          "区管委会办公室政策法规处负责法制审查工作")
    assert owners(task) == [("区行政审批局", L), ("市场监督管理局", L), ("区直相关部门", S),
                            ("区管委会办公室政策法规处", S)]


def test_lead_then_by_duty_with_others(plan):
    doc = plan("pt-2023-new-pollutants-governance")
    task = task_with(doc, "（区资源生态局牵头，区经发局、区农业农村局、区社会事业局、区市场监管局，"
                          "平潭海关等按职责分工负责）")
    assert owners(task) == [("区资源生态局", L), ("区经发局", S), ("区农业农村局", S),
                            ("区社会事业局", S), ("区市场监管局", S), ("平潭海关", S)]
    assert task.owners[-1].and_others


def test_lead_with_others_unnamed(plan):
    # 会同有关部门负责: the named unit leads; the others are not named, so and_others.
    doc = plan("gov-2018-guobanfa-117-supervision-incentives")
    task = task_with(doc, "（国家发展改革委会同有关部门负责）")
    assert owners(task) == [("国家发展改革委", L)]
    assert task.owners[0].and_others


def test_lead_convention_applies_from_the_task_that_states_it(plan):
    doc = plan("gov-2018-guofa-42-agri-mechanization")
    first = task_with(doc, "（工业和信息化部、发展改革委、科技部、农业农村部等负责。"
                           "列第一位者为牵头单位，下同）")
    assert owners(first) == [("工业和信息化部", L), ("发展改革委", S), ("科技部", S),
                             ("农业农村部", S)]
    assert first.owners[-1].and_others
    later = task_with(doc, "（农业农村部、发展改革委、财政部等负责）")
    assert owners(later) == [("农业农村部", L), ("发展改革委", S), ("财政部", S)]


def test_lead_convention_before_the_first_comma(plan):
    doc = plan("city-2026-nanchong-opc")
    task = task_with(doc, "（责任单位：市科技局、市数据局，市委网信办、中国移动南充分公司、"
                          "中国电信南充分公司、中国联通南充分公司；第一个逗号前为牵头单位，"
                          "多个牵头部门的按照职责分工负责，下同）")
    assert owners(task) == [("市科技局", L), ("市数据局", L), ("市委网信办", S),
                            ("中国移动南充分公司", S), ("中国电信南充分公司", S),
                            ("中国联通南充分公司", S)]
    collective = task_with(doc, "〔责任单位：市科技局，市经信局、市教育体育局、市商务局、"
                                "各县（市、区）政府〕")
    assert owners(collective) == [("市科技局", L), ("市经信局", S), ("市教育体育局", S),
                                  ("市商务局", S), ("各县（市、区）政府", S)]


def test_no_division_convention_is_not_a_unit(plan):
    doc = plan("gov-2018-guobanfa-128-zero-waste-city")
    sentence = "（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）"
    task = task_with(doc, sentence)
    assert owners_in(doc, task, sentence) == [("生态环境部", L), ("试点城市政府", S)]
    pollutants = plan("pt-2023-new-pollutants-governance")
    task = task_with(pollutants, "（区资源生态局牵头负责;各片区负责配合落实，"
                                 "以下均需各片区配合落实，不再列出）")
    assert owners(task) == [("区资源生态局", L), ("各片区", S)]


def test_scope_note_inside_a_list_is_not_a_unit(plan):
    doc = plan("city-2026-wuhan-wuzhenggui-4-opc")
    task = task_with(doc, "（责任单位：各区人民政府〈含开发区、长江新区、风景区管委会,下同〉）")
    assert ("各区人民政府", None) in owners(task)
    assert not any("开发区" in surface for surface, _ in owners(task))


def test_distribution_list_is_not_a_task(plan):
    doc = plan("pt-2024-lzgz-30-equipment-renewal-tradein")
    line = "各片区管理局，区直各单位，各区属事业单位，各区属国企："
    assert line in doc.text
    at = doc.text.index(line)
    assert not any(t.span.start <= at < t.span.end for t in doc.tasks)
    assert not any(o.surface == "区直各单位" for t in doc.tasks for o in t.owners)


def test_numbering_with_a_year_after_the_marker(plan):
    doc = plan("pt-2017-lzgz-208-fangguanfu-task-division")
    task = task_with(doc, "1.2017年10月底前在全省范围内实现")
    assert (task.marker, task.number) == ("1.", 1)
    assert owners(task) == [("区市场监督管理局", L), ("区直相关部门", S)]


def test_duplicate_heading_numbers_keep_distinct_tasks(plan):
    doc = plan("pt-2017-lzgz-159-tourism-peak-season-100-days")
    seconds = [t for t in doc.tasks if t.marker == "二、"]
    sections = [s for s in doc.sections if s.marker == "二、"]
    # 二、总牵头单位 (a section without a list) and 二、优化精选夏季旅游线路 (a task).
    assert [t.title for t in seconds] == ["优化精选夏季旅游线路"]
    assert [s.title for s in sections] == ["总牵头单位"]
    assert len({t.id for t in doc.tasks}) == len(doc.tasks)


def test_closing_provisions_do_not_swallow_the_last_clause(plan):
    # 第十条 … then 附则 with its own (一)…1. items: 第十条 is still a task with its list.
    doc = plan("district-2026-shenzhen-luohu-opc")
    task = task_with(doc, "依托“微软出海中心”，为OPC提供一站式出海解决方案")
    assert task.marker == "第十条"
    assert owners(task) == [("区企业服务中心", None)]


def test_footnote_star_is_not_part_of_a_name():
    sentence = "（责任单位：*县人力社保局、县科技局、县大数据管理中心、县城投集团）"
    assert sentence in (CORPUS / "county-2026-cangnan-opc-draft.txt").read_text(encoding="utf-8")
    [found] = find_unit_lists(sentence)
    names = ["县人力社保局", "县科技局", "县大数据管理中心", "县城投集团"]
    assert [e.surface for e in found.entries] == names
    assert [sentence[e.span.start:e.span.end] for e in found.entries] == names


def test_unlabelled_list_with_a_bare_city_name(plan):
    doc = plan("prov-2026-guangdong-fgw-78-opc")
    task = task_with(doc, "（广州、深圳市政府，横琴粤澳深度合作区执委会按职责分工负责）")
    assert owners(task) == [("广州", None), ("深圳市政府", None),
                            ("横琴粤澳深度合作区执委会", None)]


def test_plan_without_unit_lists_loads_with_a_notice(plan, registry):
    doc = plan("gov-2018-guobanfa-123-gov-new-media")
    assert doc.tasks and not any(t.owners for t in doc.tasks)
    assert any("no responsible-unit list found" in n for n in doc.notices)
    from livekg.loaders.errors import DocumentError
    with pytest.raises(DocumentError, match="no responsible-unit list found"):
        parse_file(CORPUS / "gov-2018-guobanfa-123-gov-new-media.txt", registry, strict=True)

"""Genre variants of Chinese action plans: punctuation, labels, numbering, scripts, tables, pages.

Fixtures: tests/fixtures/genre/ (small plans written for these tests, each with a sidecar YAML).
Every expected value below was typed from reading the fixture text, not from parser output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from livekg.graph.backend import MemoryBackend
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.loaders.models import ParsedDocument, Task

GENRE = Path(__file__).resolve().parent / "fixtures" / "genre"

TEXT_FIXTURES = [
    "punctuation.txt", "furniture.txt", "labels.txt", "unlabelled-national.txt",
    "multiple-lists.txt", "separators.txt", "numbering-restart.txt", "numbering-subtasks.txt",
    "numbering-ordinal.txt", "numbering-clauses.txt", "numbering-headings.txt",
    "traditional-big5.txt", "table-lead-support.csv", "table-columns.txt", "table-units.csv",
    "yangpu.txt",
]

# Registry ids of the Changning district units the fixtures name (data/registry/units.yaml).
CHANGNING = {
    "区商务委": "changning-commerce-commission",
    "区科委": "changning-science-technology-commission",
    "区文旅局": "changning-culture-tourism-bureau",
    "区国资委": "changning-sasac",
    "区投促办": "changning-investment-promotion-office",
    "区人社局": "changning-human-resources-social-security-bureau",
    "区房管局": "changning-housing-administration-bureau",
    "区财政局": "changning-finance-bureau",
    "区数据局": "changning-data-bureau",
    "区人才局": "changning-talent-bureau",
    "区市场监管局": "changning-market-supervision-bureau",
    "区发改委": "changning-development-reform-commission",
    "区教育局": "changning-education-bureau",
    "区委宣传部": "changning-party-publicity-department",
    "区委网信办": "changning-party-cyberspace-office",
    "区总工会": "changning-federation-of-trade-unions",
    "各街镇": "changning-all-subdistricts-towns",
    "新泾镇": "changning-xinjing-town",
    "华阳路街道": "changning-huayang-road-subdistrict",
    "江苏路街道": "changning-jiangsu-road-subdistrict",
}
ONLINE_SHOPPING_CHAMBER = "shanghai-online-shopping-chamber"
AUDIOVISUAL_ASSOCIATION = "shanghai-network-audiovisual-association"
LIVESTREAM_ALLIANCE = "shanghai-livestream-ecommerce-alliance"

L, S = "lead", "support"


@pytest.fixture(scope="module")
def parse(parsed_file):
    return lambda name: parsed_file(GENRE / name)


def surfaces(task: Task) -> list[str]:
    return [owner.surface for owner in task.owners]


def roles(task: Task) -> list[str | None]:
    return [owner.role for owner in task.owners]


def unit(doc: ParsedDocument, unit_id: str):
    return next(u for u in doc.units if u.id == unit_id)


def unit_of(doc: ParsedDocument, task: Task, surface: str):
    owner = next(o for o in task.owners if o.surface == surface)
    return unit(doc, owner.unit_id)


# -- every fixture -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", TEXT_FIXTURES)
def test_fixture_parses_with_unique_ids_ranks_and_spans(parse, name):
    doc = parse(name)
    expected_id = "genre-table-csv" if name == "table-lead-support.csv" else "genre-" + Path(
        name).stem
    assert doc.document.id == expected_id
    ids = [task.id for task in doc.tasks]
    assert len(ids) == len(set(ids))
    for task in doc.tasks:
        assert [o.rank for o in task.owners] == list(range(1, len(task.owners) + 1)), task.marker
        for owner in task.owners:
            assert doc.text[owner.span.start:owner.span.end] == owner.surface


# -- 1. punctuation: full-width, half-width, spaces, a line break -----------------------------
PUNCTUATION = [
    ("1.", 1, "加强直播营销合规指导", ["区市场监管局", "区商务委"]),
    ("2.", 2, "完善直播消费纠纷调解机制", ["区市场监管局", "区委网信办"]),
    ("3.", 3, "优化直播人才服务", ["区人社局", "区人才局", "区房管局"]),
    ("4.", 4, "推动直播基地提质增效", ["区商务委", "区科委", "区文旅局", "各街镇"]),
]


def _check_punctuation_plan(doc: ParsedDocument) -> None:
    assert doc.document.title == "长宁区促进直播电商规范发展工作方案"
    assert doc.document.jurisdiction == "shanghai-changning"
    assert len(doc.tasks) == len(PUNCTUATION)
    for task, (marker, number, title, owners) in zip(doc.tasks, PUNCTUATION, strict=True):
        assert (task.marker, task.number, task.title) == (marker, number, title)
        assert surfaces(task) == owners
        assert [o.unit_id for o in task.owners] == [CHANGNING[s] for s in owners]
        assert roles(task) == [None] * len(owners)
        assert not any(o.and_others for o in task.owners)
    assert [(s.marker, s.title) for s in doc.sections] == [("一、", "重点任务")]


def test_full_and_half_width_lists_spaces_and_line_break(parse):
    doc = parse("punctuation.txt")
    _check_punctuation_plan(doc)
    last = doc.tasks[3]
    assert last.text.startswith("4.推动直播基地提质增效。")
    assert last.text.endswith("（责任单位：区商务委、区科委、\n区文旅局、各街镇）")
    assert unit_of(doc, last, "各街镇").kind == "group"


# -- 9. page furniture ------------------------------------------------------------------------
def test_page_furniture_is_ignored(parse):
    page, clean = parse("furniture.txt"), parse("punctuation.txt")
    _check_punctuation_plan(page)

    def facts(doc):
        return [(t.marker, t.number, t.title, t.text,
                 [(o.unit_id, o.surface, o.rank, o.role, o.and_others) for o in t.owners])
                for t in doc.tasks]

    assert facts(page) == facts(clean)
    for task in page.tasks:
        for furniture in ("索引号", "发布时间", "发布机构", "【打印】", "第 1 页", "门户网站"):
            assert furniture not in task.text
    assert page.tasks[1].text.endswith("(责任单位:区市场监管局、区委网信办)")
    assert page.tasks[3].text.endswith("区文旅局、各街镇）")


# -- 2. labels and roles ----------------------------------------------------------------------
LABELS = [
    ("建立直播企业服务专员制度", [("区商务委", None), ("区投促办", None)]),
    ("加强直播行业信用建设", [("区市场监管局", None), ("区数据局", None)]),
    ("举办长宁直播电商节", [("区商务委", L), ("区文旅局", S), ("区委宣传部", S)]),
    ("完善直播人才评价", [("区人社局", L), ("区人才局", S), ("区教育局", S)]),
    ("打造直播特色街区", [("区商务委", L), ("区房管局", S), ("新泾镇", S)]),
    ("做好直播活动安全保障", [("区文旅局", None)]),
    ("推动直播服务进社区", [("华阳路街道", None), ("江苏路街道", None)]),
]


@pytest.mark.parametrize("number", range(1, len(LABELS) + 1))
def test_other_labels_and_roles(parse, number):
    task = parse("labels.txt").tasks[number - 1]
    title, owners = LABELS[number - 1]
    assert (task.marker, task.number, task.title) == (f"{number}.", number, title)
    assert [(o.surface, o.role) for o in task.owners] == owners
    assert [o.unit_id for o in task.owners] == [CHANGNING[s] for s, _ in owners]


def test_labels_plan_has_seven_tasks(parse):
    assert [t.number for t in parse("labels.txt").tasks] == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("number", [5, 7])
def test_unit_lists_are_not_read_as_mentions(parse, number):
    # the text of tasks 5 and 7 names no unit or entity outside its unit list
    assert parse("labels.txt").tasks[number - 1].mentions == ()


# -- 3. unlabelled lists and the lead rule (national plan) -----------------------------------
UNLABELLED = [
    ("健全直播电商统计监测制度", [("商务部", None, False), ("国家统计局", None, False)]),
    ("培育壮大直播电商经营主体",
     [("商务部", L, False), ("工业和信息化部", S, False), ("市场监管总局", S, False)]),
    ("规范直播营销行为",
     [("市场监管总局", L, False), ("国家网信办", S, False), ("广电总局", S, True)]),
    ("推动直播电商进农村",
     [("农业农村部", L, False), ("商务部", S, False), ("各省级人民政府", S, False)]),
]


@pytest.mark.parametrize("number", range(1, len(UNLABELLED) + 1))
def test_unlabelled_lists_and_lead_rule(parse, number):
    doc = parse("unlabelled-national.txt")
    task = doc.tasks[number - 1]
    title, owners = UNLABELLED[number - 1]
    assert (task.marker, task.number, task.title) == (f"{number}.", number, title)
    assert [(o.surface, o.role, o.and_others) for o in task.owners] == owners


def test_unlabelled_units_are_national(parse):
    doc = parse("unlabelled-national.txt")
    assert doc.document.jurisdiction == "china"
    assert len(doc.tasks) == 4
    provinces = unit_of(doc, doc.tasks[3], "各省级人民政府")
    assert (provinces.kind, provinces.jurisdiction) == ("group", "china")
    commerce = {o.unit_id for t in doc.tasks for o in t.owners if o.surface == "商务部"}
    assert len(commerce) == 1
    ministry = unit(doc, commerce.pop())
    assert (ministry.kind, ministry.jurisdiction) == ("government_department", "china")


# -- 4. several lists in one task, ordinary parentheses, 〔…〕 ----------------------------------
def test_several_lists_in_one_task_rank_on(parse):
    doc = parse("multiple-lists.txt")
    task = doc.tasks[0]
    assert (task.marker, task.number, task.title) == ("1.", 1, "建设直播公共服务平台")
    assert surfaces(task) == ["市商务委", "市经济信息化委", "市统计局", "市人力资源社会保障局",
                              "市网购商会"]
    assert [o.rank for o in task.owners] == [1, 2, 3, 4, 5]
    assert roles(task) == [None] * 5
    assert task.owners[4].unit_id == ONLINE_SHOPPING_CHAMBER
    # each list sits after a different sentence, in document order
    starts = [o.span.start for o in task.owners]
    assert starts == sorted(starts)
    assert task.text.index("市统计局") < task.text.index("加强直播人才政策宣传解读")
    assert "（含选品、培训、法律咨询等功能模块）" in task.text
    assert not any("选品" in s or "培训" in s for s in surfaces(task))
    assert [s.text for s in task.sentences][-3:] == [
        "依托重点直播基地建设公共服务平台（含选品、培训、法律咨询等功能模块）。",
        "完善直播经济统计监测，按季度发布全市直播经济发展报告。",
        "加强直播人才政策宣传解读。",
    ]
    commission = unit_of(doc, task, "市商务委")
    assert (commission.kind, commission.jurisdiction) == ("government_department", "shanghai")
    assert commission.full_name == "上海市商务委员会"   # derived from the abbreviation table


def test_bracket_list_and_trial_parentheses(parse):
    doc = parse("multiple-lists.txt")
    assert doc.document.title == "上海市直播电商公共服务体系建设实施方案（试行）"
    task = doc.tasks[1]
    assert (task.marker, task.number, task.title) == ("2.", 2, "推广直播电商合规经营指引")
    assert surfaces(task) == ["市市场监管局", "市委网信办"]
    assert "《上海市直播电商合规经营指引（试行）》" in task.text


def test_unit_name_with_parentheses(parse):
    doc = parse("multiple-lists.txt")
    task = doc.tasks[2]
    assert (task.marker, task.number, task.title) == ("3.", 3, "推动直播服务进社区")
    assert surfaces(task) == ["各区(县)人民政府", "市民政局"]
    districts = unit_of(doc, task, "各区(县)人民政府")
    assert (districts.kind, districts.jurisdiction) == ("group", "shanghai")
    assert len(doc.tasks) == 3


# -- 5. separators, 等, collective units ------------------------------------------------------
SEPARATORS = [
    ("完善直播电商制度规则", ["国家网信办", "市场监管总局", "商务部"]),
    ("加强直播电商信用监管", ["市场监管总局", "国家发展改革委"]),
    ("提升直播电商数字基础设施水平", ["工业和信息化部", "国家数据局"]),
    ("促进直播助农", ["农业农村部", "商务部", "各省级人民政府"]),
    ("做好直播电商宣传引导", ["中央宣传部", "广电总局"]),
    ("加强组织协调", ["各有关部门和单位"]),
]


@pytest.mark.parametrize("number", range(1, len(SEPARATORS) + 1))
def test_separators(parse, number):
    task = parse("separators.txt").tasks[number - 1]
    title, owners = SEPARATORS[number - 1]
    assert (task.marker, task.number, task.title) == (f"{number}.", number, title)
    assert surfaces(task) == owners
    assert roles(task) == [None] * len(owners)
    expected_others = [number == 5 and s == "广电总局" for s in owners]
    assert [o.and_others for o in task.owners] == expected_others


def test_collective_units_are_groups(parse):
    doc = parse("separators.txt")
    assert len(doc.tasks) == 6
    for number, surface in ((4, "各省级人民政府"), (6, "各有关部门和单位")):
        group = unit_of(doc, doc.tasks[number - 1], surface)
        assert (group.kind, group.jurisdiction) == ("group", "china")
    assert unit_of(doc, doc.tasks[2], "国家数据局").kind == "government_department"


# -- 6. numbering -----------------------------------------------------------------------------
def _section(doc: ParsedDocument, section_id: str | None):
    return next(s for s in doc.sections if s.id == section_id)


def test_numbers_restart_in_each_section(parse):
    doc = parse("numbering-restart.txt")
    expected = [
        ("1.", 1, "引进头部直播平台", ["区投促办", "区商务委"], "（一）", "培育直播经营主体"),
        ("2.", 2, "扶持本土MCN机构", ["区商务委", "区财政局"], "（一）", "培育直播经营主体"),
        ("1.", 1, "丰富直播场景供给", ["区文旅局", "各街镇"], "（二）", "优化直播发展环境"),
        ("2.", 2, "强化直播用房保障", ["区房管局", "区国资委"], "（二）", "优化直播发展环境"),
    ]
    assert len(doc.tasks) == len(expected)
    for task, (marker, number, title, owners, s_marker, s_title) in zip(
            doc.tasks, expected, strict=True):
        assert (task.marker, task.number, task.title) == (marker, number, title)
        assert surfaces(task) == owners
        section = _section(doc, task.section_id)
        assert (section.marker, section.title, section.level) == (s_marker, s_title, 2)
        assert _section(doc, section.parent_id).title == "主要任务"
    assert len({t.id for t in doc.tasks}) == 4
    assert doc.tasks[0].section_id != doc.tasks[2].section_id


def test_sub_tasks_with_lists_and_sub_items_without(parse):
    doc = parse("numbering-subtasks.txt")
    expected = [
        ("1.", 1, "搭建直播人才实训平台", ["区人社局", "区教育局"], "加强直播人才培养"),
        ("（1）", 1, "举办长宁直播技能大赛，设置带货主播、直播运营等赛道",
         ["区人社局", "区总工会"], "开展直播技能竞赛"),
        ("（2）", 2, "组织优秀选手参加全市直播技能竞赛", ["区商务委"], "开展直播技能竞赛"),
        ("3.", 3, "落实直播人才安居政策", ["区房管局", "区人才局"], "优化直播人才服务"),
        ("4.", 4, "提供便利化人才服务", ["区人才局", "区教育局"], "优化直播人才服务"),
    ]
    assert len(doc.tasks) == len(expected)
    for task, (marker, number, title, owners, section_title) in zip(
            doc.tasks, expected, strict=True):
        assert (task.marker, task.number, task.title) == (marker, number, title)
        assert surfaces(task) == owners
        assert _section(doc, task.section_id).title == section_title
    assert len({t.id for t in doc.tasks}) == 5
    parent = _section(doc, doc.tasks[1].section_id)
    assert (parent.marker, parent.number) == ("2.", 2)
    assert _section(doc, parent.parent_id).marker == "（一）"
    # sub-items without lists of their own stay in their parent's text
    assert "（1）开通直播人才服务绿色通道；" in doc.tasks[4].text
    assert "（2）提供子女入学政策咨询服务。" in doc.tasks[4].text
    assert "（1）头部主播；（2）MCN机构核心运营人员" in doc.tasks[3].text


def test_ordinal_tasks_inside_a_paragraph(parse):
    doc = parse("numbering-ordinal.txt")
    expected = [
        ("一是", 1, "开展直播带货专项检查，重点查处虚假宣传、价格欺诈等行为", ["区市场监管局"]),
        ("二是", 2, "加强网络直播内容巡查，及时处置违法违规直播间", ["区委网信办", "区文旅局"]),
        ("三是", 3, "畅通直播消费投诉举报渠道", ["区市场监管局", "区商务委"]),
        ("（二）", 2, "提升监管服务水平", ["区市场监管局", "区商务委"]),
    ]
    assert [(t.marker, t.number) for t in doc.tasks] == [e[:2] for e in expected]
    for task, (marker, _, title, owners) in zip(doc.tasks, expected, strict=True):
        assert surfaces(task) == owners, marker
        assert task.text.startswith(marker + title), marker
    for task in doc.tasks[:3]:
        section = _section(doc, task.section_id)
        assert (section.marker, section.title) == ("（一）", "强化直播营销监管")
    assert len({t.id for t in doc.tasks}) == 4


@pytest.mark.parametrize("index", range(4))
def test_ordinal_task_titles_leave_out_the_unit_list(parse, index):
    titles = ["开展直播带货专项检查，重点查处虚假宣传、价格欺诈等行为",
              "加强网络直播内容巡查，及时处置违法违规直播间", "畅通直播消费投诉举报渠道",
              "提升监管服务水平"]
    assert parse("numbering-ordinal.txt").tasks[index].title == titles[index]


def test_clauses(parse):
    doc = parse("numbering-clauses.txt")
    expected = [
        ("第十五条", 15, "支持直播平台总部落户", ["市商务委", "市财政局"]),
        ("第十六条", 16, "培育直播电商品牌", ["市商务委", "市市场监管局"]),
        ("第十七条", 17, "加强直播人才引进", ["市人力资源社会保障局", "市人才局"]),
        ("第十八条", 18, "强化直播用地保障", ["市规划资源局", "各区人民政府"]),
    ]
    assert [(t.marker, t.number, t.title, surfaces(t)) for t in doc.tasks] == expected
    assert all(t.section_id is None for t in doc.tasks)
    assert unit_of(doc, doc.tasks[3], "各区人民政府").kind == "group"
    assert len({t.id for t in doc.tasks}) == 4


def test_headings_carrying_lists_are_tasks(parse):
    doc = parse("numbering-headings.txt")
    expected = [
        ("（十六）", 16, "加大财政金融支持",
         [("财政部", None), ("人民银行", None), ("金融监管总局", None)]),
        ("（十七）", 17, "加强直播人才队伍建设",
         [("人力资源社会保障部", L), ("教育部", S), ("商务部", S)]),
        ("（十八）", 18, "加强组织实施", [("各省级人民政府", None)]),
    ]
    assert [(t.marker, t.number, t.title, [(o.surface, o.role) for o in t.owners])
            for t in doc.tasks] == expected
    assert [(s.marker, s.title) for s in doc.sections] == [("五、", "强化保障措施")]
    assert all(t.section_id == doc.sections[0].id for t in doc.tasks)
    assert unit_of(doc, doc.tasks[2], "各省级人民政府").kind == "group"


# -- 7. traditional characters, Big5 ----------------------------------------------------------
def test_big5_traditional_plan(parse):
    doc = parse("traditional-big5.txt")
    assert doc.document.encoding == "big5"
    assert any("BIG5" in notice.upper() for notice in doc.notices)
    assert doc.document.jurisdiction == "shanghai"
    expected = [
        ("制定直播電商行業自律公約", [("市網購商會", ONLINE_SHOPPING_CHAMBER),
                                    ("市網絡視聽協會", AUDIOVISUAL_ASSOCIATION)]),
        ("開展直播從業人員合規培訓", [("市直播電商聯盟", LIVESTREAM_ALLIANCE),
                                    ("市網購商會", ONLINE_SHOPPING_CHAMBER)]),
    ]
    for task, (title, owners) in zip(doc.tasks, expected, strict=False):
        assert task.title == title
        assert [(o.surface, o.unit_id) for o in task.owners] == owners
    assert len(doc.tasks) == 3
    assert [(t.marker, t.number) for t in doc.tasks] == [("1.", 1), ("2.", 2), ("3.", 3)]
    assert doc.tasks[0].text.endswith("（責任單位：市網購商會、市網絡視聽協會）")
    assert doc.tasks[2].title == "建立直播消費投訴快速處理機制"
    assert surfaces(doc.tasks[2]) == ["市商務委", "市網購商會"]


def test_big5_units_match_their_simplified_names(parse):
    traditional, simplified = parse("traditional-big5.txt"), parse("multiple-lists.txt")
    # 市商務委 (traditional) and 市商务委 (simplified) are one city unit
    assert traditional.tasks[2].owners[0].unit_id == simplified.tasks[0].owners[0].unit_id
    mention = [(m.entity_id, m.surface) for m in traditional.tasks[1].mentions]
    assert ("program-first-lesson-for-streamers", "網絡主播第一課") in mention


# -- 8. task-division tables ------------------------------------------------------------------
TABLE = [
    ("推动直播平台创新发展",
     [("区商务委", L), ("区科委", S), ("区委宣传部", S), ("区委网信办", S)]),
    ("提升直播基地能级", [("区商务委", L), ("区国资委", S), ("区房管局", S), ("各街镇", S)]),
    ("加强直播人才培养", [("区人社局", L), ("区人才局", S), ("区教育局", S)]),
    ("深化包容审慎监管", [("区市场监管局", L)]),
]


@pytest.mark.parametrize("name", ["table-lead-support.csv", "table-columns.txt"])
def test_task_division_table(parse, name):
    doc = parse(name)
    assert len(doc.tasks) == len(TABLE)
    for number, (task, (title, owners)) in enumerate(zip(doc.tasks, TABLE, strict=True), 1):
        assert task.number == number
        assert task.marker.rstrip(".．、") == str(number)
        assert task.title == title
        assert [(o.surface, o.role) for o in task.owners] == owners
        assert [o.unit_id for o in task.owners] == [CHANGNING[s] for s, _ in owners]
    assert any(name in notice for notice in doc.notices)


def test_csv_and_text_columns_give_the_same_tasks(parse):
    def facts(doc):
        return [(t.number, t.title, [(o.unit_id, o.rank, o.role) for o in t.owners])
                for t in doc.tasks]

    assert facts(parse("table-lead-support.csv")) == facts(parse("table-columns.txt"))


def test_table_with_a_single_units_column(parse):
    doc = parse("table-units.csv")
    expected = [
        (1, "加大算力等基础设施供给", ["区科委", "区数据局", "区发改委", "区财政局"]),
        (2, "做好直播人才引进和服务保障", ["区人才局", "区人社局", "区商务委"]),
    ]
    assert [(t.number, t.title, surfaces(t)) for t in doc.tasks] == expected
    assert all(o.role is None for t in doc.tasks for o in t.owners)


# -- 10. two districts in one graph -----------------------------------------------------------
def test_yangpu_plan_units(parse):
    doc = parse("yangpu.txt")
    assert doc.document.jurisdiction == "shanghai-yangpu"
    expected = [
        ("培育直播电商经营主体", ["区商务委", "区科委"]),
        ("建设直播电商人才高地", ["区人社局", "区教育局", "市网购商会"]),
        ("打造直播消费新场景", ["区商务委", "市网购商会", "五角场街道"]),
    ]
    assert [(t.title, surfaces(t)) for t in doc.tasks] == expected
    commerce = unit_of(doc, doc.tasks[0], "区商务委")
    assert commerce.id != CHANGNING["区商务委"]
    assert commerce.jurisdiction == "shanghai-yangpu"
    assert doc.tasks[2].owners[1].unit_id == ONLINE_SHOPPING_CHAMBER
    assert doc.tasks[2].owners[0].unit_id == commerce.id
    assert [m.entity_id for m in doc.tasks[2].mentions] == ["event-11-livestream-month"]


@pytest.fixture(scope="module")
def two_districts(parse, changning):
    kg, _ = with_documents(KnowledgeGraph(), [changning, parse("yangpu.txt")])
    return kg


def test_two_commerce_commissions_one_chamber(two_districts):
    commissions = [n for n in two_districts.nodes("Unit") if n["name"] == "区商务委"]
    assert len({n["id"] for n in commissions}) == 2
    assert sorted(n["jurisdiction"] for n in commissions) == [
        "shanghai-changning", "shanghai-yangpu"]
    chambers = [n for n in two_districts.nodes("Unit") if n["name"] == "市网购商会"]
    assert [n["id"] for n in chambers] == [ONLINE_SHOPPING_CHAMBER]


def test_questions_per_document_and_across(two_districts, parse, changning):
    backend = MemoryBackend(two_districts)
    yangpu = parse("yangpu.txt")
    owners = backend.task_owners(yangpu.tasks[2].id)
    assert [(o.name, o.rank) for o in owners] == [("区商务委", 1), ("市网购商会", 2),
                                                 ("五角场街道", 3)]
    assert owners[0].id != CHANGNING["区商务委"]
    assert owners[1].id == ONLINE_SHOPPING_CHAMBER
    tasks = backend.unit_tasks(ONLINE_SHOPPING_CHAMBER)
    assert sorted((t.document, t.number) for t in tasks) == sorted(
        [(changning.document.id, n) for n in (6, 8, 12, 15, 20)]
        + [(yangpu.document.id, 2), (yangpu.document.id, 3)])
    yangpu_commerce = backend.unit_tasks(owners[0].id)
    assert [(t.document, t.number) for t in yangpu_commerce] == [
        (yangpu.document.id, 1), (yangpu.document.id, 3)]
    assert all(t.document == changning.document.id
               for t in backend.unit_tasks(CHANGNING["区商务委"]))


# -- the bundled Changning plan is unchanged --------------------------------------------------
def test_changning_spot_checks(changning):
    assert len(changning.tasks) == 23
    assert sum(len(t.owners) for t in changning.tasks) == 127
    assert surfaces(changning.tasks[5])[:3] == ["区商务委", "区人才局", "区人社局"]
    assert changning.tasks[5].number == 6

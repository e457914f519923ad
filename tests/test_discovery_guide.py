"""Entity discovery rules that follow the corpus's adjudicated labelling guide
(tests/corpus/adjudication/GUIDE.md and BOUNDARY_GUIDE.md): each on real sentences of real
plans from tests/corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from livekg.entity_evaluation import predicted_mentions, read_entities
from livekg.evaluation import read_gold
from livekg.loaders.discovery import DEFAULT_POLICY, suffixed_names
from livekg.loaders.pipeline import parse_file
from livekg.loaders.quoted_names import quoted_names
from livekg.loaders.registry import load_registry
from livekg.loaders.repeated_names import RepeatedNames
from livekg.loaders.review import discover_names, outside_names

CORPUS = Path(__file__).parent / "corpus"


def names(candidates):
    return [(c.name, c.label) for c in candidates]


@pytest.fixture(scope="module")
def registry():
    return load_registry()


# -- a quoted coinage before a programme's class word ------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # Baotou 包府办发〔2022〕43号, items 3 and 25
    ("3．全面提升“12345\"政务热线服务水平", [("12345", "Program")]),
    ("25．优化升级包头教育云平台，在寒暑假为全市学生提供“名师视界\"录播课堂，为中小学生及家长、"
     "教师提供丰富教育教学和课程资源", [("名师视界", "Program")]),
])
def test_a_quoted_coinage_followed_by_a_programmes_class_word_names_that_programme(
        text, expected):
    assert names(quoted_names(text)) == expected


@pytest.mark.parametrize("text", [
    # 皖开放办〔2022〕6号: a verb (提供) between the quote and 平台, so the platform is not its name
    "确、公共配套完善的经贸合作区，为省内企业“走出去”提供载体平台",
    # 粤发改高技〔2026〕78号: a formula of four parties, a slogan, whatever follows it
    "建立“政府—社区—平台—OPC”联动机制",
])
def test_a_quote_before_a_class_word_is_no_name_across_a_verb_or_as_a_formula(text):
    assert quoted_names(text) == []


def test_a_designation_many_firms_hold_is_no_programme():
    # 济政发〔2019〕1号: “专精特新”中小企业 is a title firms are given, not a programme's name
    text = "对新认定的省、市级 “专精特新”中小企业，分别一次性奖励３０万元、１０万元"
    assert quoted_names(text) == []


# -- zones and computing centres are bases -----------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # 渝满天星专班办〔2026〕2号
    ("首批依托产业集聚度高、要素齐全的两江新区、渝中区、南岸区以及", ("两江新区", "Base")),
    # 科创济南 (2021), heading (一)
    ("（一）高标准建设齐鲁科学城", ("齐鲁科学城", "Base")),
    # 甬政办发〔2026〕7号
    ("统筹全市算力基础设施建设，依托宁波人工智能超算中心和宁波城市算力网",
     ("宁波人工智能超算中心", "Base")),
])
def test_zones_and_computing_centres_are_bases(text, expected):
    assert expected in names(DEFAULT_POLICY.discover(text))


def test_a_kind_of_housing_estate_is_no_venue():
    # 鲁政办字〔2021〕23号: every city's estates, not one
    text = "第五代超高速光纤网络（F5G），县级以上城市住宅小区普遍具备千兆光纤接入能力"
    assert "城市住宅小区" in [c.name for c in suffixed_names(text)]   # the class word is read…
    assert "城市住宅小区" not in [c.name for c in DEFAULT_POLICY.discover(text)]   # …and filtered


# -- a name discovered once is a name wherever the plan writes it ------------------------------
def test_a_name_discovered_in_one_task_is_mentioned_where_another_task_writes_it(registry):
    # 包府办发〔2022〕43号: tasks 2 and 6 name the app “蒙速办" (接入“蒙速办", an app by its
    # ending 办); task 19 writes 在一体化平台和“蒙速办"的集中高效办理, where 的 after the quote
    # would make a coinage a slogan: it is the same app, found again by its name
    parsed = parse_file(CORPUS / "city-2022-baotou-baofubanfa-43-digital-gov-assessment.txt",
                        registry)
    by_number = {task.number: task for task in parsed.tasks}
    entities = {entity.id: entity for entity in parsed.entities}

    def ids_named(task, name):
        return {m.entity_id for m in task.mentions if entities[m.entity_id].name == name}

    in_2, in_19 = ids_named(by_number[2], "蒙速办"), ids_named(by_number[19], "蒙速办")
    assert in_2 and in_2 == in_19   # one entity, mentioned in both
    [mention] = [m for m in by_number[19].mentions if m.entity_id in in_19]
    assert parsed.text[mention.span.start:mention.span.end] == "“蒙速办\""
    assert "一体化平台" in mention.sentence
    assert any(item.reason == "repeated" and item.task_number == 19 for item in parsed.review)


def test_a_repeated_name_is_not_taken_inside_a_longer_quote_nor_as_a_units_start():
    # 南充 task 15: “双向揭榜挂帅”等活动 names another thing than 揭榜挂帅;
    # 平潭 岚综管综〔2017〕171号: 金井湾片区项目建设指挥部 is a unit, not the place
    repeated = RepeatedNames({"揭榜挂帅": "program-x", "金井湾片区": "base-y"})
    task_15 = "结合省、市人工智能应用场景发布对接会、创新创业大赛、“双向揭榜挂帅”等活动"
    assert list(repeated.find(task_15, 0, [])) == []
    assert list(repeated.find("区规划局、金井湾片区项目建设指挥部", 0, [])) == []
    [(entity_id, span)] = repeated.find("推进金井湾片区整体夜景提升", 100, [])
    assert (entity_id, span.start, span.end) == ("base-y", 102, 107)


# -- a registered agreement ------------------------------------------------------------------
def test_rcep_is_the_agreement_wherever_a_plan_writes_it(registry):
    # 皖开放办〔2022〕6号 writes RCEP in most tasks; its hand labels name it in 22 of them
    gold_file = CORPUS / "prov-2022-anhui-wankaifangban-6-rcep.gold.yaml"
    parsed = parse_file(gold_file.with_name("prov-2022-anhui-wankaifangban-6-rcep.txt"), registry)
    rcep = {entity.id: entity for entity in parsed.entities}["policy-rcep"]
    assert (rcep.label, rcep.status) == ("Policy", "registered")
    labelled = {row.anchor for row in read_entities(gold_file) if row.name == "RCEP"}
    anchors = [task.anchor for task in read_gold(gold_file).tasks]
    found, _ = predicted_mentions(parsed, anchors)
    # every labelled task is found (one more: RCEP inside 探索市场化方式举办RCEP地方政府合作论坛,
    # where the labels name the forum, an Event, and a registered name blocks discovery of it)
    assert labelled <= {m.anchor for m in found if m.registered_name == rcep.name}


# -- a quoted count or formula: the name runs through the class word (BOUNDARY_GUIDE.md, FULL) -
@pytest.mark.parametrize("text, expected", [
    # 鲁政办字〔2019〕45号 (数字山东2019)
    ("加快发展工业互联网，深入实施智能制造“1+N”提升行动，加快智能工厂、智能车间建设",
     [("“1+N”提升行动", "Program")]),
    # 湖北省支持人工智能OPC发展若干措施（试行）: a count of steps and days, then what it counts
    ("依托湖北政务服务网，开设OPC专区，为OPC提供“210”一站式开办服务（一表申请、一窗发放2个环节",
     [("“210”一站式开办服务", "Program")]),
    # 数字山东2021行动方案 (Shandong): a numbered formula
    ("实施个人和企业全生命周期服务“双全双百”工程。推动74项“跨省通办”", [
        ("“双全双百”工程", "Program"), ("跨省通办", "Program")]),
])
def test_a_quoted_formula_is_named_with_the_class_word_after_it(text, expected):
    assert names(quoted_names(text)) == expected


@pytest.mark.parametrize("text, expected", [
    # 安徽省工业互联网创新发展行动计划（2021-2023年）: a count in numbers of ten, a thousand…
    ("依托“十行千亿万企”中小企业融资专项行动，加强合作银行",
     [("“十行千亿万企”中小企业融资专项行动", "Program")]),
    # 数字山东2019行动方案: the programme is being built (…工程建设)
    ("大力推进“个十百”工业互联网平台培育工程建设", [("“个十百”工业互联网平台培育工程", "Program")]),
])
def test_a_quoted_count_is_named_with_its_class_word(text, expected):
    assert names(quoted_names(text)) == expected


@pytest.mark.parametrize("text", [
    # 鲁政办字〔2019〕45号: “一数一源” says how the mechanism works (…的…机制); no name
    "健全“一数一源”的数据更新维护机制",
    # 皖开放办〔2022〕6号: a formula alone, inside a unit's name, names no programme
    "充分利用省推进“三地一区”建设领导小组改革开放新高地",
])
def test_a_quoted_formula_without_its_class_word_is_a_slogan(text):
    assert quoted_names(text) == []


def test_a_group_of_funds_is_one_programme():
    # 成都市打造人工智能OPC创新发展新高地行动计划（2026—2027年）
    text = "发展耐心资本,依托成都市人工智能百亿级基金群、未来产业千亿级基金群,引导各类资本加大"
    assert names(suffixed_names(text)) == [("成都市人工智能百亿级基金群", "Program"),
                                           ("未来产业千亿级基金群", "Program")]


# -- contests and meetings named for what they are ---------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # 四川省支持人工智能OPC创新发展行动方案（2026—2027年）
    ("支持人工智能OPC企业积极参与全国人工智能创新应用挑战赛、数字四川创新大赛等活动",
     [("全国人工智能创新应用挑战赛", "Event"), ("数字四川创新大赛", "Event")]),
    # 促进平潭旅游旺季升温百日行动计划 (Pingtan 2017)
    ("活动内容：配合小岛屿国家海洋部长圆桌会议，邀请杨丽萍团队演出舞台剧",
     [("小岛屿国家海洋部长圆桌会议", "Event")]),
])
def test_a_contest_or_meeting_is_an_event(text, expected):
    assert [n for n in names(DEFAULT_POLICY.discover(text)) if n[1] != "Technology"] == expected


def test_a_kind_of_contest_is_no_event():
    # 上城区支持人工智能OPC社区建设的若干政策措施: 举办高质量赛事 names no contest
    assert DEFAULT_POLICY.discover("支持OPC社区举办高质量赛事") == []


# -- centres for data or computing are bases, a data exchange a venue ---------------------------
@pytest.mark.parametrize("text, expected", [
    # 数字山东2019行动方案
    ("加快推进国家健康医疗大数据北方中心建设", [("国家健康医疗大数据北方中心", "Base")]),
    ("规范交易行为，争取建设省大数据交易中心", [("省大数据交易中心", "Venue")]),
    # 济南 2021 digital pioneer city: a valley branded as an industrial district
    ("依托中国算谷，支持龙头企业构建涵盖关键应用主机", [("中国算谷", "Base")]),
])
def test_a_data_centre_and_a_valley_are_bases(text, expected):
    assert [n for n in names(DEFAULT_POLICY.discover(text)) if n[1] != "Technology"] == expected


@pytest.mark.parametrize("text, expected", [
    # 国发〔2018〕42号: three counted things (品种, 品质, 品牌), then the campaign's class word
    ("开展增品种、提品质、创品牌“三品”专项行动", [("“三品”专项行动", "Program")]),
    # 广东省支持人工智能OPC创新发展行动方案（2026—2028年）: 重点 of a level's key programme
    # joins the name; it does not start a new one
    ("在省重点领域研发计划人工智能领域专项中，支持开展模型轻量化",
     [("省重点领域研发计划", "Program")]),
    # 杭州市打造全国“AI+OPC”创业新高地若干政策措施（征求意见稿）: a bracket holding another
    # class word is not part of the name
    ("举办OPC创新发展大会（大赛）等首选地重大品牌活动", [("OPC创新发展大会", "Event")]),
])
def test_boundaries_of_counted_campaigns_key_programmes_and_bracketed_class_words(
        text, expected):
    assert [n for n in names(DEFAULT_POLICY.discover(text)) if n[1] != "Technology"] == expected


# -- vouchers: a scheme named by what it buys, quoted or not -----------------------------------
@pytest.mark.parametrize("text, expected", [
    # 杭州市打造全国“AI+OPC”创业新高地行动计划（2026—2028年）（征求意见稿）
    ("用好人工智能服务券（算力券、智能券、模型券、词元券），适当提升资助比例",
     [("人工智能服务券", "Program"), ("算力券", "Program"), ("智能券", "Program"),
      ("模型券", "Program"), ("词元券", "Program")]),
    # 宁波市人民政府办公厅关于支持人工智能OPC创新创业发展的若干意见
    ("对符合条件的OPC，发放检验检测、研究开发、科技咨询等科创服务消费券，并给予最高20万元的补助",
     [("科创服务消费券", "Program")]),
    # 湖北省支持人工智能OPC发展若干措施（试行）: how much is handed out is not the name
    ("按当年使用算力服务费用的30%发放最高10万元算力券", [("算力券", "Program")]),
])
def test_a_voucher_is_a_programme(text, expected):
    assert [n for n in names(DEFAULT_POLICY.discover(text)) if n[1] != "Technology"] == expected


@pytest.mark.parametrize("text", [
    # 广东省支持人工智能OPC创新发展行动方案（2026—2028年）: vouchers of no particular scheme
    "鼓励各地通过发放购房补贴、消费券等方式提供购房支持",
    # 济政发〔2019〕1号: securities are no vouchers
    "支持企业发行公司债券",
])
def test_consumer_vouchers_and_bonds_are_no_programme(text):
    assert [c for c in DEFAULT_POLICY.discover(text) if c.label == "Program"] == []


@pytest.mark.parametrize("text", [
    # 国办发〔2018〕117号: any zone of that kind a place may apply for
    "在同等条件下对其申报金融改革试验区等方面给予重点考虑和支持",
    # 关于加快“科创济南”建设的若干政策措施: parks of a kind universities build
    "支持高校建设大学科技园",
])
def test_a_zone_or_park_of_a_kind_is_no_base(text):
    assert DEFAULT_POLICY.discover(text) == []


@pytest.mark.parametrize("text, expected", [
    # 皖开放办〔2022〕6号: two ports, then the kind of port they are
    ("构建多式联运服务体系，加强与宁波舟山港、上海洋山港等枢纽港合作",
     [("宁波舟山港", "Venue"), ("上海洋山港", "Venue")]),
    # 关于加快“科创济南”建设的若干政策措施: an innovation harbour is a campus
    ("围绕加快建设山东产业技术研究院、中科院济南科创城、国家超级计算济南中心、山东大学龙山创新港"
     "“四大创新圈”核心板块", [("中科院济南科创城", "Base"), ("国家超级计算济南中心", "Base"),
                         ("山东大学龙山创新港", "Base")]),
    # 国发〔2018〕38号: 港澳 is Hong Kong and Macao, no port
    ("授权自贸试验区制定相关港澳专业人才执业管理办法", []),
])
def test_ports_and_harbours(text, expected):
    assert names(DEFAULT_POLICY.discover(text)) == expected


# -- nationally known names in the registry (data/registry/entities.yaml, "Nationally known") --
@pytest.mark.parametrize("text, expected", [
    # 成都市打造人工智能OPC创新发展新高地行动计划（2026—2027年）: quoted before 方式, where a
    # coinage would be a slogan, the national mechanism is still named
    ('组建创新联合体,通过"揭榜挂帅"方式开展协同攻关', [("揭榜挂帅", "program-jiebang-guashuai")]),
    # 国务院关于支持自由贸易试验区深化改革创新若干措施的通知 (国发〔2018〕38号)
    ("（三十三）支持利用中欧班列开展邮件快件进出口常态化运输",
     [("中欧班列", "program-china-railway-express")]),
    # 关于加快“科创济南”建设的若干政策措施: 国家重点研发计划 is one programme, not a kind
    ("牵头承担或参与实施国家科技重大专项、国家重点研发计划和省重大科技创新项目",
     [("国家科技重大专项", "program-national-st-major-projects"),
      ("国家重点研发计划", "program-national-key-rd-program")]),
])
def test_nationally_known_names_are_matched_in_any_plan(registry, text, expected):
    matches = registry.name_matcher("china").find(text)
    assert [(m.surface, m.target_id) for m in matches] == expected


def test_a_quote_holding_a_registered_name_and_more_names_another_thing(registry):
    # 南充市支持人工智能OPC创新发展行动计划（2026—2027年）, task 15: “双向揭榜挂帅” (challenges
    # set in both directions) is its own name, not a mention of 揭榜挂帅
    text = "结合省、市人工智能应用场景发布对接会、创新创业大赛、“双向揭榜挂帅”等活动"
    matches = registry.name_matcher("china").find(text)
    found = discover_names(text, 0, matches, registry)
    assert "双向揭榜挂帅" in [c.name for c in found]
    assert "揭榜挂帅" not in [m.surface for m in outside_names(matches, found)]


@pytest.mark.parametrize("text, expected", [
    # 四川省支持人工智能OPC创新发展行动方案（2026—2027年）: the kind of programme after a quoted
    # list or name says what the quoted names are, whatever their last word (城, 驿站)
    ('核心技术人员等纳入"天府青城""天府峨眉"等省级人才计划支持范围',
     [("天府青城", "Program"), ("天府峨眉", "Program")]),
    ('按规定落实相关支持保障政策。启动实施"天府驿站"项目，为招引过渡期人工智能人才提供基本',
     [("天府驿站", "Program")]),
])
def test_a_quoted_name_followed_by_its_kind_of_programme_is_a_programme(text, expected):
    assert names(DEFAULT_POLICY.discover(text)) == expected


# -- what the session-15 rules must not take (a reviewer's sentences, in the form of plan text) -
@pytest.mark.parametrize("text", [
    "围绕“双碳”目标实施节能降碳行动",    # a formula's tail never runs across a verb (实施)
    "推动用电削峰填谷",                  # a trough is no district (…谷)
    "发展国际国内重大体育赛事",          # kinds of contest
    "打造品牌赛事",
    "举办招商推介会",
])
def test_slogans_troughs_and_kinds_of_event_are_no_names(text):
    assert DEFAULT_POLICY.discover(text) == []


@pytest.mark.parametrize("text, expected", [
    # a quote with a class word of its own is a name, not a formula (千万: a count)
    ("学习运用“千万工程”经验", [("千万工程", "Program")]),
    # a kind of programme after 等 and a verb is another thing's: the park stays a park
    ("支持“齐鲁软件园”等园区开展提升行动", [("齐鲁软件园", "Base")]),
])
def test_a_named_quote_keeps_its_own_class_word(text, expected):
    assert names(quoted_names(text)) == expected

"""Entity discovery: each evidence source on real sentences from real plans, the generic-phrase
filter, discovered entities in the graph, the review overlay round trip, unit full names."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from live_server import serve
from livekg.api.app import create_app
from livekg.core.config import Settings
from livekg.entity_evaluation import EntityReport, GoldEntity, Mention, score
from livekg.graph.backend import MemoryBackend
from livekg.graph.build import document_rows
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.loaders.discovery import DEFAULT_POLICY, enumerations, suffixed_names
from livekg.loaders.overlay import OverlayError, accept, read_overlay, reject
from livekg.loaders.pipeline import parse_source
from livekg.loaders.quoted_names import quoted_names, titled_policies
from livekg.loaders.registry import load_registry
from livekg.loaders.review import discover_names, outside_names
from livekg.loaders.source import read_source
from livekg.loaders.unit_names import Place, unit_name
from livekg.review_workflow import list_discovered

NANCHONG = Path(__file__).parent / "corpus" / "city-2026-nanchong-opc.txt"


def names(candidates):
    return [(c.name, c.label) for c in candidates]


# -- each evidence source, on sentences from real plans ---------------------------------------
def test_quoted_names_are_programmes_unless_their_ending_says_otherwise():
    # Pingtan 岚综管综〔2024〕30号 (equipment renewal), task 23
    text = "加大贷款贴息力度，用好“商贸贷”“文旅专项贷”“乡村振兴贷”“文旅闪贷”“隧道惠贷”等信贷工具"
    assert names(quoted_names(text)) == [
        ("商贸贷", "Program"), ("文旅专项贷", "Program"), ("乡村振兴贷", "Program"),
        ("文旅闪贷", "Program"), ("隧道惠贷", "Program")]


def test_a_quoted_part_of_an_event_name_takes_the_whole_name():
    # Pingtan 岚综管综〔2017〕159号: the heading of activity (三)
    [found] = quoted_names("（三）“北港之夜”乐活节")
    assert (found.name, found.label) == ("北港之夜乐活节", "Event")
    assert (found.span.start, found.span.end) == (3, 12)   # from the opening quote


def test_straight_double_quotes_count_as_quotes():
    # Wuhan 武政规〔2026〕4号
    text = '依托"武创通"科创服务平台打造OPC线上开放社区'
    assert names(quoted_names(text)) == [("武创通", "Program")]


def test_a_curly_opening_quote_closed_by_a_straight_one_is_a_quote():
    # Baotou 包府办发〔2022〕43号 closes every quote with a half-width mark; a straight pair
    # from the end of “观、管、防" to the end of “一网统管" is no quote
    slug = "city-2022-baotou-baofubanfa-43-digital-gov-assessment"
    text = real(slug, "从“观、管、防\"三方面入手完成城市治理“一网统管\"试点建设")
    assert names(quoted_names(text)) == [("一网统管", "Program")]
    text = real(slug, "推动“鹿城之窗\"自助终端向企业、社区、园区等重点区域延伸")
    assert names(quoted_names(text)) == [("鹿城之窗", "Program")]   # a service window (…窗)


@pytest.mark.parametrize("text", [
    # Zhengzhou 郑政办〔2026〕30号: a list of aims
    "引导社会资本加大对OPC创业项目的投入，推动“投早、投小、投科技”。",
    # Nanchong OPC plan, task 2: a quote that describes what follows (…的)
    "利用隐私计算等技术构建“可用不可见”的数据应用环境",
    # Nanchong OPC plan: a state reached (实现“…”。)
    "帮助创业者实现“拎包入驻”。",
    # Pingtan 岚综管综〔2024〕30号: a quote that names a model (…模式)
    "加快探索海洋塑料治理“蓝色循环”模式，推动海漂垃圾收集回收利用项目建设。",
])
def test_quoted_slogans_are_not_names(text):
    assert quoted_names(text) == []


CORPUS = Path(__file__).parent / "corpus"


def real(slug: str, sentence: str) -> str:
    """`sentence`, after checking that the corpus plan `slug` says it verbatim."""
    assert sentence in (CORPUS / f"{slug}.txt").read_text(encoding="utf-8"), sentence
    return sentence


@pytest.mark.parametrize(("slug", "text"), [
    # a slogan of going abroad, quoted but no programme
    ("gov-2018-guofa-42-agri-mechanization",
     "推动先进农机技术及产品“走出去”，鼓励优势企业参与对外援助和国际合作项目"),
    # “一核”: two formulas of integration
    ("county-2026-taicang-opc", "通过推动生产生活生态“三生融合”、形态业态质态“三态协同”"),
    # firms described by a slogan: 企业 after the quote makes no programme of it
    ("gov-2018-guofa-38-ftz-reform-measures", "满足“走出去”企业的海外投资"),
])
def test_a_quoted_coinage_without_programme_evidence_is_a_slogan(slug, text):
    assert quoted_names(real(slug, text)) == []


@pytest.mark.parametrize(("slug", "text", "expected"), [
    # the word after it names the programme: …改革试点, …行动, …建设
    ("pt-2017-lzgz-208-fangguanfu-task-division", "在更大范围推进“证照分离”改革试点",
     [("证照分离", "Program")]),
    ("pt-2017-lzgz-208-fangguanfu-task-division", "持续开展“减证便民”行动。",
     [("减证便民", "Program")]),
    ("gov-2018-guobanfa-128-zero-waste-city", "建立“无废城市”建设指标体系",
     [("无废城市", "Program")]),
    # the verb before it (实行“免督查”)
    ("gov-2018-guobanfa-117-supervision-incentives",
     "在下一年度国务院组织的有关实地督查中实行“免督查”。", [("免督查", "Program")]),
    # each item of a quoted list is what the first one is
    ("gov-2018-guobanfa-128-zero-waste-city",
     "推广“果沼畜”、“菜沼畜”、“茶沼畜”等畜禽粪污综合利用、种养循环的多种生态农业技术模式。",
     [("果沼畜", "Program"), ("菜沼畜", "Program"), ("茶沼畜", "Program")]),
    # a day and a week are events
    ("pt-2024-lzgz-30-equipment-renewal-tradein",
     "充分利用好“中国品牌日”“中国海峡创新项目成果交易会”“全国节能周”",
     [("中国品牌日", "Event"), ("中国海峡创新项目成果交易会", "Event"), ("全国节能周", "Event")]),
    # what a programme yields: an app, a system
    ("prov-2019-shandong-digital-2019-action", "2.完善应用“爱山东”APP。",
     [("爱山东", "Program")]),
    ("prov-2019-shandong-digital-2019-action", "加快推进省级重点工作“督考合一”系统建设",
     [("督考合一", "Program")]),
    # what is held is an event (Wuhan's straight quotes)
    ("city-2026-wuhan-wuzhenggui-4-opc", "举办\"武创荟\"科技成果转化OPC", [("武创荟", "Event")]),
])
def test_a_quoted_coinage_is_a_name_on_the_evidence_of_its_words(slug, text, expected):
    assert names(quoted_names(real(slug, text))) == expected


@pytest.mark.parametrize(("slug", "text", "expected"), [
    # e-government services and apps (…办), a talent card, a camp, a board of an exchange
    ("city-2022-baotou-baofubanfa-43-digital-gov-assessment",
     "按照国家、自治区“跨省通办\"“跨市通办\"事项清单", [("跨省通办", "Program"),
                                                 ("跨市通办", "Program")]),
    ("prov-2026-hubei-opc", "将符合条件的OPC人才纳入“楚才卡”服务范围", [("楚才卡", "Program")]),
    ("city-2026-suqian-suzhengbangui-1-opc", "个人品牌打造等模块的“OPC创业实战营”，定期举办",
     [("OPC创业实战营", "Program")]),
    ("gov-2018-guobanfa-126-innovation-reforms", "在区域性股权市场推出“科技创新板”，提供挂牌展示",
     [("科技创新板", "Program")]),
])
def test_a_quoted_coinage_ending_in_a_product_or_service_word_is_a_programme(slug, text,
                                                                            expected):
    assert names(quoted_names(real(slug, text))) == expected


def test_a_product_word_alone_is_no_programme():
    # Guangdong 粤发改〔2026〕78号: 算力“一张网” is the network, not a named service
    text = real("prov-2026-guangdong-fgw-78-opc", "打造绿色协同算力“一张网”，建设粤港")
    assert quoted_names(text) == []


BAOTOU = "city-2022-baotou-baofubanfa-43-digital-gov-assessment"


@pytest.mark.parametrize(("slug", "text", "expected"), [
    # a data centre the plan builds is a base (Baotou; Anhui 2021 and Shandong 2019 alike)
    (BAOTOU, "建设包头市政务大数据中心，汇总各类政务数据资", [("包头市政务大数据中心", "Base")]),
    # common words ending in a class word: network links (…路), extending (…展), showing
    # (展现), a level and above (…以上)
    (BAOTOU, "推进智慧广电项目，对主干链路进行扩容", []),
    (BAOTOU, "完成全民健康信息平台基础功能扩展，强化各", []),
    (BAOTOU, "数据分析、预警通告和态势展现等安全监", []),
    ("prov-2019-shandong-digital-2019-action", "县级以上公共图书馆均具备数字", []),
])
def test_class_words_inside_common_words(slug, text, expected):
    assert names(DEFAULT_POLICY.discover(real(slug, text))) == expected


@pytest.mark.parametrize(("slug", "text", "expected"), [
    # 一网通办 is the e-government programme the plans quote by name (Suqian; Baotou alike)
    ("city-2026-suqian-suzhengbangui-1-opc", "提供一站式创业服务。深化“一网通办”，融合",
     [("一网通办", "Program")]),
    # a congress is an event (Anhui 2022; Anhui 2021's 世界制造业大会, 工业互联网大会 alike)
    ("prov-2022-anhui-wankaifangban-6-rcep",
     "中国进出口商品交易会、世界制造业大会、中国-东盟博览会等",
     [("中国进出口商品交易会", "Event"), ("世界制造业大会", "Event"),
      ("中国-东盟博览会", "Event")]),
    # 各…, 地方… are any of a kind: each zone, a local fund
    ("prov-2022-anhui-wankaifangban-6-rcep", "支持各综合试验区结合本地实际创新发展", []),
    ("gov-2018-guobanfa-126-innovation-reforms", "针对地方股权基金中的种子基金、风险投资基金", []),
])
def test_names_and_kinds_the_labels_agree_on(slug, text, expected):
    assert expected == [n for n in names(DEFAULT_POLICY.discover(real(slug, text)))
                        if n[1] != "Technology"]


@pytest.mark.parametrize(("slug", "text"), [
    ("prov-2021-anhui-wanzhengbanmi-82-industrial-internet",
     "（五）激发商会协会活力。畅通政府、企业、商会协会沟通渠道"),
    ("prov-2019-shandong-digital-2019-action", "整合高校、科研院所、联盟协会等资源"),
])
def test_two_kinds_of_body_joined_name_no_body(slug, text):
    assert DEFAULT_POLICY.discover(real(slug, text)) == []


def test_a_quoted_item_is_what_the_item_after_it_is():
    # Suqian OPC measures, 畅通政企对接渠道: two apps, the second named by its ending (…通)
    text = real("city-2026-suqian-suzhengbangui-1-opc", "通过“网上宿迁”“宿企通”")
    assert names(quoted_names(text)) == [("网上宿迁", "Program"), ("宿企通", "Program")]


@pytest.mark.parametrize(("slug", "text", "expected"), [
    # bases of a kind the plan wants built (Wuhan's sentence is Hubei's, word for word)
    ("prov-2026-hubei-opc", "开展校企协同育人试点，共建OPC创业实践基地，将实践", []),
    ("gov-2018-guofa-42-agri-mechanization", "机企业与学校共建共享工程创新基地", []),
    # …but an owned one is named (Guangdong 粤发改高技〔2026〕78号)
    ("prov-2026-guangdong-fgw-78-opc", "高水平建设国家人工智能应用中试基地",
     [("国家人工智能应用中试基地", "Base")]),
])
def test_a_base_to_be_built_without_an_owner_is_a_kind(slug, text, expected):
    assert names(DEFAULT_POLICY.discover(real(slug, text))) == expected


@pytest.mark.parametrize(("slug", "text"), [
    (BAOTOU, "明确目标任务和进度计划，全力推"),
    (BAOTOU, "明确运维经费预算和资金使用计划，保障数"),
    ("gov-2018-guobanfa-117-supervision-incentives", "交通建设项目优先列入三年滚动计划，优先安"),
])
def test_a_schedule_of_the_work_is_no_programme(slug, text):
    assert DEFAULT_POLICY.discover(real(slug, text)) == []


@pytest.mark.parametrize(("slug", "text", "expected"), [
    # a campaign of a kind, without an owner or a quote: not labelled in seven plans
    ("pt-2023-new-pollutants-governance", "实施兽用抗菌药减量化行动，在经营", []),
    ("city-2026-nanchong-opc", "开展人工智能技术技能专项提升行动，支持职", []),
    # a campaign named by its quoted part (Shandong 2019, Hubei); a quoted formula is named
    # with its class word, without the field before it (adjudication/BOUNDARY_GUIDE.md)
    ("prov-2019-shandong-digital-2019-action", "深入实施智能制造“1+N”提升行动，加快智",
     [("“1+N”提升行动", "Program")]),
    ("prov-2026-hubei-opc", "深入开展“数智+”场景育新行动，支持O",
     [("“数智+”场景育新行动", "Program")]),
])
def test_a_campaign_is_named_by_an_owner_or_a_quote(slug, text, expected):
    assert [n for n in names(DEFAULT_POLICY.discover(real(slug, text)))
            if n[1] != "Technology"] == expected


@pytest.mark.parametrize(("slug", "text", "expected"), [
    ("prov-2022-anhui-wankaifangban-6-rcep", "申建中国-东盟经贸创新发展示范区",
     [("中国-东盟经贸创新发展示范区", "Base")]),
    (BAOTOU, "培训课程，整理历届鹿城文化艺术节、", [("鹿城文化艺术节", "Event")]),
])
def test_a_verb_before_a_name_is_no_part_of_it(slug, text, expected):
    assert names(DEFAULT_POLICY.discover(real(slug, text))) == expected


@pytest.mark.parametrize(("slug", "text"), [
    ("prov-2021-anhui-wanzhengbanmi-82-industrial-internet",
     "国家工业信息安全发展研究中心、中国工"),
    ("prov-2022-anhui-wankaifangban-6-rcep", "发挥中国（合肥）知识产权保护中心作用"),
])
def test_an_institution_s_centre_is_no_venue(slug, text):
    assert DEFAULT_POLICY.discover(real(slug, text)) == []


def test_a_quoted_name_ending_in_a_unit_word_is_no_unit():
    # Zhengzhou OPC plan, 完善创业服务体系: “郑好办” is an app (…办 is not an office when quoted)
    text = real("city-2026-zhengzhou-opc-community",
                "推动在“郑好办”平台开设“OPC创业一件事”专区")
    assert names(DEFAULT_POLICY.discover(text)) == [("郑好办", "Program"),
                                                   ("OPC创业一件事", "Program")]


def test_a_break_word_inside_a_word_does_not_cut_a_name():
    # 由 in 自由 is not 由 (by)
    text = real("pt-2015-lzgb-165-social-credit-task-division",
                "平潭自由贸易试验区监管信息共享平台的建设要与全区公共信用信息系统建设统筹考虑")
    assert names(suffixed_names(text))[0] == ("平潭自由贸易试验区监管信息共享平台", "Program")
    # 发挥好 (make good use of) is a verb, not part of the group's name; a 职业教育集团 (职教集团)
    # is an alliance of schools and firms, not a company
    text = real("gov-2018-guofa-42-agri-mechanization", "发挥好现代农业装备职业教育集团作用。")
    assert names(DEFAULT_POLICY.discover(text)) == [("现代农业装备职业教育集团", "Association")]


def test_a_quoted_formula_and_its_parts_are_not_names():
    # a numbered formula names no park (…园), and 一核双园 inside it is no park either
    text = real("county-2026-taicang-opc", "（二）打造“一核双园多区”OPC社区。")
    assert DEFAULT_POLICY.discover(text) == []


def test_a_level_word_before_descriptors_describes_a_platform_it_does_not_name():
    text = real("pt-2015-lzgb-165-social-credit-task-division",
                "基于省公共信用信息平台的通用软件模板，整合我区行业内的信用信息资源建成行业信用信息系统")
    assert DEFAULT_POLICY.discover(text) == []


def test_sites_in_a_list_of_media_are_enterprises():
    # measure 2 (1); the titled newspapers are not this source's to judge
    text = real("pt-2017-lzgz-159-tourism-peak-season-100-days",
                "（1）组织福建电视台旅游频道、新华网、东南网、《中国旅游报》《海峡都市报》等媒体记者"
                "赴平潭开展旅游采风报道")
    found = names(DEFAULT_POLICY.discover(text))
    assert ("新华网", "Enterprise") in found and ("东南网", "Enterprise") in found
    assert not any("旅游报" in name for name, _ in found)


def test_a_closing_qualifier_does_not_hide_the_class_word():
    # Guangdong 粤发改高技〔2026〕78号, task 7
    text = ("依托“粤港澳大湾区应用场景发布厅”“粤港澳大湾区应用场景创新中心（人工智能与机器人）”"
            "开展人工智能OPC供需对接服务")
    centre = "粤港澳大湾区应用场景创新中心（人工智能与机器人）"
    assert (centre, "Venue") in names(quoted_names(text))
    # …and the hall where scenarios are released is a venue too
    assert ("粤港澳大湾区应用场景发布厅", "Venue") in names(quoted_names(text))


def test_a_quoted_internet_plus_action_is_a_name_though_it_has_a_plus():
    # Pingtan 岚综管综〔2017〕208号
    assert names(quoted_names("加快推行“互联网＋政务服务”，推动政务服务")) == [
        ("互联网＋政务服务", "Program")]


def test_a_registered_technology_inside_a_discovered_name_is_still_mentioned(registry):
    # Guangdong 粤发改高技〔2026〕78号, task 18: 人工智能 (a registered technology) is part of the
    # base's name, and the task concerns 人工智能 there too (the one Technology rule of
    # tests/corpus/README.md)
    text = ("高水平建设国家人工智能应用中试基地，打通从技术研发到产业应用的“最后一公里”，"
            "为人工智能OPC企业提供人工智能应用")
    matches = registry.name_matcher("china").find(text)
    found = discover_names(text, 0, matches, registry)
    assert ("国家人工智能应用中试基地", "Base") in names(found)
    kept = outside_names(matches, found)
    assert [text[m.span.start:m.span.end] for m in kept] == ["人工智能"] * 3
    assert kept[0].span.start == text.index("国家人工智能") + 2
    # Cangnan OPC draft, 华为生态赋能: the training base holds the technology the task is about,
    # and the registered company (华为, an Enterprise) is mentioned as itself
    text = real("county-2026-cangnan-opc-draft", "依托我县华为人工智能实训基地")
    matches = registry.name_matcher("china").find(text)
    found = discover_names(text, 0, matches, registry)
    assert [m.surface for m in outside_names(matches, found)] == ["华为", "人工智能"]


def test_computing_power_is_a_resource_not_a_named_technology(registry):
    # Taicang OPC plan: 算力 is what the platform and the vouchers supply; the labels of eight
    # plans never count it, and the national statistical classification files it under
    # infrastructure. The names around it are still found.
    text = "依托苏州市公共算力服务平台，引导OPC使用“算力券”，推动智能算力供给普惠易用"
    matches = registry.name_matcher("china").find(text)
    assert [m.surface for m in matches] == []
    found = discover_names(text, 0, matches, registry)
    assert names(found) == [("苏州市公共算力服务平台", "Program"), ("算力券", "Program")]


@pytest.mark.parametrize(("text", "expected"), [
    # 数字山东2019行动方案, 以优势企业为主体…: every technology of the list
    ("发挥数据的基础资源和创新引擎作用，推动大数据与云计算、人工智能、物联网、区块链、虚拟现实等"
     "技术深度融合。", ["大数据", "云计算", "人工智能", "物联网", "区块链", "虚拟现实"]),
    # Pingtan 岚综管综〔2024〕30号, 加强新型基础设施建设
    ("加快物联网、5G、千兆光网等新型网络基础设施在重点场所深度覆盖、乡村区域延伸覆盖。",
     ["物联网", "5G"]),
])
def test_the_technologies_of_the_national_digital_economy_list_are_known(registry, text,
                                                                        expected):
    # The 14th five-year plan's list of key digital-economy industries (entities.yaml, PLAN-14)
    matches = registry.name_matcher("china").find(text)
    assert [(m.surface, registry.entities[m.target_id].label) for m in matches] == [
        (name, "Technology") for name in expected]


@pytest.mark.parametrize("text", [
    # 国发〔2018〕42号, 优化农机装备产业结构布局
    "鼓励优势企业参与对外援助和国际合作项目，提升国际化经营能力，服务“一带一路”建设",
    # 国发〔2018〕38号, (四十五)
    "推动与大宗商品出口国、“一带一路”国家和地区在油品等大宗商品贸易中使用人民币计价、结算",
])
def test_the_belt_and_road_is_a_registered_programme_not_a_road(registry, text):
    matches = registry.name_matcher("china").find(text)
    assert [(registry.entities[m.target_id].name, registry.entities[m.target_id].label)
            for m in matches] == [("一带一路", "Program")]
    assert discover_names(text, 0, matches, registry) == []


def test_titles_are_policies_but_programmes_on_television_are_not():
    # Pingtan new-pollutants plan task 4; Pingtan 159号 media measures
    assert names(titled_policies("严格执行《新化学物质环境管理登记办法》，督促企业落实")) == [
        ("新化学物质环境管理登记办法", "Policy")]
    assert titled_policies("在投放的央视1套《新闻联播》前黄金时段15秒") == []


@pytest.mark.parametrize("text", [
    # Pingtan 岚综管综〔2017〕159号: a stage show and a television series
    "邀请杨丽萍团队演出舞台剧《平潭映象》",
    "活动内容：借《邓丽君》剧组来岚拍摄电视剧的契机，举办邓丽君歌曲演唱大赛",
])
def test_titles_of_works_are_not_policies(text):
    assert titled_policies(real("pt-2017-lzgz-159-tourism-peak-season-100-days", text)) == []


def test_a_suffixed_name_is_cut_at_the_verb_before_it():
    # Pingtan 岚综管综〔2017〕171号, (四) 文体娱乐方面
    text = "按计划推进金井湾市民运动中心建设；完善周边图书馆、剧院等规划建设；启动牛寨山公园建设"
    found = names(suffixed_names(text))
    assert ("金井湾市民运动中心", "Venue") in found and ("牛寨山公园", "Venue") in found
    # 周边图书馆 (the libraries nearby) is a class: the policy drops it. (So does it drop
    # 金井湾市民运动中心: a centre needs an owner, and 金井湾, a place inside Pingtan, is no
    # division; BENCHMARKS.md counts this loss.)
    assert names(DEFAULT_POLICY.discover(text)) == [("牛寨山公园", "Venue")]


@pytest.mark.parametrize(("text", "expected"), [
    # Zhengzhou OPC plan, 降低算力运营成本
    ("依托郑州市算力调度平台，建立以“算力券”为核心的算力中心运营统筹结算分担机制",
     ("郑州市算力调度平台", "Program")),
    # 国发〔2018〕42号, 注重农机实用型人才培养
    ("实施新型职业农民培育工程，加大对农机大户、农机合作社带头人的扶持力度",
     ("新型职业农民培育工程", "Program")),
])
def test_a_verb_right_before_the_class_word_names_the_kind(text, expected):
    assert expected in names(suffixed_names(text))


@pytest.mark.parametrize("text", [
    # Pingtan 岚综管综〔2017〕159号: 开展 takes 优质服务行动 as its object
    "组织各行业、各村居千人开展优质服务行动，展现平潭优质旅游新风貌",
    # 国办发〔2018〕128号: 建立 takes 在线交易平台
    "支持再生资源回收企业建立在线交易平台，完善线下回收网点",
])
def test_a_verb_before_a_described_class_word_takes_an_object(text):
    assert DEFAULT_POLICY.discover(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    # 数字山东2019行动方案: the province's platform (省…, not 省级…)
    ("依托全省基础信息资源库和省大数据管理平台，建立全省经济运行监测分析体系",
     [("省大数据管理平台", "Program")]),
    # 发改高技〔2020〕1922号: the state's platforms
    ("充分依托全国一体化政务服务平台，发挥国家数据共享交换平台数据交换通道的支撑作用",
     [("全国一体化政务服务平台", "Program"), ("国家数据共享交换平台", "Program")]),
])
def test_a_platform_owned_by_a_place_or_the_state_is_a_name(text, expected):
    assert names(DEFAULT_POLICY.discover(text)) == expected


@pytest.mark.parametrize("text", [
    # 济政发〔2019〕1号, task 16
    "支持工业互联网平台建设",
    # 数字山东2019行动方案: 省政府部门网站向统一技术平台整合迁移
    "深化政府网站统一技术平台应用，全面完成省政府部门网站向统一技术平台整合迁移",
    # Taicang OPC plan: kinds of platform the plan will build (市级 is a level, not an owner)
    "建成AI算力平台、OPC公共服务平台、OPC共享赋能平台，市级OPC公共服务平台上线好物工具超20个",
])
def test_a_platform_without_an_owner_is_a_kind_of_platform(text):
    assert [c for c in DEFAULT_POLICY.discover(text) if c.label == "Program"] == []


def test_a_centre_owned_by_a_zone_is_a_name_and_kinds_of_centre_are_not():
    # Nanchong OPC plan, 高水平建设人工智能OPC社区: 高新区科创中心 is the zone's centre
    text = ("依托南充新质生产力创新产业园、南充数字经济产业园、中新成渝北部跨境电商产业园、"
            "高新区科创中心等园区载体，先行布局建设人工智能OPC社区")
    assert ("高新区科创中心", "Venue") in names(DEFAULT_POLICY.discover(text))
    # 济政发〔2019〕1号: kinds of research centre a firm may be recognised as
    text = ("对十大产业领域新获批国家级重点 （工程）实验室、工程（技术）研究中心、企业技术中心、"
            "工业设计中心、制造业创新中心、产业创新中心等研发机构的企业，给予最高５００万元扶持")
    assert [c for c in DEFAULT_POLICY.discover(text) if c.name.endswith("中心")] == []
    # 发改高技〔2020〕1922号: a kind of data centre
    assert DEFAULT_POLICY.discover("支持向城市级高性能、边缘数据中心调度") == []


@pytest.mark.parametrize(("slug", "text", "expected"), [
    # a quoted formula's name is the quote and its class word (adjudication/BOUNDARY_GUIDE.md,
    # FULL), without the place or field before it
    ("city-2026-nanchong-opc", "发展耐心资本，依托南充“1+3”基金", ("“1+3”基金", "Program")),
    ("prov-2019-shandong-digital-2019-action", "深入实施智能制造“1+N”提升行动",
     ("“1+N”提升行动", "Program")),
    ("prov-2026-guangdong-fgw-78-opc", "发挥好中国企业“走出去”综合服务基地作用",
     ("中国企业“走出去”综合服务基地", "Base")),
])
def test_a_quoted_formula_or_slogan_inside_a_name_is_part_of_it(slug, text, expected):
    assert names(DEFAULT_POLICY.discover(real(slug, text))) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    # 发布 begins the class word 发布会; it does not cut the name before it
    ("共分三项子活动：1.平潭国际旅游岛周年系列成果发布会，邀请全国知名旅行社",
     ("平潭国际旅游岛周年系列成果发布会", "Event")),
    # 在 inside the joined quote “美在平潭” does not cut it
    ("2.“美在平潭”旅游优质服务月集中行动启动仪式，集合海峡两岸青年志愿者",
     ("“美在平潭”旅游优质服务月集中行动", "Program")),
])
def test_no_break_word_cuts_a_class_word_or_a_joined_quote(text, expected):
    # Pingtan 岚综管综〔2017〕159号, 国际旅游岛周年节点活动
    text = real("pt-2017-lzgz-159-tourism-peak-season-100-days", text)
    assert names(DEFAULT_POLICY.discover(text)) == [expected]


def test_a_quoted_slogan_and_a_bare_class_word_name_nothing_more():
    # Guangdong 78号: the campaign is the slogan's; 行动 alone adds no name to it
    text = real("prov-2026-guangdong-fgw-78-opc", "为全面实施“人工智能+”行动")
    assert DEFAULT_POLICY.discover(text) == []


@pytest.mark.parametrize(("slug", "text", "expected"), [
    ("city-2026-wuhan-wuzhenggui-4-opc", "东湖高新区建设OPC生态创新集聚区",
     ("东湖高新区", "Base")),
    ("county-2026-taicang-opc", "以娄江新城科教创新区为核心", ("娄江新城科教创新区", "Base")),
])
def test_a_zone_is_a_base(slug, text, expected):
    # tests/corpus/README.md, "Zones and computing centres are Bases"
    assert expected in names(DEFAULT_POLICY.discover(real(slug, text)))


def test_a_level_word_starts_a_kind_and_the_technology_inside_is_mentioned(registry):
    # Wuhan OPC plan, 强化科技金融支撑: any city-level AI fund; 人工智能 is the technology
    text = real("city-2026-wuhan-wuzhenggui-4-opc", "与市级人工智能产业基金形成接续式投资矩阵")
    matches = registry.name_matcher("china").find(text)
    found = discover_names(text, 0, matches, registry)
    assert found == []
    assert [m.surface for m in outside_names(matches, found)] == ["人工智能"]
    # Hangzhou Shangcheng OPC measures, 打造金融综合服务
    text = real("district-2026-hangzhou-shangcheng-opc",
                "组建规模不低于10亿元的区级OPC专项产业基金，为优秀创业企业提供融资支持")
    assert DEFAULT_POLICY.discover(text) == []


def test_enumerated_names_share_evidence_with_their_own_endings():
    # Nanchong OPC plan, task 12
    text = ("依托南充现代物流园、保税物流中心（B 型）、中新成渝北部跨境电商产业园、"
            "中国西部（南充）电商直播基地等功能载体，构建小微企业跨境出海全生命周期服务与实训体系")
    listed = names(enumerations(text))
    assert ("中新成渝北部跨境电商产业园", "Base") in listed
    assert ("中国西部（南充）电商直播基地", "Base") in listed
    combined = {c.name: c for c in DEFAULT_POLICY.discover(text)}
    # a list item with its own class word is found by two sources, and trusted more
    assert combined["中新成渝北部跨境电商产业园"].method == "suffix+enumeration"
    alone = {c.name: c for c in suffixed_names(text)}["中新成渝北部跨境电商产业园"]
    assert combined["中新成渝北部跨境电商产业园"].confidence > alone.confidence


@pytest.mark.parametrize("text", [
    "贯彻落实《行动计划》",               # Changning plan, task 23
    "支持相关协会开展行业自律",
    "鼓励行业组织制定团体标准",
    "推动各类园区建设直播基地",
    "5.打造直播特色街区。",              # a class of street, not one street
    "依托重点直播基地建设公共服务平台",
])
def test_generic_phrases_are_never_entities(text):
    assert DEFAULT_POLICY.discover(text) == []


def test_a_name_starts_after_an_item_marker_or_a_count():
    # Pingtan 岚综管综〔2017〕159号, heading of activity (六); 岚综管综〔2024〕30号, task 二十
    assert names(suffixed_names("（六）中国平潭国际风筝冲浪赛")) == [
        ("中国平潭国际风筝冲浪赛", "Event")]
    assert "到2027年" not in "".join(c.name for c in suffixed_names(
        "到2027年，建成首个再生资源集中分拣中心，二手车交易量较2023年增长45%"))


@pytest.mark.parametrize("text", [
    # 国发〔2018〕38号: the class of every pilot free-trade zone
    "党的十九大报告强调要赋予自贸试验区更大改革自主权",
    # Pingtan 岚综管综〔2024〕30号, task 二十: a kind of centre, not one
    "支持废旧物资交投点、中转站、分拣中心三级回收体系建设",
    "到2027年，建成首个再生资源集中分拣中心",
    # Nanchong OPC plan, task 3: 节点 is a node, not a festival (…节)
    "打造协作办公区域、增设共享算力节点、开设AI实训平台等",
    # Nanchong OPC plan and 国发〔2018〕42号: a level word before a designation is its level
    "借助全国跨境电子商务综合试验区建设契机",
    "率先在粮食生产功能区、重要农产品生产保护区、特色农产品优势区、国家现代农业示范区创建一批"
    "整体推进示范县（场）",
    # 国发〔2018〕38号 and Pingtan 岚综管综〔2017〕159号: the ports or airports inside a place
    "优先审理自贸试验区内口岸开放项目",
    "在福州、厦门、武夷山、连城等省内机场出发厅和到达厅投放“清新福建·平潭蓝”灯箱广告",
    # 国发〔2018〕42号: 健全 starts a clause; 新型农业工程 is a kind of engineering
    "（十六）健全新型农业工程人才培养体系",
    # 济政发〔2019〕1号: 集成电路 is a circuit, not a road (…路); 参展 is to exhibit (…展)
    "引进培育大数据、云计算、软件和集成电路、人工智能、机器人、高端数控机床、新能源汽车、智能终端、"
    "智能家电、生物医药、先进材料、高端化工等产业",
    "深化交流合作，支持企业外埠参展",
    # Pingtan 岚综管综〔2017〕171号: the responsible-unit cells of table rows
    "区交建局\n区交通集团",
    "区规划局、金井湾片区项目建设指挥部",
])
def test_class_names_and_units_in_running_text_are_not_entities(text):
    assert DEFAULT_POLICY.discover(text) == []


# -- discovered entities in records and graph -------------------------------------------------
@pytest.fixture(scope="module")
def nanchong(registry):
    # The city's own jurisdiction is not in the registry yet; entities do not depend on it.
    return parse_source(read_source(NANCHONG), registry, {"jurisdiction": "china"})


def _entity(parsed, name):
    return next(e for e in parsed.entities if e.name == name)


def test_discovered_entities_carry_status_method_confidence_and_provenance(nanchong):
    park = _entity(nanchong, "南充新质生产力创新产业园")
    assert (park.label, park.status, park.verified) == ("Base", "discovered", False)
    assert park.method == "suffix+enumeration" and 0.5 < park.confidence <= 1
    [mention] = [m for t in nanchong.tasks for m in t.mentions if m.entity_id == park.id]
    assert nanchong.text[mention.span.start:mention.span.end] == "南充新质生产力创新产业园"
    assert mention.sentence.startswith("4.打造人工智能OPC社区。") is False
    assert "南充新质生产力创新产业园" in mention.sentence


def test_the_same_name_in_two_tasks_is_one_node(nanchong):
    park = _entity(nanchong, "中新成渝北部跨境电商产业园")
    tasks = {t.number for t in nanchong.tasks for m in t.mentions if m.entity_id == park.id}
    assert len(tasks) == 2   # tasks 4 and 12 of the plan name it
    rows = document_rows(nanchong)
    assert sum(1 for n in rows.nodes if n.id == park.id) == 1
    node = next(n for n in rows.nodes if n.id == park.id)
    assert node.properties["status"] == "discovered"


def test_registry_names_stay_registered_and_are_not_discovered_again(nanchong):
    ai = _entity(nanchong, "人工智能")
    assert (ai.status, ai.id) == ("registered", "technology-artificial-intelligence")
    assert not any(e.status == "discovered" and e.name == "人工智能" for e in nanchong.entities)


def test_the_bundled_plan_has_only_registered_entities(changning):
    assert changning.entities
    assert {e.status for e in changning.entities} == {"registered"}
    assert changning.review == ()


# -- the review overlay ---------------------------------------------------------------------
def test_accept_and_reject_change_the_next_load(tmp_path):
    overlay = tmp_path / "overlay.yaml"
    before = parse_source(read_source(NANCHONG), load_registry(overlay=overlay),
                          {"jurisdiction": "china"})
    assert _entity(before, "南充现代物流园").status == "discovered"
    assert any(e.name == "数字四川创新大赛" for e in before.entities)

    accept(overlay, "南充现代物流园", "Base")
    reject(overlay, "数字四川创新大赛")
    after = parse_source(read_source(NANCHONG), load_registry(overlay=overlay),
                         {"jurisdiction": "china"})
    park = _entity(after, "南充现代物流园")
    assert (park.status, park.method) == ("registered", "review")
    assert park.id == _entity(before, "南充现代物流园").id   # the same node, now registered
    assert not any(e.name == "数字四川创新大赛" for e in after.entities)
    assert read_overlay(overlay).rejected == ["数字四川创新大赛"]


def test_accepting_a_rejected_name_withdraws_the_rejection(tmp_path):
    overlay = tmp_path / "overlay.yaml"
    reject(overlay, "南充现代物流园")
    accept(overlay, "南充现代物流园", "Base")
    decisions = read_overlay(overlay)
    assert decisions.rejected == [] and [a.name for a in decisions.accepted] == ["南充现代物流园"]


@pytest.mark.parametrize(("content", "line", "expected"), [
    ("accepted:\n  - name: 南充现代物流园\n    label: Park\n", 2, "a label from"),
    ("accepted:\n  - name: 南充现代物流园\n    label: Base\nrejected:\n  - {a: b}\n", 5,
     "a name (text)"),
    ("rejected: []\nrefused:\n  - x\n", 2, "'accepted' or 'rejected'"),
    ("accepted:\n  - name: [1\n", 3, "not valid YAML"),
])
def test_a_bad_overlay_names_the_line_and_what_was_expected(tmp_path, content, line, expected):
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(content, encoding="utf-8")
    with pytest.raises(OverlayError) as error:
        load_registry(overlay=overlay)
    assert f"{overlay}:{line}:" in str(error.value)
    assert expected in str(error.value)


# -- unit full names ----------------------------------------------------------------------------
def test_derived_full_names_agree_with_the_hand_checked_changning_names(registry):
    places = [Place(j.name, j.level) for j in registry.jurisdiction_chain("shanghai-changning")]
    by_short = {u.short_name: u for u in registry.units.values()
                if u.jurisdiction == "shanghai-changning"}
    for short in ("区商务委", "区科委", "区文旅局", "区人社局", "区财政局", "区市场监管局",
                  "区民政局", "区发改委", "区教育局", "区委宣传部", "区委网信办"):
        assert unit_name(short, places).full_name == by_short[short].full_name, short
    # a body the table does not know gets no invented name
    assert unit_name("区投促办", places).full_name is None


def test_a_unit_of_another_district_gets_that_districts_full_name(registry):
    places = [Place(j.name, j.level) for j in registry.jurisdiction_chain("shanghai-jingan")]
    assert unit_name("区商务委", places).full_name == "上海市静安区商务委员会"
    assert unit_name("区委宣传部", places).full_name == "中共上海市静安区委员会宣传部"
    assert unit_name("区人社局", places).kind == "government_department"
    assert unit_name("区委宣传部", places).kind == "party_organ"
    assert unit_name("区总工会", places).kind == "mass_organisation"
    assert unit_name("各街镇", places).kind == "collective"


# -- scoring -----------------------------------------------------------------------------------
def test_scoring_matches_name_label_and_task():
    gold = [GoldEntity("平潭龙王头海滨浴场", "Venue", "A"),
            GoldEntity("平潭蓝国际沙滩啤酒节", "Event", "A"),
            GoldEntity("海坛古城", "Venue", "B")]
    predicted = [Mention("A", "平潭龙王头海滨浴场", "Venue", "suffix"),
                 Mention("A", "“平潭蓝”国际沙滩啤酒节", "Event", "quoted"),   # quotes aside
                 Mention("A", "海坛古城", "Venue", "suffix"),                 # wrong task
                 Mention("B", "海坛古城", "Base", "suffix")]                   # wrong label
    report = EntityReport()
    score(report, "doc", gold, predicted)
    assert report.labels["Venue"].true_positives == 1
    assert report.labels["Event"].true_positives == 1
    assert report.overall.false_positives == 2 and report.overall.false_negatives == 1
    assert report.unlabelled.true_positives == 3   # by name and task only
    assert "overall" in report.render()


# -- over HTTP -------------------------------------------------------------------------------
def test_the_api_shows_whether_an_entity_is_registered_or_discovered(nanchong):
    kg, _ = with_documents(KnowledgeGraph(), [nanchong])
    park = _entity(nanchong, "南充新质生产力创新产业园")
    with serve(create_app(Settings(), backend=MemoryBackend(kg))) as url, \
            httpx.Client(base_url=url, timeout=30) as http:
        body = http.get(f"/v1/entities/base/{park.id}").json()
        assert (body["name"], body["status"], body["method"]) == (
            "南充新质生产力创新产业园", "discovered", "suffix+enumeration")
        assert body["mentions"] and "南充新质生产力创新产业园" in body["mentions"][0]["sentence"]
        technology = http.get("/v1/entities/technology/人工智能").json()
        assert technology["status"] == "registered"
        listed = http.get("/v1/entities/base", params={"limit": 100}).json()
        assert {"discovered"} <= {item["status"] for item in listed["items"]}


def test_review_lists_discovered_names_with_counts_and_contexts(nanchong):
    kg, _ = with_documents(KnowledgeGraph(), [nanchong])
    rows = {row.name: row for row in list_discovered(MemoryBackend(kg))}
    park = rows["中新成渝北部跨境电商产业园"]
    assert (park.label, park.count, park.documents) == ("Base", 2, (nanchong.document.id,))
    assert all("中新成渝北部跨境电商产业园" in context for context in park.contexts)
    assert "人工智能" not in rows   # registered, nothing to review


@pytest.mark.parametrize("text", [
    # Constructed (no corpus plan or smoke-run document writes these): a district's name
    # without 区 is often an ordinary word (平安区, 光明区), and 县城 is no county's own.
    "推进平安建设平台升级",
    "完善县城综合服务中心功能",
])
def test_ordinary_words_are_no_owners_of_a_platform_or_centre(text):
    assert DEFAULT_POLICY.discover(text) == []

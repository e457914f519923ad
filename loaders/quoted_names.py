"""Two evidence sources of entity discovery: quoted names (“…”, and "…", ‘…’, 「…」) and
titled documents (《…》). The plans quote the names they coin, and their slogans: a quote
without a class word is a name only on the evidence of its words or neighbours (“证照分离”改革,
“算力券”), else a slogan (“走出去”). Titled documents are policies, unless a medium or a work."""

from __future__ import annotations

import re

from livekg.loaders.name_words import (
    BREAK_WORDS,
    MAX_NAME,
    MEDIA_SUFFIXES,
    NOT_NAME_ENDINGS,
    Candidate,
    TextSpan,
    alternation,
    quoted_stretches,
    suffix_label,
    unquote,
)

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
LIST_KINDS = ("计划", "工程", "项目", "行动")
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
FORMULA_CLASS_WORDS = ("工程", "行动", "机制", "计划", "基金群", "基金", "平台", "服务", "团",
                       "项目", "系统")
# …except the “互联网+…” names, the form of the State Council's Internet Plus actions
# (国发〔2015〕40号): “互联网+政务服务”, “互联网+农机作业”.
INTERNET_PLUS = re.compile(r"互联网[+＋]")
# A quoted name that continues with an event word is one event: “北港之夜”乐活节.
EVENT_TAIL = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{0,16}?(?:节|大赛|巡回赛|冲浪赛|嘉年华|博览会|交易会|推介会)(?![\u4e00-\u9fff])")


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
        name = unquote(inner).strip()
        if not 2 <= len(name) <= MAX_NAME or re.search(r"[。；！？，,]", name):
            continue
        own_label = suffix_label(name)
        if own_label is None and _formula(name):
            tail = FORMULA_TAIL.match(text, end)
            if tail is None:   # a formula alone is a slogan: “三地一区”, “一城三廊多带”
                previous = unlabelled = None
                continue
            end = tail.end()   # the name as written, its quote marks kept: “1+N”提升行动
            found.append(Candidate(text[start:end], QUOTED_DEFAULT_LABEL, "quoted", 0.8,
                                   TextSpan(offset + start, offset + end)))
            previous = (end, QUOTED_DEFAULT_LABEL)
            unlabelled = None
            continue
        # 发展 is not an exhibition (…展) nor 环节 a festival (…节); a numbered formula (“一带一路”,
        # “双园”) names no road or park, whatever its last word
        label = None if name.endswith(NOT_NAME_ENDINGS) or NUMBERED_FORMULA.match(name) \
            else own_label
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
            found.append(Candidate(unlabelled[2], label, "quoted", 0.8, TextSpan(
                offset + unlabelled[0], offset + unlabelled[1])))
        unlabelled = None
        previous = (end, label)
        found.append(Candidate(name, label, "quoted", 0.8, TextSpan(offset + start,
                                                                     offset + end)))
    return found


def _formula(name: str) -> bool:
    """A count or formula: “双千”, “1+N”, “210”; not “12345”, “5G”, “互联网+政务服务”. (Asked only
    of a quote without a class word of its own: “千万工程” is the programme, named.)"""
    if COUNT_FORMULA.fullmatch(name):
        return len(name) >= 3 and not (name.isdigit() and len(name) >= 5)
    # NUMBERED_COUNT's numerals include NUMBERED_FORMULA's, and a two-character 双… is a
    # counted thing: both of NUMBERED_FORMULA's forms are covered
    return bool(NUMBERED_COUNT.match(name) or COUNTED_THINGS.fullmatch(name))


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


def words_then(class_words: tuple[str, ...], most: int, *, verb_before: bool = False,
               then: str = "") -> re.Pattern[str]:
    """At most `most` name characters that hold no break word, then one of `class_words`
    (then `then`). With `verb_before`, a break word may stand right before the class word, where
    a verb names the kind (“1+N”提升行动, …平台培育工程); elsewhere it ends the phrase
    (“双碳”目标实施节能降碳行动: the quote is no part of the campaign that follows)."""
    breaks = _BREAKS.pattern
    verb = f"(?:{breaks})?" if verb_before else ""
    words = alternation(class_words).pattern
    return re.compile(f"(?:(?!{breaks})[\u4e00-\u9fffA-Za-z0-9]){{0,{most}}}?{verb}{words}{then}")


_BREAKS = alternation(sorted(BREAK_WORDS, key=len, reverse=True))
_PROGRAMME_CLASS_AFTER = words_then(PROGRAMME_CLASS_WORDS, 8)
# The formula's name ends with the clause's name: at a character that is no name's, or where
# 建设 follows (“个十百”工业互联网平台培育工程建设: building that programme).
FORMULA_TAIL = words_then(FORMULA_CLASS_WORDS, 10, verb_before=True,
                          then=r"(?:(?![\u4e00-\u9fffA-Za-z0-9])|(?=建设))")
# A quoted name, or the last of a quoted list, followed by its kind: directly (“天府驿站”项目), or
# after 等 and a few words without a verb (“天府青城”“天府峨眉”等省级人才计划; not “齐鲁软件园”等
# 园区开展提升行动, where the campaign is the parks').
_LIST_KIND = words_then(LIST_KINDS, 4)
PROGRAMME_LIST_CLOSE = re.compile(
    f'(?:[“"][^“”"\n]{{1,20}}[”"]、?)*(?:等{_LIST_KIND.pattern}|{alternation(LIST_KINDS).pattern})')


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
                               TextSpan(offset + match.start(), offset + match.end())))
    return found


def _a_work(text: str, start: int, end: int) -> bool:
    """舞台剧《平潭映象》, 《邓丽君》剧组: the title of a show, a film, a song or a book."""
    return text[max(0, start - 3):start].endswith(WORK_BEFORE) or text.startswith(
        WORK_AFTER, end)

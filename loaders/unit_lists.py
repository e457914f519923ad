"""Finding responsible-unit lists in a task's text, in every form the genre uses.

- labelled, in brackets: `(责任单位:区商务委、区科委)`, `（牵头单位：X；配合单位：Y、Z）`;
- labelled, as a line of its own after the task (or a sentence at its end):
  `责任单位：A、B`, `牵头单位：X` then `配合单位：Y`, `牵头单位：X，配合单位：Y`;
- unlabelled, in brackets, ending in who does what: `（A、B负责）`, `（A牵头，B、C配合）`,
  `（A、B等和各省级人民政府负责）`, `(A、B牽頭,C及D按職責分工負責)`, `（X会同有关部门负责）`.

Inside a list, role words mark groups (`A、B牵头` makes both leads; once a list has a lead,
its other units support), `等…` marks that others are meant, and convention clauses that ride
in the list (`列第一位者为牵头单位，下同`, `以下均需…落实，不再列出`) are not units.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from livekg.loaders.models import Span, UnitRole
from livekg.loaders.names import MAX_UNIT_NAME, ROLE_IN_ITEM, ROLE_WORDS

OPENERS = "(（〔【[［"
CLOSERS = ")）〕】]］"
# Brackets inside a unit list that belong to a name (区投促办（金融办）) or to a note.
INNER_OPENERS = OPENERS + "〈<《"
INNER_CLOSERS = CLOSERS + "〉>》"
LABEL_ROLES: dict[str, UnitRole | None] = {
    "牵头负责单位": "lead",
    "责任单位": None,
    "责任部门": None,
    "责任主体": None,
    "负责单位": None,
    "负责部门": None,
    "主办单位": None,
    "承办单位": None,
    "牵头单位": "lead",
    "牵头部门": "lead",
    # 包头's 数字政府 assessment rules (包府办发〔2022〕43号): the unit answering for an item.
    "牵头考核单位": "lead",
    "配合单位": "support",
    "配合部门": "support",
    # 山东省服务业数字化转型 (2021): （牵头单位：省商务厅，参加单位：省市场监管局）
    "参加单位": "support",
}
_LABEL = "|".join(sorted(LABEL_ROLES, key=len, reverse=True))
LABEL_PATTERN = re.compile(rf"(?P<label>{_LABEL})\s*[:：]")
# A bracketed list may open with the item's deadline before its label:
# （5月底取得明显成效并持续推进，牵头考核单位：市审批服务局） (包府办发〔2022〕43号).
LIST_START = re.compile(
    rf"[{re.escape(OPENERS)}]\s*(?:(?P<when>[^{re.escape(OPENERS + CLOSERS)}：:。\n]{{1,30}}?)"
    rf"[，,；;]\s*)?(?P<label>{_LABEL})\s*[:：]")
# The whole clause must read as a date or progress note (6月底完成, 5月底取得阶段性成效并持续推进,
# 按进度推进, 2024年底前完成): a name before a label (市数字经济推进中心，配合单位：…) is none.
DEADLINE = re.compile(
    r"(?:(?:\d{4}年)?(?:\d{1,2}月(?:份|底|末|中旬|上旬|下旬)?|年?底|年内|上半年|下半年|\d季度)前?"
    r"(?:完成|建成|启动|实现|取得(?:明显|阶段性|显著)?成效)?)?(?:并?(?:持续|长期|常态化)"
    r"(?:推进|优化|坚持|开展)|按(?:进度|计划)推进)?")
# A label line: the label opens a line (or a sentence at the end of one) and the list runs
# to the end of that line. The break before it is matched, not looked behind for: a pattern
# opening with lookbehinds is tried at every character.
LINE_LABEL = re.compile(rf"(?:^|[\n。；;])[ \t\u3000]*(?P<label>{_LABEL})\s*[:：]")
SEPARATORS = "、，,；;/"
AND_OTHERS = "等"
# Clauses that ride in a list and are not units; the list ends where the clause begins.
CONVENTION = re.compile(
    r"列第一位|排在第一位|排第一位|排在首位|第一个逗号前|具体任务均涉及|以下任务均需|以下均需|"
    r"以下均涉及|不再做分工|不再一一列出|不再重复列出|不再列出|下同|适用范围")
# The end of a group of units: what they do, and their role.
# 按职责分工负责, 按职能分工负责 (国家发展改革委's plans), 分工负责 and 分头落实 (Shandong's): each
# unit for its part of the task; …落实 (各市政府落实) closes a group the same way.
_DUTY = (r"(?:按照?职责分工|按照?职责|按照?职能分工|按照?职能|根据职责|分工)?"
         r"(?:分别|共同|协同|具体)?")
GROUP_TAIL = re.compile(
    rf"(?P<role>牵头负责|牵头|配合落实|配合|参与|协助|指导)$|"
    # …具体实施 (数字山东2021: （省大数据局牵头，省有关部门具体实施）) closes a group like 负责:
    # its units support only beside a lead.
    rf"(?P<duty>{_DUTY}(?:负责(?:落实)?|分头落实|落实|具体实施))$|"
    rf"(?P<by_duty>按照?职责分工|按照?职责|按照?职能分工)$")
TAIL_ROLES: dict[str, UnitRole] = {
    "牵头负责": "lead", "牵头": "lead", "指导": "lead",
    "配合落实": "support", "配合": "support", "参与": "support", "协助": "support",
}
OTHERS = re.compile(r"等(?:有关|相关|其他)?(?:部门|单位)?(?:和单位)?$")
DUTY_WITH_OBJECT = re.compile(r"负责(?!落实$)[\u4e00-\u9fff]{2,}$")
UNNAMED_OTHERS = frozenset({"有关单位", "有关部门", "相关单位", "相关部门", "其他有关部门",
                            "其他相关部门", "有关部门和单位", "相关部门和单位"})
# Marks before a name that are not part of it (a footnote or redaction star: *县经信局).
FOOTNOTE_MARKS = "*＊※"
# 各区、县级市 and 市直有关部门、单位: one collective unit, whatever the 、 inside says
# (各有关区、县级市: those of them concerned, Guangzhou 2012).
COLLECTIVES = ("各区、县级市", "各有关区、县级市", "市直有关部门、单位", "区直有关部门、单位",
               "省直有关部门、单位",
               "各县、市、区", "各县（市、区）", "各县(市、区)", "各区县（市）", "各区县(市)")
# Scope notes in brackets after a name: 各区人民政府〈含开发区…，下同〉.
SCOPE_NOTE = re.compile(r"[〈<（(](?:含|包括|包含)[^〉>）)]*[〉>）)]$")
UNIT_SUFFIX = re.compile(
    r"(?:委|局|办|部|厅|院|会|府|室|中心|联盟|街镇|街道|镇|乡|社区|部门|单位|集团|公司|署|处|司|"
    r"行|所|队|团|政府|机构|组织|区|县|市|省|关|站|园|校|台|馆|社|组|班|总局|支局|分局|"
    r"指挥部|管理局|片区|联)[)）]?$")


class UnitListError(ValueError):
    """A unit list is malformed; `offset` is where, relative to the scanned text."""

    def __init__(self, problem: str, offset: int, expected: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.offset = offset
        self.expected = expected


class UnitEntry(NamedTuple):
    surface: str
    span: Span
    role: UnitRole | None
    and_others: bool
    # The name meant where the text writes an organ once for several places: 济南 in
    # 济南、青岛、烟台市政府 means 济南市政府 (the surface stays 济南, as written).
    meant: str | None = None


class UnitList(NamedTuple):
    span: Span
    entries: tuple[UnitEntry, ...]
    on_own_line: bool = False


def find_unit_lists(text: str, offset: int = 0) -> list[UnitList]:
    """Every unit list in `text`, labelled or not; spans are shifted by `offset`."""
    lists: list[UnitList] = []
    # Most of the texts scanned hold no label (责任单位：…): one search for one settles it,
    # where LIST_START and LINE_LABEL are tried at every bracket and every line break.
    if LABEL_PATTERN.search(text) is not None:
        lists = _labelled_lists(text, offset)
        covered = [(u.span.start - offset, u.span.end - offset) for u in lists]
        lists += _label_lines(text, offset, covered)
    covered = [(u.span.start - offset, u.span.end - offset) for u in lists]
    for start, end in _top_level_groups(text):
        if any(a <= start < b or start <= a < end for a, b in covered):
            continue
        unlabelled = _unlabelled_list(text, start, end, offset)
        if unlabelled is not None:
            lists.append(unlabelled)
    return sorted((UnitList(u.span, u.entries, _on_own_line(text, u.span.start - offset,
                                                            u.span.end - offset))
                   for u in lists), key=lambda u: u.span.start)


def unit_entries(text: str, start: int, end: int, offset: int = 0,
                 role: UnitRole | None = None) -> tuple[UnitEntry, ...]:
    """The units of text[start:end] (a table cell, a clause of prose), `role` where no label
    or role word inside gives one; spans are shifted by `offset`."""
    return tuple(_entries(text, start, end, offset, role))


def is_unit_line(text: str) -> bool:
    """A line that is nothing but unit names (a table cell: `规划局、交投集团等`)."""
    line = text.strip().rstrip("。.；;")
    # A colon means a label (抄送：…, 联系人：…), never a name.
    if not line or any(c in line for c in "。：:") or len(line) > 6 * MAX_UNIT_NAME:
        return False
    entries = _entries(line, 0, len(line), 0)
    return bool(entries) and all(_looks_like_unit(e.surface) for e in entries)


# Roles given by the verbs of a task's own sentence, where no list is set apart:
# 由区规划局牵头，… (lead); 区直其他有关部门配合区规划局对…进行确认 (support, then the lead it
# supports); X负责…，会同Y共同做好… (X leads, Y supports); …，由区督查室负责强化督查跟踪 (owner).
_NAMES = r"[\u4e00-\u9fff（）()、]{2,80}?"
PROSE_FORMS: tuple[tuple[re.Pattern[str], tuple[tuple[str, UnitRole | None], ...]], ...] = (
    (re.compile(rf"^由(?P<lead>{_NAMES})牵头[，,]"), (("lead", "lead"),)),
    (re.compile(rf"^(?P<support>{_NAMES})配合(?P<lead>{_NAMES})"
                r"(?=对|做好|开展|进行|推进|共同|抓好|落实|[，,])"),
     (("support", "support"), ("lead", "lead"))),
    (re.compile(rf"^(?P<lead>{_NAMES})负责[^。；]*?[，,]会同(?P<support>{_NAMES})"
                r"(?=共同|一起|做好|开展|推进|[，,])"), (("lead", "lead"), ("support", "support"))),
    (re.compile(rf"(?<=[，,])由(?P<owner>{_NAMES})负责(?![人])"), (("owner", None),)),
)


def prose_unit_list(text: str, start: int, end: int, offset: int = 0) -> UnitList | None:
    """The units a task's own sentences name with role verbs (see PROSE_FORMS), or None.

    Only whole names pass: every group must read as units, so a sentence that merely
    mentions a department in passing (配合做好…) gives nothing."""
    body = text[start:end]
    for pattern, groups in PROSE_FORMS:
        match = pattern.search(body)
        if match is None:
            continue
        entries: list[UnitEntry] = []
        for group, role in groups:
            found = _entries(text, start + match.start(group), start + match.end(group),
                             offset, role)
            if not found or not _mostly_units(found):
                break
            entries.extend(found)
        else:
            return UnitList(Span(start=offset + start + match.start(),
                                 end=offset + start + match.end()),
                            tuple(sorted(entries, key=lambda e: e.span.start)))
    return None


def _on_own_line(text: str, start: int, end: int) -> bool:
    """A list that is a line by itself: nothing but spaces before it and a stop after it."""
    line_end = text.find("\n", end)
    after = text[end:line_end if line_end >= 0 else len(text)]
    return not text[text.rfind("\n", 0, start) + 1:start].strip() and not after.strip(
        "。.；; \t\u3000")


def _top_level_groups(text: str) -> Iterator[tuple[int, int]]:
    """(open, close) index pairs of outermost bracketed groups; unbalanced ones are skipped."""
    depth, start = 0, -1
    for bracket in _BRACKET.finditer(text):  # only the brackets, not every character
        if bracket.group(0) in OPENERS:
            if depth == 0:
                start = bracket.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                yield start, bracket.start()


_BRACKET = re.compile(f"[{re.escape(OPENERS + CLOSERS)}]")


def _unlabelled_list(text: str, open_index: int, close_index: int,
                     offset: int) -> UnitList | None:
    start, end = open_index + 1, _before_convention(text, open_index + 1, close_index)
    content = text[start:end].rstrip("。.，,；; \t")
    if not content or not GROUP_TAIL.search(content.strip()) or "。" in content:
        return None
    entries = _entries(text, start, start + len(content), offset)
    if not entries or not _mostly_units(entries):
        return None
    return UnitList(Span(start=offset + open_index, end=offset + close_index + 1), tuple(entries))


def _mostly_units(entries: list[UnitEntry]) -> bool:
    """An unlabelled bracket ending in who does what is a unit list when its items are short
    and most of them end like units (广州 among 深圳市政府 and 横琴…执委会 is a unit too)."""
    if any(len(e.surface) > MAX_UNIT_NAME or "。" in e.surface for e in entries):
        return False
    return 2 * sum(1 for e in entries if _looks_like_unit(e.surface)) >= len(entries) + (
        len(entries) == 1)


def _looks_like_unit(surface: str) -> bool:
    return len(surface) <= MAX_UNIT_NAME and "。" not in surface and bool(
        UNIT_SUFFIX.search(surface) or surface.startswith("各"))


def _labelled_lists(text: str, offset: int) -> list[UnitList]:
    lists: list[UnitList] = []
    covered: list[tuple[int, int]] = []
    for start_match in LIST_START.finditer(text):
        if any(a <= start_match.start() < b for a, b in covered):
            continue
        when = start_match.group("when")
        if when is not None and not (when.strip() and DEADLINE.fullmatch(when.strip())):
            continue  # not a date before the label: the bracket is read as it always was
        end = _closing_index(text, start_match.start())
        covered.append((start_match.start(), end + 1))
        content_start = start_match.start("label") if when else start_match.start() + 1
        entries = _entries(text, content_start, _before_convention(text, content_start, end),
                           offset)
        if not entries:
            raise UnitListError("the responsible-unit list is empty", start_match.start(),
                                "at least one unit name after the colon")
        lists.append(UnitList(Span(start=offset + start_match.start(), end=offset + end + 1),
                              tuple(entries)))
    return lists


def _label_lines(text: str, offset: int, covered: list[tuple[int, int]]) -> list[UnitList]:
    """`责任单位：A、B` standing as a line (or a closing sentence) of its own."""
    lists: list[UnitList] = []
    for match in LINE_LABEL.finditer(text):
        start = match.start("label")
        if any(a <= start < b for a, b in covered):
            continue
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if any(start <= a < line_end for a, _ in covered):
            line_end = min(a for a, _ in covered if start <= a < line_end)
        end = _before_convention(text, start, line_end)
        while end > start and text[end - 1] in "。.；; \t\u3000":
            end -= 1
        if end > start and text[end - 1] in CLOSERS and _depth(text, start, end) == 0 and \
                _depth(text, start, end - 1) == 0:
            # 责任单位:A、B) — a list that was meant to be in brackets lost its opening one.
            raise UnitListError(
                f"'{match.group('label')}' is not inside parentheses: the list ends with "
                f"'{text[end - 1]}' but never opens one", start,
                f"an opening parenthesis before '{match.group('label')}'")
        entries = _entries(text, start, end, offset)
        if entries:
            lists.append(UnitList(Span(start=offset + start, end=offset + end), tuple(entries)))
            covered.append((start, line_end))
    return lists


def _before_convention(text: str, start: int, end: int) -> int:
    """Where a list's units end: before a convention clause riding in it (outside the
    brackets of a name or a note), if any."""
    for match in CONVENTION.finditer(text, start, end):
        if _depth(text, start, match.start()):
            continue
        clause = max(text.rfind(mark, start, match.start()) for mark in "，,。；;")
        while clause >= start and _depth(text, start, clause):
            clause = max(text.rfind(mark, start, clause) for mark in "，,。；;")
        return clause if clause >= start else match.start()
    return end


def _depth(text: str, start: int, index: int) -> int:
    """How many inner brackets are open at `index`, counting from `start`."""
    depth = 0
    for char in text[start:index]:
        if char in INNER_OPENERS:
            depth += 1
        elif char in INNER_CLOSERS and depth:
            depth -= 1
    return depth


def _closing_index(text: str, open_index: int) -> int:
    depth = 0
    for bracket in _BRACKET.finditer(text, open_index):  # only the brackets
        if bracket.group(0) in OPENERS:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return bracket.start()
    raise UnitListError(
        f"the responsible-unit list opened with '{text[open_index]}' is never closed",
        open_index, "a closing parenthesis at the end of the list")


# -- the units of one list --------------------------------------------------------------------
def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int, UnitRole | None]]:
    """The items of a list between separators outside inner brackets, as (start, end, the
    role of the label before it); labels switch roles. `及` and `等和` (A、B等和各省级人民政府
    负责) also separate two units."""
    role: UnitRole | None = None
    position = start
    while position < end:
        label = LABEL_PATTERN.match(text, position, end)
        if label:
            role = LABEL_ROLES[label.group("label")]
            position = label.end()
            continue
        piece_end, next_start = _piece_end(text, position, end)
        if piece_end > position:
            yield position, piece_end, role
        position = max(next_start, position + 1)


def _piece_end(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the item starting at `start` ends, and where the next one starts."""
    collective = _COLLECTIVE.match(text, start)
    index = start if collective is None else collective.end()
    depth = 0
    # Only where a bracket, a separator, 等和/和各 or a label stands: the regex engine finds
    # them (a label was tried at every character).
    for stop in _PIECE_STOP.finditer(text, index, end):
        char, at = stop.group(0)[0], stop.start()
        if char in INNER_OPENERS:
            depth += 1
        elif char in INNER_CLOSERS:
            depth -= 1 if depth else 0
        elif depth == 0:
            if stop.lastgroup == "label":
                if at > start:
                    return at, at
            elif char in SEPARATORS or char == "及":
                return at, at + 1
            elif stop.group(0) == "等和":
                return at + 1, at + 2
            else:  # 和各
                return at, at + 1
    return end, end


# COLLECTIVES as one alternation in their order: the first that starts the item is taken.
_COLLECTIVE = re.compile("|".join(map(re.escape, COLLECTIVES)))
_PIECE_STOP = re.compile(
    rf"[{re.escape(INNER_OPENERS + INNER_CLOSERS + SEPARATORS)}及]|等和|和各|"
    rf"(?P<label>(?:{_LABEL})\s*[:：])")  # LABEL_PATTERN, as one alternative


def _entries(text: str, start: int, end: int, offset: int,
             role: UnitRole | None = None) -> list[UnitEntry]:
    """The units of text[start:end], with roles from labels, role words and the list's shape."""
    entries: list[UnitEntry] = []
    pending: list[UnitEntry] = []
    has_lead = False
    for piece_start, piece_end, label_role in _pieces(text, start, end):
        entry, tail_role, group_end = _entry(text, piece_start, piece_end, offset)
        if entry is not None:
            pending.append(_with_role(entry, entry.role or label_role or role))
        elif group_end and (pending or entries):
            target = pending if pending else entries
            target[-1] = target[-1]._replace(and_others=True)
        if group_end:
            for item in pending:
                entries.append(_with_role(item, item.role or tail_role))
            has_lead = has_lead or tail_role == "lead"
            pending = []
    entries = _shared_organs(entries + pending, text, offset)
    if any(e.role == "lead" for e in entries) or has_lead:
        entries = [_with_role(e, e.role or "support") for e in entries]
    return entries


def _with_role(entry: UnitEntry, role: UnitRole | None) -> UnitEntry:
    """`entry` with `role`: built directly, not by _replace (which goes through a dict of the
    fields; this runs for every unit of every list)."""
    if role == entry.role:
        return entry
    return UnitEntry(entry.surface, entry.span, role, entry.and_others, entry.meant)


# 广州、深圳、东莞市政府 (粤发改高技〔2026〕78号), 济南、青岛、烟台市政府 (山东 2021): bare
# place names joined by 、 to a last one that carries the organ.
SHARED_ORGAN = re.compile(r"[\u4e00-\u9fff]{2,4}?(?P<organ>[市区县](?:人民)?政府)")
BARE_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _shared_organs(entries: list[UnitEntry], text: str, offset: int) -> list[UnitEntry]:
    """Each bare place before `X市政府` means that place's 市政府: 广州 -> 广州市政府."""
    result = list(entries)
    for index, entry in enumerate(result):
        head = SHARED_ORGAN.fullmatch(entry.surface)
        if head is None:
            continue
        before = index
        while before > 0 and _bare_place(result[before - 1].surface) and text[
                result[before - 1].span.end - offset:result[before].span.start - offset] == "、":
            before -= 1
        for position in range(before, index):
            place = result[position]
            result[position] = place._replace(meant=place.surface + head.group("organ"))
    return result


def _bare_place(surface: str) -> bool:
    return bool(BARE_PLACE.fullmatch(surface)) and not _looks_like_unit(surface)


def _entry(text: str, start: int, end: int, offset: int
           ) -> tuple[UnitEntry | None, UnitRole | None, bool]:
    """One list item: its unit (or None), the role its group's tail word gives, and whether
    it ends a group (`…牵头`, `…配合`, `…按职责分工负责`, `X会同有关部门负责`)."""
    item = _item(text[start:end])
    if item.surface is None:
        return None, item.tail_role, item.group_end
    begin = offset + start + item.skipped
    return (UnitEntry(item.surface, Span(start=begin, end=begin + item.length), item.own_role,
                      item.and_others), item.tail_role, item.group_end)


@dataclass(frozen=True)
class _Item:
    """What a list item's text says, wherever it stands: its unit's surface (None: no unit),
    how many characters before the unit and how long it is as written, and the roles."""

    surface: str | None
    skipped: int
    length: int
    own_role: UnitRole | None
    and_others: bool
    tail_role: UnitRole | None
    group_end: bool


# Memoised by the item's text: a plan lists the same units, in the same words, in task after
# task (and the same item text always reads the same way).
@lru_cache(maxsize=65536)
def _item(raw: str) -> _Item:
    lead = len(raw) - len(raw.lstrip())
    core = raw.strip()
    own_role: UnitRole | None = None
    tail_role: UnitRole | None = None
    group_end = False
    named = ROLE_IN_ITEM.match(core)
    if named:  # 区商务委(牵头): the role word is the role, not part of the name
        own_role, core = ROLE_WORDS[named.group("role")], named.group("name")
    if "会同" in core:  # X会同有关部门负责: X leads, the others are not named
        core, _, rest = core.partition("会同")
        tail_role, group_end = "lead", True
        core += "等" if rest.startswith(("有关", "相关", "其他")) else ""
    else:
        if (duty := DUTY_WITH_OBJECT.search(core)) is not None:  # X负责法制审查工作: the unit is X
            core = core[:duty.start()] + "负责"
        while (tail := GROUP_TAIL.search(core)) is not None:  # 各片区负责配合落实
            group_end = True
            tail_role = tail_role or TAIL_ROLES.get(tail.group("role") or "")
            core = core[:tail.start()]
    if core.strip() in UNNAMED_OTHERS:  # …，有关单位配合: others, not a unit
        return _Item(None, 0, 0, None, False, tail_role, True)
    marks = len(core) - len(core.lstrip(FOOTNOTE_MARKS))
    core = core[marks:]
    and_others = False
    others = OTHERS.search(core)
    if others is not None:
        core, and_others = core[:others.start()], True
    note = SCOPE_NOTE.search(core)
    if note is not None and note.start() > 0:
        core = core[:note.start()]
    surface = "".join(core.split())
    if not surface:
        return _Item(None, 0, 0, None, False, tail_role, group_end)
    return _Item(surface, lead + marks, len(core.rstrip()), own_role, and_others, tail_role,
                 group_end)

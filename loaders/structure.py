"""The outline of a plan: numbered items nested by their markers, whatever the numbering.

Plans number their parts in many ways: 一、 chapters, （一） headings, 1. items, （1） sub-items,
第十七条 clauses, and 一是…二是… runs inside a paragraph. Which kind nests inside which is read
from the order kinds first appear. Whether an item is a task or a section is decided later, from
the unit lists it carries (see `loaders.pipeline`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

MarkerKind = Literal["clause", "chapter", "heading", "numbered", "sub", "ordinal"]
CN_NUMERAL = "[一二三四五六七八九十百零〇两]+"
CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100}

LINE_MARKERS: tuple[tuple[MarkerKind, re.Pattern[str]], ...] = (
    ("clause", re.compile(rf"^(?P<marker>第(?P<num>{CN_NUMERAL})条)\s*")),
    ("chapter", re.compile(rf"^(?P<marker>(?P<num>{CN_NUMERAL})[、．.])")),
    ("heading", re.compile(rf"^(?P<marker>[(（](?P<num>{CN_NUMERAL})[)）])")),
    # 1. but not 1.5倍; 1.2017年10月底前 is item 1 (a year follows the marker). Any number of
    # digits: a plan may have a thousand tasks (1000. must not join task 999).
    ("numbered", re.compile(r"^(?P<marker>(?P<num>\d+)[.．、](?:(?!\d)|(?=\d{4}年)))")),
    ("sub", re.compile(r"^(?P<marker>[(（](?P<num>\d+)[)）])")),
)
# The closing bracket is matched, not looked behind for: a pattern opening with a lookbehind
# is tried at every character of every line, one opening with a character only where it stands.
MID_LINE_ITEM = re.compile(r"[）)](?P<item>(?P<num>\d+)[.．、](?!\d))")
ORDINAL = re.compile(rf"(?:^|(?<=[。；;：:\s]))(?P<marker>(?P<num>{CN_NUMERAL})是)")
# …and a body holding no numeral before 是 has no ordinals: one search finds that out.
ORDINAL_WORD = re.compile(rf"{CN_NUMERAL}是")
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]\s*(?P<title>.+)$")
# Web-page furniture around the text of a plan: index numbers, dates, share buttons, pages.
FURNITURE = re.compile(
    r"^(?:索引号|发布时间|发布日期|成文日期|发文机关|发文字号|发布机构|主题分类|公开方式|来源|"
    r"信息来源|浏览次数|字号)\s*[:：]|"
    r"^(?:【(?:打印|关闭|字体)[^】]*】\s*)+$|^(?:分享到|打印本页|关闭窗口|返回顶部)|"
    r"^第\s*\d+\s*页|^共\s*\d+\s*页|^-\s*\d+\s*-$|^\d+\s*/\s*\d+$"
)
# An unnumbered heading that closes the numbered provisions (第一条…第十条, then 附则).
CLOSING_HEADINGS = frozenset({"附则", "附 则"})
# The 版记 that closes a printed plan: who gets a copy (抄送：…) and who printed it when
# (…办公厅 2019年１月３日印发). It is part of no item.
FOOTER = re.compile(r"^(?:抄送|抄报)\s*[:：]|"
                    r"^\S.{0,40}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$")
TITLE_WORDS = ("计划", "方案", "意见", "通知", "措施", "办法", "规划", "细则")
# The genres published beside plans, whose words are common inside sentences too (根据有关规定):
# a title only when the line ends in one (…个人所得税法实施条例, …若干规定（试行）).
OTHER_GENRE_TITLE = re.compile(r"(?:条例|规定|决定|要点|纲要)(?:[（(][^（）()]{1,10}[）)])?$")


def chinese_number(numeral: str) -> int:
    """二十三 -> 23, 十七 -> 17, 五 -> 5."""
    total, current = 0, 0
    for char in numeral:
        if char in CHINESE_DIGITS:
            current = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            total += (current or 1) * CHINESE_UNITS[char]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + current


def marker_number(kind: MarkerKind, numeral: str) -> int:
    return int(numeral) if kind in ("numbered", "sub") else chinese_number(numeral)


class Line(NamedTuple):
    number: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(eq=False)
class Item:
    """A numbered part of a plan, from its marker to the next item's marker."""

    kind: MarkerKind
    marker: str
    number: int
    start: int
    end: int
    line: int
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)

    def ancestors(self) -> Iterator[Item]:
        item = self.parent
        while item is not None:
            yield item
            item = item.parent


@dataclass
class Outline:
    preamble: list[Line] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    attachment: Line | None = None
    attachment_title: str | None = None
    title_line: Line | None = None

    def walk(self) -> Iterator[Item]:
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.children))


def lines_of(text: str) -> Iterator[Line]:
    """Non-blank lines with 1-based numbers and their offsets, surrounding spaces removed."""
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            yield Line(number, offset + raw.index(stripped), stripped)
        offset += len(raw) + 1


@dataclass(frozen=True)
class Row:
    """A row of a flattened table (see `loaders.flat_table`): a numbered item whose lines are
    cells, so a `1.` inside a cell is not an item of its own."""

    number: int
    marker: str
    start: int
    end: int


def outline(text: str, rows: Sequence[Row] = ()) -> Outline:
    result = Outline()
    rank: dict[MarkerKind, int] = {}
    stack: list[Item] = []
    row_at = {row.start: row for row in rows}
    row_end = -1
    last_numbered: int | None = None
    for line in (piece for whole in lines_of(text)
                 for piece in ([whole] if whole.start in row_at or whole.start < row_end
                               else _mid_line_items(whole, last_numbered))):
        if FURNITURE.search(line.text):
            continue
        if (row := row_at.get(line.start)) is not None:
            rank.setdefault("numbered", len(rank))
            while stack and rank[stack[-1].kind] >= rank["numbered"]:
                stack.pop()
            item = Item("numbered", row.marker, row.number, line.start, row.end, line.number,
                        stack[-1] if stack else None)
            (stack[-1].children if stack else result.items).append(item)
            for ancestor in stack:
                ancestor.end = row.end
            stack.append(item)
            row_end = row.end
            continue
        if line.start < row_end:  # a cell of the row
            continue
        if match := ATTACHMENT.match(line.text):
            result.attachment, result.attachment_title = line, match.group("title").strip()
            stack.clear()
            continue
        if line.text in CLOSING_HEADINGS or FOOTER.search(line.text):
            # 附则 or the 版记: what follows is not part of the last item
            stack.clear()
            result.preamble.append(line)
            continue
        kind, match = _line_marker(line.text)
        if match is None or kind is None:
            if stack:
                stack[-1].end = line.end
                for item in stack[:-1]:
                    item.end = line.end
            elif result.title_line is None and not result.preamble and _is_title(line.text):
                result.title_line = line
            else:
                result.preamble.append(line)
            continue
        rank.setdefault(kind, len(rank))
        while stack and rank[stack[-1].kind] >= rank[kind]:
            stack.pop()
        item = Item(kind, match.group("marker"), marker_number(kind, match.group("num")),
                    line.start, line.end, line.number, stack[-1] if stack else None)
        (stack[-1].children if stack else result.items).append(item)
        for ancestor in stack:
            ancestor.end = line.end
        stack.append(item)
        if kind == "numbered":
            last_numbered = item.number
    for item in list(result.walk()):
        _split_ordinals(text, item)
    return result


def own_ranges(item: Item) -> list[tuple[int, int]]:
    """The parts of an item's span not covered by its children."""
    ranges, position = [], item.start
    for child in item.children:
        if child.start > position:
            ranges.append((position, child.start))
        position = max(position, child.end)
    if position < item.end:
        ranges.append((position, item.end))
    return ranges


def _mid_line_items(line: Line, last_numbered: int | None) -> list[Line]:
    """A line cut where an item starts after the previous item's unit list on the same line
    (济政发〔2019〕1号: …（责任单位：市经济和信息化委、市科技局、市发改委）１０．大力培育…): a
    numbered marker right after a closing bracket, continuing the numbering."""
    markers = list(MID_LINE_ITEM.finditer(line.text))
    if not markers:  # almost every line: no second look at its own marker
        return [line]
    kind, match = _line_marker(line.text)
    current = int(match.group("num")) if kind == "numbered" and match else last_numbered
    if current is None:
        return [line]
    pieces, start = [], 0
    for marker in markers:
        if int(marker.group("num")) != current + 1:
            continue
        pieces.append(Line(line.number, line.start + start,
                           line.text[start:marker.start("item")]))
        start, current = marker.start("item"), current + 1
    pieces.append(Line(line.number, line.start + start, line.text[start:]))
    return pieces


def _line_marker(text: str) -> tuple[MarkerKind | None, re.Match[str] | None]:
    for kind, pattern in LINE_MARKERS:
        if match := pattern.match(text):
            return kind, match
    return None, None


def _is_title(text: str) -> bool:
    # A line ending in a colon is an addressee line (…及计划单列市…，各有关单位：), whatever
    # title word it holds.
    line = text.rstrip()
    return (len(line) <= 80 and "。" not in line and not line.endswith(("：", ":"))
            and (any(w in line for w in TITLE_WORDS) or bool(OTHER_GENRE_TITLE.search(line))))


def _split_ordinals(text: str, item: Item) -> None:
    """一是…二是…三是… inside an item's own text become child items, when they count up."""
    if item.children or ORDINAL_WORD.search(text, item.start, item.end) is None:
        return
    body = text[item.start:item.end]
    found = [m for m in ORDINAL.finditer(body) if m.start() > 0]
    run: list[re.Match[str]] = []
    for match in found:
        if chinese_number(match.group("num")) == len(run) + 1:
            run.append(match)
    if len(run) < 2:
        return
    ends = [m.start() for m in run[1:]] + [len(body)]
    for match, end in zip(run, ends, strict=True):
        start = item.start + match.start("marker")
        item.children.append(Item(
            "ordinal", match.group("marker"), chinese_number(match.group("num")), start,
            item.start + end, item.line + body.count("\n", 0, match.start()), item))

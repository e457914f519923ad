"""The outline of a plan: headings, numbered tasks and the paragraphs between them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                  "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100}

HEADING_1 = re.compile(r"^(?P<marker>(?P<num>[一二三四五六七八九十百]+)、)(?P<title>[^。]{1,40})$")
HEADING_2 = re.compile(
    r"^(?P<marker>[(（](?P<num>[一二三四五六七八九十百]+)[)）])(?P<title>[^。]{1,40})$"
)
TASK = re.compile(r"^(?P<marker>(?P<num>\d{1,3})[.．、])(?P<body>.+)$")
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]\s*(?P<title>.+)$")


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


@dataclass(frozen=True)
class Line:
    number: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class OutlineSection:
    marker: str
    number: int
    title: str
    level: int
    line: Line
    path: str
    parent: OutlineSection | None


@dataclass
class OutlineTask:
    marker: str
    number: int
    line: Line
    section: OutlineSection | None


@dataclass
class Outline:
    preamble: list[Line] = field(default_factory=list)
    sections: list[OutlineSection] = field(default_factory=list)
    tasks: list[OutlineTask] = field(default_factory=list)
    paragraphs: list[tuple[OutlineSection | None, Line]] = field(default_factory=list)
    attachment: Line | None = None
    attachment_title: str | None = None


def lines_of(text: str) -> Iterator[Line]:
    """Non-blank lines with 1-based numbers and their offsets, surrounding spaces removed."""
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            yield Line(number, offset + raw.index(stripped), stripped)
        offset += len(raw) + 1


def outline(text: str) -> Outline:
    result = Outline()
    top: OutlineSection | None = None
    current: OutlineSection | None = None
    for line in lines_of(text):
        if match := HEADING_1.match(line.text):
            number = chinese_number(match.group("num"))
            top = current = OutlineSection(match.group("marker"), number,
                                           match.group("title").strip(), 1, line, str(number),
                                           None)
            result.sections.append(top)
        elif match := HEADING_2.match(line.text):
            number = chinese_number(match.group("num"))
            path = f"{top.path}.{number}" if top else str(number)
            current = OutlineSection(match.group("marker"), number, match.group("title").strip(),
                                     2 if top else 1, line, path, top)
            result.sections.append(current)
        elif match := TASK.match(line.text):
            result.tasks.append(OutlineTask(match.group("marker"), int(match.group("num")), line,
                                            current))
        elif match := ATTACHMENT.match(line.text):
            result.attachment = line
            result.attachment_title = match.group("title").strip()
        elif current is None:
            result.preamble.append(line)
        else:
            result.paragraphs.append((current, line))
    return result

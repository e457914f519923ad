"""Finding responsible-unit lists such as `(责任单位:区商务委、区科委)` in a task's text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from livekg.loaders.models import Span, UnitRole
from livekg.loaders.names import MAX_UNIT_NAME, ROLE_IN_ITEM, ROLE_WORDS

OPENERS = "(（〔【["
CLOSERS = ")）〕】]"
LABEL_ROLES: dict[str, UnitRole | None] = {
    "责任单位": None,
    "责任部门": None,
    "责任主体": None,
    "牵头单位": "lead",
    "牵头部门": "lead",
    "配合单位": "support",
    "配合部门": "support",
}
_LABEL = "|".join(LABEL_ROLES)
LABEL_PATTERN = re.compile(rf"(?P<label>{_LABEL})\s*[:：]")
LIST_START = re.compile(rf"[{re.escape(OPENERS)}]\s*(?P<label>{_LABEL})\s*[:：]")
NAME_RUN = re.compile(r"[^、，,；;/及]+")
AND_OTHERS = "等"
# Unlabelled lists end with who does what:
#   （A、B负责）, （A牵头，B、C配合）, （A、B等有关部门负责）.
_OTHERS = r"(?:等(?:有关|相关|其他)?(?:部门|单位)(?:和单位)?)"
_DUTY = r"(?:按职责分工|按照职责分工|按职责|根据职责)?(?:分别|共同|协同)?"
RESPONSIBLE_TAIL = re.compile(rf"^(?P<units>.+?)(?P<others>{_OTHERS})?{_DUTY}负责$")
LEAD_SUPPORT = re.compile(
    rf"^(?P<lead>.+?)牵头(?:负责)?(?:[,，；;]\s*(?P<support>.+?)(?P<others>{_OTHERS})?"
    rf"{_DUTY}(?:配合|参与))?$")
UNIT_SUFFIX = re.compile(
    r"(?:委|局|办|部|厅|院|会|府|室|中心|联盟|街镇|街道|镇|乡|社区|部门|单位|集团|公司|署|处|司|"
    r"行|所|队|团|政府|机构|组织|区|县|市|省)$")


class UnitListError(ValueError):
    """A unit list is malformed; `offset` is where, relative to the scanned text."""

    def __init__(self, problem: str, offset: int, expected: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.offset = offset
        self.expected = expected


@dataclass(frozen=True)
class UnitEntry:
    surface: str
    span: Span
    role: UnitRole | None
    and_others: bool


@dataclass(frozen=True)
class UnitList:
    span: Span
    entries: tuple[UnitEntry, ...]


def find_unit_lists(text: str, offset: int = 0) -> list[UnitList]:
    """Every unit list in `text`, labelled or not; spans are shifted by `offset`."""
    lists = _labelled_lists(text, offset)
    covered = [(u.span.start - offset, u.span.end - offset) for u in lists]
    for start, end in _top_level_groups(text):
        if any(a <= start < b for a, b in covered):
            continue
        unlabelled = _unlabelled_list(text, start, end, offset)
        if unlabelled is not None:
            lists.append(unlabelled)
    return sorted(lists, key=lambda u: u.span.start)


def _top_level_groups(text: str) -> Iterator[tuple[int, int]]:
    """(open, close) index pairs of outermost bracketed groups; unbalanced ones are skipped."""
    depth, start = 0, -1
    for index, char in enumerate(text):
        if char in OPENERS:
            if depth == 0:
                start = index
            depth += 1
        elif char in CLOSERS and depth:
            depth -= 1
            if depth == 0:
                yield start, index


def _unlabelled_list(text: str, open_index: int, close_index: int,
                     offset: int) -> UnitList | None:
    content = text[open_index + 1:close_index]
    stripped = content.strip()
    lead = LEAD_SUPPORT.match(stripped)
    plain = RESPONSIBLE_TAIL.match(stripped)
    base = open_index + 1 + (len(content) - len(content.lstrip()))
    entries: list[UnitEntry] = []
    if lead and (lead.group("support") or not plain):
        entries += _entries(text, base + lead.start("lead"), base + lead.end("lead"), offset,
                            "lead")
        if lead.group("support"):
            entries += _entries(text, base + lead.start("support"), base + lead.end("support"),
                                offset, "support")
        others = lead.group("others")
    elif plain:
        entries = _entries(text, base + plain.start("units"), base + plain.end("units"), offset)
        others = plain.group("others")
    else:
        return None
    if not entries or not all(_looks_like_unit(e.surface) for e in entries):
        return None
    if others:
        last = entries[-1]
        entries[-1] = UnitEntry(last.surface, last.span, last.role, True)
    return UnitList(Span(start=offset + open_index, end=offset + close_index + 1), tuple(entries))


def _looks_like_unit(surface: str) -> bool:
    return len(surface) <= MAX_UNIT_NAME and "。" not in surface and bool(
        UNIT_SUFFIX.search(surface) or surface.startswith("各"))


def _labelled_lists(text: str, offset: int) -> list[UnitList]:
    lists: list[UnitList] = []
    covered: list[tuple[int, int]] = []
    for start_match in LIST_START.finditer(text):
        if any(a <= start_match.start() < b for a, b in covered):
            continue
        end = _closing_index(text, start_match.start())
        covered.append((start_match.start(), end + 1))
        content_start = start_match.start() + 1
        entries = _entries(text, content_start, end, offset)
        if not entries:
            raise UnitListError("the responsible-unit list is empty", start_match.start(),
                                "at least one unit name after the colon")
        lists.append(UnitList(Span(start=offset + start_match.start(), end=offset + end + 1),
                              tuple(entries)))
    for label in LABEL_PATTERN.finditer(text):
        if not any(a <= label.start() < b for a, b in covered):
            raise UnitListError(
                f"'{label.group(0)}' is not inside parentheses", label.start(),
                f"an opening parenthesis before '{label.group('label')}'")
    return lists


def _closing_index(text: str, open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(text)):
        char = text[index]
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth -= 1
            if depth == 0:
                return index
    raise UnitListError(
        f"the responsible-unit list opened with '{text[open_index]}' is never closed",
        open_index, "a closing parenthesis at the end of the list")


def _entries(text: str, start: int, end: int, offset: int,
             role: UnitRole | None = None) -> list[UnitEntry]:
    entries: list[UnitEntry] = []
    position = start
    while position < end:
        label = LABEL_PATTERN.match(text, position, end)
        if label:
            role = LABEL_ROLES[label.group("label")]
            position = label.end()
            continue
        run = NAME_RUN.match(text, position, end)
        if run is None:
            position += 1
            continue
        entries.extend(_entry(text, run.start(), _run_end(text, run, end), role, offset))
        position = max(run.end(), position + 1)
    return entries


def _run_end(text: str, run: re.Match[str], end: int) -> int:
    """A run stops before a following role label (…；配合单位：…) that NAME_RUN would swallow."""
    label = LABEL_PATTERN.search(text, run.start(), min(run.end(), end))
    return label.start() if label and label.start() > run.start() else min(run.end(), end)


def _entry(text: str, start: int, end: int, role: UnitRole | None,
           offset: int) -> list[UnitEntry]:
    raw = text[start:end]
    if not raw.strip():
        return []
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip())
    named = ROLE_IN_ITEM.match(raw.strip())
    if named:  # 区商务委(牵头): the role word is the role, not part of the name
        role = ROLE_WORDS[named.group("role")]
        trail = len(raw) - lead - named.end("name")
    surface = "".join(raw[lead:len(raw) - trail].split())
    and_others = surface.endswith(AND_OTHERS) and len(surface) > 1
    if and_others:
        surface = surface[: -len(AND_OTHERS)]
        trail += len(AND_OTHERS)
    span = Span(start=offset + start + lead, end=offset + end - trail)
    return [UnitEntry(surface, span, role, and_others)]

"""Finding responsible-unit lists such as `(责任单位:区商务委、区科委)` in a task's text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.models import Span, UnitRole

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
NAME_RUN = re.compile(r"[^、，,；;/]+")
AND_OTHERS = "等"


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
    """Every labelled unit list in `text`; spans are shifted by `offset` into the document."""
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


def _entries(text: str, start: int, end: int, offset: int) -> list[UnitEntry]:
    entries: list[UnitEntry] = []
    role: UnitRole | None = None
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
    surface = "".join(raw.split())
    if not surface:
        return []
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip())
    and_others = surface.endswith(AND_OTHERS) and len(surface) > 1
    if and_others:
        surface = surface[: -len(AND_OTHERS)]
        trail += len(AND_OTHERS)
    span = Span(start=offset + start + lead, end=offset + end - trail)
    return [UnitEntry(surface, span, role, and_others)]

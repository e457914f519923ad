"""Task tables flattened to one cell per line, as web pages and PDF copies publish them.

A division-of-labour table (职责分工方案, 任务分解表, 推广清单) copied out of a page loses its
grid: the header row becomes a run of short lines (序号 / 改革举措 / 主要内容 / 指导部门 /
推广范围), each row a row number followed by its cells one per line, and an empty cell
simply vanishes. The header says which columns hold units and in which role; the cells of a
row are read from its end backwards — the columns after the unit columns (责任领导 person
names, 推广范围) first, then the unit cells (lines of nothing but unit names, or `/` for an
empty cell) — so that the free text before them is never taken for units.

The text keeps its offsets: rows are reported as spans (for the outline) with the unit lists
of their cells (for the owners).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from livekg.loaders.models import Span, UnitRole
from livekg.loaders.structure import Line, Row, lines_of
from livekg.loaders.unit_lists import UnitList, is_unit_line, unit_entries

ColumnKind = Literal["number", "text", "time", "lead", "support", "responsible",
                     "support_or_responsible", "person", "other"]
# Column headers of the genre's tables, by what their cells hold.
HEADERS: dict[ColumnKind, frozenset[str]] = {
    "number": frozenset({"序号", "编号", "任务编号"}),
    "text": frozenset({"改革举措", "主要内容", "工作任务", "工作要求", "提升内容", "类别",
                       "重点任务", "任务内容", "主要任务", "具体任务", "任务", "具体措施",
                       "工作措施", "工作内容", "工作目标", "目标任务", "主要举措", "领域", "板块",
                       "分类", "任务类别", "项目名称", "建设内容", "工作事项", "任务分解",
                       "主要目标", "具体内容"}),
    "time": frozenset({"完成时限", "完成时间", "时间节点", "时限要求", "进度安排", "时限",
                       "时间安排", "完成期限"}),
    "lead": frozenset({"牵头单位", "牵头部门", "牵头负责单位", "主责单位", "主责部门"}),
    "support": frozenset({"配合单位", "配合部门", "协办单位", "参与单位", "协助单位"}),
    "responsible": frozenset({"责任单位", "责任部门", "责任主体", "指导部门", "主管部门",
                              "实施单位", "承办单位", "负责单位"}),
    # 配合/责任单位: support where the row has a lead, the responsible units where it has none.
    "support_or_responsible": frozenset({"配合/责任单位", "配合/责任部门", "责任/配合单位",
                                         "配合（责任）单位", "配合(责任)单位"}),
    "person": frozenset({"责任领导", "责任人", "分管领导", "联系人", "挂钩领导", "责任处室"}),
    "other": frozenset({"推广范围", "备注", "适用范围", "完成情况", "进展情况"}),
}
UNIT_COLUMNS: frozenset[ColumnKind] = frozenset({"lead", "support", "responsible",
                                                 "support_or_responsible"})
MIN_HEADER_CELLS = 3
BARE_ROW = re.compile(r"^(?P<num>\d{1,3})$")
NUMBERED_ROW = re.compile(r"^(?P<marker>(?P<num>\d{1,3})[.．、])(?!\d)")
# A row number may jump (an abridged table: 14 then 21), but not far: a bare number further
# on is a cell (a count), not the next row.
MAX_ROW_JUMP = 10
SECTION_LINE = re.compile(r"^(?:[一二三四五六七八九十]+[、．.]|[(（][一二三四五六七八九十]+[)）])")
EMPTY_CELL = frozenset({"/", "／", "-", "—", "无"})
# The closing lines of a document after its last table (抄送：…, …办公室 2013年2月22日印发):
# not cells of the last row.
TABLE_END = re.compile(r"^(?:抄送|主送|抄报)\s*[:：]|印发\s*$")
# A 责任领导 cell that names no person: 各相关部门负责人.
PERSON_CELL = re.compile(r"(?:负责人|领导|同志)$")


@dataclass(frozen=True)
class TableRow:
    row: Row  # its number as written ("1", or "1." where it opens the text cell) and span
    lists: tuple[UnitList, ...]


@dataclass(frozen=True)
class FlatTable:
    columns: tuple[ColumnKind, ...]
    header_start: int
    rows: tuple[TableRow, ...]


def column_kind(cell: str) -> ColumnKind | None:
    name = "".join(cell.split())
    return next((kind for kind, names in HEADERS.items() if name in names), None)


def find_flat_tables(text: str) -> list[FlatTable]:
    """Every flattened table in `text`: a header run of column names with a unit column,
    then its rows up to the next header run or the end of the text."""
    lines = list(lines_of(text))
    headers = _header_runs(lines)
    tables = []
    for index, (first, last, columns) in enumerate(headers):
        stop = headers[index + 1][0] if index + 1 < len(headers) else len(lines)
        rows = _rows(lines[last + 1:stop], columns)
        if rows:
            tables.append(FlatTable(columns, lines[first].start, tuple(rows)))
    return tables


def _header_runs(lines: list[Line]) -> list[tuple[int, int, tuple[ColumnKind, ...]]]:
    runs: list[tuple[int, int, tuple[ColumnKind, ...]]] = []
    index = 0
    while index < len(lines):
        kinds: list[ColumnKind] = []
        while index + len(kinds) < len(lines) and (
                kind := column_kind(lines[index + len(kinds)].text)) is not None:
            kinds.append(kind)
        if len(kinds) >= MIN_HEADER_CELLS and UNIT_COLUMNS & set(kinds):
            runs.append((index, index + len(kinds) - 1, tuple(kinds)))
        index += max(len(kinds), 1)
    return runs


def _rows(lines: list[Line], columns: tuple[ColumnKind, ...]) -> list[TableRow]:
    """Rows start at a row number: bare on its line (`1`) or opening the text cell (`1.…`),
    whichever the first row uses; section lines (一、…) between rows end the row before."""
    bare = next((bool(BARE_ROW.match(line.text)) for line in lines
                 if BARE_ROW.match(line.text) or NUMBERED_ROW.match(line.text)), True)
    pattern = BARE_ROW if bare else NUMBERED_ROW
    starts: list[tuple[int, re.Match[str]]] = []
    ends: list[int] = []
    previous = 0
    for index, line in enumerate(lines):
        if TABLE_END.search(line.text):
            lines = lines[:index]
            break
        match = pattern.match(line.text)
        if match and previous < int(match.group("num")) <= previous + MAX_ROW_JUMP:
            if len(ends) < len(starts):
                ends.append(index)
            starts.append((index, match))
            previous = int(match.group("num"))
        elif SECTION_LINE.match(line.text) and starts and len(ends) < len(starts):
            ends.append(index)
    if len(ends) < len(starts):
        ends.append(len(lines))
    rows = []
    for (first, match), stop in zip(starts, ends, strict=True):
        cells = lines[first + (1 if bare else 0):stop]
        if not cells:
            continue
        marker = match.group(0) if bare else match.group("marker")
        rows.append(TableRow(Row(int(match.group("num")), marker, lines[first].start,
                                 cells[-1].end), _row_lists(cells, columns)))
    return rows


def _row_lists(cells: list[Line], columns: tuple[ColumnKind, ...]) -> tuple[UnitList, ...]:
    unit_at = [i for i, kind in enumerate(columns) if kind in UNIT_COLUMNS]
    after_units = len(columns) - 1 - unit_at[-1]
    end = len(cells)
    if after_units:  # 责任领导 names, 推广范围: whatever is not a unit line at the row's end
        while end > 0 and not _unit_or_empty(cells[end - 1].text):
            end -= 1
    start = end
    while start > 0 and _unit_or_empty(cells[start - 1].text):
        start -= 1
    block = cells[start:end]
    if not block or all(_empty(c.text) for c in block):
        return ()
    assigned = _assign(block, tuple(columns[i] for i in unit_at))
    return tuple(UnitList(_span(cell), unit_entries(cell.text, 0, len(cell.text), cell.start,
                                                    role))
                 for cell, role in assigned if not _empty(cell.text))


def _assign(block: list[Line], unit_columns: tuple[ColumnKind, ...]
            ) -> list[tuple[Line, UnitRole | None]]:
    """Each unit line of a row with its role, from the header's unit columns.

    With a lead and a support column, an empty-cell mark (`/`) ends the lead cell; without
    one, the column that is never empty takes the single line: the lead (牵头部门 then
    配合部门: the first line leads) or, under 配合/责任单位, the support (the last line)."""
    lead_column = "lead" in unit_columns
    if not lead_column or len(unit_columns) == 1:
        role: UnitRole | None = "lead" if unit_columns == ("lead",) else None
        return [(cell, role) for cell in block]
    empty = next((i for i, cell in enumerate(block) if _empty(cell.text)), None)
    if empty is not None:
        lead, support = block[:empty], block[empty + 1:]
    elif "support_or_responsible" in unit_columns:
        lead, support = block[:-1], block[-1:]
    else:
        lead, support = block[:1], block[1:]
    if not lead:
        return [(cell, None) for cell in support]
    roles: list[tuple[Line, UnitRole | None]] = [(cell, "lead") for cell in lead]
    return roles + [(cell, "support") for cell in support]


def _unit_or_empty(text: str) -> bool:
    return _empty(text) or (is_unit_line(text) and not PERSON_CELL.search(text.strip()))


def _empty(text: str) -> bool:
    return text.strip() in EMPTY_CELL


def _span(line: Line) -> Span:
    return Span(start=line.start, end=line.end)

"""Task-division tables (任务分工表), as CSV or as text columns, read as plan text.

Each row becomes one numbered task line ending in its unit list, so a table goes through the
same parser as a plan and yields the same kind of tasks and owners.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from itertools import islice

from livekg.loaders.errors import DocumentError
from livekg.loaders.source import SourceText

COLUMNS = {
    "number": ("序号", "编号", "任务编号"),
    "task": ("重点任务", "工作任务", "任务内容", "主要任务", "具体任务", "任务"),
    "units": ("责任单位", "责任部门", "责任主体"),
    "lead": ("牵头单位", "牵头部门"),
    "support": ("配合单位", "配合部门"),
    "section": ("类别", "领域", "板块", "分类", "任务类别"),
}
TEXT_COLUMNS = re.compile(r"\t+|\s{2,}|\s*[|│]\s*")


def is_table(source: SourceText) -> bool:
    # Only the rows where a header may stand are cut into columns, not every line of a plan.
    return source.path.suffix.lower() == ".csv" or _header_index(
        _text_rows(source.text, HEADER_ROWS)) >= 0


def parse_table(source: SourceText) -> SourceText:
    """The table rewritten as plan text: '（一）section' lines and 'N.task（责任单位：…）' lines."""
    rows = (list(csv.reader(io.StringIO(source.text)))
            if source.path.suffix.lower() == ".csv" else _text_rows(source.text))
    header_at = _header_index(rows)
    if header_at < 0:
        raise DocumentError(source.path, "a table without a recognisable header row",
                            expected="columns such as 序号, 重点任务, 责任单位 "
                                     "(or 牵头单位 and 配合单位)")
    columns = _columns(rows[header_at])
    lines: list[str] = [cell for row in rows[:header_at] for cell in row if cell.strip()]
    section, sections = None, 0
    for number, row in enumerate(rows[header_at + 1:], start=1):
        cells = {key: row[index].strip() if index < len(row) else ""
                 for key, index in columns.items()}
        if not cells.get("task"):
            continue
        if cells.get("section") and cells["section"] != section:
            section, sections = cells["section"], sections + 1
            lines.append(f"（{_chinese(sections)}）{section}")
        lines.append(f"{cells.get('number') or number}.{cells['task'].rstrip('。')}。"
                     f"{_unit_list(cells)}")
    notice = f"{source.path}: read as a task-division table ({len(lines)} lines of plan text)"
    return dataclasses.replace(source, text="\n".join(lines) + "\n",
                               notices=(*source.notices, notice))


def _text_rows(text: str, limit: int | None = None) -> list[list[str]]:
    """The first `limit` (default: all) non-blank lines, cut into columns."""
    lines = (line.strip() for line in text.splitlines())
    return [TEXT_COLUMNS.split(line) for line in islice(filter(None, lines), limit)]


# A table's header is among its first rows.
HEADER_ROWS = 20


def _header_index(rows: list[list[str]]) -> int:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        columns = _columns(row)
        if "task" in columns and ("units" in columns or "lead" in columns):
            return index
    return -1


def _columns(row: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = cell.strip()
        for key, names in COLUMNS.items():
            if key not in found and name in names:
                found[key] = index
    return found


def _unit_list(cells: dict[str, str]) -> str:
    if cells.get("lead"):
        support = f"；配合单位：{cells['support']}" if cells.get("support") else ""
        return f"（牵头单位：{cells['lead']}{support}）"
    return f"（责任单位：{cells.get('units', '')}）"


def _chinese(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"

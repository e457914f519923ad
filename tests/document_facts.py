"""The Changning plan read the simplest possible way, independently of livekg's parser.

Tests take expected values from here (or from literal lists typed from the document), never
from the code under test.
"""

from __future__ import annotations

from pathlib import Path

DOCUMENT = (Path(__file__).resolve().parent.parent / "data" / "documents"
            / "changning-livestream-action-plan-2024-2026.txt")
TEXT = DOCUMENT.read_text(encoding="utf-8")
OWNERS_MARK = "(责任单位:"


def read_tasks() -> tuple[dict[int, str], dict[int, list[str]], dict[int, str]]:
    """Task number → its line, its owners in listed order, its title (text before the first 。)."""
    lines: dict[int, str] = {}
    owners: dict[int, list[str]] = {}
    titles: dict[int, str] = {}
    for line in TEXT.splitlines():
        head, mark, tail = line.partition(OWNERS_MARK)
        if mark:
            number, _, body = head.partition(".")
            lines[int(number)] = line
            owners[int(number)] = tail.removesuffix(")").split("、")
            titles[int(number)] = body.split("。")[0]
    return lines, owners, titles

"""How names are compared, scored and suggested: shared by every backend so answers agree."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from livekg.graph.schema import NAME_PROPERTIES, Label

EXACT, PREFIX, CONTAINS = 100, 80, 60
MAX_SUGGESTIONS = 3
_LABEL_ORDER = {label.value: index for index, label in enumerate(Label)}

SearchKey = tuple[int, int, int, str, str]


def normalise(text: str) -> str:
    """Case- and edge-space-insensitive form (Cypher: toLower(trim(x)))."""
    return text.strip().lower()


def match_score(value: str, wanted: str) -> int:
    if value == wanted:
        return EXACT
    if value.startswith(wanted):
        return PREFIX
    return CONTAINS if wanted in value else 0


def search_key(score: int, field: str, value: str) -> SearchKey:
    """Sorts best first: higher score, preferred property, shorter name, then the name."""
    return (-score, NAME_PROPERTIES.index(field), len(value), value, field)


def name_values(node: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """(property, value) for every name-like property of a node, aliases one by one."""
    for field in NAME_PROPERTIES:
        value = node.get(field)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and item:
                yield field, item


# Neo4j integers are 64-bit: a longer number names no task, and must not reach the driver,
# which cannot send it (GET /v1/tasks/999999999999999999999999999999 was a 500 on Neo4j).
MAX_TASK_NUMBER = 2**63 - 1


def task_number(ref: str) -> int | None:
    """A bare task number such as '6' (tasks are also found by number)."""
    ref = ref.strip()
    if not (ref.isascii() and ref.isdigit()):
        return None
    number = int(ref)
    return number if number <= MAX_TASK_NUMBER else None


def suggest(ref: str, names: Iterable[str]) -> list[str]:
    unique = sorted(set(names))
    close = difflib.get_close_matches(ref, unique, n=MAX_SUGGESTIONS, cutoff=0.5)
    if not close:
        close = [name for name in unique if ref and (ref in name or name in ref)]
    return close[:MAX_SUGGESTIONS]


def ordered_labels(labels: Iterable[str]) -> list[str]:
    """Labels in schema order: Neo4j does not keep the order they were added in."""
    return sorted(labels, key=lambda label: _LABEL_ORDER.get(label, len(_LABEL_ORDER)))

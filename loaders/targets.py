"""Quantitative goals such as 力争到2026年,区域内直播经济各类主体规模超过250家."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from livekg.loaders.models import Span

Operator = Literal[">", ">=", "="]
OPERATORS: dict[str, Operator] = {
    "超过": ">", "突破": ">", "多于": ">", "不少于": ">=", "不低于": ">=", "至少": ">=",
    "达到": ">=", "达": ">=",
}
TARGET = re.compile(
    r"到(?P<year>20\d\d)年[,，]?\s*(?P<metric>[^,，。;；]{2,40}?)"
    r"(?P<op>" + "|".join(sorted(OPERATORS, key=len, reverse=True)) + r")"
    r"\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>家|个|亿元|万元|万人|人|项|场|名|%)"
)


# Where a goal applies, written before the metric; kept apart so the metric reads the same
# in every plan (区域内直播经济各类主体规模 -> scope 区域内, metric 直播经济各类主体规模).
SCOPE_PREFIXES = ("区域内", "全区", "本区", "全市", "本市", "辖区内")


@dataclass(frozen=True)
class TargetMatch:
    metric: str
    scope: str | None
    operator: Operator
    value: float
    unit: str
    year: int
    span: Span


def find_targets(text: str, offset: int = 0) -> list[TargetMatch]:
    return [
        TargetMatch(
            *_split_scope(match.group("metric").strip()),
            operator=OPERATORS[match.group("op")],
            value=float(match.group("value")),
            unit=match.group("unit"),
            year=int(match.group("year")),
            span=Span(start=offset + match.start(), end=offset + match.end()),
        )
        for match in TARGET.finditer(text)
    ]


def _split_scope(metric: str) -> tuple[str, str | None]:
    for prefix in SCOPE_PREFIXES:
        if metric.startswith(prefix) and len(metric) > len(prefix):
            return metric[len(prefix):], prefix
    return metric, None

"""Name-like strings that the registry does not know, listed for a person to review."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from livekg.loaders.models import Span

QUOTED = re.compile(r"“(?P<name>[^”]{2,30})”|《(?P<title>[^》]{2,80})》")
NAME_SUFFIXES = ("路", "馆", "中心", "节", "联盟", "商会", "协会")
SUFFIXED = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9·]{1,10}?(?:" + "|".join(NAME_SUFFIXES) + ")"
)
# Words that start a clause rather than a name: a candidate is cut after the last of them.
LEADING_WORDS = (
    "依托", "支持", "建设", "打造", "探索", "设立", "开展", "推动", "联动", "结合", "举办",
    "加强", "参与", "积极", "通过", "发挥", "鼓励", "提升", "以及", "与", "和", "及", "等",
    "的", "在", "对", "为", "向",
)
MIN_NAME_LENGTH = 3


@dataclass(frozen=True)
class Candidate:
    surface: str
    reason: str
    span: Span


def unknown_names(text: str, known: Iterable[Span], offset: int = 0) -> list[Candidate]:
    """Candidates in `text` that overlap none of the `known` spans (document offsets)."""
    known = list(known)
    found: dict[tuple[int, int], Candidate] = {}
    for match in QUOTED.finditer(text):
        group = "name" if match.group("name") else "title"
        reason = "quoted name" if group == "name" else "《title》"
        _add(found, known, match.group(group), reason, offset + match.start(group))
    for match in SUFFIXED.finditer(text):
        surface, shift = _trim(match.group(0))
        suffix = next(s for s in NAME_SUFFIXES if surface.endswith(s))
        _add(found, known, surface, f"name ending in {suffix}", offset + match.start() + shift)
    return sorted(found.values(), key=lambda c: c.span.start)


def _trim(surface: str) -> tuple[str, int]:
    cut = 0
    for word in LEADING_WORDS:
        index = surface.rfind(word, 0, len(surface) - 1)
        if index >= 0:
            cut = max(cut, index + len(word))
    return surface[cut:], cut


def _add(found: dict[tuple[int, int], Candidate], known: list[Span], surface: str, reason: str,
         start: int) -> None:
    end = start + len(surface)
    if len(surface) < MIN_NAME_LENGTH:
        return
    if any(span.start < end and start < span.end for span in known):
        return
    if any(a <= start and end <= b for a, b in found):
        return
    found[(start, end)] = Candidate(surface, reason, Span(start=start, end=end))

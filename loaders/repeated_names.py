"""A name discovered in one task of a plan is a name wherever that plan writes it.

Discovery reads each task on its own evidence: a quote, a class word, a list. Plans give that
evidence once and then write the name bare: 南充 quotes “揭榜挂帅” in one task and writes 揭榜挂帅
in another; 金井湾's table names 金井湾片区 in one row's text as a place with its class word and in
twenty more. A reader takes the later ones for the same name, and so does the graph: each
occurrence in another task becomes a mention of the entity already discovered, with its own
sentence and span. Only names of the same plan are looked for (a name discovered in one plan
is no evidence of what a word means in another).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from livekg.loaders.discovery import heads_a_unit
from livekg.loaders.models import Span
from livekg.loaders.name_words import QUOTE_CHARS, RUN, quoted_stretches

# A bare name shorter than this is too often an ordinary word (“三券” quoted is a name; 三券
# inside 三券合一 or a count is not worth the risk).
MIN_REPEATED = 3


def repeatable_surfaces(surface: str) -> list[str]:
    """The forms a discovered name is looked for in: as written (quote marks and all), and the
    words inside its quotes when the whole surface is one quote (“揭榜挂帅” → 揭榜挂帅)."""
    forms = [surface]
    if len(surface) > 2 and surface[0] in QUOTE_CHARS and surface[-1] in QUOTE_CHARS:
        inner = surface[1:-1]
        if not any(char in QUOTE_CHARS for char in inner):
            forms.append(inner)
    return [form for form in forms if len(form.strip(QUOTE_CHARS)) >= MIN_REPEATED]


class RepeatedNames:
    """The discovered names of one plan (surface in the working text → entity id), found again
    in the plan's task texts."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = dict(names)
        ordered = sorted(self.names, key=len, reverse=True)   # longest first: re tries in order
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def find(self, body: str, offset: int, taken: Sequence[Span]) -> Iterator[tuple[str, Span]]:
        """(entity id, span) of each occurrence in `body` (a task text, unit lists blanked,
        starting at `offset`) that overlaps no `taken` span (the task's mentions), is not part
        of a longer quoted phrase, and does not begin a unit's name (金井湾片区项目建设指挥部)."""
        if self._pattern is None:
            return
        quotes = [(start, end) for start, end, _ in quoted_stretches(body)]
        for match in self._pattern.finditer(body):
            start, end = match.span()
            span = Span(start=offset + start, end=offset + end)
            if any(span.start < t.end and t.start < span.end for t in taken):
                continue
            if _inside_a_longer_quote(quotes, start, end):
                continue
            run = RUN.match(body, end)   # the name characters after it
            if run is not None and heads_a_unit(run.group(0)):
                continue
            yield self.names[match.group(0)], span


def _inside_a_longer_quote(quotes: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """揭榜挂帅 in “双向揭榜挂帅”: the quote names something else. (The name quoted alone,
    “揭榜挂帅”, is the name: its marks are just outside the match.)"""
    return any(q_start <= start and end <= q_end and (end - start) < (q_end - q_start - 2)
               for q_start, q_end in quotes)

"""Names the registry does not know, found by entity discovery, for a person to review.

The pipeline makes each one a discovered entity; `livekg review` lists them and a reviewer's
accept or reject goes to the user overlay (loaders/overlay.py), which later loads honour.
"""

from __future__ import annotations

from collections.abc import Iterable

from livekg.loaders.discovery import Policy, active_policy, holds, normalised_name
from livekg.loaders.mentions import NameMatch
from livekg.loaders.name_words import Candidate, TextSpan, quoted_stretches
from livekg.loaders.registry import Registry

# Registered labels whose names are general terms, used inside longer names: 人工智能 in
# 国家人工智能应用中试基地 and 人工智能OPC, 大数据 in 省大数据管理平台. A discovered name may hold
# one whole (it is the name meant), and the term is mentioned there too: the corpus labels a
# named technology in every task whose text uses it, also inside a longer word
# (tests/corpus/README.md, "One Technology rule").
TERM_LABELS = frozenset({"Technology"})


def discover_names(text: str, offset: int, matches: Iterable[NameMatch], registry: Registry,
                   policy: Policy | None = None) -> list[Candidate]:
    """Candidates in a task text that overlap no registry match (a general term's match they
    may hold whole) and were not rejected, found with `policy` (default: the active one, see
    discovery.discovering_with)."""
    matches = list(matches)
    # A quote that holds a registered name and more names another thing (揭榜挂帅 in “双向揭榜
    # 挂帅”, a contest of both directions): like a term, the quoted name may hold it whole.
    quotes = [TextSpan(offset + start + 1, offset + end - 1)
              for start, end, _ in quoted_stretches(text)]
    holdable = [_is_term(m, registry) or (bool(quotes) and any(holds(quote, m.span)
                                                               for quote in quotes))
                for m in matches]
    terms = [m.span for m, held in zip(matches, holdable, strict=True) if held]
    known = [m.span for m, held in zip(matches, holdable, strict=True) if not held]
    found = (policy or active_policy()).discover(text, offset, known=known, terms=terms)
    return [c for c in found if normalised_name(c.name) not in registry.rejected]


def outside_names(matches: Iterable[NameMatch], candidates: Iterable[Candidate]
                  ) -> list[NameMatch]:
    """The registry matches not held inside a discovered name, and the general terms
    (TERM_LABELS) wherever they are: 人工智能 in 华为人工智能实训基地 is still 人工智能."""
    spans = [c.span for c in candidates]
    return [m for m in matches if m.target_id.startswith(_TERM_ID_PREFIXES)
            or not any(s.start <= m.span.start and m.span.end <= s.end for s in spans)]


# Entity ids begin with their label (technology-big-data, and discovery.discovered_id's
# technology-d-…), so a match tells its label without the registry.
_TERM_ID_PREFIXES = tuple(f"{label.lower()}-" for label in sorted(TERM_LABELS))


def _is_term(match: NameMatch, registry: Registry) -> bool:
    entity = registry.entities.get(match.target_id)
    return entity is not None and entity.label in TERM_LABELS

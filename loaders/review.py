"""Names the registry does not know, found by entity discovery, for a person to review.

The pipeline makes each one a discovered entity; `livekg review` lists them and a reviewer's
accept or reject goes to the user overlay (loaders/overlay.py), which later loads honour.
"""

from __future__ import annotations

from collections.abc import Iterable

from livekg.loaders.discovery import Candidate, Policy, active_policy, normalised_name
from livekg.loaders.mentions import NameMatch
from livekg.loaders.registry import Registry

# Registered labels whose names are general terms, used inside longer names: 算力 in “算力券”
# and 省算力监测调度服务平台, 人工智能 in 国家人工智能应用中试基地. A discovered name that holds
# one whole is the name meant; the term is not mentioned there on its own.
TERM_LABELS = frozenset({"Technology"})


def discover_names(text: str, offset: int, matches: Iterable[NameMatch], registry: Registry,
                   policy: Policy | None = None) -> list[Candidate]:
    """Candidates in a task text that overlap no registry match (a general term's match they
    may hold whole) and were not rejected, found with `policy` (default: the active one, see
    discovery.discovering_with)."""
    matches = list(matches)
    terms = [m.span for m in matches if _is_term(m, registry)]
    known = [m.span for m in matches if not _is_term(m, registry)]
    found = (policy or active_policy()).discover(text, offset, known=known, terms=terms)
    return [c for c in found if normalised_name(c.name) not in registry.rejected]


def outside_names(matches: Iterable[NameMatch], candidates: Iterable[Candidate]
                  ) -> list[NameMatch]:
    """The registry matches not held inside a discovered name (算力 inside “算力券” is not a
    mention of 算力)."""
    spans = [c.span for c in candidates]
    return [m for m in matches
            if not any(s.start <= m.span.start and m.span.end <= s.end for s in spans)]


def _is_term(match: NameMatch, registry: Registry) -> bool:
    entity = registry.entities.get(match.target_id)
    return entity is not None and entity.label in TERM_LABELS

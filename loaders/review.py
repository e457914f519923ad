"""Names the registry does not know, found by entity discovery, for a person to review.

The pipeline makes each one a discovered entity; `livekg review` lists them and a reviewer's
accept or reject goes to the user overlay (loaders/overlay.py), which later loads honour.
"""

from __future__ import annotations

from collections.abc import Iterable

from livekg.loaders.discovery import Candidate, Policy, active_policy, normalised_name
from livekg.loaders.mentions import NameMatch
from livekg.loaders.registry import Registry


def discover_names(text: str, offset: int, matches: Iterable[NameMatch], registry: Registry,
                   policy: Policy | None = None) -> list[Candidate]:
    """Candidates in a task text that overlap no registry match and were not rejected, found
    with `policy` (default: the active one, see discovery.discovering_with)."""
    found = (policy or active_policy()).discover(text, offset,
                                                 known=[match.span for match in matches])
    return [c for c in found if normalised_name(c.name) not in registry.rejected]

"""Resolving a unit's name as written to a registry unit, or to a new unit of that jurisdiction."""

from __future__ import annotations

import re
from functools import cache

from pypinyin import lazy_pinyin

from livekg.loaders.models import UnitRecord
from livekg.loaders.registry import Registry
from livekg.loaders.unit_names import Place, unit_name


def resolve_unit(registry: Registry, surface: str, jurisdiction: str) -> UnitRecord:
    """The registry's unit for `surface`, or an unverified unit scoped to `jurisdiction`."""
    known = registry.resolve_unit(surface, jurisdiction)
    if known is not None:
        return known
    places = [Place(j.name, j.level) for j in registry.jurisdiction_chain(jurisdiction)]
    named = unit_name(surface, places)
    return UnitRecord(
        id=f"{jurisdiction}-{pinyin_slug(surface)}",
        short_name=surface,
        full_name=named.full_name,
        # The registry calls collective units (各街镇, 各有关部门) groups.
        kind="group" if named.kind == "collective" else named.kind,
        jurisdiction=jurisdiction,
        source="not in the registry: named in a document's responsible-unit list"
               + ("; full name derived from data/registry/abbreviations.yaml"
                  if named.derived else ""),
        verified=False,
        resolved=False,
    )


@cache
def pinyin_slug(text: str) -> str:
    """区商务委 -> qu-shang-wu-wei: an ASCII id part that stays the same across runs."""
    syllables = lazy_pinyin(text, errors=lambda chars: [c for c in chars if c.isalnum()])
    return re.sub(r"[^a-z0-9]+", "-", "-".join(syllables).lower()).strip("-") or "unit"

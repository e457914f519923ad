"""Resolving a unit's name as written to a registry unit, or to a new unit of that jurisdiction."""

from __future__ import annotations

import hashlib
import re
from functools import cache

from livekg.loaders.jurisdictions import unit_jurisdiction
from livekg.loaders.models import UnitRecord
from livekg.loaders.names import CleanName, clean_name
from livekg.loaders.registry import Registry
from livekg.loaders.romanisation import readings
from livekg.loaders.unit_names import Place, unit_name


def resolve_unit(registry: Registry, surface: str | CleanName, jurisdiction: str) -> UnitRecord:
    """The registry's unit for a name as written, or an unverified unit of the jurisdiction the
    name points to (区… in a district plan: that district; 市…: its city)."""
    name = surface if isinstance(surface, CleanName) else clean_name(surface)
    known = registry.resolve_unit(name.name, jurisdiction) or registry.resolve_unit(
        name.key, jurisdiction)
    if known is not None:
        return known
    owner = unit_jurisdiction(registry, name.key, jurisdiction)
    places = [Place(j.name, j.level) for j in registry.jurisdiction_chain(owner)]
    named = unit_name(name.key, places)
    return UnitRecord(
        id=unit_id(owner, name.key),
        short_name=name.name,
        full_name=named.full_name,
        # The registry calls collective units (各街镇, 各有关部门) groups.
        kind="group" if named.kind == "collective" else named.kind,
        jurisdiction=owner,
        source="not in the registry: named in a document's responsible-unit list"
               + ("; full name derived from data/registry/abbreviations.yaml"
                  if named.derived else ""),
        verified=False,
        resolved=False,
    )


def unit_id(jurisdiction: str, surface: str) -> str:
    """An id that reads as the name (pinyin) and cannot collide: homophones such as 区创新办
    and 区创心办 share their pinyin, so the name's own digest ends the id."""
    digest = hashlib.sha1(surface.encode("utf-8")).hexdigest()[:8]
    return f"{jurisdiction}-{pinyin_slug(surface)}-{digest}"


def _kept_characters(chars: str) -> str:
    """What pypinyin keeps of characters it has no reading for: letters and digits."""
    return "".join(c for c in chars if c.isalnum())


@cache
def pinyin_slug(text: str) -> str:
    """区商务委 -> qu-shang-wu-wei: an ASCII id part that stays the same across runs."""
    syllables = readings(text, errors=_kept_characters)
    return re.sub(r"[^a-z0-9]+", "-", "-".join(syllables).lower()).strip("-") or "unit"

"""Full names and kinds for units of any jurisdiction, from the table of standard abbreviations
(data/registry/abbreviations.yaml) and the issuing jurisdiction's name.

`区商务委` in a 静安区 plan is 上海市静安区商务委员会; `区委宣传部` is 中共上海市静安区委员会宣传部.
Such a name is derived, not checked: units built with it stay `verified: false`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from livekg.loaders.errors import RegistryError
from livekg.loaders.paths import REGISTRY_DIR

KINDS = ("government_department", "party_organ", "mass_organisation", "enterprise",
         "association", "collective", "other")
# The one-character prefix of a short name and the level of jurisdiction it stands for.
PREFIX_LEVELS = {"区": ("district", "special_zone"), "县": ("county", "district"),
                 "市": ("city",), "省": ("provincial",)}
MASS_ORGANISATIONS = ("团委", "妇联", "总工会", "工商联", "科协", "残联", "红十字会", "侨联",
                      "文联")
COLLECTIVE_MARKS = ("有关部门", "相关部门", "有关单位", "相关单位", "各部门", "成员单位")


@dataclass(frozen=True)
class Abbreviation:
    short: str
    full: str
    kind: str
    party: bool
    source: str


@dataclass(frozen=True)
class UnitName:
    full_name: str | None
    kind: str
    derived: bool   # the full name was made from the table, not read from the registry


@dataclass(frozen=True)
class Place:
    """A jurisdiction as the naming needs it: its name and level."""

    name: str
    level: str


def load_abbreviations(path: str | Path = REGISTRY_DIR / "abbreviations.yaml"
                       ) -> tuple[Abbreviation, ...]:
    path = Path(path)
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RegistryError(f"{path}: cannot read abbreviations: {error}") from error
    rows = content.get("abbreviations") if isinstance(content, dict) else None
    if not isinstance(rows, list):
        raise RegistryError(f"{path}: expected a list under 'abbreviations'")
    table = []
    for index, row in enumerate(rows, start=1):
        try:
            entry = Abbreviation(str(row["short"]), str(row["full"]), str(row["kind"]),
                                 bool(row.get("party", False)), str(row["source"]))
        except (KeyError, TypeError) as error:
            raise RegistryError(
                f"{path}: entry {index} needs short, full, kind and source") from error
        if entry.kind not in KINDS:
            raise RegistryError(f"{path}: entry {index} ({entry.short}): kind {entry.kind!r} "
                                f"is not one of {', '.join(KINDS)}")
        table.append(entry)
    # Longest short form first: 委网信办 before 网信办.
    return tuple(sorted(table, key=lambda a: len(a.short), reverse=True))


@cache
def abbreviations() -> tuple[Abbreviation, ...]:
    return load_abbreviations()


def unit_kind(short_name: str, table: Sequence[Abbreviation] | None = None) -> str:
    """government_department, party_organ, mass_organisation, enterprise, association,
    collective or other — from the table, else from the name's form."""
    name = short_name.strip()
    if name.startswith("各") or any(mark in name for mark in COLLECTIVE_MARKS):
        return "collective"
    entry = _entry(name, table)
    if entry is not None:
        return entry.kind
    if name.startswith("中共") or name.endswith(("党工委", "纪委", "组织部", "统战部")) or (
            "委" in name[:-1] and name.endswith(("部", "办"))):
        return "party_organ"
    if name.endswith(MASS_ORGANISATIONS):
        return "mass_organisation"
    if name.endswith(("公司", "集团", "银行")):
        return "enterprise"
    if name.endswith(("商会", "协会", "联盟", "学会")):
        return "association"
    if name.endswith(("局", "委", "办", "厅", "部", "署", "委员会", "政府", "管委会", "中心",
                      "办公室", "街道", "镇")):
        return "government_department"
    return "other"


def unit_name(short_name: str, places: Sequence[Place],
              table: Sequence[Abbreviation] | None = None) -> UnitName:
    """The full name of `short_name` written in a document of `places[0]` (its chain of
    jurisdictions, innermost first). None when the prefix or the body is not known."""
    kind = unit_kind(short_name, table)
    entry = _entry(short_name, table)
    if entry is None or kind == "collective":
        return UnitName(None, kind, derived=False)
    prefix = short_name[: len(short_name) - len(entry.short)]
    where = _jurisdiction_name(prefix, places)
    if where is None:
        return UnitName(None, kind, derived=False)
    full = f"中共{where}委员会{entry.full}" if entry.party else f"{where}{entry.full}"
    return UnitName(full, kind, derived=True)


def _entry(name: str, table: Sequence[Abbreviation] | None) -> Abbreviation | None:
    return next((a for a in (table or abbreviations()) if name.endswith(a.short)), None)


def _jurisdiction_name(prefix: str, places: Sequence[Place]) -> str | None:
    """区 -> 上海市长宁区 in a Changning plan: the chain from the outermost sub-national place
    down to the level the prefix names."""
    chain = [p for p in reversed(places) if p.level != "national"]   # outermost first
    if prefix in PREFIX_LEVELS:
        levels = PREFIX_LEVELS[prefix]
        for index, place in enumerate(chain):
            if place.level in levels:
                return "".join(p.name for p in chain[: index + 1])
        return None
    if prefix == "" and chain:
        return "".join(p.name for p in chain)
    for index, place in enumerate(chain):   # a place name written out: 长宁区商务委
        if prefix in (place.name, place.name.rstrip("市区县省")):
            return "".join(p.name for p in chain[: index + 1])
    return None

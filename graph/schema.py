"""The knowledge graph's schema, defined once: labels, relationship types, their properties.

Every backend (the embedded networkx graph, Neo4j) and every consumer (API, visualizations)
takes names from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from livekg.graph.errors import NodeNotFound
from livekg.loaders.models import ENTITY_LABELS as ENTITY_LABEL_NAMES


class Label(StrEnum):
    DOCUMENT = "Document"
    SECTION = "Section"
    TASK = "Task"
    TARGET = "Target"
    UNIT = "Unit"
    VENUE = "Venue"
    BASE = "Base"
    ASSOCIATION = "Association"
    ENTERPRISE = "Enterprise"
    EVENT = "Event"
    PROGRAM = "Program"
    POLICY = "Policy"
    TECHNOLOGY = "Technology"


class RelType(StrEnum):
    PART_OF = "PART_OF"
    IN_SECTION = "IN_SECTION"
    RESPONSIBLE_FOR = "RESPONSIBLE_FOR"
    MENTIONS = "MENTIONS"
    INCLUDES = "INCLUDES"
    SETS_TARGET = "SETS_TARGET"
    IMPLEMENTS = "IMPLEMENTS"
    CARRIES_OUT = "CARRIES_OUT"


ENTITY_LABELS: tuple[Label, ...] = tuple(Label(name) for name in ENTITY_LABEL_NAMES)
# Nodes of these labels belong to one document (their `document` property) and go with it;
# units and entities are shared by every document that names them.
DOCUMENT_LABELS: tuple[Label, ...] = (Label.DOCUMENT, Label.SECTION, Label.TASK, Label.TARGET)
SHARED_LABELS: tuple[Label, ...] = (Label.UNIT, *ENTITY_LABELS)
# Unit kinds whose nodes are also associations: one node with both roles.
ASSOCIATION_UNIT_KINDS = frozenset({"city_association", "association", "alliance"})
# Properties a name search looks at, in the order of preference when scores tie.
ENTITY_STATUSES: tuple[str, ...] = ("registered", "discovered")
NAME_PROPERTIES: tuple[str, ...] = ("name", "full_name", "english_name", "aliases", "pinyin")


def entity_label(entity_type: str) -> Label:
    """`venue`, `Venue` or `venues` → Label.VENUE: the entity-type words paths and views take.

    Raises
    ------
    NodeNotFound
        Not an entity type; the suggestions are the type words.
    """
    wanted = entity_type.strip().lower()
    for label in ENTITY_LABELS:
        if wanted in (label.value.lower(), f"{label.value.lower()}s"):
            return label
    raise NodeNotFound(entity_type, "entity type",
                       sorted(label.value.lower() for label in ENTITY_LABELS))


@dataclass(frozen=True)
class NodeType:
    label: Label
    required: frozenset[str]


@dataclass(frozen=True)
class RelationshipType:
    type: RelType
    sources: frozenset[Label]
    targets: frozenset[Label]
    required: frozenset[str] = frozenset()


_COMMON = frozenset({"id", "name"})
_DOCUMENT_OWNED = _COMMON | {"document"}
NODE_TYPES: dict[Label, NodeType] = {
    Label.DOCUMENT: NodeType(Label.DOCUMENT, _DOCUMENT_OWNED | {"title", "jurisdiction", "sha256",
                                                               "source_file"}),
    Label.SECTION: NodeType(Label.SECTION, _DOCUMENT_OWNED | {"marker", "number", "level",
                                                             "title"}),
    Label.TASK: NodeType(Label.TASK, _DOCUMENT_OWNED | {"marker", "number", "title", "text",
                                                       "span"}),
    Label.TARGET: NodeType(Label.TARGET, _DOCUMENT_OWNED | {"metric", "operator", "value",
                                                           "unit", "year", "sentence", "span"}),
    Label.UNIT: NodeType(Label.UNIT, _COMMON | {"short_name", "kind", "jurisdiction",
                                                "verified"}),
    # Entities also carry `status`: registered (registry or review) or discovered (with
    # `method` and `confidence`); a node written without one (older snapshots) is registered.
    **{label: NodeType(label, _COMMON | {"verified"}) for label in ENTITY_LABELS},
}

_MENTIONABLE = frozenset({Label.UNIT, *ENTITY_LABELS})
_PROVENANCE = frozenset({"document", "sentence", "span"})
RELATIONSHIP_TYPES: dict[RelType, RelationshipType] = {
    RelType.PART_OF: RelationshipType(
        RelType.PART_OF, frozenset({Label.SECTION, Label.TASK}),
        frozenset({Label.DOCUMENT, Label.SECTION}), frozenset({"document"})),
    RelType.IN_SECTION: RelationshipType(
        RelType.IN_SECTION, frozenset({Label.TASK}), frozenset({Label.SECTION}),
        frozenset({"document"})),
    RelType.RESPONSIBLE_FOR: RelationshipType(
        RelType.RESPONSIBLE_FOR, frozenset({Label.UNIT}), frozenset({Label.TASK}),
        frozenset({"document", "rank", "surface", "span"})),
    RelType.MENTIONS: RelationshipType(
        RelType.MENTIONS, frozenset({Label.TASK}), _MENTIONABLE,
        _PROVENANCE | {"surface", "sentence_index"}),
    RelType.INCLUDES: RelationshipType(
        RelType.INCLUDES, frozenset({Label.UNIT}), frozenset({Label.UNIT})),
    RelType.SETS_TARGET: RelationshipType(
        RelType.SETS_TARGET, frozenset({Label.DOCUMENT}), frozenset({Label.TARGET}),
        _PROVENANCE),
    RelType.IMPLEMENTS: RelationshipType(
        RelType.IMPLEMENTS, frozenset({Label.DOCUMENT}),
        frozenset({Label.POLICY, Label.DOCUMENT}), _PROVENANCE),
    RelType.CARRIES_OUT: RelationshipType(
        RelType.CARRIES_OUT, frozenset({Label.TASK}), frozenset({Label.TASK}),
        frozenset({"document", "score", "method"})),
}

Scalar = str | int | float | bool
PropertyValue = Scalar | list[str] | list[int] | list[float]


class SchemaError(ValueError):
    """A node or relationship does not fit the schema."""


def check_node(node_id: str, labels: list[str], properties: dict[str, object]) -> None:
    if not labels:
        raise SchemaError(f"node {node_id!r} has no label")
    unknown = [label for label in labels if label not in Label.__members__.values()]
    if unknown:
        raise SchemaError(f"node {node_id!r}: unknown labels {unknown}")
    missing = NODE_TYPES[Label(labels[0])].required - properties.keys() - {"id"}
    if missing:
        raise SchemaError(f"node {node_id!r} ({labels[0]}) lacks {sorted(missing)}")
    for key, value in properties.items():
        check_value(f"node {node_id!r}", key, value)


def check_relationship(rel_id: str, rel_type: str, source_labels: list[str],
                       target_labels: list[str], properties: dict[str, object]) -> None:
    try:
        spec = RELATIONSHIP_TYPES[RelType(rel_type)]
    except ValueError as error:
        raise SchemaError(f"relationship {rel_id!r}: unknown type {rel_type!r}") from error
    if not spec.sources & set(source_labels) or not spec.targets & set(target_labels):
        raise SchemaError(
            f"relationship {rel_id!r}: {rel_type} cannot go from {source_labels} to "
            f"{target_labels}")
    missing = spec.required - properties.keys()
    if missing:
        raise SchemaError(f"relationship {rel_id!r} ({rel_type}) lacks {sorted(missing)}")
    for key, value in properties.items():
        check_value(f"relationship {rel_id!r}", key, value)


def check_value(owner: str, key: str, value: object) -> None:
    """Only what Neo4j can store as a property: scalars and homogeneous lists of scalars."""
    if isinstance(value, str | int | float | bool):
        return
    if isinstance(value, list) and len({type(v) for v in value}) <= 1 and all(
            isinstance(v, str | int | float | bool) for v in value):
        return
    raise SchemaError(f"{owner}: property {key!r} has a value Neo4j cannot store: {value!r}")

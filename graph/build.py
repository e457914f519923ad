"""A parsed document as graph rows: the one place that maps records to the schema."""

from __future__ import annotations

from functools import cache
from typing import Any

from livekg.graph.rows import GraphRows, NodeRow, RelationshipRow
from livekg.graph.schema import ASSOCIATION_UNIT_KINDS, Label, RelType
from livekg.loaders.collector import with_collector_paused
from livekg.loaders.models import (
    EntityMention,
    EntityRecord,
    ParsedDocument,
    Span,
    UnitMention,
    UnitRecord,
)
from livekg.loaders.romanisation import readings


@with_collector_paused   # why: loaders/collector.py
def document_rows(parsed: ParsedDocument) -> GraphRows:
    """Every node and relationship `parsed` contributes, with provenance on each fact."""
    doc = parsed.document
    nodes: list[NodeRow] = [NodeRow(doc.id, (Label.DOCUMENT,), _clean({
        "name": doc.title, "title": doc.title, "issuer": doc.issuer,
        "jurisdiction": doc.jurisdiction, "source_file": doc.source_file, "sha256": doc.sha256,
        "attachment": doc.attachment, "encoding": doc.encoding, "document": doc.id,
        "implements": [policy.title for policy in parsed.implements] or None,
    }))]
    rels: list[RelationshipRow] = []
    owned = {"document": doc.id}

    for section in parsed.sections:
        nodes.append(NodeRow(section.id, (Label.SECTION,), _clean({
            "name": section.title, "title": section.title, "marker": section.marker,
            "number": section.number, "level": section.level, "line": section.line,
            "span": _span(section.span), **owned,
        })))
        parent = section.parent_id or doc.id
        rels.append(_rel(RelType.PART_OF, section.id, parent, owned))

    for task in parsed.tasks:
        # (no _clean: no field of a task is ever None)
        nodes.append(NodeRow(task.id, (Label.TASK,), {
            "name": task.title, "title": task.title, "marker": task.marker,
            "number": task.number, "text": task.text, "line": task.line,
            "span": _span(task.span), "pinyin": _pinyin(task.title), **owned,
        }))
        rels.append(_rel(RelType.PART_OF, task.id, doc.id, owned))
        if task.section_id:
            rels.append(_rel(RelType.IN_SECTION, task.id, task.section_id, owned))
        # Provenance is the span (and, for mentions, the sentence's index and text), never a
        # copy of the task text: that made the graph grow with owners × text length.
        rels.extend(_owner_rel(task.id, owner, doc.id) for owner in task.owners)
        rels.extend(_mention_rel(task.id, mention, doc.id) for mention in task.mentions)

    for target in parsed.targets:
        nodes.append(NodeRow(target.id, (Label.TARGET,), _clean({
            "name": f"{target.metric} {target.operator} {target.value:g}{target.unit}",
            "metric": target.metric, "scope": target.scope, "operator": target.operator,
            "value": target.value,
            "unit": target.unit, "year": target.year, "sentence": target.sentence,
            "span": _span(target.span), **owned,
        })))
        rels.append(_rel(RelType.SETS_TARGET, doc.id, target.id, {
            "sentence": target.sentence, "span": _span(target.span), **owned}))

    for policy in parsed.implements:
        rels.append(_rel(RelType.IMPLEMENTS, doc.id, policy.entity_id, {
            "sentence": policy.sentence, "span": _span(policy.span), **owned}))

    for unit in parsed.units:
        nodes.append(unit_node(unit))
        for member in unit.members:
            rels.append(_rel(RelType.INCLUDES, unit.id, member, {}))
    nodes.extend(entity_node(entity) for entity in parsed.entities)
    return GraphRows(doc.id, tuple(nodes), tuple(rels))


def unit_node(unit: UnitRecord) -> NodeRow:
    labels: tuple[str, ...] = (Label.UNIT,)
    if unit.kind in ASSOCIATION_UNIT_KINDS:
        labels = (Label.UNIT, Label.ASSOCIATION)
    return NodeRow(unit.id, labels, _clean({
        "name": unit.short_name, "short_name": unit.short_name, "full_name": unit.full_name,
        "english_name": unit.english_name, "kind": unit.kind, "jurisdiction": unit.jurisdiction,
        "aliases": list(unit.aliases) or None, "members": list(unit.members) or None,
        "pinyin": _pinyin(unit.short_name), "source": unit.source, "verified": unit.verified,
        "resolved": unit.resolved, "status": "registered" if unit.resolved else "discovered",
    }))


def entity_node(entity: EntityRecord) -> NodeRow:
    return NodeRow(entity.id, (entity.label,), _clean({
        "name": entity.name, "english_name": entity.english_name, "kind": entity.kind,
        "aliases": list(entity.aliases) or None, "designation": entity.designation,
        "status": entity.status, "method": entity.method, "confidence": entity.confidence,
        "jurisdiction": entity.jurisdiction, "pinyin": _pinyin(entity.name),
        "source": entity.source, "verified": entity.verified,
    }))


# The rows of a task's owners and mentions, one per unit and per mention of every task: built
# directly, without _rel's and _clean's second dict (their only optional fields are set by
# hand, in the same order).
def _owner_rel(task_id: str, owner: UnitMention, document: str) -> RelationshipRow:
    properties: dict[str, Any] = {"rank": owner.rank}
    if owner.role is not None:
        properties["role"] = owner.role
    properties["surface"] = owner.surface
    if owner.and_others:
        properties["and_others"] = True
    properties["span"] = [owner.span.start, owner.span.end]
    properties["document"] = document
    return RelationshipRow(f"{task_id}|owner|{owner.rank}", _RESPONSIBLE_FOR, owner.unit_id,
                           task_id, properties)


def _mention_rel(task_id: str, mention: EntityMention, document: str) -> RelationshipRow:
    span = mention.span
    return RelationshipRow(f"{task_id}|mention|{span.start}", _MENTIONS, task_id,
                           mention.entity_id, {
                               "surface": mention.surface, "sentence": mention.sentence,
                               "sentence_index": mention.sentence_index,
                               "span": [span.start, span.end], "document": document})


_RESPONSIBLE_FOR = RelType.RESPONSIBLE_FOR.value
_MENTIONS = RelType.MENTIONS.value


def _rel(rel_type: RelType, source: str, target: str, properties: dict[str, Any],
         key: str | None = None) -> RelationshipRow:
    rel_id = key or f"{source}|{rel_type.value}|{target}"
    return RelationshipRow(rel_id, rel_type.value, source, target, _clean(properties))


def _span(span: Span) -> list[int]:
    return [span.start, span.end]


@cache
def _pinyin(text: str) -> str:
    """Toneless pinyin without spaces (区商务委 -> qushangwuwei), for search by romanisation."""
    return "".join(readings(text)).lower().replace(" ", "")


def _clean(properties: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls, so neither backend keeps them."""
    return {key: value for key, value in properties.items() if value is not None}

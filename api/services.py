"""Building API responses from backend answers; the routers stay one call deep."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, TypeVar

from livekg.api.models import (
    DocumentOut,
    EntityDetail,
    EntityOut,
    MentionOut,
    Page,
    SectionOut,
    TaskDetail,
    TaskSummary,
    UnitDetail,
    UnitOut,
)
from livekg.graph.backend import GraphBackend, node_ref
from livekg.graph.naming import normalise
from livekg.graph.results import SearchHit
from livekg.graph.schema import Label, RelType, entity_label

T = TypeVar("T")


def page(items: Sequence[T], limit: int, offset: int) -> Page[T]:
    return Page[T](items=list(items[offset:offset + limit]), total=len(items), limit=limit,
                   offset=offset)


def search(backend: GraphBackend, query: str) -> list[SearchHit]:
    """Every hit, best first: both backends rank all matches before cutting to a limit, so
    asking for all of them costs no more and gives the page its total."""
    return backend.search(query, limit=sys.maxsize)


def documents(backend: GraphBackend) -> list[DocumentOut]:
    return [DocumentOut.model_validate(node) for node in backend.list_nodes(Label.DOCUMENT)]


def sections(backend: GraphBackend, document: str | None) -> list[SectionOut]:
    return [SectionOut.model_validate(node) for node in backend.list_nodes(Label.SECTION)
            if document is None or node["document"] == document]


def tasks(backend: GraphBackend, *, section: str | None = None, unit: str | None = None,
          text: str | None = None, document: str | None = None) -> list[TaskSummary]:
    """Tasks in document order, filtered by section (id), unit (any name) and text."""
    data = backend.node_link(labels=[Label.TASK, Label.SECTION])
    section_of = {link["source"]: link["target"] for link in data["links"]
                  if link["type"] == RelType.IN_SECTION}
    summaries = [
        TaskSummary(id=n["id"], document=n["document"], number=n["number"], marker=n["marker"],
                    title=n["title"], section=section_of.get(n["id"]))
        for n in data["nodes"] if Label.TASK in n["labels"]
    ]
    if section is not None:
        section_id = backend.resolve(section, Label.SECTION)
        summaries = [t for t in summaries if t.section == section_id]
    if unit is not None:
        owned = {t.id for t in backend.unit_tasks(unit)}
        summaries = [t for t in summaries if t.id in owned]
    if document is not None:
        summaries = [t for t in summaries if t.document == document]
    if text:
        texts = {n["id"]: normalise(n["text"]) for n in data["nodes"] if "text" in n}
        summaries = [t for t in summaries if normalise(text) in texts[t.id]]
    return sorted(summaries, key=lambda t: (t.document, t.number))


def task_detail(backend: GraphBackend, ref: str) -> TaskDetail:
    task = backend.node(backend.resolve(ref, Label.TASK))
    in_section = backend.related(task["id"], RelType.IN_SECTION, "out")
    section = SectionOut.model_validate(in_section[0][1]) if in_section else None
    mentions = sorted(
        (MentionOut(entity=node_ref(node), surface=rel["surface"], sentence=rel["sentence"],
                    span=rel["span"])
         for rel, node in backend.related(task["id"], RelType.MENTIONS, "out")),
        key=lambda m: m.span)
    return TaskDetail(id=task["id"], document=task["document"], number=task["number"],
                      marker=task["marker"], title=task["title"], text=task["text"],
                      section=section.id if section else None, section_detail=section,
                      owners=backend.task_owners(task["id"]), mentions=mentions)


def units(backend: GraphBackend, kind: str | None) -> list[UnitOut]:
    return [unit_out(node) for node in backend.list_nodes(Label.UNIT)
            if kind is None or node["kind"] == kind]


def unit_out(node: dict[str, Any]) -> UnitOut:
    return UnitOut.model_validate(node)


def unit_detail(backend: GraphBackend, ref: str) -> UnitDetail:
    unit = backend.node(backend.resolve(ref, Label.UNIT))
    members = [node_ref(n) for _, n in backend.related(unit["id"], RelType.INCLUDES, "out")]
    member_of = [node_ref(n) for _, n in backend.related(unit["id"], RelType.INCLUDES, "in")]
    return UnitDetail(**unit_out(unit).model_dump(), task_count=len(backend.unit_tasks(unit["id"])),
                      members=members, member_of=member_of)


def entities(backend: GraphBackend, entity_type: str) -> list[EntityOut]:
    label = entity_label(entity_type)
    return [entity_out(node, label) for node in backend.list_nodes(label)]


def entity_out(node: dict[str, Any], label: Label) -> EntityOut:
    return EntityOut.model_validate({**node, "type": label.value.lower()})


def entity_detail(backend: GraphBackend, entity_type: str, ref: str) -> EntityDetail:
    label = entity_label(entity_type)
    node = backend.node(backend.resolve(ref, label))
    return EntityDetail(**entity_out(node, label).model_dump(),
                        mentions=backend.tasks_mentioning(node["id"]))


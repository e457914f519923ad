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
    UnitWorkloadDetail,
)
from livekg.graph.backend import (
    GraphBackend,
    WorkloadSort,
    entity_ref,
    node_ref,
)
from livekg.graph.naming import normalise
from livekg.graph.results import SearchHit, UnitWorkload
from livekg.graph.schema import ENTITY_LABELS, Label, RelType, entity_label

T = TypeVar("T")
# What `/v1/tasks?mentions=` takes as a label rather than a name: what a task can mention.
MENTIONABLE: dict[str, Label] = {label.value.lower(): label
                                 for label in (Label.UNIT, *ENTITY_LABELS)}
# `/v1/units?sort=` names, and the workload count each sorts by.
UNIT_SORTS: dict[str, WorkloadSort] = {"lead_count": "tasks_led", "task_count": "task_count"}


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
          text: str | None = None, document: str | None = None, lead: str | None = None,
          mentions: str | None = None) -> list[TaskSummary]:
    """Tasks in document order, each with its lead unit(s), filtered by section (id), unit
    (any name), the unit leading them, what they mention (a label or a node) and text."""
    data = backend.node_link(labels=[Label.TASK, Label.SECTION])
    section_of = {link["source"]: link["target"] for link in data["links"]
                  if link["type"] == RelType.IN_SECTION}
    lead_units = backend.task_leads()
    summaries = [
        TaskSummary(id=n["id"], document=n["document"], number=n["number"], marker=n["marker"],
                    title=n["title"], section=section_of.get(n["id"]),
                    lead=lead_units.get(n["id"], []))
        for n in data["nodes"] if Label.TASK in n["labels"]
    ]
    if lead is not None:  # the lead units each summary already carries
        lead_id = backend.resolve(lead, Label.UNIT)
        summaries = [t for t in summaries if any(unit.id == lead_id for unit in t.lead)]
    if mentions is not None:
        mentioning = tasks_mentioning(backend, mentions)
        summaries = [t for t in summaries if t.id in mentioning]
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


def tasks_mentioning(backend: GraphBackend, ref: str) -> set[str]:
    """Ids of the tasks mentioning `ref`: a label (Venue or venue: any node with it), else
    the node with that id or name."""
    label = MENTIONABLE.get(ref.strip().lower())
    if label is None:
        return {mention.task.id for mention in backend.tasks_mentioning(ref)}
    data = backend.node_link(labels=[Label.TASK, label])
    labelled = {node["id"] for node in data["nodes"] if label in node["labels"]}
    return {link["source"] for link in data["links"]
            if link["type"] == RelType.MENTIONS and link["target"] in labelled}


def task_detail(backend: GraphBackend, ref: str) -> TaskDetail:
    task = backend.node(backend.resolve(ref, Label.TASK))
    in_section = backend.related(task["id"], RelType.IN_SECTION, "out")
    section = SectionOut.model_validate(in_section[0][1]) if in_section else None
    owners = backend.task_owners(task["id"])  # ordered by rank, each flagged by the lead rule
    units = {unit["id"]: unit
             for _, unit in backend.related(task["id"], RelType.RESPONSIBLE_FOR, "in")}
    lead = [node_ref(units[owner.id]) for owner in owners if owner.lead]
    mentions = sorted(
        (MentionOut(entity=entity_ref(node), surface=rel["surface"], sentence=rel["sentence"],
                    span=rel["span"])
         for rel, node in backend.related(task["id"], RelType.MENTIONS, "out")),
        key=lambda m: m.span)
    return TaskDetail(id=task["id"], document=task["document"], number=task["number"],
                      marker=task["marker"], title=task["title"], text=task["text"],
                      section=section.id if section else None, section_detail=section,
                      lead=lead, owners=owners, mentions=mentions)


def units(backend: GraphBackend, kind: str | None, sort: str | None = None) -> list[UnitOut]:
    """Units by id, or with `sort` (UNIT_SORTS) most tasks led or owned first, ties by name:
    the order of `GraphBackend.workload`."""
    nodes = {node["id"]: node for node in backend.list_nodes(Label.UNIT)
             if kind is None or node["kind"] == kind}
    order = backend.workload(UNIT_SORTS[sort] if sort else "id")
    return [unit_out(nodes[counts.id], counts) for counts in order if counts.id in nodes]


def unit_out(node: dict[str, Any], counts: UnitWorkload) -> UnitOut:
    return UnitOut.model_validate({**node, "task_count": counts.task_count,
                                   "lead_count": counts.tasks_led})


def unit_detail(backend: GraphBackend, ref: str) -> UnitDetail:
    unit = backend.node(backend.resolve(ref, Label.UNIT))
    members = [node_ref(n) for _, n in backend.related(unit["id"], RelType.INCLUDES, "out")]
    member_of = [node_ref(n) for _, n in backend.related(unit["id"], RelType.INCLUDES, "in")]
    return UnitDetail(**unit_out(unit, backend.unit_workload(unit["id"])).model_dump(),
                      members=members, member_of=member_of)


def unit_workload(backend: GraphBackend, ref: str) -> UnitWorkloadDetail:
    """One unit's counts (GraphBackend.unit_workload) with the tasks and units behind them."""
    counts = backend.unit_workload(ref)
    held = backend.unit_tasks(counts.id)
    return UnitWorkloadDetail(**counts.model_dump(), led=[t for t in held if t.lead],
                              co_owned=[t for t in held if not t.lead],
                              partner_units=backend.unit_co_owners(counts.id))


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


"""Which nodes each view shows: a `View` is a title and exactly the node-link data drawn.

The views ask the backend's questions (so they work on either backend) and know nothing about
drawing; graph.viz.render turns a View into a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from livekg.graph.backend import GraphBackend
from livekg.graph.errors import NodeNotFound
from livekg.graph.schema import ENTITY_LABELS, Label, RelType

VIEWS = ("whole", "unit", "task", "co-ownership", "entities")
CO_OWNS = "CO_OWNS"
MAX_DEPTH = 3


@dataclass(frozen=True)
class View:
    """One picture: its title and exactly the node-link data drawn, so tests can count it."""

    kind: str
    title: str
    data: dict[str, Any] = field(repr=False)
    focus: str | None = None

    @property
    def node_count(self) -> int:
        return len(self.data["nodes"])

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The drawn data as networkx, for layouts and degree sizing."""
        graph = nx.MultiDiGraph()
        for node in self.data["nodes"]:
            graph.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
        for link in self.data["links"]:
            graph.add_edge(link["source"], link["target"], key=link["id"],
                           **{k: v for k, v in link.items() if k not in ("source", "target")})
        return graph


def whole_graph(backend: GraphBackend) -> View:
    data = backend.node_link()
    return View("whole", f"Whole graph · {len(data['nodes'])} nodes", data)


def unit_view(backend: GraphBackend, unit: str, depth: int = 1) -> View:
    """A unit with everything within `depth` hops: its tasks, groups, mentions, …"""
    _check_depth(depth)
    unit_id = backend.resolve(unit, Label.UNIT)
    data = _neighbourhood_data(backend, unit_id, depth)
    name = _name_of(data, unit_id)
    return View("unit", f"{name} · neighbourhood, depth {depth}", data, focus=unit_id)


def task_view(backend: GraphBackend, task: str) -> View:
    """One task with its owners, the entities it mentions, its section and document."""
    task_id = backend.resolve(task, Label.TASK)
    data = _neighbourhood_data(backend, task_id, 1)
    node = next(n for n in data["nodes"] if n["id"] == task_id)
    return View("task", f"Task {node.get('number', '')} · {node['name']}", data, focus=task_id)


def co_ownership_view(backend: GraphBackend) -> View:
    """Units linked by the tasks they share: one edge per pair, `count` = shared tasks."""
    tasks = {task["id"]: task for task in backend.list_nodes(Label.TASK)}
    units = {unit["id"]: unit for unit in backend.list_nodes(Label.UNIT)}
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for unit_id in sorted(units):
        for other in backend.unit_co_owners(unit_id):
            pair = (min(unit_id, other.id), max(unit_id, other.id))
            if pair in links:
                continue
            shared = other.shared_tasks
            links[pair] = {
                "id": f"{pair[0]}|{CO_OWNS}|{pair[1]}", "source": pair[0], "target": pair[1],
                "type": CO_OWNS, "count": len(shared), "shared_tasks": shared,
                "task_numbers": _task_numbers(shared, tasks),
            }
    linked = {end for pair in links for end in pair}
    data = {
        "directed": False, "multigraph": False,
        "graph": {"format": "livekg-co-ownership"},
        "nodes": [units[u] for u in sorted(linked)],
        "links": [links[pair] for pair in sorted(links)],
    }
    return View("co-ownership", f"Co-ownership · {len(linked)} units sharing tasks", data)


def entity_type_view(backend: GraphBackend, entity_type: str) -> View:
    """Every entity of one type (venue, base, …) and the tasks that name them."""
    label = entity_label(entity_type)
    entities = [node["id"] for node in backend.list_nodes(label)]
    tasks = {task["id"] for entity in entities
             for _, task in backend.related(entity, RelType.MENTIONS, direction="in")}
    data = backend.node_link(node_ids=sorted({*entities, *tasks}))
    data["links"] = [link for link in data["links"] if link["type"] == RelType.MENTIONS]
    return View("entities", f"{label.value} · {len(entities)} entities, {len(tasks)} tasks",
                data)


def entity_label(entity_type: str) -> Label:
    """`venue`, `Venue` or `venues` → Label.VENUE; the same names the API's paths take."""
    wanted = entity_type.strip().lower()
    for label in ENTITY_LABELS:
        if wanted in (label.value.lower(), f"{label.value.lower()}s"):
            return label
    raise NodeNotFound(entity_type, "entity type",
                       sorted(label.value.lower() for label in ENTITY_LABELS))


def build_view(backend: GraphBackend, view: str = "whole", focus: str | None = None,
               depth: int = 1, entity_type: str | None = None) -> View:
    """The view a command line names; `focus` for unit and task, `entity_type` for entities."""
    if view == "whole":
        return whole_graph(backend)
    if view == "co-ownership":
        return co_ownership_view(backend)
    if view in ("unit", "task") and not focus:
        raise ValueError(f"the {view} view needs a focus (an id or name)")
    if view == "unit":
        return unit_view(backend, str(focus), depth)
    if view == "task":
        return task_view(backend, str(focus))
    if view == "entities":
        if not entity_type:
            raise ValueError("the entities view needs an entity type, e.g. venue")
        return entity_type_view(backend, entity_type)
    raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")


def _task_numbers(task_ids: list[str], tasks: dict[str, dict[str, Any]]) -> str:
    """'1, 2, 9', or per document when the tasks come from several."""
    by_document: dict[str, list[str]] = {}
    for task_id in task_ids:
        task = tasks.get(task_id, {})
        by_document.setdefault(str(task.get("document", "")), []).append(
            str(task.get("number", task_id)))
    if len(by_document) == 1:
        return ", ".join(next(iter(by_document.values())))
    return "; ".join(f"{doc}: {', '.join(nums)}" for doc, nums in by_document.items())


def _neighbourhood_data(backend: GraphBackend, node_id: str, depth: int) -> dict[str, Any]:
    subgraph = backend.neighbourhood(node_id, depth)
    return backend.node_link(node_ids=sorted(node.id for node in subgraph.nodes))


def _name_of(data: dict[str, Any], node_id: str) -> str:
    return next(str(n["name"]) for n in data["nodes"] if n["id"] == node_id)


def _check_depth(depth: int) -> None:
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")

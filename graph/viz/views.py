"""Which nodes each view shows: a `View` is a title and exactly the node-link data drawn.

The views ask the backend's questions (so they work on either backend) and know nothing about
drawing; graph.viz.render turns a View into a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from livekg.graph.backend import GraphBackend
from livekg.graph.schema import Label, RelType, entity_label

VIEWS = ("whole", "unit", "task", "co-ownership", "entities", "explore")
CO_OWNS = "CO_OWNS"
MAX_DEPTH = 3
# A unit view stops here: beyond ~80 nodes the picture no longer reads (the commerce
# commission owns 18 of the plan's 23 tasks, so at depth 2 it reached 100 of 124 nodes).
MAX_FOCUS_NODES = 80
# The explorer adds at most this many nodes per click; the rest are one more click away.
EXPAND_LIMIT = 50
# Nodes every task of a document links to: walking through them reaches everything, so views
# show them where they are reached but never walk on from them.
HUB_LABELS = frozenset({Label.DOCUMENT, Label.SECTION})
COMMUNITY_SEED = 7
_LABEL_ORDER = {label.value: index for index, label in enumerate(Label)}


@dataclass(frozen=True)
class View:
    """One picture: its title and exactly the node-link data drawn, so tests can count it."""

    kind: str
    title: str
    data: dict[str, Any] = field(repr=False)
    focus: str | None = None
    notes: tuple[str, ...] = ()  # what the view leaves out, said on the page

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


def unit_view(backend: GraphBackend, unit: str, depth: int = 1,
              max_nodes: int = MAX_FOCUS_NODES) -> View:
    """A unit with what is within `depth` hops through tasks and units.

    Sections and the document are shown where reached but not walked through (every task
    links to them), and at most `max_nodes` nodes are drawn, nearest first; the page says
    what was left out.
    """
    _check_depth(depth)
    unit_id = backend.resolve(unit, Label.UNIT)
    subgraph = backend.neighbourhood(unit_id, depth)
    labels = {node.id: set(node.labels) for node in subgraph.nodes}
    hops = _hops_avoiding_hubs(unit_id, depth, labels,
                               ((edge.source, edge.target) for edge in subgraph.edges))
    kept = _nearest(hops, max_nodes, ((edge.source, edge.target) for edge in subgraph.edges))
    data = backend.node_link(node_ids=sorted(kept))
    name = _name_of(data, unit_id)
    notes = []
    if depth > 1:
        notes.append("Sections and documents are shown, not walked through · 章节和文件不展开")
    if len(kept) < len(hops):
        notes.append(f"{len(hops) - len(kept)} more nodes within depth {depth} not shown "
                     f"(at most {max_nodes}); open the explorer to expand · 其余节点未显示")
    return View("unit", f"{name} · neighbourhood, depth {depth}", data, focus=unit_id,
                notes=tuple(notes))


def explore_view(backend: GraphBackend, node: str, limit: int = EXPAND_LIMIT) -> View:
    """The explorer's first picture: one node and (at most `limit` of) its neighbours."""
    node_id = backend.resolve(node)
    page = neighbours(backend, node_id, limit)
    name = _name_of(page.data, node_id)
    notes = (f"{page.more} more neighbours not shown; click the node again for more",
             ) if page.more else ()
    return View("explore", f"{name} · explorer", page.data, focus=node_id, notes=notes)


@dataclass(frozen=True)
class Neighbours:
    """One page of a node's neighbours: the node, them and the links among them."""

    node: str
    data: dict[str, Any] = field(repr=False)
    total: int
    offset: int
    shown: int

    @property
    def more(self) -> int:
        return max(self.total - self.offset - self.shown, 0)


def neighbours(backend: GraphBackend, node: str, limit: int = EXPAND_LIMIT,
               offset: int = 0) -> Neighbours:
    """Neighbours `offset` … `offset + limit` of a node, ordered by label then id."""
    node_id = backend.resolve(node)
    around = backend.neighbourhood(node_id, 1)
    others = sorted((ref for ref in around.nodes if ref.id != node_id),
                    key=lambda ref: (_label_rank(ref.labels), ref.id))
    page = others[offset:offset + limit]
    data = backend.node_link(node_ids=sorted({node_id, *(ref.id for ref in page)}))
    return Neighbours(node_id, data, total=len(others), offset=offset, shown=len(page))


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
    graph = nx.Graph()
    graph.add_nodes_from(sorted(linked))
    graph.add_edges_from((a, b, {"weight": link["count"]})
                         for (a, b), link in sorted(links.items()))
    load = {unit_id: len(backend.unit_tasks(unit_id)) for unit_id in linked}
    groups = communities(graph, key=lambda u: (-load[u], units[u]["name"], u))
    community_of = {u: index for index, group in enumerate(groups) for u in group}
    data = {
        "directed": False, "multigraph": False,
        "graph": {"format": "livekg-co-ownership",
                  "communities": [{"index": index, "name": units[group[0]]["name"],
                                   "members": group} for index, group in enumerate(groups)]},
        "nodes": [{**units[u], "community": community_of[u]} for u in sorted(linked)],
        "links": [links[pair] for pair in sorted(links)],
    }
    return View("co-ownership", f"Co-ownership · {len(linked)} units sharing tasks, "
                f"{len(groups)} communities", data)


def communities(graph: nx.Graph, key: Callable[[str], Any] = str) -> list[list[str]]:
    """Louvain communities on edge `weight`, seeded so every run gives the same answer.

    Each community's members sorted by `key` (so its first member names it), the
    communities biggest first, then by `key` of their first member.
    """
    found = nx.community.louvain_communities(graph, weight="weight", seed=COMMUNITY_SEED)
    groups = [sorted(group, key=key) for group in found]
    return sorted(groups, key=lambda group: (-len(group), key(group[0])))


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
    if view == "explore":
        if not focus:
            raise ValueError("the explore view needs a focus (an id or name)")
        return explore_view(backend, focus)
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


def _hops_avoiding_hubs(start: str, depth: int, labels: dict[str, set[str]],
                        edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Hops from `start` (≤ depth, either direction) on walks that never leave a hub."""
    adjacent: dict[str, set[str]] = {}
    for a, b in edges:
        adjacent.setdefault(a, set()).add(b)
        adjacent.setdefault(b, set()).add(a)
    hops, frontier = {start: 0}, [start]
    for hop in range(1, depth + 1):
        reached = []
        for node in frontier:
            if node != start and labels.get(node, set()) & HUB_LABELS:
                continue
            for other in sorted(adjacent.get(node, ())):
                if other not in hops:
                    hops[other] = hop
                    reached.append(other)
        frontier = reached
    return hops


def _nearest(hops: dict[str, int], limit: int, edges: Iterable[tuple[str, str]]) -> set[str]:
    """At most `limit` nodes: fewest hops first, then the best-linked to nearer nodes."""
    if len(hops) <= limit:
        return set(hops)
    inward: dict[str, int] = dict.fromkeys(hops, 0)
    for a, b in edges:
        if a in hops and b in hops and hops[a] != hops[b]:
            inward[a if hops[a] > hops[b] else b] += 1
    ranked = sorted(hops, key=lambda node: (hops[node], -inward[node], node))
    return set(ranked[:limit])


def _label_rank(labels: Iterable[str]) -> int:
    """Schema order of a node's first label: tasks before units before entities."""
    return min((_LABEL_ORDER.get(label, len(_LABEL_ORDER)) for label in labels),
               default=len(_LABEL_ORDER))


def _name_of(data: dict[str, Any], node_id: str) -> str:
    return next(str(n["name"]) for n in data["nodes"] if n["id"] == node_id)


def _check_depth(depth: int) -> None:
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")

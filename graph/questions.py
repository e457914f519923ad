"""The questions livekg answers, over the embedded graph.

Each function takes a KnowledgeGraph and names (ids, short names, full names, aliases, English
names or pinyin) and returns records from livekg.graph.results. The Neo4j backend answers the same
questions with the same records, in the same order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from livekg.graph.errors import AmbiguousReference, NodeNotFound
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.naming import (
    match_score,
    name_values,
    normalise,
    ordered_labels,
    search_key,
    suggest,
    task_number,
)
from livekg.graph.results import (
    CoOwner,
    Edge,
    Mention,
    NodeRef,
    SearchHit,
    Stats,
    Subgraph,
    TaskOwner,
    TaskRef,
)
from livekg.graph.schema import Label, RelType


def resolve(kg: KnowledgeGraph, ref: str, label: str | None = None) -> str:
    """The id of the node `ref` names: an id, any name or alias, or (for tasks) a number."""
    if ref in kg and (label is None or label in kg.labels(ref)):
        return ref
    wanted = normalise(ref)
    number = task_number(ref) if label == Label.TASK else None
    found = sorted({
        node["id"] for node in kg.nodes(label)
        if any(normalise(value) == wanted for _, value in name_values(node))
        or (number is not None and node.get("number") == number)
    })
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousReference(ref, found)
    names = [value for node in kg.nodes(label) for _, value in name_values(node)]
    names += [node["id"] for node in kg.nodes(label)]
    raise NodeNotFound(ref, label or "node", suggest(ref, names))


def task_owners(kg: KnowledgeGraph, task: str) -> list[TaskOwner]:
    """Units responsible for a task, in the order the document lists them."""
    task_id = resolve(kg, task, Label.TASK)
    owners = [
        TaskOwner(id=unit, name=kg.node(unit)["name"], full_name=kg.node(unit).get("full_name"),
                  english_name=kg.node(unit).get("english_name"), kind=kg.node(unit)["kind"],
                  rank=attrs["rank"], role=attrs.get("role"))
        for unit, _, attrs in kg.graph.in_edges(task_id, data=True)
        if attrs["type"] == RelType.RESPONSIBLE_FOR
    ]
    return sorted(owners, key=lambda owner: owner.rank)


def unit_tasks(kg: KnowledgeGraph, unit: str) -> list[TaskRef]:
    """Tasks a unit is responsible for, in document order."""
    unit_id = resolve(kg, unit, Label.UNIT)
    return _task_refs(kg, _owned_task_ids(kg, unit_id))


def unit_co_owners(kg: KnowledgeGraph, unit: str) -> list[CoOwner]:
    """Units sharing tasks with `unit`: most shared first, each with the shared task ids."""
    unit_id = resolve(kg, unit, Label.UNIT)
    shared: dict[str, set[str]] = {}
    for task_id in _owned_task_ids(kg, unit_id):
        for other in _owner_ids(kg, task_id):
            if other != unit_id:
                shared.setdefault(other, set()).add(task_id)
    co_owners = [
        CoOwner(id=other, name=kg.node(other)["name"], count=len(tasks),
                shared_tasks=[t.id for t in _task_refs(kg, tasks)])
        for other, tasks in shared.items()
    ]
    return sorted(co_owners, key=lambda c: (-c.count, c.id))


def tasks_co_owned_by(kg: KnowledgeGraph, units: Sequence[str]) -> list[TaskRef]:
    """Tasks every one of `units` is responsible for, in document order."""
    if not units:
        return []
    task_sets = [_owned_task_ids(kg, resolve(kg, unit, Label.UNIT)) for unit in units]
    return _task_refs(kg, set.intersection(*task_sets))


def tasks_mentioning(kg: KnowledgeGraph, entity: str) -> list[Mention]:
    """Every mention of a venue, base, company, unit, … with its task and sentence."""
    entity_id = resolve(kg, entity)
    entity_ref = node_ref(kg, entity_id)
    mentions = [
        Mention(task=_task_ref(kg, task_id), entity=entity_ref, surface=attrs["surface"],
                sentence=attrs["sentence"], span=attrs["span"])
        for task_id, _, attrs in kg.graph.in_edges(entity_id, data=True)
        if attrs["type"] == RelType.MENTIONS
    ]
    return sorted(mentions, key=lambda m: (m.task.document, m.task.number, m.span))


def neighbourhood(kg: KnowledgeGraph, node: str, depth: int = 1) -> Subgraph:
    """Nodes within `depth` hops (either direction) and every relationship among them."""
    node_id = resolve(kg, node)
    reach = nx.single_source_shortest_path_length(kg.graph.to_undirected(as_view=True), node_id,
                                                  cutoff=depth)
    return _subgraph(kg, reach)


def shortest_path(kg: KnowledgeGraph, source: str, target: str) -> Subgraph | None:
    """A shortest path ignoring direction; of several, the one whose node ids sort first."""
    a, b = resolve(kg, source), resolve(kg, target)
    undirected = kg.graph.to_undirected(as_view=True)
    try:
        path = min(nx.all_shortest_paths(undirected, a, b))
    except nx.NetworkXNoPath:
        return None
    edges = [
        min((_edge(u, v, k, attrs) for u, v, k, attrs in _edges_between(kg, x, y)),
            key=lambda e: e.id)
        for x, y in itertools.pairwise(path)
    ]
    return Subgraph(nodes=[node_ref(kg, n) for n in path], edges=edges)


def search(kg: KnowledgeGraph, query: str, limit: int = 10) -> list[SearchHit]:
    """Nodes whose names, aliases, English names or pinyin match `query`, best first."""
    wanted = normalise(query)
    if not wanted:
        return []
    hits = []
    for node in kg.nodes():
        keys = [search_key(score, field, value) for field, value in name_values(node)
                if (score := match_score(normalise(value), wanted))]
        if keys:
            hits.append((min(keys), node["id"]))
    hits.sort(key=lambda hit: (hit[0][:3], hit[1]))
    return [
        SearchHit(node=node_ref(kg, node_id), matched=key[3], field=key[4], score=-key[0])
        for key, node_id in hits[:limit]
    ]


def node(kg: KnowledgeGraph, node_id: str) -> dict[str, Any]:
    """All properties of a node, with its labels in schema order."""
    if node_id not in kg:
        raise NodeNotFound(node_id, "node", [])
    found = kg.node(node_id)
    return {**found, "labels": ordered_labels(found["labels"])}


def list_nodes(kg: KnowledgeGraph, label: str) -> list[dict[str, Any]]:
    """Every node with `label`, all properties, sorted by id."""
    return sorted((node(kg, n["id"]) for n in kg.nodes(label)), key=lambda n: n["id"])


def related(kg: KnowledgeGraph, node_id: str, rel_type: str,
            direction: str = "out") -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(relationship, other node) pairs of one type leaving or entering a node, by edge id."""
    edges = (kg.graph.out_edges(node_id, keys=True, data=True) if direction == "out"
             else kg.graph.in_edges(node_id, keys=True, data=True))
    pairs = [
        ({"id": key, "source": u, "target": v, **attrs}, node(kg, v if direction == "out" else u))
        for u, v, key, attrs in edges if attrs["type"] == rel_type
    ]
    return sorted(pairs, key=lambda pair: pair[0]["id"])


def node_link(kg: KnowledgeGraph, labels: Sequence[str] | None = None,
              node_ids: Sequence[str] | None = None) -> dict[str, Any]:
    """Node-link JSON of the nodes with any of `labels` (or in `node_ids`) and their links."""
    keep = {
        n["id"] for n in kg.nodes()
        if (labels is None or set(labels) & set(n["labels"]))
        and (node_ids is None or n["id"] in node_ids)
    }
    data = kg.to_node_link()
    data["nodes"] = [{**n, "labels": ordered_labels(n["labels"])} for n in data["nodes"]
                     if n["id"] in keep]
    data["links"] = [link for link in data["links"]
                     if link["source"] in keep and link["target"] in keep]
    return data


def stats(kg: KnowledgeGraph) -> Stats:
    by_label: dict[str, int] = {}
    for node in kg.nodes():
        for label in node["labels"]:
            by_label[label] = by_label.get(label, 0) + 1
    by_type: dict[str, int] = {}
    for rel in kg.relationships():
        by_type[rel["type"]] = by_type.get(rel["type"], 0) + 1
    return Stats(nodes=len(kg), relationships=kg.graph.number_of_edges(),
                 nodes_by_label=dict(sorted(by_label.items())),
                 relationships_by_type=dict(sorted(by_type.items())),
                 documents=kg.document_ids())


# -- helpers -----------------------------------------------------------------------------------
def node_ref(kg: KnowledgeGraph, node_id: str) -> NodeRef:
    node = kg.node(node_id)
    return NodeRef(id=node_id, labels=ordered_labels(node["labels"]), name=node["name"])


def _owned_task_ids(kg: KnowledgeGraph, unit_id: str) -> set[str]:
    return {task for _, task, t in kg.graph.out_edges(unit_id, data="type")
            if t == RelType.RESPONSIBLE_FOR}


def _owner_ids(kg: KnowledgeGraph, task_id: str) -> set[str]:
    return {unit for unit, _, t in kg.graph.in_edges(task_id, data="type")
            if t == RelType.RESPONSIBLE_FOR}


def _task_ref(kg: KnowledgeGraph, task_id: str) -> TaskRef:
    node = kg.node(task_id)
    return TaskRef(id=task_id, document=node["document"], number=node["number"],
                   marker=node["marker"], title=node["title"])


def _task_refs(kg: KnowledgeGraph, task_ids: Iterable[str]) -> list[TaskRef]:
    return sorted((_task_ref(kg, t) for t in task_ids), key=lambda t: (t.document, t.number))


def _edge(source: str, target: str, key: str, attrs: dict[str, Any]) -> Edge:
    return Edge(id=key, type=attrs["type"], source=source, target=target)


def _edges_between(kg: KnowledgeGraph, x: str, y: str) -> Iterable[tuple[str, str, str, dict]]:
    for u, v in ((x, y), (y, x)):
        for key, attrs in (kg.graph.get_edge_data(u, v) or {}).items():
            yield u, v, key, attrs


def _subgraph(kg: KnowledgeGraph, node_ids: Iterable[str]) -> Subgraph:
    ids = set(node_ids)
    edges = [
        _edge(u, v, k, attrs)
        for u, v, k, attrs in kg.graph.subgraph(ids).edges(keys=True, data=True)
    ]
    return Subgraph(nodes=sorted((node_ref(kg, n) for n in ids), key=lambda n: n.id),
                    edges=sorted(edges, key=lambda e: e.id))

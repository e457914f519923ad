"""The questions livekg answers, written once: `GraphBackend`, and the embedded `MemoryBackend`.

A question is a concrete method of GraphBackend: it resolves names, asks the backend for plain
data through abstract `_fetch_…` methods, and builds the records of graph.results — ranking,
ordering and record building happen here only, so every backend gives the same answer in the
same order. A backend (MemoryBackend below over the in-process KnowledgeGraph, Neo4jBackend in
graph.neo4j_backend) implements only the fetches. The contract tests (tests/test_contract.py)
ask every question of both and require identical answers.

Nodes travel between the two layers as dicts of their properties plus `labels`; relationships
as dicts of their properties plus `id`, `type`, `source` and `target`.

Example
-------
>>> backend = MemoryBackend(kg)                              # doctest: +SKIP
>>> [owner.name for owner in backend.task_owners("6")][:2]   # doctest: +SKIP
['区商务委', '区人才局']
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import networkx as nx

from livekg.graph.errors import AmbiguousReference, NodeNotFound
from livekg.graph.knowledge_graph import KnowledgeGraph, node_link_data
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
    EntityRef,
    Mention,
    NodeRef,
    SearchHit,
    Stats,
    Subgraph,
    TaskOwner,
    TaskRef,
    UnitTask,
    UnitWorkload,
)
from livekg.graph.schema import Label, RelType

if TYPE_CHECKING:
    from livekg.graph.analyst_cypher import QueryResult

Direction = Literal["out", "in"]
WorkloadSort = Literal["id", "name", "tasks_led", "task_count", "tasks_co_owned", "partners"]
WORKLOAD_SORTS: tuple[str, ...] = WorkloadSort.__args__  # type: ignore[attr-defined]
Node = dict[str, Any]
Link = dict[str, Any]


class ReadOnlyCypher(Protocol):
    """The optional capability of running an analyst's read-only Cypher (Neo4j only)."""

    def run(self, query: str, parameters: Mapping[str, Any] | None = None, *,
            timeout: float | None = None, max_rows: int | None = None,
            max_bytes: int | None = None) -> QueryResult:
        """Screen and run `query` read-only; None bounds mean graph.analyst_cypher's."""
        ...


@dataclass(frozen=True)
class OwnerLink:
    """One RESPONSIBLE_FOR relationship as the lead rule needs it."""

    unit: Node  # at least id, name, labels
    rank: int
    role: str | None


class Listed(Protocol):
    """A unit's place in a task's list: its rank, and the role the document gives it."""

    @property
    def rank(self) -> int: ...

    @property
    def role(self) -> str | None: ...


ListedT = TypeVar("ListedT", bound=Listed)


def leads(owners: Iterable[ListedT]) -> list[ListedT]:
    """The owners of one task that lead it, in the order given.

    The rule, the one place it is written: a unit leads a task when the document marks it
    lead (牵头, or a plan's "listed first leads" convention, applied when loading); where the
    document marks no roles at all for the task, the unit listed first (rank 1) leads. A task
    whose roles are marked but name no lead has no lead.
    """
    owners = list(owners)
    if any(owner.role is not None for owner in owners):
        return [owner for owner in owners if owner.role == "lead"]
    return [owner for owner in owners if owner.rank == 1]


@dataclass(frozen=True)
class Counts:
    """What `stats` needs from a backend, in any order."""

    nodes: int
    relationships: int
    nodes_by_label: dict[str, int]
    relationships_by_type: dict[str, int]
    documents: list[str]


class GraphBackend(ABC):
    """The questions, answered alike by every backend.

    Names (`task`, `unit`, `entity`, `ref` …) accept an id, any exact name, full name, alias,
    English name or pinyin (case and surrounding spaces ignored); tasks also their number.
    An unknown name raises NodeNotFound with close matches, a name of several nodes
    AmbiguousReference.
    """

    name: str
    cypher: ReadOnlyCypher | None = None
    """Read-only Cypher, where the backend can run it; None where it cannot."""

    def version(self) -> str | None:
        """A token that changes whenever the graph does (answers may be cached under it), or
        None when this backend cannot tell (nothing may then be cached)."""
        return None

    # -- lookups -------------------------------------------------------------------------------
    def resolve(self, ref: str, label: str | None = None) -> str:
        """The id of the node `ref` names.

        Parameters
        ----------
        ref : str
            An id, any name or alias, or (with `label` Task) a task number such as "6".
        label : str, optional
            Only nodes with this label.

        Returns
        -------
        str
            The node's id.

        Raises
        ------
        NodeNotFound
            No such node; `suggestions` holds up to three close names.
        AmbiguousReference
            Several nodes have that name; `candidates` holds their ids.
        """
        node_id: str = self._resolve(ref, label)["id"]
        return node_id

    def _resolve(self, ref: str, label: str | None = None) -> Node:
        """`resolve`, giving the node found: at least its id, labels and names."""
        wanted_label = Label(label) if label is not None else None
        found = self._fetch_node(ref)
        if found is not None and (wanted_label is None or wanted_label in found["labels"]):
            return found
        wanted = normalise(ref)
        number = task_number(ref) if wanted_label == Label.TASK else None
        matches = {
            node["id"]: node for node in self._fetch_names(wanted_label, wanted, number)
            if any(normalise(value) == wanted for _, value in name_values(node))
            or (number is not None and node.get("number") == number)
        }
        if len(matches) == 1:
            return next(iter(matches.values()))
        if matches:
            raise AmbiguousReference(ref, sorted(matches))
        everything = self._fetch_names(wanted_label)
        names = [value for node in everything for _, value in name_values(node)]
        names += [node["id"] for node in everything]
        raise NodeNotFound(ref, label or "node", suggest(ref, names))

    def node(self, node_id: str) -> Node:
        """All properties of a node, and its `labels` in schema order.

        Parameters
        ----------
        node_id : str
            An id (names are not resolved here: see `resolve`).

        Raises
        ------
        NodeNotFound
            No node has this id.
        """
        found = self._fetch_node(node_id)
        if found is None:
            raise NodeNotFound(node_id, "node", [])
        return _with_ordered_labels(found)

    def list_nodes(self, label: str) -> list[Node]:
        """Every node with `label`, all properties, sorted by id.

        Raises
        ------
        ValueError
            `label` is not one of schema.Label.
        """
        return sorted((_with_ordered_labels(n) for n in self._fetch_nodes(Label(label))),
                      key=lambda node: node["id"])

    def related(self, node_id: str, rel_type: str,
                direction: Direction = "out") -> list[tuple[Link, Node]]:
        """The relationships of one type at a node, each with the node at its other end.

        Parameters
        ----------
        node_id : str
            An id; an unknown one has no relationships.
        rel_type : str
            One of schema.RelType (else ValueError).
        direction : {"out", "in"}
            Leaving the node or entering it.

        Returns
        -------
        list of (dict, dict)
            (relationship with `id`, `type`, `source`, `target` and its properties, the other
            node), by relationship id.
        """
        pairs = self._fetch_related(node_id, RelType(rel_type), _direction(direction))
        return sorted(((link, _with_ordered_labels(other)) for link, other in pairs),
                      key=lambda pair: pair[0]["id"])

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Nodes whose names, aliases, English names or pinyin contain `query`, best first.

        Parameters
        ----------
        query : str
            Compared case- and edge-space-insensitively; blank finds nothing.
        limit : int
            At most this many hits.

        Returns
        -------
        list of SearchHit
            Ranked by match (exact, prefix, contained), then the property that matched
            (schema.NAME_PROPERTIES order), then the shorter name, then the id.
        """
        wanted = normalise(query)
        if not wanted:
            return []
        hits = []
        for node in self._fetch_names(None, wanted):
            keys = [search_key(score, field, value) for field, value in name_values(node)
                    if (score := match_score(normalise(value), wanted))]
            if keys:
                hits.append((min(keys), node))
        hits.sort(key=lambda hit: (hit[0][:3], hit[1]["id"]))
        return [SearchHit(node=node_ref(node), matched=key[3], field=key[4], score=-key[0])
                for key, node in hits[:limit]]

    # -- who does what -------------------------------------------------------------------------
    def task_owners(self, task: str) -> list[TaskOwner]:
        """Units responsible for a task.

        Parameters
        ----------
        task : str
            A task id, title or number.

        Returns
        -------
        list of TaskOwner
            In the order the document lists them: `rank` 1 first; `lead` by `leads`.
        """
        task_id = self.resolve(task, Label.TASK)
        listed = [OwnerLink(unit=unit, rank=link["rank"], role=link.get("role"))
                  for link, unit in self._fetch_owners(task_id)]
        leading = {(link.unit["id"], link.rank) for link in leads(listed)}
        owners = [
            TaskOwner(id=link.unit["id"], name=link.unit["name"],
                      full_name=link.unit.get("full_name"),
                      english_name=link.unit.get("english_name"), kind=link.unit["kind"],
                      rank=link.rank, role=link.role,
                      lead=(link.unit["id"], link.rank) in leading)
            for link in listed
        ]
        return sorted(owners, key=lambda owner: owner.rank)

    def unit_tasks(self, unit: str) -> list[UnitTask]:
        """Tasks a unit is responsible for, with its place in each task's list.

        Parameters
        ----------
        unit : str
            A unit id or any of its names.

        Returns
        -------
        list of UnitTask
            In document order: by document id, then task number. `rank` and `role` are the
            unit's in that task's list (its first place, if listed twice); `lead` whether it
            leads the task (see `leads`).
        """
        unit_id = self.resolve(unit, Label.UNIT)
        held = []
        for task, links in self._fetch_task_owner_links(unit_id):
            own = sorted((link for link in links if link.unit["id"] == unit_id),
                         key=lambda link: link.rank)
            if own:
                leading = any(link.unit["id"] == unit_id for link in leads(links))
                held.append(UnitTask(**task_ref(task).model_dump(), rank=own[0].rank,
                                     role=own[0].role, lead=leading))
        return sorted(held, key=lambda t: (t.document, t.number))

    def task_leads(self) -> dict[str, list[NodeRef]]:
        """The units leading each task (see `leads`).

        Returns
        -------
        dict
            Every task's id (sorted) to its leading units in list order; [] where none leads.
        """
        return {task["id"]: [node_ref(link.unit)
                             for link in sorted(leads(links), key=lambda link: link.rank)]
                for task, links in sorted(self._fetch_task_owner_links(None),
                                          key=lambda pair: pair[0]["id"])}

    def workload(self, sort: WorkloadSort = "id") -> list[UnitWorkload]:
        """What every unit carries: tasks owned, led and co-owned, and its partners.

        Parameters
        ----------
        sort : {"id", "name", "tasks_led", "task_count", "tasks_co_owned", "partners"}
            By id or name ascending, or by that count, largest first, ties by name then id.

        Returns
        -------
        list of UnitWorkload
            One per unit, units owning nothing included (all counts 0).
        """
        if sort not in WORKLOAD_SORTS:
            raise ValueError(f"sort must be one of {', '.join(WORKLOAD_SORTS)}, not {sort!r}")
        tally = _tally(self._fetch_task_owner_links(None))
        records = [_workload(unit, tally) for unit in self._fetch_nodes(Label.UNIT)]
        if sort in ("id", "name"):
            return sorted(records, key=lambda w: (getattr(w, sort), w.id))
        return sorted(records, key=lambda w: (-getattr(w, sort), w.name, w.id))

    def unit_workload(self, unit: str) -> UnitWorkload:
        """`workload` of one unit: the same counts, from its tasks only.

        Parameters
        ----------
        unit : str
            A unit id or any of its names.
        """
        found = self.node(self.resolve(unit, Label.UNIT))
        return _workload(found, _tally(self._fetch_task_owner_links(found["id"])))

    def unit_co_owners(self, unit: str) -> list[CoOwner]:
        """Units sharing tasks with `unit` (never the unit itself).

        Parameters
        ----------
        unit : str
            A unit id or any of its names.

        Returns
        -------
        list of CoOwner
            Most shared tasks first, then by id; `shared_tasks` in document order.
        """
        unit_id = self.resolve(unit, Label.UNIT)
        co_owners = [
            CoOwner(id=other["id"], name=other["name"], count=len(shared),
                    shared_tasks=[task["id"] for task in shared])
            for other, shared in ((other, in_document_order(tasks))
                                  for other, tasks in self._fetch_co_owned_tasks(unit_id))
        ]
        return sorted(co_owners, key=lambda co_owner: (-co_owner.count, co_owner.id))

    def tasks_co_owned_by(self, units: Sequence[str]) -> list[TaskRef]:
        """Tasks every one of `units` is responsible for.

        Parameters
        ----------
        units : sequence of str
            Unit ids or names; an empty sequence owns nothing together.

        Returns
        -------
        list of TaskRef
            In document order.
        """
        if not units:
            return []
        unit_ids = sorted({self.resolve(unit, Label.UNIT) for unit in units})
        return task_refs(self._fetch_tasks_owned_by_all(unit_ids))

    def tasks_mentioning(self, entity: str) -> list[Mention]:
        """Every mention of a venue, base, company, unit, … in the tasks' texts.

        Parameters
        ----------
        entity : str
            An id or any name of the node mentioned.

        Returns
        -------
        list of Mention
            Each with its task, the entity (with its English name, kind and status), the
            text as written, its sentence and span; by document, task number, then span.
        """
        found = self._resolve(entity)
        mentioned = entity_ref(found if found["id"] == entity else self.node(found["id"]))
        mentions = [
            Mention(task=task_ref(task), entity=mentioned, surface=link["surface"],
                    sentence=link["sentence"], span=link["span"])
            for link, task in self._fetch_related(found["id"], RelType.MENTIONS, "in")
        ]
        return sorted(mentions, key=lambda m: (m.task.document, m.task.number, m.span))

    # -- structure -----------------------------------------------------------------------------
    def neighbourhood(self, node: str, depth: int = 1) -> Subgraph:
        """A node's surroundings.

        Parameters
        ----------
        node : str
            An id or any name.
        depth : int
            Hops, in either direction.

        Returns
        -------
        Subgraph
            The nodes within `depth` hops and every relationship among them, both by id.
        """
        node_id = self.resolve(node)
        nodes, links = self._fetch_node_link(None, sorted(self._fetch_within(node_id, depth)),
                                             brief=True)
        return Subgraph(nodes=sorted((node_ref(n) for n in nodes), key=lambda ref: ref.id),
                        edges=sorted((_edge(link) for link in links), key=lambda e: e.id))

    def shortest_path(self, source: str, target: str) -> Subgraph | None:
        """A shortest path between two nodes, ignoring direction.

        Parameters
        ----------
        source, target : str
            Ids or any names.

        Returns
        -------
        Subgraph or None
            Nodes in path order, one edge per step; None when they are not connected. Of
            several shortest paths the one whose node ids sort first; of several relationships
            in one step the one with the smallest id.
        """
        a, b = self.resolve(source), self.resolve(target)
        paths = [[a]] if a == b else self._fetch_shortest_paths(a, b)
        if not paths:
            return None
        path = min(paths)
        nodes, links = self._fetch_node_link(None, path, brief=True)
        by_id = {node["id"]: node for node in nodes}
        edges = [
            min((_edge(link) for link in links if {link["source"], link["target"]} == {x, y}),
                key=lambda edge: edge.id)
            for x, y in itertools.pairwise(path)
        ]
        return Subgraph(nodes=[node_ref(by_id[n]) for n in path], edges=edges)

    def node_link(self, labels: Sequence[str] | None = None,
                  node_ids: Sequence[str] | None = None) -> dict[str, Any]:
        """The graph, or part of it, as node-link JSON.

        Parameters
        ----------
        labels : sequence of str, optional
            Keep nodes with any of these labels (schema.Label, else ValueError).
        node_ids : sequence of str, optional
            Keep only these nodes.

        Returns
        -------
        dict
            `nodes` (properties and `labels`) and `links` (the relationships among them), both
            by id, under graph.knowledge_graph's node-link header.
        """
        wanted = [Label(label) for label in labels] if labels is not None else None
        nodes, links = self._fetch_node_link(wanted, node_ids)
        return node_link_data([_with_ordered_labels(node) for node in nodes], links)

    def stats(self) -> Stats:
        """How big the graph is.

        Returns
        -------
        Stats
            Node and relationship totals, counts by label and by type (sorted by name), and
            the loaded document ids (sorted).
        """
        counts = self._fetch_counts()
        return Stats(nodes=counts.nodes, relationships=counts.relationships,
                     nodes_by_label=dict(sorted(counts.nodes_by_label.items())),
                     relationships_by_type=dict(sorted(counts.relationships_by_type.items())),
                     documents=sorted(counts.documents))

    @abstractmethod
    def ping(self) -> None:
        """Return when the backend answers; raise Neo4jUnavailable (503) when it does not."""

    # -- data fetches: what each backend implements ----------------------------------------
    @abstractmethod
    def _fetch_node(self, node_id: str) -> Node | None:
        """The node with this id (properties and labels), None when there is none."""

    @abstractmethod
    def _fetch_nodes(self, label: Label) -> list[Node]:
        """Every node with `label`, any order."""

    @abstractmethod
    def _fetch_names(self, label: Label | None, contains: str | None = None,
                     number: int | None = None) -> list[Node]:
        """Nodes with `label` (any when None) carrying at least id, labels, number and the
        name properties. With `contains`, at least those whose lower-cased name properties
        contain it and the tasks numbered `number`; extra nodes are fine (the caller
        compares exactly), missing ones are not."""

    @abstractmethod
    def _fetch_related(self, node_id: str, rel_type: RelType,
                       direction: Direction) -> list[tuple[Link, Node]]:
        """(relationship, node at its other end) for each relationship of `rel_type`
        leaving ("out") or entering ("in") the node; [] for an unknown node."""

    @abstractmethod
    def _fetch_owners(self, task_id: str) -> list[tuple[Link, Node]]:
        """(RESPONSIBLE_FOR relationship, unit) for each owner of the task: at least the
        relationship's rank and role and the unit's id, name, full and English name, kind."""

    @abstractmethod
    def _fetch_task_owner_links(self, unit_id: str | None) -> list[tuple[Node, list[OwnerLink]]]:
        """For each task the unit owns (every task when None): the task (at least id,
        document, number, marker, title) and every RESPONSIBLE_FOR link into it, the other
        owners' too (at least the unit's id, name and labels); each task once, any order."""

    @abstractmethod
    def _fetch_tasks_owned_by_all(self, unit_ids: Sequence[str]) -> list[Node]:
        """Tasks (at least id, document, number, marker, title) every unit owns."""

    @abstractmethod
    def _fetch_co_owned_tasks(self, unit_id: str) -> list[tuple[Node, list[Node]]]:
        """For each other unit owning tasks with the unit: that unit (at least id, name) and
        the tasks they share (at least id, document, number), each once, any order."""

    @abstractmethod
    def _fetch_within(self, node_id: str, depth: int) -> set[str]:
        """Ids of the nodes at most `depth` hops away, ignoring direction (the node too)."""

    @abstractmethod
    def _fetch_shortest_paths(self, source_id: str, target_id: str) -> list[list[str]]:
        """Every shortest path between two different nodes ignoring direction, each as its
        node ids; [] when they are not connected."""

    @abstractmethod
    def _fetch_node_link(self, labels: Sequence[Label] | None, node_ids: Sequence[str] | None,
                         brief: bool = False) -> tuple[list[Node], list[Link]]:
        """The nodes with any of `labels` and in `node_ids` (None: no restriction), and the
        relationships whose two ends are among them; any order. `brief`: at least the nodes'
        id, labels and name and the relationships' id, type, source and target suffice."""

    @abstractmethod
    def _fetch_counts(self) -> Counts:
        """Totals and counts by label and type, and the document ids; any order."""


# -- records, built the one way ----------------------------------------------------------------
def node_ref(node: Node) -> NodeRef:
    return NodeRef(id=node["id"], labels=ordered_labels(node["labels"]), name=node["name"])


def task_ref(task: Node) -> TaskRef:
    return TaskRef(id=task["id"], document=task["document"], number=task["number"],
                   marker=task["marker"], title=task["title"])


def entity_ref(node: Node) -> EntityRef:
    """A mentioned node as a reader needs it. Units carry no status: one the registry does
    not know (`resolved` false) was found in the text, so is discovered."""
    status = node.get("status") or ("discovered" if node.get("resolved") is False
                                    else "registered")
    return EntityRef(id=node["id"], labels=ordered_labels(node["labels"]), name=node["name"],
                     english_name=node.get("english_name"), kind=node.get("kind"),
                     status=status)


@dataclass
class _Tally:
    owned: set[str]
    led: set[str]
    partners: set[str]


def _tally(rows: Iterable[tuple[Node, list[OwnerLink]]]) -> dict[str, _Tally]:
    """Per unit id: the tasks it owns and leads among `rows`, and the units it shares them with."""
    tally: dict[str, _Tally] = {}
    for task, links in rows:
        owners = {link.unit["id"] for link in links}
        for unit_id in owners:
            entry = tally.setdefault(unit_id, _Tally(set(), set(), set()))
            entry.owned.add(task["id"])
            entry.partners |= owners - {unit_id}
        for link in leads(links):
            tally[link.unit["id"]].led.add(task["id"])
    return tally


def _workload(unit: Node, tally: Mapping[str, _Tally]) -> UnitWorkload:
    entry = tally.get(unit["id"], _Tally(set(), set(), set()))
    return UnitWorkload(id=unit["id"], name=unit["name"], english_name=unit.get("english_name"),
                        kind=unit["kind"], task_count=len(entry.owned), tasks_led=len(entry.led),
                        tasks_co_owned=len(entry.owned - entry.led),
                        partners=len(entry.partners))


def in_document_order(tasks: Iterable[Node]) -> list[Node]:
    """Distinct tasks by document, then number."""
    unique = {task["id"]: task for task in tasks}
    return sorted(unique.values(), key=lambda task: (task["document"], task["number"]))


def task_refs(tasks: Iterable[Node]) -> list[TaskRef]:
    """Distinct tasks in document order, as TaskRefs."""
    return [task_ref(task) for task in in_document_order(tasks)]


def _edge(link: Link) -> Edge:
    return Edge(id=link["id"], type=link["type"], source=link["source"], target=link["target"])


def _with_ordered_labels(node: Node) -> Node:
    """Labels in schema order: Neo4j does not keep the order they were added in."""
    return {**node, "labels": ordered_labels(node["labels"])}


def _direction(direction: str) -> Direction:
    if direction not in ("out", "in"):
        raise ValueError(f"direction must be 'out' or 'in', not {direction!r}")
    return direction  # type: ignore[return-value]


# -- the embedded backend ----------------------------------------------------------------------
_GRAPH_SWAPS = itertools.count(1)


class MemoryBackend(GraphBackend):
    """The embedded default: the fetches read an in-process KnowledgeGraph."""

    name = "memory"

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    @property
    def kg(self) -> KnowledgeGraph:
        return self._kg

    @kg.setter
    def kg(self, kg: KnowledgeGraph) -> None:
        # The graph is only ever swapped as a whole (a reload), never edited in place here.
        self._kg = kg
        self._version = f"memory-{next(_GRAPH_SWAPS)}"

    def version(self) -> str:
        return self._version

    def ping(self) -> None:
        """The embedded graph is in this process: always reachable."""

    def _fetch_node(self, node_id: str) -> Node | None:
        return self.kg.node(node_id) if node_id in self.kg else None

    def _fetch_nodes(self, label: Label) -> list[Node]:
        return list(self.kg.nodes(label))

    def _fetch_names(self, label: Label | None, contains: str | None = None,
                     number: int | None = None) -> list[Node]:
        # In process, every node is as cheap as a filtered few: the caller compares exactly.
        return list(self.kg.nodes(label))

    def _fetch_related(self, node_id: str, rel_type: RelType,
                       direction: Direction) -> list[tuple[Link, Node]]:
        if node_id not in self.kg:
            return []
        graph = self.kg.graph
        edges = (graph.out_edges(node_id, keys=True, data=True) if direction == "out"
                 else graph.in_edges(node_id, keys=True, data=True))
        return [({"id": key, "source": u, "target": v, **attrs},
                 self.kg.node(v if direction == "out" else u))
                for u, v, key, attrs in edges if attrs["type"] == rel_type]

    def _fetch_owners(self, task_id: str) -> list[tuple[Link, Node]]:
        return self._fetch_related(task_id, RelType.RESPONSIBLE_FOR, "in")

    def _fetch_task_owner_links(self, unit_id: str | None) -> list[tuple[Node, list[OwnerLink]]]:
        tasks = (self._owned_task_ids(unit_id) if unit_id is not None
                 else [task["id"] for task in self.kg.nodes(Label.TASK)])
        return [(self.kg.node(task),
                 [OwnerLink(unit=self.kg.node(unit), rank=attrs["rank"], role=attrs.get("role"))
                  for unit, _, attrs in self.kg.graph.in_edges(task, data=True)
                  if attrs["type"] == RelType.RESPONSIBLE_FOR])
                for task in tasks]

    def _fetch_tasks_owned_by_all(self, unit_ids: Sequence[str]) -> list[Node]:
        owned = set.intersection(*(self._owned_task_ids(unit) for unit in unit_ids))
        return [self.kg.node(task) for task in owned]

    def _fetch_co_owned_tasks(self, unit_id: str) -> list[tuple[Node, list[Node]]]:
        shared: dict[str, set[str]] = {}
        for task in self._owned_task_ids(unit_id):
            for other, _, rel_type in self.kg.graph.in_edges(task, data="type"):
                if rel_type == RelType.RESPONSIBLE_FOR and other != unit_id:
                    shared.setdefault(other, set()).add(task)
        return [(self.kg.node(other), [self.kg.node(task) for task in tasks])
                for other, tasks in shared.items()]

    def _owned_task_ids(self, unit_id: str) -> set[str]:
        return {task for _, task, t in self.kg.graph.out_edges(unit_id, data="type")
                if t == RelType.RESPONSIBLE_FOR}

    def _fetch_within(self, node_id: str, depth: int) -> set[str]:
        undirected = self.kg.graph.to_undirected(as_view=True)
        return set(nx.single_source_shortest_path_length(undirected, node_id, cutoff=depth))

    def _fetch_shortest_paths(self, source_id: str, target_id: str) -> list[list[str]]:
        undirected = self.kg.graph.to_undirected(as_view=True)
        try:
            return list(nx.all_shortest_paths(undirected, source_id, target_id))
        except nx.NetworkXNoPath:
            return []

    def _fetch_node_link(self, labels: Sequence[Label] | None, node_ids: Sequence[str] | None,
                         brief: bool = False) -> tuple[list[Node], list[Link]]:
        candidates = (self.kg.nodes() if node_ids is None
                      else (self.kg.node(n) for n in dict.fromkeys(node_ids) if n in self.kg))
        nodes = [node for node in candidates
                 if labels is None or set(labels) & set(node["labels"])]
        keep = {node["id"] for node in nodes}
        # Every edge once for a label selection, only the chosen nodes' edges for a few ids
        # (a neighbourhood of a large graph); a subgraph view is several times slower.
        edges = (self.kg.graph.edges(keys=True, data=True) if node_ids is None
                 else self.kg.graph.out_edges(keep, keys=True, data=True))
        links = [{"id": key, "source": u, "target": v, **attrs}
                 for u, v, key, attrs in edges if u in keep and v in keep]
        return nodes, links

    def _fetch_counts(self) -> Counts:
        by_label: dict[str, int] = {}
        for node in self.kg.nodes():
            for label in node["labels"]:
                by_label[label] = by_label.get(label, 0) + 1
        by_type: dict[str, int] = {}
        for rel in self.kg.relationships():
            by_type[rel["type"]] = by_type.get(rel["type"], 0) + 1
        return Counts(nodes=len(self.kg), relationships=self.kg.graph.number_of_edges(),
                      nodes_by_label=by_label, relationships_by_type=by_type,
                      documents=self.kg.document_ids())

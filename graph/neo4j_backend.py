"""The questions answered by Cypher over Neo4j; every read is routed as a read.

Same names, signatures, records and ordering as graph.questions over the embedded graph.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from neo4j import Driver, Query, RoutingControl
from neo4j.exceptions import DriverError, Neo4jError

from livekg.graph.errors import AmbiguousReference, NodeNotFound
from livekg.graph.knowledge_graph import FORMAT_VERSION
from livekg.graph.naming import (
    match_score,
    name_values,
    normalise,
    ordered_labels,
    search_key,
    suggest,
    task_number,
)
from livekg.graph.neo4j_connect import unavailable
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
from livekg.graph.schema import NAME_PROPERTIES, Label, RelType

QUERY_TIMEOUT_S = 30.0
_NAMES = ", ".join(f"{p}: n.{p}" for p in NAME_PROPERTIES)
_TASK_REF = "{id: t.id, document: t.document, number: t.number, marker: t.marker, title: t.title}"


class Neo4jBackend:
    """Questions over a Neo4j database through one shared driver."""

    name = "neo4j"

    def __init__(self, driver: Driver, database: str = "neo4j", uri: str = "") -> None:
        self.driver = driver
        self.database = database
        self.uri = uri

    def _read(self, text: str, **parameters: Any) -> list[dict[str, Any]]:
        try:
            records, _, _ = self.driver.execute_query(
                Query(text, timeout=QUERY_TIMEOUT_S), parameters,
                routing_=RoutingControl.READ, database_=self.database)
        except (DriverError, OSError) as error:
            raise unavailable(self.uri, error) from error
        except Neo4jError as error:
            if error.code and error.code.startswith("Neo.ClientError"):
                raise
            raise unavailable(self.uri, error) from error
        return [record.data() for record in records]

    # -- lookups -----------------------------------------------------------------------------
    def resolve(self, ref: str, label: str | None = None) -> str:
        # An id is one index seek per label; names need a scan of the label's nodes.
        seeks = [f"MATCH (n:{lbl} {{id: $ref}}) RETURN n.id AS id"
                 for lbl in ([Label(label)] if label else list(Label))]
        by_id = self._read(" UNION ".join(seeks), ref=ref)
        if by_id:
            return by_id[0]["id"]
        where = f":{Label(label)}" if label else ""
        rows = self._read(
            f"MATCH (n{where}) WHERE n.id = $ref "
            f"OR any(p IN $props WHERE toLower(trim(toString(n[p]))) = $wanted "
            f"  OR any(a IN coalesce(n.aliases, []) WHERE toLower(trim(a)) = $wanted)) "
            f"OR ($number IS NOT NULL AND n:Task AND n.number = $number) "
            f"RETURN n.id AS id, n.id = $ref AS exact ORDER BY id",
            ref=ref, wanted=normalise(ref), props=[p for p in NAME_PROPERTIES if p != "aliases"],
            number=task_number(ref) if label == Label.TASK else None)
        exact = [row["id"] for row in rows if row["exact"]]
        if exact:
            return exact[0]
        if len(rows) == 1:
            return rows[0]["id"]
        if rows:
            raise AmbiguousReference(ref, [row["id"] for row in rows])
        names = self._read(
            f"MATCH (n{where}) RETURN n.id AS id, {{{_NAMES}}} AS names")
        candidates = [row["id"] for row in names]
        candidates += [value for row in names for _, value in name_values(row["names"])]
        raise NodeNotFound(ref, label or "node", suggest(ref, candidates))

    def node(self, node_id: str) -> dict[str, Any]:
        rows = self._read("MATCH (n) WHERE n.id = $id RETURN labels(n) AS labels, "
                          "properties(n) AS props", id=node_id)
        if not rows:
            raise NodeNotFound(node_id, "node", [])
        return _node_dict(rows[0])

    def task_owners(self, task: str) -> list[TaskOwner]:
        task_id = self.resolve(task, Label.TASK)
        rows = self._read(
            "MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->(t:Task {id: $id}) "
            "RETURN u.id AS id, u.name AS name, u.full_name AS full_name, "
            "u.english_name AS english_name, u.kind AS kind, r.rank AS rank, r.role AS role "
            "ORDER BY r.rank", id=task_id)
        return [TaskOwner(**row) for row in rows]

    def unit_tasks(self, unit: str) -> list[TaskRef]:
        unit_id = self.resolve(unit, Label.UNIT)
        rows = self._read(
            "MATCH (:Unit {id: $id})-[:RESPONSIBLE_FOR]->(t:Task) "
            f"WITH DISTINCT t RETURN {_TASK_REF} AS task "
            "ORDER BY t.document, t.number", id=unit_id)
        return [TaskRef(**row["task"]) for row in rows]

    def unit_co_owners(self, unit: str) -> list[CoOwner]:
        unit_id = self.resolve(unit, Label.UNIT)
        rows = self._read(
            "MATCH (u:Unit {id: $id})-[:RESPONSIBLE_FOR]->(t:Task)<-[:RESPONSIBLE_FOR]-(o:Unit) "
            "WHERE o <> u WITH DISTINCT o, t ORDER BY t.document, t.number "
            "WITH o, collect(t.id) AS shared "
            "RETURN o.id AS id, o.name AS name, size(shared) AS count, shared AS shared_tasks "
            "ORDER BY count DESC, id", id=unit_id)
        return [CoOwner(**row) for row in rows]

    def tasks_co_owned_by(self, units: Sequence[str]) -> list[TaskRef]:
        if not units:
            return []
        ids = sorted({self.resolve(unit, Label.UNIT) for unit in units})
        rows = self._read(
            "MATCH (u:Unit)-[:RESPONSIBLE_FOR]->(t:Task) WHERE u.id IN $ids "
            "WITH t, count(DISTINCT u) AS owners WHERE owners = size($ids) "
            f"RETURN {_TASK_REF} AS task ORDER BY t.document, t.number", ids=ids)
        return [TaskRef(**row["task"]) for row in rows]

    def tasks_mentioning(self, entity: str) -> list[Mention]:
        entity_id = self.resolve(entity)
        rows = self._read(
            "MATCH (t:Task)-[m:MENTIONS]->(e {id: $id}) "
            f"RETURN {_TASK_REF} AS task, "
            "{id: e.id, labels: labels(e), name: e.name} AS entity, m.surface AS surface, "
            "m.sentence AS sentence, m.span AS span "
            "ORDER BY t.document, t.number, m.span", id=entity_id)
        return [Mention(task=TaskRef(**row["task"]), entity=_node_ref(row["entity"]),
                        surface=row["surface"], sentence=row["sentence"], span=row["span"])
                for row in rows]

    # -- structure ---------------------------------------------------------------------------
    def neighbourhood(self, node: str, depth: int = 1) -> Subgraph:
        node_id = self.resolve(node)
        start = self._read("MATCH (n {id: $id}) RETURN elementId(n) AS element", id=node_id)
        seen = {start[0]["element"]}
        frontier = set(seen)
        for _ in range(depth):
            if not frontier:
                break
            rows = self._read("MATCH (a)--(b) WHERE elementId(a) IN $frontier "
                              "RETURN DISTINCT elementId(b) AS element",
                              frontier=sorted(frontier))
            frontier = {row["element"] for row in rows} - seen
            seen |= frontier
        return self._subgraph(sorted(seen))

    def _subgraph(self, elements: list[str]) -> Subgraph:
        nodes = self._read("MATCH (n) WHERE elementId(n) IN $elements "
                           "RETURN n.id AS id, labels(n) AS labels, n.name AS name "
                           "ORDER BY id", elements=elements)
        edges = self._read("MATCH (a)-[r]->(b) WHERE elementId(a) IN $elements "
                           "AND elementId(b) IN $elements RETURN r.id AS id, type(r) AS type, "
                           "a.id AS source, b.id AS target ORDER BY id", elements=elements)
        return Subgraph(nodes=[_node_ref(row) for row in nodes],
                        edges=[Edge(**row) for row in edges])

    def shortest_path(self, source: str, target: str) -> Subgraph | None:
        a, b = self.resolve(source), self.resolve(target)
        if a == b:
            return Subgraph(nodes=[_node_ref(self._ref_row(a))], edges=[])
        rows = self._read(
            "MATCH (a {id: $a}), (b {id: $b}) MATCH p = allShortestPaths((a)-[*]-(b)) "
            "RETURN DISTINCT [n IN nodes(p) | n.id] AS path", a=a, b=b)
        if not rows:
            return None
        path = min(row["path"] for row in rows)
        pairs = [list(pair) for pair in itertools.pairwise(path)]
        edges = self._read(
            "UNWIND range(0, size($pairs) - 1) AS i "
            "MATCH (x {id: $pairs[i][0]})-[r]-(y {id: $pairs[i][1]}) "
            "WITH i, r, startNode(r) AS s, endNode(r) AS e ORDER BY r.id "
            "WITH i, collect({id: r.id, type: type(r), source: s.id, target: e.id})[0] AS edge "
            "RETURN edge ORDER BY i", pairs=pairs)
        nodes = {row["id"]: row for row in self._read(
            "MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, labels(n) AS labels, "
            "n.name AS name", ids=path)}
        return Subgraph(nodes=[_node_ref(nodes[n]) for n in path],
                        edges=[Edge(**row["edge"]) for row in edges])

    def _ref_row(self, node_id: str) -> dict[str, Any]:
        return self._read("MATCH (n {id: $id}) RETURN n.id AS id, labels(n) AS labels, "
                          "n.name AS name", id=node_id)[0]

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        wanted = normalise(query)
        if not wanted:
            return []
        rows = self._read(
            "MATCH (n) WHERE any(p IN $props WHERE toLower(toString(n[p])) CONTAINS $wanted) "
            "OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $wanted) "
            f"RETURN n.id AS id, labels(n) AS labels, n.name AS name, {{{_NAMES}}} AS names",
            props=[p for p in NAME_PROPERTIES if p != "aliases"], wanted=wanted)
        hits = []
        for row in rows:
            keys = [search_key(score, field, value) for field, value in name_values(row["names"])
                    if (score := match_score(normalise(value), wanted))]
            if keys:
                hits.append((min(keys), row))
        hits.sort(key=lambda hit: (hit[0][:3], hit[1]["id"]))
        return [SearchHit(node=_node_ref(row), matched=key[3], field=key[4], score=-key[0])
                for key, row in hits[:limit]]

    def stats(self) -> Stats:
        labels = self._read("MATCH (n) UNWIND labels(n) AS label "
                            "RETURN label, count(*) AS count ORDER BY label")
        types = self._read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count "
                           "ORDER BY type")
        totals = self._read("MATCH (n) WITH count(n) AS nodes "
                            "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS relationships")
        documents = self._read("MATCH (d:Document) RETURN d.id AS id ORDER BY id")
        return Stats(nodes=totals[0]["nodes"], relationships=totals[0]["relationships"],
                     nodes_by_label={row["label"]: row["count"] for row in labels},
                     relationships_by_type={row["type"]: row["count"] for row in types},
                     documents=[row["id"] for row in documents])


    def list_nodes(self, label: str) -> list[dict[str, Any]]:
        rows = self._read(f"MATCH (n:{Label(label)}) RETURN properties(n) AS props, "
                          f"labels(n) AS labels ORDER BY n.id")
        return [_node_dict(row) for row in rows]

    def related(self, node_id: str, rel_type: str,
                direction: str = "out") -> list[tuple[dict[str, Any], dict[str, Any]]]:
        arrow = "-[r:{t}]->" if direction == "out" else "<-[r:{t}]-"
        rows = self._read(
            f"MATCH (n {{id: $id}}){arrow.format(t=RelType(rel_type))}(m) "
            f"RETURN properties(r) AS rel, type(r) AS type, startNode(r).id AS source, "
            f"endNode(r).id AS target, properties(m) AS props, labels(m) AS labels "
            f"ORDER BY r.id", id=node_id)
        return [({**row["rel"], "type": row["type"], "source": row["source"],
                  "target": row["target"]}, _node_dict(row)) for row in rows]

    def node_link(self, labels: Sequence[str] | None = None,
                  node_ids: Sequence[str] | None = None) -> dict[str, Any]:
        wanted = [Label(label).value for label in labels] if labels is not None else None
        nodes = self._read(
            "MATCH (n) WHERE ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)) "
            "AND ($ids IS NULL OR n.id IN $ids) "
            "RETURN properties(n) AS props, labels(n) AS labels, elementId(n) AS element "
            "ORDER BY n.id", labels=wanted, ids=list(node_ids) if node_ids is not None else None)
        links = self._read(
            "MATCH (a)-[r]->(b) WHERE elementId(a) IN $elements AND elementId(b) IN $elements "
            "RETURN properties(r) AS rel, type(r) AS type, a.id AS source, b.id AS target "
            "ORDER BY r.id", elements=[row["element"] for row in nodes])
        return {
            "directed": True, "multigraph": True,
            "graph": {"format": "livekg-node-link", "version": FORMAT_VERSION},
            "nodes": [_node_dict(row) for row in nodes],
            "links": [{**row["rel"], "type": row["type"], "source": row["source"],
                       "target": row["target"]} for row in links],
        }

    def ping(self) -> None:
        self._read("RETURN 1 AS one")


def _node_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {**row["props"], "labels": ordered_labels(row["labels"])}


def _node_ref(row: dict[str, Any]) -> NodeRef:
    return NodeRef(id=row["id"], labels=ordered_labels(row["labels"]), name=row["name"])


"""The Neo4j backend: GraphBackend's data fetches as Cypher (graph.neo4j_queries), every one
routed as a read; and read-only analyst Cypher as its optional capability."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neo4j import Driver, Query, RoutingControl
from neo4j.exceptions import DriverError, Neo4jError

from livekg.graph import neo4j_queries as q
from livekg.graph.analyst_cypher import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT_S,
    run_read_only,
)
from livekg.graph.backend import Counts, Direction, GraphBackend, Link, Node, OwnerLink
from livekg.graph.neo4j_connect import unavailable
from livekg.graph.schema import Label, RelType

if TYPE_CHECKING:
    from livekg.graph.analyst_cypher import QueryResult

QUERY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Neo4jCypher:
    """Analyst Cypher on one database, read-only by construction (graph.analyst_cypher)."""

    driver: Driver
    database: str

    def run(self, query: str, parameters: Mapping[str, Any] | None = None, *,
            timeout: float | None = None, max_rows: int | None = None,
            max_bytes: int | None = None) -> QueryResult:
        return run_read_only(
            self.driver, self.database, query, dict(parameters or {}),
            timeout=DEFAULT_TIMEOUT_S if timeout is None else timeout,
            max_rows=DEFAULT_MAX_ROWS if max_rows is None else max_rows,
            max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)


class Neo4jBackend(GraphBackend):
    """Questions over a Neo4j database through one shared driver."""

    name = "neo4j"

    def __init__(self, driver: Driver, database: str = "neo4j", uri: str = "",
                 query_timeout: float = QUERY_TIMEOUT_S) -> None:
        """`query_timeout`: the seconds each question may take (a load that reads the whole
        graph back, to relink its documents, allows its own, longer timeout)."""
        self.driver = driver
        self.database = database
        self.uri = uri
        self.query_timeout = query_timeout
        self.cypher = Neo4jCypher(driver, database)

    def _read(self, text: str, **parameters: Any) -> list[dict[str, Any]]:
        try:
            records, _, _ = self.driver.execute_query(
                Query(text, timeout=self.query_timeout), parameters,
                routing_=RoutingControl.READ, database_=self.database)
        except (DriverError, OSError) as error:
            raise unavailable(self.uri, error) from error
        except Neo4jError as error:
            if error.code and error.code.startswith("Neo.ClientError"):
                raise
            raise unavailable(self.uri, error) from error
        return [record.data() for record in records]

    def ping(self) -> None:
        self._read(q.PING)

    def version(self) -> str | None:
        """The token the last write gave the graph: one node read. None when no livekg write
        left one (data written some other way): such a graph cannot be cached."""
        version: str | None = self._read(q.GRAPH_VERSION)[0]["version"]
        return version

    # -- fetches -------------------------------------------------------------------------------
    def _fetch_node(self, node_id: str) -> Node | None:
        rows = self._read(q.NODE_BY_ID, id=node_id)
        return _node(rows[0]) if rows else None

    def _fetch_nodes(self, label: Label) -> list[Node]:
        return [_node(row) for row in self._read(q.nodes_with_label(label))]

    def _fetch_names(self, label: Label | None, contains: str | None = None,
                     number: int | None = None) -> list[Node]:
        rows = self._read(q.names(label), contains=contains, number=number,
                          props=q.SCALAR_NAME_PROPERTIES)
        return [{**row["node"], "labels": row["labels"]} for row in rows]

    def _fetch_related(self, node_id: str, rel_type: RelType,
                       direction: Direction) -> list[tuple[Link, Node]]:
        rows = self._read(q.related(rel_type, direction), id=node_id)
        return [(_link(row), _node(row)) for row in rows]

    def _fetch_owners(self, task_id: str) -> list[tuple[Link, Node]]:
        return [(row["rel"], row["unit"]) for row in self._read(q.TASK_OWNERS, id=task_id)]

    def _fetch_task_owner_links(self, unit_id: str | None) -> list[tuple[Node, list[OwnerLink]]]:
        rows = (self._read(q.TASK_OWNER_LINKS_ALL) if unit_id is None
                else self._read(q.TASK_OWNER_LINKS_OF_UNIT, id=unit_id))
        return [({"id": task, "document": document, "number": number, "marker": marker,
                  "title": title},
                 [OwnerLink(unit={"id": unit, "name": name, "labels": labels}, rank=rank,
                            role=role)
                  for unit, name, labels, rank, role in owners])
                for task, document, number, marker, title, owners in rows[0]["tasks"]]

    def _fetch_tasks_owned_by_all(self, unit_ids: Sequence[str]) -> list[Node]:
        return [row["task"] for row in self._read(q.TASKS_OWNED_BY_ALL, ids=list(unit_ids))]

    def _fetch_co_owned_tasks(self, unit_id: str) -> list[tuple[Node, list[Node]]]:
        return [(row["unit"], [{"id": task, "document": document, "number": number}
                               for task, document, number in row["tasks"]])
                for row in self._read(q.CO_OWNED_TASKS, id=unit_id)]

    def _fetch_within(self, node_id: str, depth: int) -> set[str]:
        seen = {row["element"] for row in self._read(q.ELEMENT_OF, id=node_id)}
        frontier = set(seen)
        for _ in range(depth):
            if not frontier:
                break
            rows = self._read(q.NEIGHBOURS, frontier=sorted(frontier))
            frontier = {row["element"] for row in rows} - seen
            seen |= frontier
        return {row["id"] for row in self._read(q.IDS_OF_ELEMENTS, elements=sorted(seen))}

    def _fetch_shortest_paths(self, source_id: str, target_id: str) -> list[list[str]]:
        return [row["path"] for row in self._read(q.ALL_SHORTEST_PATHS, a=source_id,
                                                  b=target_id)]

    def _fetch_node_link(self, labels: Sequence[Label] | None, node_ids: Sequence[str] | None,
                         brief: bool = False) -> tuple[list[Node], list[Link]]:
        rows = self._read(q.node_link_nodes(brief),
                          labels=[label.value for label in labels] if labels is not None
                          else None,
                          ids=list(node_ids) if node_ids is not None else None)
        if node_ids is None:
            links = self._read(q.node_link_links_by_label(brief),
                               labels=[label.value for label in labels] if labels is not None
                               else None)
        else:
            links = self._read(q.node_link_links(brief),
                               elements=[row["element"] for row in rows])
        return [_node(row) for row in rows], [_link(row) for row in links]

    def _fetch_counts(self) -> Counts:
        totals = self._read(q.COUNT_TOTALS)[0]
        return Counts(
            nodes=totals["nodes"], relationships=totals["relationships"],
            nodes_by_label={row["label"]: row["count"] for row in self._read(q.COUNT_BY_LABEL)},
            relationships_by_type={row["type"]: row["count"]
                                   for row in self._read(q.COUNT_BY_TYPE)},
            documents=[row["id"] for row in self._read(q.DOCUMENT_IDS)])


def _node(row: dict[str, Any]) -> Node:
    return {**row["props"], "labels": row["labels"]}


def _link(row: dict[str, Any]) -> Link:
    return {**row["rel"], "type": row["type"], "source": row["source"], "target": row["target"]}

"""The questions as one interface with two implementations: embedded (networkx) and Neo4j.

The API, the CLI and the notebooks talk to a GraphBackend; the contract tests run every
question against both implementations and require identical answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from livekg.graph import questions
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.results import CoOwner, Mention, SearchHit, Stats, Subgraph, TaskOwner, TaskRef

Direction = Literal["out", "in"]


class GraphBackend(Protocol):
    name: str

    def resolve(self, ref: str, label: str | None = None) -> str: ...
    def node(self, node_id: str) -> dict[str, Any]: ...
    def task_owners(self, task: str) -> list[TaskOwner]: ...
    def unit_tasks(self, unit: str) -> list[TaskRef]: ...
    def unit_co_owners(self, unit: str) -> list[CoOwner]: ...
    def tasks_co_owned_by(self, units: Sequence[str]) -> list[TaskRef]: ...
    def tasks_mentioning(self, entity: str) -> list[Mention]: ...
    def neighbourhood(self, node: str, depth: int = 1) -> Subgraph: ...
    def shortest_path(self, source: str, target: str) -> Subgraph | None: ...
    def search(self, query: str, limit: int = 10) -> list[SearchHit]: ...
    def stats(self) -> Stats: ...
    def list_nodes(self, label: str) -> list[dict[str, Any]]: ...
    def related(self, node_id: str, rel_type: str,
                direction: Direction = "out") -> list[tuple[dict[str, Any], dict[str, Any]]]: ...
    def node_link(self, labels: Sequence[str] | None = None,
                  node_ids: Sequence[str] | None = None) -> dict[str, Any]: ...
    def ping(self) -> None: ...


class MemoryBackend:
    """The embedded default: questions answered from an in-process KnowledgeGraph."""

    name = "memory"

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    def resolve(self, ref: str, label: str | None = None) -> str:
        return questions.resolve(self.kg, ref, label)

    def node(self, node_id: str) -> dict[str, Any]:
        return questions.node(self.kg, node_id)

    def task_owners(self, task: str) -> list[TaskOwner]:
        return questions.task_owners(self.kg, task)

    def unit_tasks(self, unit: str) -> list[TaskRef]:
        return questions.unit_tasks(self.kg, unit)

    def unit_co_owners(self, unit: str) -> list[CoOwner]:
        return questions.unit_co_owners(self.kg, unit)

    def tasks_co_owned_by(self, units: Sequence[str]) -> list[TaskRef]:
        return questions.tasks_co_owned_by(self.kg, units)

    def tasks_mentioning(self, entity: str) -> list[Mention]:
        return questions.tasks_mentioning(self.kg, entity)

    def neighbourhood(self, node: str, depth: int = 1) -> Subgraph:
        return questions.neighbourhood(self.kg, node, depth)

    def shortest_path(self, source: str, target: str) -> Subgraph | None:
        return questions.shortest_path(self.kg, source, target)

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        return questions.search(self.kg, query, limit)

    def stats(self) -> Stats:
        return questions.stats(self.kg)

    def list_nodes(self, label: str) -> list[dict[str, Any]]:
        return questions.list_nodes(self.kg, label)

    def related(self, node_id: str, rel_type: str,
                direction: Direction = "out") -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return questions.related(self.kg, node_id, rel_type, direction)

    def node_link(self, labels: Sequence[str] | None = None,
                  node_ids: Sequence[str] | None = None) -> dict[str, Any]:
        return questions.node_link(self.kg, labels, node_ids)

    def ping(self) -> None:
        """The embedded graph is in this process: always reachable."""

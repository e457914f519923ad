"""Response models of the HTTP API: the public contract, separate from storage records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from livekg.graph.results import (
    LEAD_RULE,
    CoOwner,
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

__all__ = ["CoOwner", "EntityRef", "Mention", "NodeRef", "SearchHit", "Stats", "Subgraph",
           "TaskOwner", "TaskRef", "UnitTask", "UnitWorkload"]

T = TypeVar("T")

TASK_EXAMPLE: dict[str, Any] = {"id": "changning-livestream-action-plan-2024-2026:task:6",
                "document": "changning-livestream-action-plan-2024-2026", "number": 6,
                "marker": "6.", "title": "优化直播经济综合服务"}


class Page(BaseModel, Generic[T]):
    """One page of a list; `total` counts every match, not only this page."""

    items: list[T]
    total: int = Field(ge=0)
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)


class DocumentOut(BaseModel):
    id: str
    title: str
    issuer: str | None = None
    jurisdiction: str
    source_file: str
    sha256: str
    attachment: str | None = None


class SectionOut(BaseModel):
    id: str
    document: str
    marker: str = Field(description="as written, e.g. '(一)' or '三、'")
    number: int
    title: str
    level: int


class TaskSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {**TASK_EXAMPLE, "section": "changning-livestream-action-plan-2024-2026:section:2.2",
         "lead": [{"id": "changning-commerce-commission", "labels": ["Unit"],
                   "name": "区商务委"}]}]})

    id: str
    document: str
    number: int
    marker: str
    title: str
    section: str | None = Field(None, description="id of the section holding the task")
    lead: list[NodeRef] = Field(default_factory=list,
                                description=f"the unit(s) leading the task. {LEAD_RULE}")


class MentionOut(BaseModel):
    entity: EntityRef
    surface: str = Field(description="the text as written")
    sentence: str = Field(description="the sentence the mention comes from")
    span: list[int] = Field(description="[start, end) character offsets in the document")


class TaskDetail(TaskSummary):
    text: str
    section_detail: SectionOut | None = None
    owners: list[TaskOwner] = Field(description="responsible units in document order")
    mentions: list[MentionOut]


class UnitOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "changning-commerce-commission", "name": "区商务委",
        "full_name": "上海市长宁区商务委员会",
        "english_name": "Changning District Commission of Commerce",
        "kind": "district_government_department", "jurisdiction": "shanghai-changning",
        "labels": ["Unit"], "aliases": ["长宁区商务委"], "verified": False,
        "task_count": 18, "lead_count": 11}]})

    id: str
    name: str = Field(description="short name as documents write it")
    full_name: str | None = None
    english_name: str | None = None
    kind: str
    jurisdiction: str
    labels: list[str]
    aliases: list[str] = []
    verified: bool = Field(description="whether the names were checked against a source")
    source: str | None = None
    task_count: int = Field(description="tasks the unit is responsible for")
    lead_count: int = Field(description=f"tasks it leads. {LEAD_RULE}")


class UnitDetail(UnitOut):
    members: list[NodeRef] = Field(description="for group units: the units they include")
    member_of: list[NodeRef] = Field(description="group units that include this unit")


class UnitWorkloadDetail(UnitWorkload):
    """One unit's workload, with the tasks and partners behind the counts."""

    led: list[UnitTask] = Field(description="the tasks it leads, in document order")
    co_owned: list[UnitTask] = Field(description="the tasks it owns but does not lead")
    partner_units: list[CoOwner] = Field(description="units sharing its tasks, most shared "
                                                     "first")


class EntityOut(BaseModel):
    id: str
    type: str = Field(description="venue, base, association, enterprise, event, program, "
                                  "policy or technology")
    name: str
    english_name: str | None = None
    kind: str | None = None
    status: str = Field("registered",
                        description="registered (in the registry or accepted in review) or "
                                    "discovered (found in a document's text)")
    method: str | None = Field(None, description="discovered: the evidence that found it")
    confidence: float | None = None
    designation: str | None = Field(None, description="what the document calls it")
    jurisdiction: str | None = None
    aliases: list[str] = []
    verified: bool
    source: str | None = None


class EntityDetail(EntityOut):
    mentions: list[Mention] = Field(description="every task text naming it, with the sentence")


class NodeLink(BaseModel):
    """Node-link JSON: nodes carry id, labels, name and properties; links source, target,
    type and properties."""

    directed: bool
    multigraph: bool
    graph: dict[str, Any]
    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]


class CypherRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "query": "MATCH (u:Unit)-[:RESPONSIBLE_FOR]->(t:Task) WHERE u.name = $unit "
                 "RETURN t.number AS task ORDER BY task", "parameters": {"unit": "区商务委"}}]})

    query: str = Field(min_length=1, max_length=20_000, description="one read-only statement")
    parameters: dict[str, Any] = Field(default_factory=dict)

    @field_validator("parameters")
    @classmethod
    def storable_in_neo4j(cls, parameters: dict[str, Any]) -> dict[str, Any]:
        """Bolt carries 64-bit integers only; refuse larger ones here rather than fail later."""
        for value in _leaves(parameters):
            if isinstance(value, int) and not isinstance(value, bool) and not (
                    INT64_MIN <= value <= INT64_MAX):
                raise ValueError(f"integer {value} does not fit in 64 bits")
        return parameters


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


class CypherResponse(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="more rows exist than the configured cap")


class Health(BaseModel):
    status: str
    backend: str

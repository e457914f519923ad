"""What the questions answer: plain records, identical whichever backend computed them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class NodeRef(Result):
    id: str
    labels: list[str]
    name: str


class TaskRef(Result):
    id: str
    document: str
    number: int
    marker: str
    title: str


class TaskOwner(Result):
    id: str = Field(description="the unit's id")
    name: str = Field(description="the unit's short name")
    full_name: str | None = None
    english_name: str | None = None
    kind: str
    rank: int = Field(description="1-based position in the task's responsible-unit list")
    role: str | None = Field(None, description="lead or support, where the document says so")


class CoOwner(Result):
    id: str
    name: str
    count: int = Field(description="number of tasks shared with the unit asked about")
    shared_tasks: list[str] = Field(description="ids of the shared tasks, in document order")


class Mention(Result):
    task: TaskRef
    entity: NodeRef
    surface: str = Field(description="the text as written")
    sentence: str = Field(description="the sentence the mention comes from")
    span: list[int] = Field(description="[start, end) character offsets in the document text")


class Edge(Result):
    id: str
    type: str
    source: str
    target: str


class Subgraph(Result):
    nodes: list[NodeRef]
    edges: list[Edge]


class SearchHit(Result):
    node: NodeRef
    matched: str = Field(description="the name, alias or romanisation that matched")
    field: str = Field(description="which property matched")
    score: int


class Stats(Result):
    nodes: int
    relationships: int
    nodes_by_label: dict[str, int]
    relationships_by_type: dict[str, int]
    documents: list[str]

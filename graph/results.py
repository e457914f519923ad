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


LEAD_RULE = ("A unit leads a task when the document marks it lead (牵头); where the document "
             "marks no roles for the task, the unit listed first (rank 1) leads.")


class TaskOwner(Result):
    id: str = Field(description="the unit's id")
    name: str = Field(description="the unit's short name")
    full_name: str | None = None
    english_name: str | None = None
    kind: str
    rank: int = Field(description="1-based position in the task's responsible-unit list")
    role: str | None = Field(None, description="lead or support, where the document says so")
    lead: bool = Field(False, description=LEAD_RULE)


class UnitTask(TaskRef):
    """A task as one of its owners holds it: where the document lists that unit."""

    rank: int = Field(description="the unit's 1-based position in the task's list")
    role: str | None = Field(None, description="lead or support, where the document says so")
    lead: bool = Field(description=LEAD_RULE)


class UnitWorkload(Result):
    """How much one unit carries."""

    id: str
    name: str
    english_name: str | None = None
    kind: str
    task_count: int = Field(description="tasks the unit is responsible for")
    tasks_led: int = Field(description=f"tasks it leads. {LEAD_RULE}")
    tasks_co_owned: int = Field(description="tasks it is responsible for but does not lead")
    partners: int = Field(description="distinct other units sharing any of its tasks")


class CoOwner(Result):
    id: str
    name: str
    count: int = Field(description="number of tasks shared with the unit asked about")
    shared_tasks: list[str] = Field(description="ids of the shared tasks, in document order")


class EntityRef(NodeRef):
    """A mentioned node, with what a reader needs beside its Chinese name."""

    english_name: str | None = None
    kind: str | None = Field(None, description="what sort of venue, base, … (e.g. street, mall)")
    status: str = Field(description="registered (in the registry or accepted in review) or "
                                    "discovered (found in a document's text only)")


class Mention(Result):
    task: TaskRef
    entity: EntityRef
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

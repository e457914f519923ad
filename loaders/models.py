"""Typed records the loaders produce: a parsed document and everything it states.

Offsets (`start`, `end`) are character offsets into the decoded source text, so every fact
can be traced back to the exact sentence it came from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

UnitRole = Literal["lead", "support"]
EntityStatus = Literal["registered", "discovered"]


#: The labels of named things in task texts, in the order the schema lists them: defined once,
#: here at the bottom layer; the registry, the review overlay and graph/schema.py read it.
ENTITY_LABELS: tuple[str, ...] = ("Venue", "Base", "Association", "Enterprise", "Event",
                                  "Program", "Policy", "Technology")


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Record):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Sentence(Record):
    index: int = Field(description="0-based position of the sentence within its task")
    text: str
    span: Span


class UnitRecord(Record):
    """A responsible unit as the registry (or the resolver, for unknown names) knows it."""

    id: str
    short_name: str
    full_name: str | None = None
    english_name: str | None = None
    kind: str
    jurisdiction: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    source: str | None = None
    verified: bool = False
    resolved: bool = Field(True, description="false: not in the registry, named in a document")
    note: str | None = None


class EntityRecord(Record):
    """A venue, base, association, enterprise, event, programme, policy or technology."""

    id: str
    label: str
    name: str
    english_name: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    designation: str | None = Field(
        None, description="what the document calls it (bases: 首批认定直播基地)")
    status: EntityStatus = Field(
        "registered", description="registered: in the registry or accepted in review; "
                                  "discovered: found in a document's text")
    method: str | None = Field(None, description="discovered: the evidence that found it")
    confidence: float | None = Field(None, ge=0, le=1)
    jurisdiction: str | None = None
    source: str | None = None
    verified: bool = False
    note: str | None = None


class UnitMention(Record):
    """One entry of a task's responsible-unit list, in document order."""

    unit_id: str
    surface: str
    rank: int = Field(ge=1, description="1-based position in the task's responsible-unit lists")
    role: UnitRole | None = None
    and_others: bool = Field(False, description="the list ended with 等 after this unit")
    span: Span


class EntityMention(Record):
    entity_id: str
    surface: str
    sentence_index: int
    sentence: str
    span: Span


class ReviewItem(Record):
    """A name-like string the registry does not know: reported, never silently dropped."""

    surface: str
    reason: str
    task_number: int | None
    sentence: str
    span: Span


class Section(Record):
    id: str
    marker: str = Field(description="as written, e.g. '(一)' or '三、'")
    number: int
    title: str
    level: int = Field(ge=1)
    parent_id: str | None
    span: Span
    line: int


class Task(Record):
    id: str
    number: int
    marker: str
    title: str
    text: str
    section_id: str | None
    span: Span
    line: int
    sentences: tuple[Sentence, ...]
    owners: tuple[UnitMention, ...]
    mentions: tuple[EntityMention, ...]


class Target(Record):
    """A quantitative goal, e.g. 直播经济各类主体规模 超过 250 家 by 2026."""

    id: str
    metric: str
    scope: str | None = Field(None, description="where the goal applies, e.g. 区域内")
    operator: Literal[">", ">=", "="]
    value: float
    unit: str
    year: int
    sentence: str
    span: Span


class PolicyReference(Record):
    """A plan this document says it implements (为落实《…》)."""

    entity_id: str
    title: str
    sentence: str
    span: Span


class DocumentMeta(Record):
    id: str
    title: str
    issuer: str | None = None
    jurisdiction: str
    source_file: str
    sha256: str
    attachment: str | None = None
    encoding: str = "utf-8"


class ParsedDocument(Record):
    document: DocumentMeta
    text: str
    sections: tuple[Section, ...]
    tasks: tuple[Task, ...]
    targets: tuple[Target, ...]
    implements: tuple[PolicyReference, ...]
    units: tuple[UnitRecord, ...] = Field(
        description="every unit the document refers to, with group members")
    entities: tuple[EntityRecord, ...] = Field(
        description="every registry entity the document mentions")
    review: tuple[ReviewItem, ...] = ()
    notices: tuple[str, ...] = ()

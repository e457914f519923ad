"""Putting parsed documents into the embedded graph, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from livekg.graph.build import document_rows
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.linking import document_links
from livekg.loaders.models import ParsedDocument

Change = Literal["new", "changed", "unchanged"]


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    title: str
    source_file: str
    change: Change
    sections: int
    tasks: int
    owners: int
    mentions: int
    review: int


def summarise(parsed: ParsedDocument, change: Change) -> DocumentSummary:
    return DocumentSummary(
        id=parsed.document.id, title=parsed.document.title,
        source_file=parsed.document.source_file, change=change,
        sections=len(parsed.sections), tasks=len(parsed.tasks),
        owners=sum(len(t.owners) for t in parsed.tasks),
        mentions=sum(len(t.mentions) for t in parsed.tasks), review=len(parsed.review))


def change_of(kg: KnowledgeGraph, parsed: ParsedDocument) -> Change:
    if parsed.document.id not in kg:
        return "new"
    same = kg.node(parsed.document.id).get("sha256") == parsed.document.sha256
    return "unchanged" if same else "changed"


def with_documents(kg: KnowledgeGraph, documents: list[ParsedDocument]
                   ) -> tuple[KnowledgeGraph, list[DocumentSummary]]:
    """A new graph: `kg` with each document's facts replaced; `kg` itself is left untouched."""
    updated = kg.copy()
    summaries = []
    for parsed in documents:
        summaries.append(summarise(parsed, change_of(updated, parsed)))
        updated.replace_document(document_rows(parsed))
    updated.replace_derived(document_links(updated.to_node_link()))
    return updated, summaries

"""Putting parsed documents into the embedded graph, all or nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from livekg.graph.build import document_rows
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.linking import document_links
from livekg.graph.rows import GraphRows
from livekg.loaders.models import ParsedDocument

Change = Literal["new", "changed", "unchanged"]
# Bump when the rows a document maps to change shape (build.py, schema.py): every document
# then counts as changed once and is rewritten.
ROWS_VERSION = 1
# The Document node's property holding the fingerprint of the rows it was written with.
FINGERPRINT = "rows_sha256"


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


def fingerprinted_rows(parsed: ParsedDocument) -> GraphRows:
    """The document's rows, its Document node carrying a fingerprint of all of them.

    The fingerprint covers the rows, not only the text's sha256: the same text read with an
    edited registry (or a newer parser) gives other facts, and must be written again.
    """
    rows = document_rows(parsed)
    canonical = json.dumps(
        [ROWS_VERSION,
         sorted([n.id, list(n.labels), n.properties] for n in rows.nodes),
         sorted([r.id, r.type, r.source, r.target, r.properties] for r in rows.relationships)],
        ensure_ascii=False, sort_keys=True, default=str)
    fingerprint = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    nodes = tuple(replace(n, properties={**n.properties, FINGERPRINT: fingerprint})
                  if n.id == rows.document_id else n for n in rows.nodes)
    return GraphRows(rows.document_id, nodes, rows.relationships)


def fingerprint_of(rows: GraphRows) -> str:
    return next(n.properties[FINGERPRINT] for n in rows.nodes if n.id == rows.document_id)


def change_of(stored: str | None, rows: GraphRows) -> Change:
    """New, changed or unchanged, given the fingerprint stored for the document (None: the
    document is not in the graph; "": stored before fingerprints were kept)."""
    if stored is None:
        return "new"
    return "unchanged" if stored == fingerprint_of(rows) else "changed"


def with_documents(kg: KnowledgeGraph, documents: Iterable[ParsedDocument]
                   ) -> tuple[KnowledgeGraph, list[DocumentSummary]]:
    """A new graph: `kg` with each document's facts replaced; `kg` itself is left untouched.

    `documents` may be a generator: each is dropped once its rows are in the graph, so a
    corpus need never be held in memory whole. Unchanged documents (same fingerprint) are
    skipped; when every document is unchanged the
    answer is `kg` itself, neither copied nor relinked, which the caller may take as "nothing
    to write".
    """
    summaries = []
    updated: KnowledgeGraph | None = None  # copied at the first document that changed
    for parsed in documents:
        rows = fingerprinted_rows(parsed)  # one document's rows at a time: memory stays flat
        doc = rows.document_id
        graph = updated or kg
        stored = str(graph.node(doc).get(FINGERPRINT, "")) if doc in graph else None
        change = change_of(stored, rows)
        summaries.append(summarise(parsed, change))
        if change != "unchanged":
            updated = updated or kg.copy()
            updated.replace_document(rows)
    if updated is None:
        return kg, summaries
    updated.replace_derived(document_links(updated.to_node_link()))
    return updated, summaries

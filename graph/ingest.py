"""Putting parsed documents into the embedded graph, all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from livekg.graph.build import document_rows
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.linking import document_links
from livekg.graph.rows import GraphRows
from livekg.graph.schema import Label, RelType
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


def fingerprint(parsed: ParsedDocument) -> str:
    """A digest of everything the document's rows are built from, and ROWS_VERSION.

    It covers the parsed facts, not only the text's sha256: the same text read with an edited
    registry (or a newer parser) gives other facts, and must be written again. Taken from the
    parsed record's JSON (no sets or maps in it, so the same facts give the same bytes), it
    costs a fraction of building the rows, which an unchanged document never needs.
    """
    digest = hashlib.sha256(f"livekg-rows-{ROWS_VERSION}\n".encode())
    digest.update(parsed.model_dump_json().encode("utf-8"))
    return digest.hexdigest()


def fingerprinted_rows(parsed: ParsedDocument, digest: str) -> GraphRows:
    """The document's rows, its Document node carrying `digest` (see `fingerprint`)."""
    rows = document_rows(parsed)
    nodes = tuple(n._replace(properties={**n.properties, FINGERPRINT: digest})
                  if n.id == rows.document_id else n for n in rows.nodes)
    return GraphRows(rows.document_id, nodes, rows.relationships)


def change_of(stored: str | None, digest: str) -> Change:
    """New, changed or unchanged, given the fingerprint stored for the document (None: the
    document is not in the graph; "": stored before fingerprints were kept)."""
    if stored is None:
        return "new"
    return "unchanged" if stored == digest else "changed"


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
    for parsed in documents:  # one document's rows at a time: memory stays flat
        digest = fingerprint(parsed)
        doc = parsed.document.id
        graph = updated or kg
        stored = str(graph.node(doc).get(FINGERPRINT, "")) if doc in graph else None
        change = change_of(stored, digest)
        summaries.append(summarise(parsed, change))
        if change != "unchanged":
            updated = updated or kg.copy()
            updated.replace_document(fingerprinted_rows(parsed, digest))
    if updated is None:
        return kg, summaries
    updated.replace_derived(document_links(linking_data(updated)))
    return updated, summaries


def linking_data(kg: KnowledgeGraph) -> dict[str, Any]:
    """The part of the graph document_links reads (documents, tasks, policies and IMPLEMENTS),
    as node-link data: not the whole graph, whose copy was the load's largest allocation."""
    wanted = {Label.DOCUMENT, Label.TASK, Label.POLICY}
    return {"nodes": [node for node in kg.nodes() if wanted.intersection(node["labels"])],
            "links": list(kg.relationships(RelType.IMPLEMENTS))}

"""From a document file to a ParsedDocument: outline, unit lists, mentions, targets, review."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.errors import DocumentError
from loaders.mentions import NameMatch, NameMatcher
from loaders.metadata import document_id, infer_jurisdiction, infer_title, read_sidecar
from loaders.models import (
    DocumentMeta,
    EntityMention,
    EntityRecord,
    ParsedDocument,
    PolicyReference,
    ReviewItem,
    Section,
    Sentence,
    Span,
    Target,
    Task,
    UnitMention,
    UnitRecord,
)
from loaders.outline_ids import section_id, target_id, task_id
from loaders.paths import DOCUMENT_SUFFIXES
from loaders.registry import Registry
from loaders.review import unknown_names
from loaders.source import SourceText, read_source
from loaders.structure import Line, Outline, OutlineTask, outline
from loaders.targets import find_targets
from loaders.unit_lists import UnitList, UnitListError, find_unit_lists
from loaders.units import resolve_unit

SENTENCE_END = re.compile(r"[^。！？!?]*[。！？!?]|[^。！？!?]+$")
IMPLEMENTS = re.compile(r"(?:落实|贯彻|根据|按照|依据)《(?P<title>[^》]+)》")


@dataclass
class LoadResult:
    documents: list[ParsedDocument] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)


def document_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus the documents inside any folder named."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in DOCUMENT_SUFFIXES))
        else:
            files.append(path)
    return files


def load_documents(paths: Iterable[str | Path], registry: Registry) -> LoadResult:
    """Parse every file; a bad file is reported in `errors` and the others still parse."""
    result = LoadResult()
    for path in document_files(paths):
        try:
            result.documents.append(parse_file(path, registry))
        except DocumentError as error:
            result.errors.append(error)
    return result


def parse_file(path: str | Path, registry: Registry) -> ParsedDocument:
    path = Path(path)
    source = read_source(path)
    return parse_source(source, registry, read_sidecar(path))


def parse_source(source: SourceText, registry: Registry,
                 metadata: dict[str, object] | None = None) -> ParsedDocument:
    """The pure parsing step: decoded text (and optional metadata) to typed records."""
    metadata = metadata or {}
    text = source.text
    plan = outline(text)
    jurisdiction = str(metadata.get("jurisdiction") or infer_jurisdiction(text, registry) or "")
    if jurisdiction not in registry.jurisdictions:
        raise DocumentError(
            source.path, f"jurisdiction {jurisdiction or '(none found)'!r} is not in the registry",
            expected="a sidecar YAML naming a jurisdiction from data/registry/jurisdictions.yaml")
    doc_id = str(metadata.get("id") or document_id(source.path))
    first_line = next(iter(plan.preamble), Line(1, 0, source.path.stem)).text
    meta = DocumentMeta(
        id=doc_id,
        title=str(metadata.get("title") or infer_title(
            registry.jurisdictions[jurisdiction].name, plan.attachment_title, first_line)),
        issuer=_optional_str(metadata.get("issuer")),
        jurisdiction=jurisdiction,
        source_file=source.path.name,
        sha256=source.sha256,
        attachment=plan.attachment.text if plan.attachment else None,
        encoding=source.encoding,
    )
    context = _Context(source, registry, meta)
    sections = tuple(_section(doc_id, s) for s in plan.sections)
    tasks = tuple(context.task(outline_task) for outline_task in plan.tasks)
    if not any(task.owners for task in tasks):
        raise DocumentError(
            source.path,
            f"no responsible-unit list found in {len(tasks)} numbered tasks",
            line=plan.tasks[0].line.number if plan.tasks else None,
            expected="tasks ending with a list such as '(责任单位:区商务委、区科委)'")
    targets = _targets(doc_id, plan, text)
    implements = tuple(context.implemented_policies(plan.preamble))
    return ParsedDocument(
        document=meta,
        text=text,
        sections=sections,
        tasks=tasks,
        targets=targets,
        implements=implements,
        units=tuple(context.units_with_members()),
        entities=tuple(context.entities.values()),
        review=tuple(context.review),
        notices=source.notices,
    )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _section(doc_id: str, section) -> Section:
    return Section(
        id=section_id(doc_id, section.path),
        marker=section.marker,
        number=section.number,
        title=section.title,
        level=section.level,
        parent_id=section_id(doc_id, section.parent.path) if section.parent else None,
        span=Span(start=section.line.start, end=section.line.end),
        line=section.line.number,
    )


def _targets(doc_id: str, plan: Outline, text: str) -> tuple[Target, ...]:
    lines = [*plan.preamble, *(line for _, line in plan.paragraphs)]
    found = []
    for line in lines:
        for match in find_targets(line.text, line.start):
            sentence = _sentence_around(text, match.span)
            found.append(Target(
                id=target_id(doc_id, len(found) + 1), metric=match.metric, scope=match.scope,
                operator=match.operator, value=match.value, unit=match.unit, year=match.year,
                sentence=sentence.text, span=match.span))
    return tuple(found)


def sentences_of(text: str, offset: int) -> list[tuple[str, Span]]:
    return [
        (match.group(0), Span(start=offset + match.start(), end=offset + match.end()))
        for match in SENTENCE_END.finditer(text)
        if match.group(0).strip()
    ]


def _sentence_around(text: str, span: Span) -> Sentence:
    start = max(text.rfind(mark, 0, span.start) for mark in "。！？\n") + 1
    ends = [i for i in (text.find(mark, span.end) for mark in "。！？") if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return Sentence(index=0, text=text[start:end].strip(), span=Span(start=start, end=end))


class _Context:
    """Per-document state: resolved units, mentioned entities and the review list."""

    def __init__(self, source: SourceText, registry: Registry, meta: DocumentMeta) -> None:
        self.source = source
        self.registry = registry
        self.meta = meta
        self.matcher = _matcher(registry, meta.jurisdiction)
        self.units: dict[str, UnitRecord] = {}
        self.entities: dict[str, EntityRecord] = {}
        self.review: list[ReviewItem] = []

    def task(self, item: OutlineTask) -> Task:
        line = item.line
        try:
            lists = find_unit_lists(line.text, line.start)
        except UnitListError as error:
            raise DocumentError(
                self.source.path,
                f"task {item.marker} {error.problem} (column {error.offset + 1})",
                line=line.number, expected=error.expected) from error
        body = _blank(self.source.text[line.start:line.end], lists, line.start)
        sentences = [
            Sentence(index=i, text=text.strip(), span=span)
            for i, (text, span) in enumerate(sentences_of(body, line.start))
            if text.strip()
        ]
        mentions = self._mentions(body, line.start, sentences, item.number)
        body_after_marker = self.source.text[line.start + len(item.marker):line.end]
        title = body_after_marker.split("。", 1)[0].strip()
        return Task(
            id=task_id(self.meta.id, item.number),
            number=item.number,
            marker=item.marker,
            title=title,
            text=line.text,
            section_id=section_id(self.meta.id, item.section.path) if item.section else None,
            span=Span(start=line.start, end=line.end),
            line=line.number,
            sentences=tuple(sentences),
            owners=tuple(self._owners(lists)),
            mentions=tuple(mentions),
        )

    def _owners(self, lists: list[UnitList]) -> Iterable[UnitMention]:
        rank = 0
        for unit_list in lists:
            for entry in unit_list.entries:
                rank += 1
                unit = resolve_unit(self.registry, entry.surface, self.meta.jurisdiction)
                self.units.setdefault(unit.id, unit)
                yield UnitMention(unit_id=unit.id, surface=entry.surface, rank=rank,
                                  role=entry.role, and_others=entry.and_others, span=entry.span)

    def _mentions(self, body: str, offset: int, sentences: list[Sentence],
                  task_number: int | None) -> list[EntityMention]:
        matches = self.matcher.find(body, offset)
        mentions = [self._mention(match, sentences) for match in matches]
        for candidate in unknown_names(body, (m.span for m in matches), offset):
            sentence = _containing(sentences, candidate.span)
            self.review.append(ReviewItem(
                surface=candidate.surface, reason=candidate.reason, task_number=task_number,
                sentence=sentence.text if sentence else "", span=candidate.span))
        return mentions

    def _mention(self, match: NameMatch, sentences: list[Sentence]) -> EntityMention:
        if match.target_id in self.registry.entities:
            self.entities.setdefault(match.target_id, self.registry.entities[match.target_id])
        else:
            self.units.setdefault(match.target_id, self.registry.units[match.target_id])
        sentence = _containing(sentences, match.span)
        return EntityMention(
            entity_id=match.target_id, surface=match.surface,
            sentence_index=sentence.index if sentence else -1,
            sentence=sentence.text if sentence else "", span=match.span)

    def implemented_policies(self, preamble: list[Line]) -> Iterable[PolicyReference]:
        for line in preamble:
            for match in IMPLEMENTS.finditer(line.text):
                title = match.group("title")
                span = Span(start=line.start + match.start("title"),
                            end=line.start + match.end("title"))
                entity = self._policy(title)
                sentence = _sentence_around(self.source.text, span)
                yield PolicyReference(entity_id=entity.id, title=title, sentence=sentence.text,
                                      span=span)

    def _policy(self, title: str) -> EntityRecord:
        matches = self.matcher.find(title)
        known = next((m for m in matches if m.surface == title
                      and m.target_id in self.registry.entities), None)
        if known:
            entity = self.registry.entities[known.target_id]
        else:
            entity = EntityRecord(id=f"policy-{_short_hash(title)}", label="Policy", name=title,
                                  source=f"named in {self.meta.source_file}", verified=False)
        self.entities.setdefault(entity.id, entity)
        return entity

    def units_with_members(self) -> list[UnitRecord]:
        result = dict(self.units)
        for unit in self.units.values():
            for member in unit.members:
                result.setdefault(member, self.registry.units[member])
        return list(result.values())


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _blank(text: str, lists: list[UnitList], offset: int) -> str:
    """The text with unit lists replaced by spaces, so offsets stay valid."""
    chars = list(text)
    for unit_list in lists:
        for index in range(unit_list.span.start - offset, unit_list.span.end - offset):
            chars[index] = " "
    return "".join(chars)


def _containing(sentences: list[Sentence], span: Span) -> Sentence | None:
    return next((s for s in sentences if s.span.start <= span.start < s.span.end), None)


def _matcher(registry: Registry, jurisdiction: str) -> NameMatcher:
    return registry.name_matcher(jurisdiction)

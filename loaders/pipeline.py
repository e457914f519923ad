"""From a document file to a ParsedDocument: outline, unit lists, mentions, targets, review."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from livekg.loaders.collector import with_collector_paused
from livekg.loaders.discovery import discovered_entity, discovered_id
from livekg.loaders.errors import DocumentError
from livekg.loaders.flat_table import find_flat_tables
from livekg.loaders.jurisdictions import (
    FOOT_LINES,
    HEAD_LINES,
    UNSTATED_JURISDICTION,
    jurisdiction_finder,
)
from livekg.loaders.mentions import NameMatch
from livekg.loaders.metadata import document_id, infer_title, read_sidecar
from livekg.loaders.models import (
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
    UnitRole,
)
from livekg.loaders.names import MAX_UNIT_NAME, clean_name
from livekg.loaders.outline_ids import section_id, target_id, task_id
from livekg.loaders.paths import DOCUMENT_SUFFIXES
from livekg.loaders.registry import Jurisdiction, Registry
from livekg.loaders.repeated_names import RepeatedNames, repeatable_surfaces
from livekg.loaders.review import discover_names, outside_names
from livekg.loaders.scripts import to_simplified
from livekg.loaders.source import MAX_DOCUMENT_BYTES, SourceText, read_source
from livekg.loaders.structure import Item, Line, Outline, lines_of, outline, own_ranges
from livekg.loaders.table import is_table, parse_table
from livekg.loaders.targets import find_targets
from livekg.loaders.unit_lists import (
    UnitEntry,
    UnitList,
    UnitListError,
    find_unit_lists,
    prose_unit_list,
)
from livekg.loaders.units import resolve_unit

SENTENCE_END = re.compile(r"[^。！？!?]*[。！？!?]|[^。！？!?]+$")
IMPLEMENTS = re.compile(r"(?:落实|贯彻|根据|按照|依据)《(?P<title>[^》]+)》")
# The lead convention ("列第一位的为牵头单位", "排在首位的部门为牵头部门，其余为配合部门", …): found
# by its keywords, then widened to its clause (from the last 。；; or line break before it to
# the next 。 or line break), not by a pattern whose leading [^。；;]* is retried at every
# position of the text.
LEAD_RULE_KEYWORDS = re.compile(r"(?:第一|首位|首个)[^。；;\n]{0,12}牵头")
TASK_KINDS = frozenset({"numbered", "clause", "sub", "ordinal"})
SPLIT_KINDS = frozenset({"sub", "ordinal"})


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


def load_documents(paths: Iterable[str | Path], registry: Registry,
                   on_file: Callable[[Path], None] | None = None,
                   strict: bool = False, max_bytes: int = MAX_DOCUMENT_BYTES) -> LoadResult:
    """Parse every file; a bad file is reported in `errors` and the others still parse.

    `strict` refuses what is otherwise loaded with a notice: a plan without unit lists, and
    a plan whose jurisdiction is not a known division or registry jurisdiction. A file over
    `max_bytes` is refused before it is read."""
    result = LoadResult()
    for path in document_files(paths):
        if on_file is not None:
            on_file(path)
        try:
            result.documents.append(parse_file(path, registry, strict=strict,
                                               max_bytes=max_bytes))
        except DocumentError as error:
            result.errors.append(error)
    return result


def parse_file(path: str | Path, registry: Registry, strict: bool = False,
               max_bytes: int = MAX_DOCUMENT_BYTES) -> ParsedDocument:
    path = Path(path)
    source = read_source(path, max_bytes)
    return parse_source(source, registry, read_sidecar(path), strict=strict)


@with_collector_paused   # why: loaders/collector.py
def parse_source(source: SourceText, registry: Registry,
                 metadata: Mapping[str, object] | None = None,
                 strict: bool = False) -> ParsedDocument:
    """The pure parsing step: decoded text (and optional metadata) to typed records."""
    if is_table(source):
        source = parse_table(source)
    return _Parser(source, registry, metadata or {}, strict).parse()


@dataclass
class _Classified:
    sections: list[Item] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)
    lists: dict[int, list[UnitList]] = field(default_factory=dict)


class _Parser:
    """One document's parse: the working text is simplified Chinese with the same offsets as
    the original, so names match through the simplified form while records keep the original."""

    def __init__(self, source: SourceText, registry: Registry,
                 metadata: Mapping[str, object], strict: bool = False) -> None:
        self.source = source
        self.strict = strict
        self.registry = registry
        self.metadata = metadata
        self.original = source.text
        self.text = to_simplified(source.text)
        self.units: dict[str, UnitRecord] = {}
        self.entities: dict[str, EntityRecord] = {}
        # A plan names the same few dozen units in task after task: each is resolved once,
        # by its name as written (a str's hash is kept; a CleanName's is computed per lookup).
        self._resolved: dict[str, UnitRecord] = {}
        self.review: list[ReviewItem] = []
        self.notices: list[str] = list(source.notices)
        self.row_lists: dict[int, list[UnitList]] = {}

    def parse(self) -> ParsedDocument:
        rows = [row for table in find_flat_tables(self.text) for row in table.rows]
        self.row_lists = {row.row.start: list(row.lists) for row in rows}
        plan = outline(self.text, [row.row for row in rows])
        meta = self._meta(plan)
        self.meta = meta
        self.matcher = self.registry.name_matcher(meta.jurisdiction)
        classified = self._classify(plan)
        if not any(classified.lists.get(id(t)) for t in classified.tasks):
            first = classified.tasks[0].line if classified.tasks else None
            problem = f"no responsible-unit list found in {len(classified.tasks)} numbered tasks"
            if self.strict:
                raise DocumentError(
                    self.source.path, problem, line=first,
                    expected="tasks ending with a list such as '(责任单位:区商务委、区科委)' "
                             "or '（区商务委牵头，区科委配合）'")
            self.notices.append(f"{self.source.path}: {problem}; loaded its tasks, sections, "
                                f"mentions and targets without owners")
        section_ids = self._section_ids(classified.sections)
        task_ids = self._task_ids(classified.tasks, section_ids)
        lead_rule = _lead_rule(self.text)
        built = []
        for item in classified.tasks:
            lists = classified.lists.get(id(item), [])
            body = _blank(self.text, item.start, item.end, lists)
            built.append((item, body, self._task(item, body, task_ids[id(item)], lists,
                                                 _section_of(item, section_ids), lead_rule)))
        tasks = tuple(self._with_repeated_names(built))
        sections = tuple(self._section(item, section_ids) for item in classified.sections)
        return ParsedDocument(
            document=meta,
            text=self.original,
            sections=sections,
            tasks=tasks,
            targets=self._targets(plan, classified),
            implements=tuple(self._implemented(plan)),
            units=tuple(self._units_with_members()),
            entities=tuple(self.entities.values()),
            review=tuple(self.review),
            notices=tuple(self.notices),
        )

    # -- metadata -----------------------------------------------------------------------------
    def _meta(self, plan: Outline) -> DocumentMeta:
        metadata = self.metadata
        jurisdiction = self._jurisdiction(plan).id
        title_line = plan.title_line.text if plan.title_line else None
        first_line = plan.preamble[0].text if plan.preamble else self.source.path.stem
        title = str(metadata.get("title") or self._original_of(plan.title_line) or infer_title(
            self.registry.jurisdictions[jurisdiction].name, plan.attachment_title,
            title_line or first_line))
        return DocumentMeta(
            id=str(metadata.get("id") or document_id(self.source.path)),
            title=title,
            issuer=None if metadata.get("issuer") is None else str(metadata["issuer"]),
            jurisdiction=jurisdiction,
            source_file=self.source.path.name,
            sha256=self.source.sha256,
            attachment=self._original_of(plan.attachment),
            encoding=self.source.encoding,
        )

    def _jurisdiction(self, plan: Outline) -> Jurisdiction:
        """The sidecar's jurisdiction (an id or a name), else the one the plan names itself;
        an unknown one is kept as written with a notice (refused when strict)."""
        finder = jurisdiction_finder(self.registry)
        named = self.metadata.get("jurisdiction")
        title = plan.title_line.text if plan.title_line else None
        if named:
            named = str(named)
            found = self.registry.jurisdictions.get(named) or finder.resolve_name(named, self.text)
            if found is None or found.as_written:
                return self._unverified(found or finder.unverified(named, self.text),
                                        f"the sidecar's jurisdiction {named!r}")
            return found
        head = [line.text for line in plan.preamble[:HEAD_LINES]]
        foot = [line.text for line in lines_of(self.text)][-FOOT_LINES:]
        inference = finder.infer(self.text, title, head, foot)
        if inference is None:
            return self._unverified(finder.unverified(UNSTATED_JURISDICTION),
                                    "no jurisdiction named in the title, number or issuer lines")
        if inference.jurisdiction.as_written:
            return self._unverified(inference.jurisdiction, inference.evidence)
        self.notices.append(f"{self.source.path}: jurisdiction "
                            f"{inference.jurisdiction.display_name} ({inference.evidence})")
        return inference.jurisdiction

    def _unverified(self, jurisdiction: Jurisdiction, why: str) -> Jurisdiction:
        problem = (f"jurisdiction {jurisdiction.name!r} is not a known division or registry "
                   f"jurisdiction ({why})")
        if self.strict:
            raise DocumentError(self.source.path, problem,
                                expected="a sidecar YAML naming a division of China or a "
                                         "jurisdiction from data/registry/jurisdictions.yaml")
        self.notices.append(f"{self.source.path}: {problem}; kept as written, unverified")
        return jurisdiction

    def _original_of(self, line: Line | None) -> str | None:
        return self.original[line.start:line.end] if line is not None else None

    # -- tasks and sections -------------------------------------------------------------------
    def _classify(self, plan: Outline) -> _Classified:
        """An item carrying a unit list is a task; one grouping tasks is a section."""
        result = _Classified()
        for item in reversed(list(plan.walk())):
            split = [c for c in item.children if c.kind in SPLIT_KINDS]
            if split and not all(result.lists.get(id(c)) for c in split):
                # Sub-items without lists of their own are part of their parent's text.
                item.children = [c for c in item.children if c.kind not in SPLIT_KINDS]
            result.lists[id(item)] = self._lists_in(item)
        self._lift_group_lists(plan, result.lists)
        self._fold_listless_sub_items(plan, result.lists)
        tasks: set[int] = set()
        # Items with a task among their descendants: the walk reversed meets every item after
        # all of its descendants, so a look at its children answers (not a walk of its subtree).
        above_tasks: set[int] = set()
        for item in reversed(list(plan.walk())):
            if any(id(c) in tasks or id(c) in above_tasks for c in item.children):
                above_tasks.add(id(item))
                if result.lists[id(item)]:
                    self.notices.append(
                        f"{self.source.path}:{item.line}: item {item.marker} groups tasks and "
                        f"has its own unit list; the list is not applied to the tasks")
                continue
            if result.lists[id(item)] or (item.kind in TASK_KINDS and not item.children):
                tasks.add(id(item))
        for item in plan.walk():
            (result.tasks if id(item) in tasks else result.sections).append(item)
        return result

    @staticmethod
    def _lift_group_lists(plan: Outline, lists: dict[int, list[UnitList]]) -> None:
        """A unit line after the last sub-item of a group, where no other sub-item has a list,
        covers the whole group: its list moves up to the group item."""
        for item in list(plan.walk()):
            own = lists.get(id(item), [])
            if item.children or not own or not all(u.on_own_line for u in own):
                continue
            target = item
            while (target.parent is not None and target is target.parent.children[-1]
                   and not lists.get(id(target.parent))
                   and not any(lists.get(id(other)) for child in target.parent.children
                               if child is not target for other in _subtree(child))):
                target = target.parent
            if target is not item:  # the sub-items become the group task's own text
                lists[id(target)], lists[id(item)] = own, []
                target.children = []

    @staticmethod
    def _fold_listless_sub_items(plan: Outline, lists: dict[int, list[UnitList]]) -> None:
        """An item whose own paragraph carries the list, over sub-items that carry none, is
        one task: 第六条 …给予三年100%房租补贴。（责任单位：崂山区政府） then （一）申报条件 1. …
        （二）申报材料 … — the conditions and papers of that subsidy, not tasks of their own."""
        for item in list(plan.walk()):
            if item.children and lists.get(id(item)) and not any(
                    lists.get(id(below)) for child in item.children for below in _subtree(child)):
                item.children = []

    def _lists_in(self, item: Item) -> list[UnitList]:
        if item.kind == "numbered" and item.start in self.row_lists:  # a flattened table's row
            return self.row_lists[item.start]
        lists: list[UnitList] = []
        for start, end in own_ranges(item):
            try:
                lists.extend(find_unit_lists(self.text[start:end], start))
            except UnitListError as error:
                offset = start + error.offset
                line = self.text.count("\n", 0, offset) + 1
                column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
                raise DocumentError(
                    self.source.path,
                    f"task {item.marker.rstrip('.．、')} {error.problem} (column {column})",
                    line=line, expected=error.expected) from error
        if not lists and not item.children:  # roles in the sentence itself: X配合Y对…
            prose = prose_unit_list(self.text, item.start + len(item.marker), item.end)
            lists = [prose] if prose is not None else []
        return lists

    def _section_ids(self, sections: list[Item]) -> dict[int, str]:
        ids: dict[int, str] = {}
        taken: set[str] = set()
        for item in sections:
            parent = next((a for a in item.ancestors() if id(a) in ids), None)
            path = f"{ids[id(parent)].rsplit(':', 1)[1]}.{item.number}" if parent else str(
                item.number)
            ids[id(item)] = _first_free(section_id(self.meta.id, path), taken)
        return ids

    def _task_ids(self, tasks: list[Item], section_ids: dict[int, str]) -> dict[int, str]:
        numbers = [t.number for t in tasks]
        unique = len(set(numbers)) == len(numbers)
        ids: dict[int, str] = {}
        taken: set[str] = set()
        for item in tasks:
            section = _section_of(item, section_ids)
            if unique or section is None:
                path = str(item.number)
            else:
                path = f"{section.rsplit(':', 1)[1]}.{item.number}"
            # N, or section.N where numbers restart
            ids[id(item)] = _first_free(task_id(self.meta.id, path), taken)
        return ids

    def _section(self, item: Item, section_ids: dict[int, str]) -> Section:
        parent = next((a for a in item.ancestors() if id(a) in section_ids), None)
        head_end = self.text.find("\n", item.start, item.end)
        head_end = head_end if head_end >= 0 else item.end
        head = self.original[item.start + len(item.marker):head_end]
        return Section(
            id=section_ids[id(item)], marker=item.marker, number=item.number,
            title=_first_clause(head), level=1 + sum(1 for _ in _section_ancestors(
                item, section_ids)),
            parent_id=section_ids[id(parent)] if parent else None,
            span=Span(start=item.start, end=head_end), line=item.line)

    def _task(self, item: Item, body: str, task_id_: str, lists: list[UnitList],
              section: str | None, lead_rule: LeadRule | None) -> Task:
        """`body` is the item's working text with its unit lists blanked."""
        sentences = [
            Sentence(index=i, text=self.original[start:end].strip(),
                     span=Span(start=start, end=end))
            for i, (start, end) in enumerate(_sentence_spans(body, item.start))
        ]
        without_lists = _blank(self.original, item.start, item.end, lists)
        return Task(
            id=task_id_, number=item.number, marker=item.marker,
            title=_first_clause(without_lists[len(item.marker):]),
            text=self.original[item.start:item.end].strip(), section_id=section,
            span=Span(start=item.start, end=item.end), line=item.line,
            sentences=tuple(sentences),
            owners=tuple(self._owners(lists, lead_rule if lead_rule and lead_rule.at < item.end
                                      else None)),
            mentions=tuple(self._mentions(body, item.start, sentences, item.number)))

    def _owners(self, lists: list[UnitList],
                lead_rule: LeadRule | None) -> Iterable[UnitMention]:
        rank = 0
        # 牵头单位：X then 责任单位：Y on lines of their own: once the task names a lead, the
        # units given no role support it (as inside one list). Lists in brackets after each
        # sentence group of one item (数字山东2019: （A牵头，B配合）… （C分工负责）) are
        # assignments of their own: a lead in one says nothing about the units of another.
        has_lead = any(entry.role == "lead" for unit_list in lists if unit_list.on_own_line
                       for entry in unit_list.entries)
        for unit_list in lists:
            # 列第一位的为牵头单位: the first of each list leads (an item with a list after each
            # of its sentence groups has one lead per list: 宁波 甬政办发〔2026〕7号).
            rank_in_list = 0
            for entry in unit_list.entries:
                surface = self.original[entry.span.start:entry.span.end]
                written = entry.meant or entry.surface
                name = clean_name(written)
                if name.too_long:
                    self._review_long_name(surface, entry.span)
                    continue
                if name.changed:
                    self.notices.append(
                        f"{self.source.path}:{self._line_at(entry.span.start)}: unit name "
                        f"{surface!r} read as {name.name!r} (invisible or compatibility "
                        f"characters removed)")
                rank += 1
                rank_in_list += 1
                role = entry.role or ("support" if has_lead and unit_list.on_own_line
                                      else None)
                if role is None and lead_rule is not None:
                    role = lead_rule.role(rank_in_list, entry, unit_list, self.text)
                unit = self._resolved.get(written)
                if unit is None:
                    unit = self._resolved[written] = resolve_unit(self.registry, name,
                                                               self.meta.jurisdiction)
                self.units.setdefault(unit.id, unit)
                yield UnitMention(unit_id=unit.id, surface=clean_name(surface).name, rank=rank,
                                  role=role, and_others=entry.and_others, span=entry.span)

    def _review_long_name(self, surface: str, span: Span) -> None:
        sentence = _sentence_around(self.original, span)
        self.review.append(ReviewItem(
            surface=surface, reason=f"a unit name longer than {MAX_UNIT_NAME} characters",
            task_number=None, sentence=sentence, span=span))

    def _line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    # -- mentions, targets, policies ----------------------------------------------------------
    def _mentions(self, body: str, offset: int, sentences: list[Sentence],
                  task_number: int | None) -> list[EntityMention]:
        matches = self.matcher.find(body, offset)
        candidates = discover_names(body, offset, matches, self.registry)
        mentions = [self._mention(match, sentences)
                    for match in outside_names(matches, candidates)]
        for candidate in candidates:
            # A name the registry does not know becomes a discovered entity, and is listed
            # for review.
            # (the record is built where the name is first met: its first reading is kept)
            entity_id = discovered_id(candidate, self.meta.jurisdiction)
            if entity_id not in self.entities:
                self.entities[entity_id] = discovered_entity(candidate, self.meta.jurisdiction,
                                                             self.meta.source_file)
            span = Span(start=candidate.span.start, end=candidate.span.end)
            mentions.append(self._discovered_mention(entity_id, span, sentences,
                                                     candidate.method, task_number))
        return sorted(mentions, key=lambda m: m.span.start)

    def _discovered_mention(self, entity_id: str, span: Span, sentences: list[Sentence],
                            reason: str, task_number: int | None) -> EntityMention:
        """A mention of a discovered entity, also listed for review with its evidence."""
        sentence = _containing(sentences, span)
        surface = self.original[span.start:span.end]
        self.review.append(ReviewItem(
            surface=surface, reason=reason, task_number=task_number,
            sentence=sentence.text if sentence else "", span=span))
        return EntityMention(
            entity_id=entity_id, surface=surface,
            sentence_index=sentence.index if sentence else -1,
            sentence=sentence.text if sentence else "", span=span)

    def _with_repeated_names(self, built: list[tuple[Item, str, Task]]) -> Iterator[Task]:
        """Each task, with the names discovered anywhere in the plan mentioned where it writes
        them again (loaders/repeated_names.py). `built` holds each task's item and body."""
        names: dict[str, str] = {}
        for _, _, task in built:
            for mention in task.mentions:
                entity = self.entities.get(mention.entity_id)
                if entity is not None and entity.status == "discovered":
                    surface = self.text[mention.span.start:mention.span.end]
                    for form in repeatable_surfaces(surface):
                        names.setdefault(form, entity.id)
        repeated = RepeatedNames(names)
        for item, body, task in built:
            found = list(repeated.find(body, item.start, [m.span for m in task.mentions]))
            if not found:
                yield task
                continue
            sentences = list(task.sentences)
            added = [self._discovered_mention(entity_id, span, sentences, "repeated", task.number)
                     for entity_id, span in found]
            yield task.model_copy(update={"mentions": tuple(
                sorted((*task.mentions, *added), key=lambda m: m.span.start))})

    def _mention(self, match: NameMatch, sentences: list[Sentence]) -> EntityMention:
        if match.target_id in self.registry.entities:
            self.entities.setdefault(match.target_id, self.registry.entities[match.target_id])
        else:
            self.units.setdefault(match.target_id, self.registry.units[match.target_id])
        sentence = _containing(sentences, match.span)
        return EntityMention(
            entity_id=match.target_id,
            surface=self.original[match.span.start:match.span.end],
            sentence_index=sentence.index if sentence else -1,
            sentence=sentence.text if sentence else "", span=match.span)

    def _targets(self, plan: Outline, classified: _Classified) -> tuple[Target, ...]:
        ranges = [(line.start, line.end) for line in plan.preamble]
        for item in classified.sections:
            ranges.extend(own_ranges(item))
        found: list[Target] = []
        for start, end in sorted(ranges):
            for match in find_targets(self.text[start:end], start):
                sentence = _sentence_around(self.original, match.span)
                found.append(Target(
                    id=target_id(self.meta.id, len(found) + 1), metric=match.metric,
                    scope=match.scope, operator=match.operator, value=match.value,
                    unit=match.unit, year=match.year, sentence=sentence, span=match.span))
        return tuple(found)

    def _implemented(self, plan: Outline) -> Iterable[PolicyReference]:
        lines = [*([plan.title_line] if plan.title_line else []), *plan.preamble]
        for line in lines:
            for match in IMPLEMENTS.finditer(self.text, line.start, line.end):
                span = Span(start=match.start("title"), end=match.end("title"))
                title = self.original[span.start:span.end]
                entity = self._policy(match.group("title"), title)
                yield PolicyReference(entity_id=entity.id, title=title,
                                      sentence=_sentence_around(self.original, span), span=span)

    def _policy(self, simplified_title: str, title: str) -> EntityRecord:
        known = next((m for m in self.matcher.find(simplified_title)
                      if m.surface == simplified_title and m.target_id in self.registry.entities),
                     None)
        if known:
            entity = self.registry.entities[known.target_id]
        else:
            digest = hashlib.sha1(simplified_title.encode("utf-8")).hexdigest()[:10]
            entity = EntityRecord(id=f"policy-{digest}", label="Policy", name=title,
                                  source=f"named in {self.meta.source_file}", verified=False)
        self.entities.setdefault(entity.id, entity)
        return entity

    def _units_with_members(self) -> list[UnitRecord]:
        result = dict(self.units)
        for unit in self.units.values():
            for member in unit.members:
                result.setdefault(member, self.registry.units[member])
        return list(result.values())


def _first_free(candidate: str, taken: set[str]) -> str:
    """`candidate`, primed (') until no earlier id has it; the result is taken."""
    while candidate in taken:
        candidate += "'"
    taken.add(candidate)
    return candidate


def _subtree(item: Item) -> Iterable[Item]:
    yield item
    for child in item.children:
        yield from _subtree(child)


def _section_of(item: Item, section_ids: dict[int, str]) -> str | None:
    return next((section_ids[id(a)] for a in item.ancestors() if id(a) in section_ids), None)


def _section_ancestors(item: Item, section_ids: dict[int, str]) -> Iterable[Item]:
    return (a for a in item.ancestors() if id(a) in section_ids)


def _first_clause(text: str) -> str:
    """A task's or section's title: its text up to the first full stop (or semicolon)."""
    head = re.split(r"[。；;\n]", text.strip(), maxsplit=1)[0]
    return head.strip().rstrip("：:，,")


@dataclass(frozen=True)
class LeadRule:
    """A plan's convention for unmarked lists, stated once (列第一位者为牵头单位，下同): it
    applies from the task that states it on, that task included."""

    at: int
    before_first_comma: bool  # 第一个逗号前为牵头单位: the units before the first ，lead

    def role(self, rank: int, entry: UnitEntry, unit_list: UnitList, text: str) -> UnitRole:
        if not self.before_first_comma:
            return "lead" if rank == 1 else "support"
        start = unit_list.entries[0].span.start
        commas = [i for i in (text.find(c, start, unit_list.span.end) for c in "，,") if i >= 0]
        first_comma = min(commas) if commas else unit_list.span.end
        return "lead" if entry.span.end <= first_comma else "support"


def _lead_rule(text: str) -> LeadRule | None:
    """Where a document declares which listed units lead."""
    match = LEAD_RULE_KEYWORDS.search(text)
    if match is None:
        return None
    start = max(text.rfind(mark, 0, match.start()) for mark in "。；;\n") + 1
    ends = [at for at in (text.find(mark, match.end()) for mark in "。\n") if at >= 0]
    clause = text[start:min(ends, default=len(text))]
    return LeadRule(start, "逗号" in clause)


def _sentence_spans(text: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, its surrounding spaces left out, shifted by
    `offset`."""
    found = []
    for match in SENTENCE_END.finditer(text):
        left = match.group(0).lstrip()
        sentence = left.rstrip()
        if sentence:
            end = offset + match.end() - (len(left) - len(sentence))
            found.append((end - len(sentence), end))
    return found


def _sentence_around(text: str, span: Span) -> str:
    start = max(text.rfind(mark, 0, span.start) for mark in "。！？\n") + 1
    ends = [i for i in (text.find(mark, span.end) for mark in "。！？\n") if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def _blank(text: str, start: int, end: int, lists: list[UnitList]) -> str:
    """text[start:end] with unit lists replaced by spaces, so offsets stay valid."""
    pieces, at = [], start
    for list_start, list_end in sorted((u.span.start, u.span.end) for u in lists):
        list_start, list_end = max(list_start, at), min(list_end, end)
        if list_start < list_end:
            pieces += [text[at:list_start], " " * (list_end - list_start)]
            at = list_end
    pieces.append(text[at:end])
    return "".join(pieces)


def _containing(sentences: list[Sentence], span: Span) -> Sentence | None:
    # (a loop, not next() over a generator: asked for every mention of every task)
    start = span.start
    for sentence in sentences:
        if sentence.span.start <= start < sentence.span.end:
            return sentence
    return None

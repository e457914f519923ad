"""How well the loaders read real plans: parse a folder of plans and compare with hand labels.

Each plan `<slug>.txt` in the folder has its gold labels in `<slug>.gold.yaml` (format:
tests/corpus/README.md). A gold task is found in the parse by its anchor, a verbatim phrase at
the start of the task's own text: the parsed task whose span holds the anchor is its match.
Owner pairs are (task, unit as written); a parsed task that matches no gold task contributes
only false pairs, a gold task without a match only missed ones.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from livekg.loaders.errors import DocumentError
from livekg.loaders.models import ParsedDocument, Task, UnitMention
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import Registry

GOLD_SUFFIX = ".gold.yaml"
T = TypeVar("T")


@dataclass(frozen=True)
class GoldTask:
    anchor: str
    units: tuple[str, ...]
    lead: tuple[str, ...] | None
    support: tuple[str, ...] | None

    @property
    def marks_roles(self) -> bool:
        return self.lead is not None or self.support is not None


@dataclass(frozen=True)
class Gold:
    slug: str
    jurisdiction: str
    tasks: tuple[GoldTask, ...]


@dataclass(frozen=True)
class TaskResult:
    anchor: str
    expected: tuple[str, ...]
    found: tuple[str, ...] | None = field(
        metadata={"doc": "owners in order, or None when no parsed task holds the anchor"})

    @property
    def exact(self) -> bool:
        return self.found == self.expected


@dataclass(frozen=True)
class DocumentResult:
    slug: str
    error: str | None = None
    jurisdiction_expected: str = ""
    jurisdiction_found: str | None = None
    tasks: tuple[TaskResult, ...] = ()
    true_pairs: int = 0
    false_pairs: int = 0
    missed_pairs: int = 0
    roles_right: int = 0
    roles_marked: int = 0
    notices: tuple[str, ...] = ()

    @property
    def loaded(self) -> bool:
        return self.error is None

    @property
    def exact_lists(self) -> int:
        return sum(1 for t in self.tasks if t.exact)


@dataclass(frozen=True)
class EvaluationReport:
    documents: tuple[DocumentResult, ...]

    @property
    def load_failures(self) -> tuple[DocumentResult, ...]:
        return tuple(d for d in self.documents if not d.loaded)

    @property
    def true_pairs(self) -> int:
        return sum(d.true_pairs for d in self.documents)

    @property
    def false_pairs(self) -> int:
        return sum(d.false_pairs for d in self.documents)

    @property
    def missed_pairs(self) -> int:
        return sum(d.missed_pairs for d in self.documents)

    @property
    def precision(self) -> float:
        return _ratio(self.true_pairs, self.true_pairs + self.false_pairs)

    @property
    def recall(self) -> float:
        return _ratio(self.true_pairs, self.true_pairs + self.missed_pairs)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def gold_tasks(self) -> int:
        return sum(len(d.tasks) for d in self.documents)

    @property
    def exact_lists(self) -> int:
        return sum(d.exact_lists for d in self.documents)

    @property
    def exact_share(self) -> float:
        return _ratio(self.exact_lists, self.gold_tasks)

    @property
    def role_accuracy(self) -> float:
        return _ratio(sum(d.roles_right for d in self.documents),
                      sum(d.roles_marked for d in self.documents))


def read_gold(path: Path) -> Gold:
    """One `<slug>.gold.yaml`; a malformed file is a DocumentError naming it."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DocumentError(path, f"gold labels are not valid YAML: {error}",
                            expected="a mapping with id, jurisdiction and tasks") from error
    if not isinstance(content, dict) or not isinstance(content.get("tasks"), list):
        raise DocumentError(path, "gold labels have no list under 'tasks'",
                            expected="a mapping with id, jurisdiction and tasks")
    tasks = []
    for index, row in enumerate(content["tasks"], start=1):
        if not isinstance(row, dict) or not row.get("anchor") or not row.get("units"):
            raise DocumentError(path, f"gold task {index} has no anchor or no units",
                                expected="anchor: <phrase>, units: [<unit>, …]")
        tasks.append(GoldTask(
            anchor=str(row["anchor"]), units=tuple(map(_name, row["units"])),
            lead=_names(row.get("lead")), support=_names(row.get("support"))))
    return Gold(slug=path.name.removesuffix(GOLD_SUFFIX),
                jurisdiction=str(content.get("jurisdiction") or ""), tasks=tuple(tasks))


def evaluate_folder(path: str | Path, registry: Registry,
                    parse: Callable[[Path], ParsedDocument] | None = None) -> EvaluationReport:
    """Parse every plan in `path` that has gold labels and score it against them. `parse`
    (default: parse_file with `registry`) lets a caller share one parse per plan with the
    entity evaluation."""
    folder = Path(path)
    parse = parse or (lambda plan: parse_file(plan, registry))
    results = []
    for gold_path in sorted(folder.glob(f"*{GOLD_SUFFIX}")):
        gold = read_gold(gold_path)
        plan = folder / f"{gold.slug}.txt"
        try:
            parsed = parse(plan)
        except DocumentError as error:
            results.append(DocumentResult(slug=gold.slug, error=str(error),
                                          jurisdiction_expected=gold.jurisdiction,
                                          tasks=tuple(TaskResult(t.anchor, t.units, None)
                                                      for t in gold.tasks),
                                          missed_pairs=sum(len(t.units) for t in gold.tasks)))
            continue
        results.append(score_document(gold, parsed, registry))
    return EvaluationReport(tuple(results))


def score_document(gold: Gold, parsed: ParsedDocument, registry: Registry) -> DocumentResult:
    owners = _owners_by_anchor(gold, parsed)
    results: list[TaskResult] = []
    true = missed = roles_right = roles_marked = 0
    for gold_task in gold.tasks:
        found_owners = owners.get(gold_task.anchor)
        found = tuple(_name(o.surface) for o in found_owners) if found_owners is not None \
            else None
        results.append(TaskResult(gold_task.anchor, gold_task.units, found))
        hit = sum((Counter(gold_task.units) & Counter(found or ())).values())
        true += hit
        missed += len(gold_task.units) - hit
        if gold_task.marks_roles:
            expected_roles = _expected_roles(gold_task)
            found_roles = {_name(o.surface): o.role for o in found_owners or ()}
            roles_marked += len(expected_roles)
            roles_right += sum(1 for unit, role in expected_roles.items()
                               if found_roles.get(unit) == role)
    owners_found = sum(len(t.owners) for t in parsed.tasks)
    jurisdiction = registry.jurisdictions.get(parsed.document.jurisdiction)
    return DocumentResult(
        slug=gold.slug, jurisdiction_expected=gold.jurisdiction,
        jurisdiction_found=jurisdiction.display_name if jurisdiction else None,
        tasks=tuple(results), true_pairs=true, false_pairs=owners_found - true,
        missed_pairs=missed, roles_right=roles_right, roles_marked=roles_marked,
        notices=parsed.notices)


def render(report: EvaluationReport) -> str:
    """The report as a text table: one row per document, then the overall figures."""
    header = (f"{'document':46} {'tasks':>5} {'P':>6} {'R':>6} {'F1':>6} {'exact':>7} "
              f"{'roles':>7}  jurisdiction")
    lines = [header, "-" * len(header)]
    for doc in report.documents:
        if not doc.loaded:
            lines.append(f"{doc.slug[:46]:46} {len(doc.tasks):>5}  LOAD FAILED: {doc.error}")
            continue
        precision = _ratio(doc.true_pairs, doc.true_pairs + doc.false_pairs)
        recall = _ratio(doc.true_pairs, doc.true_pairs + doc.missed_pairs)
        roles = f"{doc.roles_right}/{doc.roles_marked}" if doc.roles_marked else "-"
        place = doc.jurisdiction_found or "(none)"
        mark = "" if _same_place(place, doc.jurisdiction_expected) else \
            f"  (gold: {doc.jurisdiction_expected})"
        lines.append(
            f"{doc.slug[:46]:46} {len(doc.tasks):>5} {precision:6.3f} {recall:6.3f} "
            f"{_f1(precision, recall):6.3f} {doc.exact_lists:>3}/{len(doc.tasks):<3} "
            f"{roles:>7}  {place}{mark}")
    lines.append("-" * len(header))
    loaded = len(report.documents) - len(report.load_failures)
    lines.append(
        f"overall: {loaded}/{len(report.documents)} documents loaded; owner pairs "
        f"P {report.precision:.3f} R {report.recall:.3f} F1 {report.f1:.3f} "
        f"({report.true_pairs} right, {report.false_pairs} wrong, {report.missed_pairs} missed); "
        f"exact ordered lists {report.exact_lists}/{report.gold_tasks} "
        f"({report.exact_share:.1%}); lead/support accuracy {report.role_accuracy:.3f}")
    return "\n".join(lines)


def _owners_by_anchor(gold: Gold, parsed: ParsedDocument) -> dict[str, list[UnitMention]]:
    placed, _ = by_anchor([t.anchor for t in gold.tasks], parsed,
                          lambda task: [(owner.span.start, owner) for owner in task.owners])
    return placed


def by_anchor(anchors: Sequence[str], parsed: ParsedDocument,
              items: Callable[[Task], Iterable[tuple[int, T]]]
              ) -> tuple[dict[str, list[T]], list[T]]:
    """Each gold anchor's items (owners, entity mentions) in the parse, and the items of parsed
    tasks that hold no gold anchor. A gold task is matched by the parsed task whose span holds
    its anchor. Where the labels split one parsed task into several (a plan that puts a unit
    list after each group of sentences of an item, each labelled as a task), each item goes to
    the last of those anchors before its own position, by span."""
    at = [(parsed.text.find(anchor), anchor) for anchor in anchors]
    found: dict[str, list[T]] = {}
    outside: list[T] = []
    for task in parsed.tasks:
        inside = sorted((start, anchor) for start, anchor in at
                        if start >= 0 and task.span.start <= start < task.span.end)
        if not inside:
            outside.extend(item for _, item in items(task))
            continue
        for _, anchor in inside:
            found.setdefault(anchor, [])
        for position, item in items(task):
            before = [anchor for start, anchor in inside if start <= position]
            found[before[-1] if before else inside[0][1]].append(item)
    return found, outside


def _expected_roles(task: GoldTask) -> dict[str, str | None]:
    roles: dict[str, str | None] = dict.fromkeys(task.units)
    roles.update(dict.fromkeys(task.support or (), "support"))
    roles.update(dict.fromkeys(task.lead or (), "lead"))
    return roles


def _name(value: object) -> str:
    """A unit name compared as written, apart from width variants and spaces."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def _names(values: Iterable[object] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(map(_name, values))


def _same_place(found: str, expected: str) -> bool:
    return bool(expected) and (found == expected or found.endswith(expected)
                               or expected.endswith(found))


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0



def main(argv: list[str] | None = None) -> int:
    """`python -m livekg.evaluation [DIR]`: the report for DIR (default tests/corpus)."""
    import sys

    from livekg.loaders.registry import load_registry

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path("tests/corpus")
    print(render(evaluate_folder(folder, load_registry())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

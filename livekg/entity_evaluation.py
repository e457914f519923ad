"""Entity precision and recall per label against hand labels (the `entities:` of a gold file).

What is scored is what `livekg load` produces: each plan goes through `parse_file` (the
loader's own outline, unit lists, inferred jurisdiction, registry matches and discovery), and
the entity mentions of its parsed tasks are compared with the gold rows. A gold row is (name,
label, task anchor); its task is the parsed task whose span holds the anchor, exactly as the
owner evaluation maps gold tasks (livekg.evaluation.by_anchor). A predicted mention matches a
row when it names the same thing (quote marks and spaces aside), with the same label, in that
task. Each name counts once per task, as the labelling rules state.

So a plan whose tasks the parser cannot find loses those rows (counted apart, as "in no parsed
task"), and the mentions of parsed tasks that hold no gold anchor (text the labellers did not
label, e.g. a 总体要求 item) are counted apart too, not as false positives. Units named in
running text are matched by the registry but are not entities, and are not scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from livekg.evaluation import GOLD_SUFFIX, by_anchor
from livekg.evaluation import read_gold as read_task_gold
from livekg.loaders.discovery import Policy, discovering_with
from livekg.loaders.errors import DocumentError
from livekg.loaders.models import ENTITY_LABELS, EntityMention, ParsedDocument, Task
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import Registry
from livekg.loaders.scripts import to_simplified


@dataclass(frozen=True)
class GoldEntity:
    name: str
    label: str
    anchor: str


@dataclass(frozen=True)
class Mention:
    """A predicted entity mention: the task (by anchor), the name as written, the label, how
    it was found, and for a registered entity its registered name (an alias joins it)."""

    anchor: str
    name: str
    label: str
    method: str
    registered_name: str | None = None


@dataclass
class LabelScore:
    label: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float | None:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else None


@dataclass
class EntityReport:
    """Scores per label and overall, the documents scored, and what was missed or extra."""

    documents: list[str] = field(default_factory=list)
    labels: dict[str, LabelScore] = field(
        default_factory=lambda: {label: LabelScore(label) for label in ENTITY_LABELS})
    unlabelled: LabelScore = field(default_factory=lambda: LabelScore("any label"))
    by_method: Counter[str] = field(default_factory=Counter)
    missed: list[tuple[str, GoldEntity]] = field(default_factory=list)
    extra: list[tuple[str, Mention]] = field(default_factory=list)
    # Gold rows whose anchor no parsed task holds (the parser's outline lost the task); they
    # are also counted as missed.
    unplaced: list[tuple[str, GoldEntity]] = field(default_factory=list)
    # Entity mentions in parsed tasks that hold no gold anchor: unlabelled text, not scored.
    outside: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def overall(self) -> LabelScore:
        total = LabelScore("overall")
        for score in self.labels.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total

    def render(self) -> str:
        lines = [f"Entity discovery on {len(self.documents)} labelled plans, as loaded",
                 f"{'label':<13}{'gold':>6}{'found':>7}{'correct':>9}{'precision':>11}"
                 f"{'recall':>8}"]
        for score in [*self.labels.values(), self.overall, self.unlabelled]:
            gold = score.true_positives + score.false_negatives
            found = score.true_positives + score.false_positives
            lines.append(f"{score.label:<13}{gold:>6}{found:>7}{score.true_positives:>9}"
                         f"{_percent(score.precision):>11}{_percent(score.recall):>8}")
        methods = ", ".join(f"{m} {n}" for m, n in self.by_method.most_common())
        lines.append(f"correct mentions by evidence: {methods}")
        lines.append(f"gold rows in no parsed task (counted missed): {len(self.unplaced)}; "
                     f"mentions in parsed tasks without labels (not scored): {self.outside}")
        lines.extend(f"LOAD FAILED: {failure}" for failure in self.failures)
        return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def normalise(name: str) -> str:
    return "".join(c for c in to_simplified(name) if c not in "“”‘’「」『』\"《》 \u3000")


def read_entities(path: str | Path) -> list[GoldEntity] | None:
    """The `entities:` rows of one gold file; None when it has no `entities:` key (the
    plan's entities are not labelled). `entities: []` is a label: the tasks name nothing, so
    every mention found in them is a false positive."""
    content = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(content, dict) or "entities" not in content:
        return None
    rows = content["entities"] or []
    entities = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not all(row.get(k) for k in ("name", "label", "anchor")):
            raise DocumentError(Path(path), f"gold entity {index} lacks a name, label or anchor",
                                expected="{name: <as written>, label: <Venue|…>, anchor: …}")
        if row["label"] not in ENTITY_LABELS:
            raise DocumentError(Path(path), f"gold entity {index} has label {row['label']!r}",
                                expected=f"one of {', '.join(ENTITY_LABELS)}")
        entities.append(GoldEntity(str(row["name"]), str(row["label"]), str(row["anchor"])))
    return entities


def predicted_mentions(parsed: ParsedDocument, anchors: Sequence[str]
                       ) -> tuple[list[Mention], int]:
    """The entity mentions of the parsed tasks, each under the gold anchor whose task holds
    it, and how many mentions lie in parsed tasks that hold no anchor."""
    entities = {entity.id: entity for entity in parsed.entities}
    # The review list keeps the evidence of each discovered mention (an entity's own `method`
    # is that of its first mention).
    evidence = {(item.span.start, item.span.end): item.reason for item in parsed.review}

    def entity_mentions(task: Task) -> list[tuple[int, EntityMention]]:
        return [(m.span.start, m) for m in task.mentions if m.entity_id in entities]

    placed, outside = by_anchor(anchors, parsed, entity_mentions)
    mentions = []
    for anchor, found in placed.items():
        for mention in found:
            entity = entities[mention.entity_id]
            if entity.status == "registered":
                mentions.append(Mention(anchor, mention.surface, entity.label, "registered",
                                        entity.name))
            else:
                method = evidence.get((mention.span.start, mention.span.end),
                                      entity.method or "discovered")
                mentions.append(Mention(anchor, mention.surface, entity.label, method))
    return mentions, len(outside)


def score(report: EntityReport, document: str, gold: Iterable[GoldEntity],
          predicted: Iterable[Mention]) -> None:
    """Add one document's matches to `report`."""
    report.documents.append(document)
    gold_keys = {(g.anchor, normalise(g.name), g.label): g for g in gold}
    predicted_keys: dict[tuple[str, str, str], Mention] = {}
    for mention in predicted:
        key = (mention.anchor, normalise(mention.name), mention.label)
        if mention.registered_name is not None and key not in gold_keys:
            # A registered entity may be written by an alias, and labelled by its name.
            by_name = (mention.anchor, normalise(mention.registered_name), mention.label)
            key = by_name if by_name in gold_keys else key
        predicted_keys.setdefault(key, mention)
    for key, mention in predicted_keys.items():
        if key in gold_keys:
            report.labels[key[2]].true_positives += 1
            report.by_method[mention.method] += 1
        else:
            report.labels[mention.label].false_positives += 1
            report.extra.append((document, mention))
    for key, entity in gold_keys.items():
        if key not in predicted_keys:
            report.labels[key[2]].false_negatives += 1
            report.missed.append((document, entity))
    gold_names = {key[:2] for key in gold_keys}
    found_names = {key[:2] for key in predicted_keys}
    report.unlabelled.true_positives += len(gold_names & found_names)
    report.unlabelled.false_positives += len(found_names - gold_names)
    report.unlabelled.false_negatives += len(gold_names - found_names)


def evaluate_corpus(folders: Iterable[str | Path], registry: Registry,
                    policy: Policy | None = None,
                    parse: Callable[[Path], ParsedDocument] | None = None) -> EntityReport:
    """Load every plan with an `entities:` list under `folders` (<slug>.txt + .gold.yaml) as
    `livekg load` does, and score its task mentions. `policy` replaces the default discovery
    policy for this measurement (the ablation); `parse` (default: parse_file with `registry`)
    lets a caller share one parse per plan with the owner evaluation."""
    report = EntityReport()
    parse = parse or (lambda plan: parse_file(plan, registry))
    for folder in folders:
        for gold_file in sorted(Path(folder).glob(f"*{GOLD_SUFFIX}")):
            gold = read_entities(gold_file)
            if gold is None:
                continue
            slug = gold_file.name.removesuffix(GOLD_SUFFIX)
            anchors = [task.anchor for task in read_task_gold(gold_file).tasks]
            try:
                if policy is None:
                    parsed = parse(gold_file.with_name(f"{slug}.txt"))
                else:
                    with discovering_with(policy):
                        parsed = parse_file(gold_file.with_name(f"{slug}.txt"), registry)
            except DocumentError as error:
                report.failures.append(str(error))
                score(report, slug, gold, [])
                continue
            predicted, outside = predicted_mentions(parsed, anchors)
            report.outside += outside
            placed = {anchor for anchor in anchors if _anchor_in_a_task(parsed, anchor)}
            report.unplaced.extend((slug, g) for g in gold if g.anchor not in placed)
            score(report, slug, gold, predicted)
    return report


def _anchor_in_a_task(parsed: ParsedDocument, anchor: str) -> bool:
    at = parsed.text.find(anchor)
    return at >= 0 and any(t.span.start <= at < t.span.end for t in parsed.tasks)


# Evidence sources added one at a time, for the ablation in BENCHMARKS.md.
ABLATION: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("registry only", ()),
    ("+ titled", ("titled",)),
    ("+ quoted", ("titled", "quoted")),
    ("+ suffix", ("titled", "quoted", "suffix")),
    ("+ enumeration (default)", ("titled", "quoted", "suffix", "enumeration")),
)


def main(argv: Sequence[str] | None = None) -> None:
    """python -m livekg.entity_evaluation FOLDER… : the default report, then the ablation."""
    import sys

    from livekg.loaders.discovery import policy
    from livekg.loaders.registry import load_registry

    folders = list(argv if argv is not None else sys.argv[1:]) or ["tests/corpus"]
    registry = load_registry()
    print(evaluate_corpus(folders, registry).render())
    print("\nsources                      precision  recall  (overall, label must match)")
    for name, sources in ABLATION:
        overall = evaluate_corpus(folders, registry, policy(name, sources)).overall
        print(f"{name:<29}{_percent(overall.precision):>9}{_percent(overall.recall):>8}")


if __name__ == "__main__":
    main()

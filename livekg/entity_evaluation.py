"""Entity precision and recall per label against hand labels (the `entities:` of a gold file).

A gold row is (name, label, task anchor). A predicted mention matches it when it names the same
thing (quote marks and spaces aside), with the same label, in the task whose text holds the
anchor. Each name counts once per task, as the labelling rules state.

Task boundaries come from the gold anchors themselves (a task runs from its anchor to the next
task's anchor), so the entity figures measure discovery, not the parser's outline: a plan whose
unit lists the parser cannot yet read still gets its entities scored. Unit lists are blanked
first, as the pipeline blanks them, so responsible units are never counted as entities.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from livekg.loaders.discovery import DEFAULT_POLICY, Policy
from livekg.loaders.models import ENTITY_LABELS
from livekg.loaders.registry import Registry
from livekg.loaders.scripts import to_simplified

UNIT_LIST = re.compile(
    r"[（(]\s*(?:责任单位|牵头单位|配合单位|责任部门|责任主体|牵头部门|配合部门)[：:][^）)\n]*[）)]"
    r"|^[ \t\u3000]*(?:责任单位|牵头单位|配合单位|责任部门|责任主体|牵头部门|配合部门)[：:].*$",
    re.MULTILINE)


@dataclass(frozen=True)
class GoldEntity:
    name: str
    label: str
    anchor: str


@dataclass(frozen=True)
class Mention:
    """A predicted entity mention: the task (by anchor), the name, the label, how found."""

    anchor: str
    name: str
    label: str
    method: str


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

    @property
    def overall(self) -> LabelScore:
        total = LabelScore("overall")
        for score in self.labels.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total

    def render(self) -> str:
        lines = [f"Entity discovery on {len(self.documents)} labelled plans",
                 f"{'label':<13}{'gold':>6}{'found':>7}{'correct':>9}{'precision':>11}"
                 f"{'recall':>8}"]
        for score in [*self.labels.values(), self.overall, self.unlabelled]:
            gold = score.true_positives + score.false_negatives
            found = score.true_positives + score.false_positives
            lines.append(f"{score.label:<13}{gold:>6}{found:>7}{score.true_positives:>9}"
                         f"{_percent(score.precision):>11}{_percent(score.recall):>8}")
        methods = ", ".join(f"{m} {n}" for m, n in self.by_method.most_common())
        lines.append(f"correct mentions by evidence: {methods}")
        return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def normalise(name: str) -> str:
    return "".join(c for c in to_simplified(name) if c not in "“”‘’「」『』\"《》 \u3000")


def read_gold(path: str | Path) -> tuple[list[str], list[GoldEntity]]:
    """The task anchors (document order as listed) and entity rows of one gold file."""
    content = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    anchors = [str(task["anchor"]) for task in content.get("tasks") or []]
    entities = [GoldEntity(str(row["name"]), str(row["label"]), str(row["anchor"]))
                for row in content.get("entities") or []]
    return anchors, entities


def task_regions(text: str, anchors: Sequence[str]) -> list[tuple[str, int, int]]:
    """(anchor, start, end) of each task: from its anchor to the next task's anchor."""
    placed = sorted((text.find(anchor), anchor) for anchor in anchors if anchor in text)
    return [(anchor, start, placed[i + 1][0] if i + 1 < len(placed) else len(text))
            for i, (start, anchor) in enumerate(placed)]


def predict(text: str, anchors: Sequence[str], registry: Registry, jurisdiction: str,
            policy: Policy = DEFAULT_POLICY, registered: bool = True) -> list[Mention]:
    """Every entity mention the registry matcher and discovery find in each task region."""
    simplified = to_simplified(text)
    blanked = UNIT_LIST.sub(lambda m: " " * len(m.group(0)), simplified)
    matcher = registry.name_matcher(jurisdiction)
    mentions: list[Mention] = []
    for anchor, start, end in task_regions(simplified, anchors):
        body = blanked[start:end]
        matches = [m for m in matcher.find(body, start)] if registered else []
        for match in matches:
            entity = registry.entities.get(match.target_id)
            if entity is not None:
                mentions.append(Mention(anchor, entity.name, entity.label, "registered"))
        for candidate in policy.discover(body, start, known=[m.span for m in matches]):
            if normalise(candidate.name) not in registry.rejected:
                mentions.append(Mention(anchor, candidate.name, candidate.label,
                                        candidate.method))
    return mentions


def score(report: EntityReport, document: str, gold: Iterable[GoldEntity],
          predicted: Iterable[Mention]) -> None:
    """Add one document's matches to `report`."""
    report.documents.append(document)
    gold_keys = {(g.anchor, normalise(g.name), g.label): g for g in gold}
    predicted_keys: dict[tuple[str, str, str], Mention] = {}
    for mention in predicted:
        predicted_keys.setdefault((mention.anchor, normalise(mention.name), mention.label),
                                  mention)
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
                    policy: Policy = DEFAULT_POLICY, registered: bool = True,
                    jurisdiction: str = "china") -> EntityReport:
    """Score every plan with an `entities:` list under `folders` (<slug>.txt + .gold.yaml).
    `jurisdiction` only chooses which registered unit names can match; entities match in
    every jurisdiction."""
    report = EntityReport()
    for folder in folders:
        for gold_file in sorted(Path(folder).glob("*.gold.yaml")):
            anchors, gold = read_gold(gold_file)
            if not gold:
                continue
            text = gold_file.with_name(gold_file.name.replace(".gold.yaml", ".txt")).read_text(
                encoding="utf-8")
            predicted = predict(text, anchors, registry, jurisdiction, policy, registered)
            score(report, gold_file.name.replace(".gold.yaml", ""), gold, predicted)
    return report


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

    folders = list(argv if argv is not None else sys.argv[1:])
    registry = load_registry()
    print(evaluate_corpus(folders, registry).render())
    print("\nsources                      precision  recall  (overall, label must match)")
    for name, sources in ABLATION:
        overall = evaluate_corpus(folders, registry, policy(name, sources)).overall
        print(f"{name:<29}{_percent(overall.precision):>9}{_percent(overall.recall):>8}")


if __name__ == "__main__":
    main()

"""A deterministic synthetic corpus of livestream-economy action plans, for the benchmarks.

Why synthetic: the project ships one real plan (Changning, ~6,100 characters, 23 tasks), too
small to show how parsing and loading scale, and no network is available to fetch more. The
generator recombines the real plan's own sentences, task titles and section headings with
registry names and unit lists written in every form the parser reads, so the text has the
genre's character mix (what jieba and the Aho–Corasick scan see) and the parser's real work
(outline, unit lists, name resolution, mentions, targets, review candidates).

Everything comes from one `random.Random(seed)`: the same seed gives the same bytes on any
machine, and nothing is fetched.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from livekg.loaders.paths import DOCUMENTS_DIR
from livekg.loaders.registry import Registry, load_registry
from livekg.loaders.source import SourceText

SEED = 20240626
CHANGNING = DOCUMENTS_DIR / "changning-livestream-action-plan-2024-2026.txt"
CITY_PLAN_TITLE = "上海市推动直播经济高质量发展三年行动计划(2024-2026年)"
CITY_PREAMBLE = "为推动本市直播经济高质量发展，制订本行动计划。"

# Unit names a district plan plausibly lists that the registry does not know: they exercise
# the "unknown unit, kept for review" path, as real plans of other districts do.
UNKNOWN_UNITS = (
    "区经委", "区司法局", "区公安分局", "区税务局", "区卫健委", "区规划资源局", "区建管委",
    "区应急局", "区绿化市容局", "区城运中心", "区融媒体中心", "区生态环境局", "区统计局",
    "区新闻出版局", "区知识产权局",
)
# Sentences that name registry entities by label, so mentions are spread over every label.
ENTITY_TEMPLATES = {
    "Venue": "依托{name}等载体，打造一批特色直播场景。",
    "Base": "支持{name}加大直播主体引育力度，提升直播基地能级。",
    "Association": "加强与{name}的合作，联动开展供需对接和行业交流。",
    "Enterprise": "鼓励{name}等企业开展原创优质内容的创作与传播。",
    "Event": "结合{name}等活动，组织开展特色直播促消费活动。",
    "Program": "依托“{name}”，推动相关工作提质增效。",
    "Policy": "按照《{name}》的有关要求，加大支持力度。",
    "Technology": "推动{name}等技术在直播场景中的创新应用。",
}
CHAPTER_TITLES = ("主要任务", "重点任务", "重点工程", "专项行动", "推进措施", "发展举措")
TARGET_SENTENCES = (
    "力争到{year}年,区域内直播经济各类主体规模超过{n}家。",
    "力争到{year}年,区域内重点直播基地数量超过{n}个。",
    "力争到{year}年,直播电商交易额超过{n}亿元。",
)
LEAD_RULE_SENTENCE = "各项任务中列第一位的单位为牵头单位，其余为配合单位。"
CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Material:
    """Pieces of the real plan to recombine: what makes the synthetic text read like one."""

    preamble: str
    goals: tuple[str, ...]
    headings: tuple[str, ...]
    titles: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class SyntheticPlan:
    """One generated plan, its sidecar-equivalent metadata and what was written into it."""

    text: str
    metadata: dict[str, str]
    tasks: int
    owners: int
    unit_names: frozenset[str] = field(default_factory=frozenset)

    @property
    def chars(self) -> int:
        return len(self.text)

    def source(self) -> SourceText:
        """The plan as the parser receives it from `read_source`, without touching disk."""
        data = self.text.encode("utf-8")
        path = Path(f"{self.metadata['id']}.txt")
        return SourceText(path, self.text, hashlib.sha256(data).hexdigest(), "utf-8", ())


@cache
def material(path: Path = CHANGNING) -> Material:
    """Sentences, titles and headings of the real plan, with its unit lists cut out."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    titles: list[str] = []
    sentences: list[str] = []
    headings: list[str] = []
    for line in lines:
        if heading := re.match(r"^[(（][一二三四五六七八九十]+[)）](.+)$", line):
            headings.append(heading.group(1))
        elif task := re.match(r"^\d+[.．](.+)$", line):
            body = re.sub(r"[(（]责任单位[:：][^)）]*[)）]\s*$", "", task.group(1))
            title, _, rest = body.partition("。")
            titles.append(title)
            sentences.extend(s + "。" for s in rest.split("。") if len(s) > 8)
    goals = tuple(line for line in lines[2:5] if line and not re.match(r"^[一二三]、", line))
    return Material(preamble=lines[0], goals=goals, headings=tuple(headings),
                    titles=tuple(titles), sentences=tuple(sentences))


def chinese_numeral(number: int) -> str:
    """1 -> 一, 12 -> 十二, 40 -> 四十, 105 -> 一百零五: the markers the outline reads."""
    if number < 10:
        return CN_DIGITS[number]
    if number < 20:
        return "十" + (CN_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        tens, ones = divmod(number, 10)
        return CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return CN_DIGITS[hundreds] + "百"
    middle = "零" + CN_DIGITS[rest] if rest < 10 else chinese_numeral(rest)
    if 10 <= rest < 20:
        middle = "一" + middle
    return CN_DIGITS[hundreds] + "百" + middle


class _Writer:
    """Writes one plan: chapters of headings of numbered tasks, until the text is long enough."""

    def __init__(self, rng: random.Random, registry: Registry, jurisdiction: str) -> None:
        self.rng = rng
        self.material = material()
        self.units = _known_unit_names(registry, jurisdiction)
        self.entities = {
            label: sorted(e.name for e in registry.entities.values() if e.label == label)
            for label in ENTITY_TEMPLATES}
        self.tasks = 0
        self.owners = 0
        self.unit_names: set[str] = set()

    def plan(self, target_chars: int) -> str:
        rng = self.rng
        parts = [self.material.preamble]
        if rng.random() < 0.3:
            parts.append(LEAD_RULE_SENTENCE)
        parts.append("一、工作目标")
        parts.extend(self.material.goals[:1])
        parts.append(rng.choice(TARGET_SENTENCES).format(year=rng.choice((2025, 2026, 2027)),
                                                         n=rng.randrange(20, 500, 10))
                     + "".join(rng.sample(self.material.sentences, k=2)))
        chapter = 1
        body_chars = sum(len(p) + 1 for p in parts)
        # A closing chapter of three general tasks, as in the real plan, is written last.
        closing = 3 * 260
        while body_chars + closing < target_chars or self.tasks == 0:
            chapter += 1
            lines = self._chapter(chapter, target_chars - body_chars - closing)
            parts.extend(lines)
            body_chars += sum(len(line) + 1 for line in lines)
        parts.append(f"{chinese_numeral(chapter + 1)}、组织保障")
        for number in range(1, 4):
            parts.append(self._task(number, units=["各相关部门"]))
        parts.append("附件：推动直播经济高质量发展三年行动计划任务分工表")
        return "\n".join(parts) + "\n"

    def _chapter(self, chapter: int, budget: int) -> list[str]:
        """One chapter: up to five headings of three to six tasks, numbered through."""
        rng = self.rng
        lines = [f"{chinese_numeral(chapter)}、{rng.choice(CHAPTER_TITLES)}"]
        written = 0
        number = 0
        for heading in range(1, 6):
            if written >= budget:
                break
            line = f"（{chinese_numeral(heading)}）{rng.choice(self.material.headings)}"
            lines.append(line)
            written += len(line) + 1
            for _ in range(rng.randint(3, 6)):
                number += 1
                task = self._task(number)
                lines.append(task)
                written += len(task) + 1
                if written >= budget:
                    break
        return lines

    def _task(self, number: int, units: list[str] | None = None) -> str:
        rng = self.rng
        sentences = rng.sample(self.material.sentences, k=rng.randint(2, 5))
        for _ in range(rng.choices((0, 1, 2), weights=(3, 5, 2))[0]):
            label = rng.choice(sorted(ENTITY_TEMPLATES))
            names = self.entities[label]
            if names:
                sentence = ENTITY_TEMPLATES[label].format(name=rng.choice(names))
                sentences.insert(rng.randrange(len(sentences) + 1), sentence)
        units = units or self._owners()
        self.tasks += 1
        self.owners += len(units)
        self.unit_names.update(units)
        title = rng.choice(self.material.titles)
        return f"{number}.{title}。{''.join(sentences)}{self._unit_list(units)}"

    def _owners(self) -> list[str]:
        """One to eight distinct units, the commerce commission first most of the time."""
        rng = self.rng
        count = rng.choices(range(1, 9), weights=(4, 6, 8, 8, 7, 5, 3, 2))[0]
        pool = list(self.units)
        known = rng.sample(pool, k=min(count, len(pool)))
        if "区商务委" in pool and rng.random() < 0.6:
            known = ["区商务委", *[u for u in known if u != "区商务委"]][:count]
        unknown = [u for u in UNKNOWN_UNITS if u not in known]
        for index in range(len(known)):
            if rng.random() < 0.12:
                known[index] = rng.choice(unknown)
        return list(dict.fromkeys(known))

    def _unit_list(self, units: list[str]) -> str:
        """The list in one of the forms the parser reads, full- or half-width."""
        rng = self.rng
        form = rng.choices(("full", "half", "lead", "labels", "plain"),
                           weights=(35, 30, 15, 10, 10))[0]
        if len(units) < 2 and form in ("lead", "labels"):
            form = "full"
        if form == "full":
            return f"（责任单位：{'、'.join(units)}）"
        if form == "half":
            return f"(责任单位:{'、'.join(units)})"
        if form == "lead":
            return f"（{units[0]}牵头，{'、'.join(units[1:])}配合）"
        if form == "labels":
            return f"（牵头单位：{units[0]}；配合单位：{'、'.join(units[1:])}）"
        return f"（{'、'.join(units)}负责）"


def _known_unit_names(registry: Registry, jurisdiction: str) -> tuple[str, ...]:
    """Unit names a plan of `jurisdiction` would list: the Changning district's short names
    (written as every district writes them, 区商务委…) plus the city's, without the single
    subdistricts (they belong to Changning only)."""
    names = [u.short_name for u in registry.units.values()
             if u.jurisdiction in ("shanghai-changning", "shanghai")
             and not u.short_name.endswith(("街道", "镇"))]
    if jurisdiction == "shanghai":
        names = [n.replace("区", "市", 1) if n.startswith("区") else n for n in names]
    return tuple(sorted(set(names)))


def changning_chars() -> int:
    """The real plan's length in characters: the unit of the 1×, 10×, 100× sizes."""
    return len(CHANGNING.read_text(encoding="utf-8"))


def scaled_plan(factor: float, seed: int = SEED, registry: Registry | None = None,
                jurisdiction: str = "shanghai-changning") -> SyntheticPlan:
    """One document `factor` times the Changning plan's size (more chapters and tasks)."""
    registry = registry or load_registry()
    rng = random.Random(f"{seed}-scaled-{factor}")
    writer = _Writer(rng, registry, jurisdiction)
    text = writer.plan(round(changning_chars() * factor))
    label = f"{factor:g}x".replace(".", "_")
    metadata = {"id": f"synthetic-{label}", "title": f"长宁区直播经济行动计划（合成，{label}）",
                "jurisdiction": jurisdiction}
    return SyntheticPlan(text, metadata, writer.tasks, writer.owners,
                         frozenset(writer.unit_names))


def district_ids(registry: Registry) -> list[str]:
    """The Shanghai districts of the registry, in its order."""
    return [j.id for j in registry.jurisdictions.values()
            if j.level == "district" and j.parent == "shanghai"]


def many_plans(count: int = 1000, seed: int = SEED,
               registry: Registry | None = None) -> list[SyntheticPlan]:
    """`count` separate plans of 0.5× to 1.5× the real one, spread over the 16 districts.

    The first is the city plan the others implement (为落实《…》), so loading them also
    computes the IMPLEMENTS and CARRIES_OUT links between documents, as a real load would.
    """
    registry = registry or load_registry()
    districts = district_ids(registry)
    plans = []
    for index in range(count):
        rng = random.Random(f"{seed}-many-{index}")
        jurisdiction = "shanghai" if index == 0 else districts[index % len(districts)]
        writer = _Writer(rng, registry, jurisdiction)
        text = writer.plan(round(changning_chars() * rng.uniform(0.5, 1.5)))
        name = registry.jurisdictions[jurisdiction].name
        if index == 0:
            title = CITY_PLAN_TITLE
            text = text.replace(material().preamble, CITY_PREAMBLE)
        else:
            title = f"{name}推动直播经济高质量发展三年行动计划（第{index}号）"
        metadata = {"id": f"synthetic-{index:04d}-{jurisdiction}", "title": title,
                    "jurisdiction": jurisdiction}
        plans.append(SyntheticPlan(text, metadata, writer.tasks, writer.owners,
                                   frozenset(writer.unit_names)))
    return plans

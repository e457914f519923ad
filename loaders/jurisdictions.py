"""Which jurisdiction issued a plan, and which one a short unit name (区商务委) belongs to.

A plan says who issued it in its title (南充市人民政府办公室关于…, 国务院关于…), its document
number (国发〔2018〕42号, 岚综管综〔2017〕159号) and its issuer and signature lines. Those are
read in that order and resolved against every division of China (loaders/divisions.py) and the
registry's own jurisdictions (management zones such as 平潭综合实验区). A name that resolves to
nothing still becomes a jurisdiction of its own, from the name as written, `verified: false`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import ahocorasick

from livekg.loaders.divisions import ancestors, divisions, divisions_by_name
from livekg.loaders.registry import UNVERIFIED_ID_PREFIX, Jurisdiction, Registry

NATIONAL_ISSUERS = ("国务院办公厅", "国务院", "中共中央办公厅", "中共中央",
                    "全国人民代表大会常务委员会", "全国人大常委会")
# A signature line of a central organ: 国家发展改革委, 中央网信办, 国家能源局 (national by their
# own name), or a ministry, 工业和信息化部, 商务部 (…部 with no place before it: a province's
# departments are 厅, a city's 局, and a local party department carries its 省委/市委/区委).
NATIONAL_ORGAN = re.compile(
    r"(?:国家|中央|中共中央|国务院)[\u4e00-\u9fff]{1,12}|[\u4e00-\u9fff]{1,8}部")
# 国发〔2018〕42号, and a decree's number, which has no year: 国令第707号.
DOCUMENT_NUMBER = re.compile(
    r"^(?P<prefix>[\u4e00-\u9fff]{1,10}?)\s*(?:[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+|"
    r"第\s*\d+)\s*号$")
# A text opening with the country's name is national: a decree's issuer line
# (中华人民共和国国务院令) or a national law's or regulation's title
# (中华人民共和国个人所得税法实施条例); a local one starts with its own place.
COUNTRY = "中华人民共和国"
# The addressee line of a central organ's document: only the centre writes to every province
# (各省、自治区、直辖市及新疆生产建设兵团医疗保障局:); a province writes to its cities.
ALL_PROVINCES = "各省、自治区"
# How a plan speaks of its own jurisdiction: 我省/全省, 我市/全市, 我区/全区, 我县/全县 — not
# 全市场, 全区域, 全县域, 市内 … (我国/全国 is not counted: local plans compare themselves with
# the country — 走在全国前列.) Each word's places: those of these levels whose names end in it
# (市: a city, a county-level city, or a municipality such as 上海市).
OWN_LEVEL = re.compile(r"[我全](?P<word>[省市区县])(?![场域内外级])")
OWN_LEVELS = {"省": {"province"}, "市": {"province", "city", "prefecture", "county"},
              "区": {"district", "special_zone"}, "县": {"county"}}
# A place name ending in the word of a zone that is not a division (… 综合实验区, … 新区).
ZONE = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{2,24}?(?:综合实验区|综合试验区|自由贸易试验区|示范区|试验区|"
    r"经济技术开发区|高新技术产业开发区|开发区|高新区|新区|合作区))")
ORGAN = re.compile(r"(?:人民政府|政府|办公厅|办公室|管理委员会|管委会|委员会|党委|党工委)")
# A plan's head and foot: the title, issuer and number lines, and the signature lines.
HEAD_LINES = 8
FOOT_LINES = 8
SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
            "省", "市", "区", "县", "旗", "盟", "地区")
# Words that start with 区/市/县/省 without meaning "this district's/city's …".
NOT_LEVEL_PREFIXES = ("市场", "市民", "区域", "区块链", "县域", "省份", "市区", "区县", "市县",
                      "市州")
LEVEL_CHARS = "区市县省州旗盟"
LEVEL_ORDER = {"special_zone": 0, "district": 0, "county": 0, "city": 1, "prefecture": 1,
               "province": 2, "national": 3}
UNSTATED_JURISDICTION = "（未注明）"
UNVERIFIED_SOURCE = "named in a document; not found among the divisions or the registry"


@dataclass(frozen=True)
class Inference:
    jurisdiction: Jurisdiction
    evidence: str


@dataclass(frozen=True)
class _Place:
    """A name's meaning: a division (by code) or a registry jurisdiction (by id)."""

    code: str | None = None
    registry_id: str | None = None


class JurisdictionFinder:
    """Reads the issuing jurisdiction off a plan; one per registry, reused across plans."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    @cached_property
    def _names(self) -> dict[str, tuple[_Place, ...]]:
        names: dict[str, list[_Place]] = {
            name: [_Place(code=d.code) for d in found]
            for name, found in divisions_by_name().items()}
        for jurisdiction in self.registry.jurisdictions.values():
            if jurisdiction.code or jurisdiction.level == "national":
                continue
            for name in {jurisdiction.name, jurisdiction.full_name, *jurisdiction.aliases}:
                if name:
                    names.setdefault(name, []).insert(0, _Place(registry_id=jurisdiction.id))
        return {name: tuple(places) for name, places in names.items()}

    @cached_property
    def _automaton(self) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for name in self._names:
            automaton.add_word(name, name)
        automaton.make_automaton()
        return automaton

    # -- the public questions -------------------------------------------------------------
    def infer(self, text: str, title: str | None, head: Sequence[str],
              foot: Sequence[str]) -> Inference | None:
        """The issuing jurisdiction from a plan's title, number, issuer and signature lines,
        else the division the text names most; None when nothing names a place."""
        lines = [line for line in (title, *head) if line]
        # The opening line is the title even where no title line was recognised (a text whose
        # line breaks a crawler removed: 国务院关于…的决定国发〔1982〕103号各省、市…).
        if (lines and lines[0].startswith((COUNTRY, *NATIONAL_ISSUERS))) or any(
                line.startswith(ALL_PROVINCES) for line in lines) or any(
                line in NATIONAL_ISSUERS for line in (*head, *foot)) or any(
                self._central_organ(line) for line in foot):
            national = self.registry.national()
            if national is not None:
                return Inference(national, "national issuer in the title or signature")
        if title:
            found = self._first_place(title, text)
            if found is not None:
                return Inference(found, f"named in the title: {title[:40]}")
        for line in lines:
            found = self._by_document_number(line)
            if found is not None:
                return Inference(found, f"document number {line}")
        for line in (*head, *reversed(foot)):
            found = self._first_place(line, text, at_start=True)
            if found is not None:
                return Inference(found, f"issuer or signature line: {line[:40]}")
        zone = ZONE.match(title or "")
        if zone:
            return Inference(self.unverified(zone.group("name"), text),
                             f"zone named in the title: {zone.group('name')}")
        found = self._own_city_in_title(title, text)
        if found is not None:
            return Inference(found, f"its city named in the title without 市: {(title or '')[:40]}")
        found = self._most_named(text)
        if found is not None:
            return Inference(found, "the division the text names most")
        return None

    @cached_property
    def _city_short_names(self) -> dict[str, tuple[_Place, ...]]:
        """Cities by their names without 市 (济南市 → 济南), as titles coin them: “科创济南”."""
        short: dict[str, list[_Place]] = {}
        for name, places in self._names.items():
            if name.endswith("市") and _short(name) != name:
                short.setdefault(_short(name), []).extend(places)
        return {name: tuple(places) for name, places in short.items()}

    def _own_city_in_title(self, title: str | None, text: str) -> Jurisdiction | None:
        """A city plan that calls itself 我市/全市 and names its city in the title without 市
        (关于加快“科创济南”建设全面提升科技创新能力的若干政策措施, and 济南 again in its body):
        that city, where exactly one such name is in the title. The body must write the name
        too, so that a word that happens to hold a city's name is not taken for one."""
        if not title or _own_level(text) != "市":
            return None
        named = [name for name in self._city_short_names
                 if name in title and text.count(name) >= 2]
        if len(named) != 1:
            return None
        return self._choose(self._city_short_names[named[0]], text)

    def resolve_name(self, name: str, text: str = "") -> Jurisdiction | None:
        """A jurisdiction named as written (上海市长宁区, 长宁区, 平潭综合实验区), or None."""
        name = _without_organ(name.strip())
        if name in NATIONAL_ISSUERS or name in ("中华人民共和国", "全国", "中国"):
            return self.registry.national()
        # Zones and names kept as written; divisions go through the division index, where a
        # shared name (朝阳区) stays ambiguous whatever earlier plans made of it.
        by_name = next((j for j in self.registry.jurisdictions.values()
                        if not j.code and name in (j.name, j.full_name, *j.aliases)), None)
        if by_name is not None:
            return by_name
        places = self._names.get(name)
        if places:
            return self._choose(places, text)
        matches = self._matches(name)
        if matches and matches[-1][1] == len(name):
            return self._chain_end(name, matches, text)
        return None

    def unverified(self, name: str, text: str = "") -> Jurisdiction:
        """A jurisdiction from the name as written; its parent is the deepest division the
        name starts with (福建省某某新区 → 福建省), else the national level."""
        run: list[tuple[int, int, str]] = []
        for match in self._matches(name):
            if match[0] != (run[-1][1] if run else 0) or match[1] == len(name):
                break
            run.append(match)
        parent = self._chain_end(name[:run[-1][1]], run, text) if run else None
        national = self.registry.national()
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        return self.registry.add_jurisdiction(Jurisdiction(
            id=f"{UNVERIFIED_ID_PREFIX}{digest}", name=name, english_name=None,
            level="special_zone" if ZONE.match(name) else "unknown",
            parent=parent.id if parent else (national.id if national else None),
            unit_prefix=None, source=UNVERIFIED_SOURCE, verified=False))

    # -- reading places off a line --------------------------------------------------------
    def _matches(self, line: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of the known names in `line`, longest first, left to right."""
        return [(end - len(name) + 1, end + 1, name)
                for end, name in self._automaton.iter_long(line)]

    def _first_place(self, line: str, text: str, at_start: bool = False) -> Jurisdiction | None:
        matches = self._matches(line)
        if not matches or (at_start and matches[0][0] != 0):
            return None
        run = [matches[0]]
        for match in matches[1:]:
            if match[0] != run[-1][1]:
                break
            run.append(match)
        span = line[run[0][0]:run[-1][1]]
        return self._chain_end(span, run, text)

    def _chain_end(self, span: str, run: list[tuple[int, int, str]],
                   text: str) -> Jurisdiction | None:
        """The deepest place of adjacent names (浙江省 + 杭州市 + 上城区 → 上城区), each one
        read inside the one before it."""
        chosen: Jurisdiction | None = None
        context = text
        for _, _, name in run:
            places = self._names[name]
            if chosen is not None and chosen.code:
                inside = tuple(p for p in places if p.code and chosen.code in _codes_above(p.code))
                places = inside or places
            found = self._choose(places, context)
            if found is None:
                return chosen
            chosen = found
            context = f"{context}{span}"
        return chosen

    def _choose(self, places: Iterable[_Place], text: str) -> Jurisdiction | None:
        """One place for a name; a name shared by several divisions (朝阳区) is decided by
        which one's parents the text names, and left undecided on a tie."""
        places = list(dict.fromkeys(places))
        if len(places) == 1:
            return self._jurisdiction(places[0])
        scored = sorted(((self._support(p, text), i, p) for i, p in enumerate(places)),
                        key=lambda s: (-s[0], s[1]))
        if scored[0][0] > scored[1][0]:
            return self._jurisdiction(scored[0][2])
        return None

    def _support(self, place: _Place, text: str) -> int:
        if place.registry_id is not None:
            return 1_000
        division = divisions()[place.code or ""]
        return sum(text.count(name) for parent in ancestors(division)
                   for name in {parent.name, _short(parent.name)})

    def _jurisdiction(self, place: _Place) -> Jurisdiction:
        if place.registry_id is not None:
            return self.registry.jurisdictions[place.registry_id]
        return self.registry.division_jurisdiction(divisions()[place.code or ""])

    def _central_organ(self, line: str) -> bool:
        """A signature line naming a central organ (中 央 网 信 办: spaced out to fill the line)
        and no place of its own."""
        name = "".join(line.split())
        return bool(NATIONAL_ORGAN.fullmatch(name)) and not self._matches(name)

    def _by_document_number(self, line: str) -> Jurisdiction | None:
        match = DOCUMENT_NUMBER.match(line.strip())
        if match is None:
            return None
        prefix = match.group("prefix")
        known = sorted(((p, j) for j in self.registry.jurisdictions.values()
                        for p in j.document_number_prefixes), key=lambda pj: -len(pj[0]))
        return next((j for p, j in known if prefix.startswith(p)), None)

    def _most_named(self, text: str) -> Jurisdiction | None:
        """The most named place of the level the text calls its own (我省, 全市: a provincial
        plan names the cities where things happen, a city plan its districts), else the
        lowest-level place it names (a district plan names its city too, as in 为落实《上海市…》),
        the most named among those."""
        counts: dict[Jurisdiction, int] = {}
        for _, _, name in self._matches(text):
            place = self._choose(self._names[name], text)
            if place is not None:
                counts[place] = counts.get(place, 0) + 1
        own = _own_level(text)
        at_own_level = {p: c for p, c in counts.items()
                        if own and p.name.endswith(own) and p.level in OWN_LEVELS[own]}
        if at_own_level:
            return min(at_own_level, key=lambda p: (-at_own_level[p],
                                                    LEVEL_ORDER.get(p.level, 0)))
        found = [(LEVEL_ORDER.get(p.level, 0), -count, p) for p, count in counts.items()]
        return min(found, key=lambda f: f[:2])[2] if found else None


def unit_jurisdiction(registry: Registry, surface: str, jurisdiction_id: str) -> str:
    """Where a unit named in a plan of `jurisdiction_id` belongs: a unit that names its place
    to that place (济南市政府 in a provincial plan: 济南市); 区… to the nearest jurisdiction of
    the plan's chain whose name ends in 区, 市… in 市, and so on at every level; anything else to
    the plan's own jurisdiction."""
    named = _named_division(registry, surface, jurisdiction_id)
    if named is not None:
        return named
    if len(surface) < 2 or surface[0] not in LEVEL_CHARS or surface.startswith(
            NOT_LEVEL_PREFIXES):
        return jurisdiction_id
    for jurisdiction in registry.jurisdiction_chain(jurisdiction_id):
        if jurisdiction.name.endswith(surface[0]):
            return jurisdiction.id
    return jurisdiction_id


def _named_division(registry: Registry, surface: str, jurisdiction_id: str) -> str | None:
    """The division a unit's name starts with, written in full (济南市, 崂山区, 广东省 — not 济南
    or 广东 alone, which start ordinary names too), with more after it: the one below the plan's
    jurisdiction where the name is shared (朝阳区), else the only one."""
    by_name = divisions_by_name()
    plan = registry.jurisdictions.get(jurisdiction_id)
    plan_code = plan.code if plan is not None else None
    for length in range(min(len(surface) - 1, _LONGEST_DIVISION_NAME), 2, -1):
        prefix = surface[:length]
        if prefix[-1] not in LEVEL_CHARS or prefix not in by_name:
            continue
        found = by_name[prefix]
        below = [d for d in found if plan_code is not None and (
            plan_code == d.code or plan_code in _codes_above(d.code))]
        chosen = below[0] if len(below) == 1 else found[0] if len(found) == 1 else None
        return registry.division_jurisdiction(chosen).id if chosen is not None else None
    return None


_LONGEST_DIVISION_NAME = 16


def _own_level(text: str) -> str | None:
    """The level word the text uses of itself — 省 for 我省/全省, 市 for 我市/全市, 区, 县 —
    when one is used more than the others."""
    uses = dict.fromkeys(OWN_LEVELS, 0)
    for match in OWN_LEVEL.finditer(text):
        uses[match.group("word")] += 1
    ranked = sorted(((count, word) for word, count in uses.items()), reverse=True)
    return ranked[0][1] if ranked[0][0] > ranked[1][0] else None


def _codes_above(code: str) -> set[str]:
    return {d.code for d in ancestors(divisions()[code])}


def _short(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _without_organ(name: str) -> str:
    """平潭综合实验区管委会 → 平潭综合实验区, 南充市人民政府办公室 → 南充市."""
    match = ORGAN.search(name)
    return name[:match.start()] if match and match.start() >= 2 else name


def jurisdiction_finder(registry: Registry) -> JurisdictionFinder:
    """The registry's finder, built once (its name index covers every division)."""
    finder = registry.derived.get("jurisdiction_finder")
    if not isinstance(finder, JurisdictionFinder):
        finder = registry.derived["jurisdiction_finder"] = JurisdictionFinder(registry)
    return finder

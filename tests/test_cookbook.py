"""The Cypher cookbook: well-formed headers, and answers that match the document itself.

Every recipe runs against a real Neo4j holding the Changning plan, through `run_read_only` as an
analyst's query would. Expected values come from the plan's text — split on `(责任单位:` and on
its section headings — or from lists typed while reading it, never from query output.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from document_facts import DOCUMENT, OWNERS_MARK, TEXT, read_tasks
from livekg.graph.analyst_cypher import run_read_only
from livekg.graph.cookbook import CYPHER_DIR, Recipe, recipe, recipes
from livekg.graph.neo4j_backend import Neo4jBackend

DOCUMENT_ID = DOCUMENT.stem
HEADING = re.compile(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)(.+)$")


def _read_sections() -> list[tuple[str, str, list[int]]]:
    """(marker, title, task numbers) of each heading that directly holds tasks, in order."""
    sections: list[tuple[str, str, list[int]]] = []
    for line in TEXT.splitlines():
        if heading := HEADING.match(line):
            sections.append((heading.group(1), heading.group(2), []))
        elif OWNERS_MARK in line:
            sections[-1][2].append(int(line.partition(".")[0]))
    return [section for section in sections if section[2]]


TASK_LINES, OWNERS, TITLES = read_tasks()
SECTIONS = _read_sections()


def tasks_of(unit: str) -> list[int]:
    return [number for number, owners in OWNERS.items() if unit in owners]


# Parameters each recipe is run with in the generic tests; a new recipe needs an entry.
SAMPLE_PARAMETERS: dict[str, dict[str, Any]] = {
    "task-owners": {"task": 6, "document": None},
    "unit-tasks": {"unit": "区商务委"},
    "unit-co-owners": {"unit": "区商务委"},
    "co-owner-pairs": {},
    "single-owner-tasks": {},
    "association-tasks": {},
    "task-venues-bases": {},
    "unit-mentioned-entities": {"unit": "区商务委"},
    "unit-shortest-path": {"from_unit": "区体育局", "to_unit": "区外办"},
    "section-tasks": {},
    "unit-neighbourhood": {"unit": "区外办"},
    "unit-neighbourhood-labels": {"unit": "区外办"},
    "entity-tasks": {"entity": "携程"},
}
RECIPES = recipes()
Run = Callable[..., list[dict[str, Any]]]


@pytest.fixture
def run(neo4j_changning: Neo4jBackend) -> Run:
    """Run a recipe by name, read-only, on the database holding exactly the Changning plan."""
    def _run(name: str, **parameters: Any) -> list[dict[str, Any]]:
        result = run_read_only(neo4j_changning.driver, neo4j_changning.database,
                               recipe(name).text, parameters)
        assert not result.truncated
        return result.rows
    return _run


# -- the document as read (guards the expectations below) ------------------------------------
def test_the_document_reads_as_expected() -> None:
    assert sorted(OWNERS) == list(range(1, 24))
    assert [(marker, tasks) for marker, _, tasks in SECTIONS] == [
        ("(一)", [1, 2, 3, 4, 5]), ("(二)", [6, 7, 8, 9]), ("(三)", [10, 11, 12, 13]),
        ("(四)", [14, 15, 16, 17]), ("(五)", [18, 19, 20]), ("三、", [21, 22, 23])]
    assert all(len(set(owners)) == len(owners) for owners in OWNERS.values())


# -- headers ---------------------------------------------------------------------------------
def _code(text: str) -> str:
    """The query without comments and string literals, where `$name` means a parameter."""
    return re.sub(r"//[^\n]*|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", " ", text)


def test_recipes_are_sorted_and_named_uniquely() -> None:
    files = [r.path.name for r in RECIPES]
    assert files == sorted(files)
    assert all(re.fullmatch(r"\d\d-[a-z0-9-]+\.cypher", name) for name in files)
    assert len({r.name for r in RECIPES}) == len(RECIPES)
    assert {r.name for r in RECIPES} == set(SAMPLE_PARAMETERS)


@pytest.mark.parametrize("r", RECIPES, ids=lambda r: r.name)
def test_header_declares_exactly_the_parameters_used(r: Recipe) -> None:
    assert r.question.endswith("?")
    assert r.text.startswith("// Question: ")
    assert set(re.findall(r"\$([A-Za-z_]\w*)", _code(r.text))) == set(r.parameters)
    assert len(set(r.parameters)) == len(r.parameters)
    assert "ORDER BY" in _code(r.text)
    examples = [line for line in r.text.splitlines() if line.startswith("// Example: ")]
    for example in examples:
        assert f"livekg cypher @graph/cypher/{r.path.name}" in example
        assert set(re.findall(r"--param (\w+)=", example)) == set(r.parameters)


def test_recipe_by_name_or_file_stem() -> None:
    assert recipe("task-owners") == recipe("01-task-owners")
    assert recipe("task-owners").path == CYPHER_DIR / "01-task-owners.cypher"
    assert recipe("task-owners").parameters == ["task", "document"]
    with pytest.raises(KeyError, match="task-owners"):
        recipe("task-owner")


def test_a_recipe_without_question_is_refused(tmp_path: Path) -> None:
    (tmp_path / "01-fine.cypher").write_text(
        "// Question: Fine?\n// Parameters: none\nRETURN 1 AS one\n", encoding="utf-8")
    (tmp_path / "02-bad.cypher").write_text(
        "// Parameters: $unit (string) — a unit\nRETURN $unit AS unit\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape("02-bad.cypher")):
        recipes(tmp_path)
    (tmp_path / "02-bad.cypher").unlink()
    assert [r.name for r in recipes(tmp_path)] == ["fine"]
    assert recipe("fine", tmp_path).parameters == []


# -- every recipe on the real server -----------------------------------------------------------
@pytest.mark.parametrize("r", RECIPES, ids=lambda r: r.name)
def test_recipe_runs_read_only_with_a_stable_answer(r: Recipe, run: Run) -> None:
    parameters = SAMPLE_PARAMETERS[r.name]
    assert sorted(parameters) == sorted(r.parameters)
    rows = run(r.name, **parameters)
    assert rows
    assert run(r.name, **parameters) == rows


# -- answers, checked against the document -----------------------------------------------------
def test_task_owners_in_document_order(run: Run) -> None:
    task_6 = ["区商务委", "区人才局", "区人社局", "区市场监管局", "区委宣传部", "区委网信办",
              "区数据局", "区委社会工作部", "区文旅局", "各街镇", "东虹办", "市直播电商联盟",
              "市网购商会", "市网络视听协会"]
    assert OWNERS[6] == task_6
    rows = run("task-owners", task=6, document=None)
    assert [row["name"] for row in rows] == task_6
    assert [row["rank"] for row in rows] == list(range(1, 15))
    assert run("task-owners", task=6, document=DOCUMENT_ID) == rows
    assert run("task-owners", task=6, document="no-such-document") == []
    for number, owners in OWNERS.items():
        assert [row["name"] for row in run("task-owners", task=number, document=None)] == owners


def test_unit_tasks_by_name_or_id(run: Run) -> None:
    expected = tasks_of("区商务委")
    assert len(expected) == 18
    rows = run("unit-tasks", unit="区商务委")
    assert [row["task"] for row in rows] == expected
    assert [row["rank"] for row in rows] == [OWNERS[n].index("区商务委") + 1 for n in expected]
    assert [row["title"] for row in rows] == [TITLES[n] for n in expected]
    assert {row["via"] for row in rows} == {None}
    unit_ids = {row["unit"] for row in rows}
    assert len(unit_ids) == 1
    assert run("unit-tasks", unit=unit_ids.pop()) == rows


def test_unit_tasks_through_a_group(run: Run) -> None:
    rows = run("unit-tasks", unit="虹桥街道")
    assert [row["task"] for row in rows] == tasks_of("各街镇")
    assert {row["via"] for row in rows} == {"各街镇"}


def test_unit_co_owners(run: Run) -> None:
    shared = {other: [n for n in tasks_of("区商务委") if other in OWNERS[n]]
              for n in tasks_of("区商务委") for other in OWNERS[n] if other != "区商务委"}
    rows = run("unit-co-owners", unit="区商务委")
    assert {row["name"]: row["task_numbers"] for row in rows} == shared
    assert all(row["shared"] == len(row["task_numbers"]) for row in rows)
    assert [(row["name"], row["shared"]) for row in rows[:2]] == [("区委网信办", 14),
                                                                ("区文旅局", 13)]
    assert [(-row["shared"], row["id"]) for row in rows] == sorted(
        (-row["shared"], row["id"]) for row in rows)


def test_most_frequent_co_owner_pairs(run: Run) -> None:
    pairs: dict[frozenset[str], list[int]] = {}
    for number, owners in OWNERS.items():
        for pair in itertools.combinations(owners, 2):
            pairs.setdefault(frozenset(pair), []).append(number)
    rows = run("co-owner-pairs")
    assert {frozenset((row["name_a"], row["name_b"])): row["task_numbers"]
            for row in rows} == pairs
    top = max(len(tasks) for tasks in pairs.values())
    assert top == 14
    # Two pairs share 14 tasks; ties go by unit id, which puts 区商务委 + 区委网信办 first.
    assert sorted(pair for pair, tasks in pairs.items() if len(tasks) == top) == sorted(
        [frozenset({"区商务委", "区委网信办"}), frozenset({"区委网信办", "区文旅局"})])
    assert {rows[0]["name_a"], rows[0]["name_b"]} == {"区商务委", "区委网信办"}
    assert rows[0]["shared"] == 14
    assert [(-row["shared"], row["unit_a"], row["unit_b"]) for row in rows] == sorted(
        (-row["shared"], row["unit_a"], row["unit_b"]) for row in rows)


def test_single_owner_tasks(run: Run) -> None:
    expected = [(n, owners[0]) for n, owners in OWNERS.items() if len(owners) == 1]
    assert expected == [(21, "各相关部门"), (22, "各相关部门"), (23, "各相关部门")]
    rows = run("single-owner-tasks")
    assert [(row["task"], row["owner_name"]) for row in rows] == expected


def _unquoted(text: str) -> str:
    return text.replace("“", "").replace("”", "")


def test_associations_as_owners_and_mentions(run: Run) -> None:
    owner_associations = ["市直播电商联盟", "市网购商会", "市网络视听协会"]
    assert tasks_of("市网购商会") == [6, 8, 12, 15, 20]
    # Typed while reading: the associations the task texts name, as written (quotes dropped).
    # Task 15's 上海市网购商会出海服务专委会 is the chamber's committee, an entity of its own, so
    # 市网购商会 is an owner of task 15 but not one of its mentions.
    mentioned = {("市网络视听协会", 6): ["市网络视听协会"],
                 ("上海国际MCN发展与服务联盟", 3): ["上海国际MCN发展与服务联盟"],
                 ("上海国际MCN发展与服务联盟", 15): ["上海MCN发展与服务联盟"],
                 ("上海市网购商会出海服务专委会", 15): ["上海市网购商会出海服务专委会"],
                 ("丝路云品联盟", 16): ["丝路云品联盟"]}
    for (_, number), surfaces in mentioned.items():
        assert all(surface in _unquoted(TASK_LINES[number]) for surface in surfaces)
    owned = {(name, n) for name in owner_associations for n in tasks_of(name)}
    expected = {key: " and ".join(["owner"] * (key in owned) + ["mentioned"] * (key in mentioned))
                for key in owned | mentioned.keys()}
    assert expected[("市网络视听协会", 6)] == "owner and mentioned"
    rows = run("association-tasks")
    assert {(row["name"], row["task"]): row["part"] for row in rows} == expected
    for row in rows:
        key = (row["name"], row["task"])
        assert row["owner"] == (key in owned)
        assert row["mentioned"] == (key in mentioned)
        assert row["rank"] == (OWNERS[row["task"]].index(row["name"]) + 1 if key in owned
                               else None)
        assert all(surface in TASK_LINES[row["task"]] for surface in row["surfaces"])
        assert [_unquoted(surface) for surface in row["surfaces"]] == mentioned.get(key, [])
    assert [(row["id"], row["task"]) for row in rows] == sorted(
        (row["id"], row["task"]) for row in rows)


# Typed while reading tasks 2, 6, 7 and 9: the venues and bases they name, in text order.
VENUES = {6: ["虹桥国际中央商务区"], 7: ["农展馆"],
          9: ["愚园路", "Art Park大融城", "宜家荟聚", "愚见", "上生新所", "少年宫", "圣约翰大学",
              "上海舞蹈中心", "王小慧艺术馆"]}
BASES = {2: ["尚街·创邑SPACE", "容么么数字中心"]}


def test_venues_and_bases_per_task(run: Run) -> None:
    for number, names in (VENUES | BASES).items():
        positions = [TASK_LINES[number].index(name) for name in names]
        assert positions == sorted(positions)
    rows = run("task-venues-bases")
    assert [row["task"] for row in rows] == sorted(VENUES.keys() | BASES.keys())
    for row in rows:
        assert row["venues"] == VENUES.get(row["task"], [])
        assert row["bases"] == BASES.get(row["task"], [])


def test_entities_in_a_units_tasks(run: Run) -> None:
    assert tasks_of("区体育局") == [1, 4]
    by_type = {  # typed while reading tasks 1 and 4
        "Technology": {"大数据", "人工智能", "数字人", "扩展现实"},
        "Event": {"长宁咖啡文化节", "最虹桥嘉年华", "上海女子半程马拉松", "长宁微旅行"},
        "Enterprise": {"携程", "春秋", "帆书", "爱奇艺"},
    }
    rows = run("unit-mentioned-entities", unit="区体育局")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["type"], set()).add(row["name"])
    assert found == by_type
    assert [row["type"] for row in rows] == sorted(row["type"] for row in rows)
    assert all(row["tasks"] == 1 and row["mentions"] == 1 for row in rows)

    commerce = run("unit-mentioned-entities", unit="区商务委")
    types = Counter(row["type"] for row in commerce)
    assert "Policy" not in types  # the plan names policies only in task 10, not 区商务委's
    assert {row["name"] for row in commerce if row["type"] == "Technology"} == {
        "大数据", "人工智能", "数字人", "扩展现实", "人工智能大模型", "区块链",
        "生成式人工智能", "数字人主播", "3D直播间"}
    assert set(VENUES) <= set(tasks_of("区商务委"))
    assert {row["name"] for row in commerce if row["type"] == "Venue"} == {
        name for names in VENUES.values() for name in names}
    ctrip = next(row for row in commerce if row["name"] == "携程")
    assert (ctrip["tasks"], ctrip["task_numbers"]) == (2, [4, 14])
    streamer = next(row for row in commerce if row["name"] == "数字人主播")
    assert streamer["mentions"] == TASK_LINES[5].count("数字人主播") == 2


def test_shortest_path_between_units(run: Run) -> None:
    a, b = "区体育局", "区外办"
    assert not set(tasks_of(a)) & set(tasks_of(b))  # no shared task: no path of length 2
    expected = sorted(
        [a, f"task {first}", middle, f"task {second}", b]
        for first in tasks_of(a) for second in tasks_of(b)
        for middle in set(OWNERS[first]) & set(OWNERS[second]) - {a, b})
    assert len(expected) == 8
    rows = run("unit-shortest-path", from_unit=a, to_unit=b)
    assert {row["length"] for row in rows} == {4}
    assert sorted(row["steps"] for row in rows) == expected
    assert [row["ids"] for row in rows] == sorted(row["ids"] for row in rows)
    assert run("unit-shortest-path", from_unit=a, to_unit=a) == []


def test_tasks_per_section_with_owner_counts(run: Run) -> None:
    rows = run("section-tasks")
    assert [(row["marker"], row["title"], row["tasks"]) for row in rows] == SECTIONS
    for row in rows:
        assert row["task_count"] == len(row["tasks"])
        assert row["owner_counts"] == [len(OWNERS[n]) for n in row["tasks"]]
        assert row["distinct_owners"] == len({u for n in row["tasks"] for u in OWNERS[n]})
    assert [row["parent"] for row in rows] == ["二、"] * 5 + [None]


def test_two_hop_neighbourhood_of_a_unit(run: Run) -> None:
    assert tasks_of("区外办") == [14]
    section = next(title for _, title, tasks in SECTIONS if 14 in tasks)
    rows = run("unit-neighbourhood", unit="区外办")
    assert [(row["label"], row["number"]) for row in rows if row["hops"] == 1] == [("Task", 14)]
    two = [row for row in rows if row["hops"] == 2]
    assert {row["name"] for row in two if row["label"] == "Unit"} == set(OWNERS[14]) - {"区外办"}
    assert [row["name"] for row in two if row["label"] == "Section"] == [section]
    assert [row["name"] for row in two if row["label"] == "Enterprise"] == ["携程"]
    assert len([row for row in two if row["label"] == "Document"]) == 1
    assert len(rows) == 1 + 4 + 1 + 1 + 1
    assert [(row["hops"], row["label"], row["id"]) for row in rows] == sorted(
        (row["hops"], row["label"], row["id"]) for row in rows)

    counts = run("unit-neighbourhood-labels", unit="区外办")
    assert {row["label"]: row["nodes"] for row in counts} == {
        "Task": 1, "Unit": 4, "Section": 1, "Document": 1, "Enterprise": 1}
    units = next(row for row in counts if row["label"] == "Unit")
    assert set(units["names"]) == set(OWNERS[14]) - {"区外办"}


def test_tasks_mentioning_an_entity(run: Run) -> None:
    ctrip = run("entity-tasks", entity="携程")
    assert [row["task"] for row in ctrip] == [n for n, line in TASK_LINES.items() if "携程" in line]
    assert [row["task"] for row in ctrip] == [4, 14]
    assert all("携程" in row["sentence"] for row in ctrip)
    assert run("entity-tasks", entity=ctrip[0]["id"]) == ctrip
    alias = run("entity-tasks", entity="上海MCN发展与服务联盟")
    assert [(row["task"], row["surface"]) for row in alias] == [
        (3, "上海国际MCN发展与服务联盟"), (15, "上海MCN发展与服务联盟")]

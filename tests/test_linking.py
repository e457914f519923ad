"""Several documents in one graph: units per jurisdiction, district plans linked to the city's.

Fixtures: tests/fixtures/linking/ (small plans written for these tests).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from live_server import serve
from livekg.api.app import create_app
from livekg.core.config import Settings
from livekg.graph.analyst_cypher import run_read_only
from livekg.graph.backend import MemoryBackend
from livekg.graph.errors import AmbiguousReference
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.loaders.pipeline import parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "linking"
CHANGNING = "changning-livestream-action-plan-2024-2026"
CITY = "fixture-shanghai-city-plan"
YANGPU = "fixture-yangpu-livestream-plan"


@pytest.fixture(scope="module")
def three_plans(registry, changning):
    city = parse_file(FIXTURES / "city-plan.txt", registry)
    yangpu = parse_file(FIXTURES / "yangpu-plan.txt", registry)
    return [changning, city, yangpu]


@pytest.fixture(scope="module")
def memory(three_plans) -> MemoryBackend:
    kg, _ = with_documents(KnowledgeGraph(), three_plans)
    return MemoryBackend(kg)


@pytest.fixture
def neo4j(neo4j_changning, neo4j_writer, three_plans):
    neo4j_writer.write(three_plans[1:])
    return neo4j_changning


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request):
    return request.getfixturevalue(request.param)


def commerce_commissions(backend) -> list[dict]:
    return [u for u in backend.list_nodes("Unit") if u["name"] == "区商务委"]


def test_the_same_short_name_in_two_districts_is_two_units(backend) -> None:
    units = commerce_commissions(backend)
    assert sorted(u["jurisdiction"] for u in units) == ["shanghai-changning", "shanghai-yangpu"]
    yangpu = next(u for u in units if u["jurisdiction"] == "shanghai-yangpu")
    assert yangpu["resolved"] is False
    assert [t.number for t in backend.unit_tasks(yangpu["id"])] == [1, 2]


def test_a_city_association_is_one_node_for_every_document(backend) -> None:
    chambers = [u for u in backend.list_nodes("Unit") if u["name"] == "市网购商会"]
    assert len(chambers) == 1
    documents = {t.document for t in backend.unit_tasks(chambers[0]["id"])}
    assert documents == {CHANGNING, CITY, YANGPU}


def test_a_short_name_that_names_two_units_must_be_asked_by_id(backend) -> None:
    with pytest.raises(AmbiguousReference):
        backend.unit_tasks("区商务委")


def test_questions_per_document(backend) -> None:
    owners = backend.task_owners(f"{YANGPU}:task:1")
    assert [o.name for o in owners] == ["区商务委", "市网购商会"]
    assert owners[0].id != "changning-commerce-commission"


def test_district_plans_implement_the_city_plan(backend) -> None:
    for district in (CHANGNING, YANGPU):
        links = backend.related(district, "IMPLEMENTS", "out")
        assert CITY in [node["id"] for _, node in links]
    assert backend.related(CITY, "IMPLEMENTS", "out") == []


def test_district_tasks_carry_out_the_city_tasks_they_match(backend) -> None:
    def carried(task_id: str) -> list[tuple[str, float]]:
        return [(node["id"], rel["score"])
                for rel, node in backend.related(task_id, "CARRIES_OUT", "out")]

    # Same headings in both plans: 提升直播基地能级, 打造特色直播场景, 加强直播人才培养…
    assert [t for t, _ in carried(f"{CHANGNING}:task:2")] == [f"{CITY}:task:2"]
    assert [t for t, _ in carried(f"{CHANGNING}:task:9")] == [f"{CITY}:task:3"]
    assert [t for t, _ in carried(f"{CHANGNING}:task:12")] == [f"{CITY}:task:4"]
    assert [t for t, _ in carried(f"{YANGPU}:task:1")] == [f"{CITY}:task:2"]
    for _, score in carried(f"{CHANGNING}:task:2"):
        assert 0 < score <= 1


def test_both_backends_derive_the_same_links(memory, neo4j) -> None:
    assert neo4j.node_link(labels=["Document", "Task"]) == memory.node_link(
        labels=["Document", "Task"])
    assert neo4j.stats() == memory.stats()


@pytest.mark.neo4j
def test_neo4j_links_are_rewritten_only_where_they_differ(neo4j) -> None:
    from livekg.graph.linking import document_links
    from livekg.graph.neo4j_store import relink_documents, write_links

    def implements_from(document: str) -> list[str]:
        """The plans and policies a plan implements."""
        return [node["id"] for _, node in neo4j.related(document, "IMPLEMENTS", "out")]

    wanted = document_links(neo4j.node_link(labels=["Document", "Task", "Policy"]))
    # the same links again: nothing is deleted, created or set
    unchanged = relink_documents(neo4j.driver, neo4j.database)
    assert (unchanged.relationships_created, unchanged.relationships_deleted,
            unchanged.properties_set) == (0, 0, 0)
    # one link no longer wanted (Yangpu's plan no longer implements the city's): only it goes
    yangpu_implements = [r for r in wanted if r.type == "IMPLEMENTS" and r.source == YANGPU]
    assert len(yangpu_implements) == 1
    fewer = write_links(neo4j.driver, neo4j.database,
                        [r for r in wanted if r is not yangpu_implements[0]])
    assert (fewer.relationships_created, fewer.relationships_deleted) == (0, 1)
    assert CITY not in implements_from(YANGPU) and CITY in implements_from(CHANGNING)
    # and wanted again: only it comes back
    again = write_links(neo4j.driver, neo4j.database, wanted)
    assert (again.relationships_created, again.relationships_deleted) == (1, 0)
    assert CITY in implements_from(YANGPU)


def test_reloading_the_district_plan_keeps_its_links(three_plans) -> None:
    kg, _ = with_documents(KnowledgeGraph(), three_plans)
    again, _ = with_documents(kg, three_plans[2:])
    assert again == kg


def test_the_api_answers_per_document_and_across(three_plans) -> None:

    kg, _ = with_documents(KnowledgeGraph(), three_plans)
    with serve(create_app(Settings(), backend=MemoryBackend(kg))) as url:
        yangpu = httpx.get(f"{url}/v1/tasks", params={"document": YANGPU}).json()
        chamber = httpx.get(f"{url}/v1/units/shanghai-online-shopping-chamber/tasks").json()
        ambiguous = httpx.get(f"{url}/v1/units/区商务委")
    assert [t["number"] for t in yangpu["items"]] == [1, 2]
    assert {t["document"] for t in chamber["items"]} == {CHANGNING, CITY, YANGPU}
    assert ambiguous.status_code == 409
    assert len(ambiguous.json()["suggestions"]) == 2


def test_cypher_answers_per_document(neo4j) -> None:
    result = run_read_only(neo4j.driver, neo4j.database,
                           "MATCH (t:Task) RETURN t.document AS document, count(t) AS tasks "
                           "ORDER BY document")
    assert result.rows == [{"document": CHANGNING, "tasks": 23}, {"document": CITY, "tasks": 4},
                           {"document": YANGPU, "tasks": 2}]

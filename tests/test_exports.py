"""Each export read back by the tool its users read it with.

GraphML and GEXF by networkx (what Gephi and yEd read), the neo4j-admin CSVs by a real
`neo4j-admin database import full` into a scratch Neo4j home then queried over Bolt, JSON-LD
by rdflib with SPARQL. Expected values come from the plan's text and the registry YAML, read
here with plain string handling, not from the loaders.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import rdflib
import yaml

from live_server import free_port
from livekg import neo4j_local
from livekg.core.config import Settings
from livekg.graph import exports
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.neo4j_connect import open_driver

REGISTRY = Path(__file__).resolve().parent.parent / "data" / "registry"
TASK_LINE = re.compile(r"^(\d+)\.([^。]+)。.*\(责任单位:(.+)\)$")


class Plan:
    """Task titles and responsible-unit lists as the document writes them."""

    def __init__(self, path: Path) -> None:
        self.owners: dict[int, list[str]] = {}
        self.titles: dict[int, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := TASK_LINE.match(line):
                self.owners[int(match[1])] = match[3].split("、")
                self.titles[int(match[1])] = match[2]


@pytest.fixture(scope="module")
def plan(changning_path: Path) -> Plan:
    return Plan(changning_path)


@pytest.fixture(scope="module")
def node_link(changning_graph: KnowledgeGraph) -> dict:
    return changning_graph.to_node_link()


def commerce_commission() -> dict:
    units = yaml.safe_load((REGISTRY / "units.yaml").read_text(encoding="utf-8"))["units"]
    return next(u for u in units if u["short_name"] == "区商务委")


def owners_in_rank_order(graph: nx.MultiDiGraph, task_title: str, type_key: str = "type"
                         ) -> list[str]:
    task = next(n for n, a in graph.nodes(data=True) if a.get("title") == task_title)
    ranked = sorted((int(a["rank"]), graph.nodes[u]["name"])
                    for u, _, a in graph.in_edges(task, data=True)
                    if a[type_key] == "RESPONSIBLE_FOR")
    return [name for _, name in ranked]


# -- GraphML and GEXF ----------------------------------------------------------------------------
def test_graphml_to_standard_output_reads_back_in_networkx(node_link: dict, plan: Plan) -> None:
    out = io.BytesIO()
    assert exports.export(node_link, "graphml", None, stdout=out) == []
    graph = nx.read_graphml(io.BytesIO(out.getvalue()))
    assert graph.is_directed() and graph.is_multigraph()
    assert graph.number_of_nodes() == len(node_link["nodes"])
    assert graph.number_of_edges() == len(node_link["links"])
    assert owners_in_rank_order(graph, plan.titles[6]) == plan.owners[6]
    unit = commerce_commission()
    node = graph.nodes[unit["id"]]
    assert node["label"] == node["name"] == "区商务委"  # what Gephi and yEd show
    assert node["labels"] == "Unit"
    assert json.loads(node["aliases"]) == unit["aliases"]


def test_gexf_file_reads_back_in_networkx(node_link: dict, plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "graph.gexf"
    assert exports.export(node_link, "gexf", out) == [out]
    graph = nx.read_gexf(out)
    assert graph.number_of_nodes() == len(node_link["nodes"])
    assert graph.number_of_edges() == len(node_link["links"])
    assert owners_in_rank_order(graph, plan.titles[9], type_key="label") == plan.owners[9]
    responsible = [a for _, _, a in graph.edges(data=True) if a["label"] == "RESPONSIBLE_FOR"]
    assert len(responsible) == sum(map(len, plan.owners.values())) == 127
    assert graph.nodes[commerce_commission()["id"]]["label"] == "区商务委"


# -- JSON-LD -------------------------------------------------------------------------------------
SKOS = rdflib.Namespace(exports.SKOS)
VOCAB = rdflib.Namespace(exports.VOCABULARY)


@pytest.fixture(scope="module")
def rdf(node_link: dict) -> rdflib.Graph:
    return rdflib.Graph().parse(data=exports.jsonld_bytes(node_link), format="json-ld")


def test_jsonld_names_are_skos_labels(rdf: rdflib.Graph) -> None:
    unit = commerce_commission()
    subject = rdflib.URIRef(exports.node_iri(unit["id"]))
    assert (subject, rdflib.RDF.type, VOCAB.Unit) in rdf
    assert set(rdf.objects(subject, SKOS.prefLabel)) == {
        rdflib.Literal("区商务委", lang="zh"), rdflib.Literal(unit["english_name"], lang="en")}
    assert set(rdf.objects(subject, SKOS.altLabel)) == {
        rdflib.Literal(name, lang="zh") for name in [*unit["aliases"], unit["full_name"]]}
    found = rdf.query("SELECT ?unit WHERE { ?unit skos:altLabel ?name }",
                      initNs={"skos": SKOS}, initBindings={
                          "name": rdflib.Literal("长宁区商务委员会", lang="zh")})
    assert [row.unit for row in found] == [subject]


def test_jsonld_relationships_keep_their_rank(rdf: rdflib.Graph, plan: Plan) -> None:
    """Each owner is a triple on the unit and a statement carrying its rank in the list."""
    rows = rdf.query("""
        SELECT ?name ?rank WHERE {
            ?task vocab:title ?title .
            ?unit vocab:RESPONSIBLE_FOR ?task ; skos:prefLabel ?name .
            ?statement rdf:subject ?unit ; rdf:predicate vocab:RESPONSIBLE_FOR ;
                       rdf:object ?task ; vocab:rank ?rank .
            FILTER (lang(?name) = "zh")
        } ORDER BY ?rank""", initNs={"vocab": VOCAB, "skos": SKOS, "rdf": rdflib.RDF},
        initBindings={"title": rdflib.Literal(plan.titles[6])})
    assert [str(row.name) for row in rows] == plan.owners[6]
    assert [row.rank.toPython() for row in rows] == list(range(1, 15))
    statements = set(rdf.subjects(rdflib.RDF.predicate, VOCAB.RESPONSIBLE_FOR))
    assert len(statements) == 127


# -- neo4j-admin database import -----------------------------------------------------------------
@pytest.fixture
def scratch_neo4j(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh Neo4j home (own port, own data); the server started in it is stopped after."""
    home = tmp_path / "neo4j-home"
    monkeypatch.setenv("LIVEKG_NEO4J_HOME", str(home))
    monkeypatch.setenv("LIVEKG_NEO4J_PORT", str(free_port()))
    for variable in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(variable, raising=False)
    try:
        yield home
    finally:
        neo4j_local.stop()


def neo4j_admin(home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """neo4j-admin from the jars `livekg neo4j start` uses, on the home's configuration."""
    lib = neo4j_local.install()
    neo4j_local._write_conf(home, int(os.environ["LIVEKG_NEO4J_PORT"]))
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    return subprocess.run(
        [neo4j_local._find_java(), "-Xmx512m", "-cp", f"{lib}/*", neo4j_local.ADMIN_TOOL,
         *arguments], env=env, cwd=home, capture_output=True, text=True, timeout=300,
        check=False)


@pytest.mark.neo4j
def test_neo4j_admin_imports_the_csv_folder(node_link: dict, plan: Plan, tmp_path: Path,
                                            scratch_neo4j: Path) -> None:
    folder = tmp_path / "csv"
    written = exports.export(node_link, "neo4j-csv", folder)
    command = (folder / exports.IMPORT_COMMAND_FILE).read_text(encoding="utf-8")
    arguments = [line.strip(" \\'") for line in command.splitlines()[1:]]
    assert arguments[0] == "neo4j-admin database import full" and arguments[-1] == "neo4j"
    assert {Path(a.split("=", 1)[1]) for a in arguments if a.startswith("--nodes=")} | {
        Path(a.split("=", 1)[1]) for a in arguments if a.startswith("--relationships=")
    } == {path for path in written if path.suffix == ".csv"}
    header = (folder / "relationships-RESPONSIBLE_FOR.csv").read_text("utf-8").splitlines()[0]
    assert {"rank:long", "span:long[]"} <= set(header.split(","))

    result = neo4j_admin(scratch_neo4j, "database", "import", "full", *arguments[1:-1], "neo4j")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]

    status = neo4j_local.start()
    connection = Settings().local_neo4j
    with open_driver(connection.uri, connection.user, connection.password) as driver:
        def read(query: str, **parameters: object) -> list[dict]:
            records, _, _ = driver.execute_query(query, parameters, database_="neo4j")
            return [record.data() for record in records]

        assert status.uri == connection.uri
        assert read("MATCH (n) RETURN count(n) AS n")[0]["n"] == len(node_link["nodes"])
        assert read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == len(node_link["links"])
        owners = read("MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->(t:Task {number: 6}) "
                      "RETURN u.name AS name, r.rank AS rank ORDER BY r.rank")
        assert [row["name"] for row in owners] == plan.owners[6]
        assert [row["rank"] for row in owners] == list(range(1, 15))  # integers, not text
        unit = commerce_commission()
        stored = read("MATCH (u:Unit {id: $id}) RETURN u.aliases AS aliases, "
                      "u.verified AS verified, u.full_name AS full_name", id=unit["id"])[0]
        assert stored == {"aliases": unit["aliases"], "verified": unit["verified"],
                          "full_name": unit["full_name"]}
        both = read("MATCH (n:Unit:Association) RETURN n.name AS name")
        assert "市网购商会" in {row["name"] for row in both}
        span = read("MATCH (:Task {number: 9})-[m:MENTIONS]->(v:Venue {name: '愚园路'}) "
                    "RETURN m.span AS span, m.sentence AS sentence")[0]
        assert len(span["span"]) == 2 and all(isinstance(x, int) for x in span["span"])
        assert span["sentence"].startswith("依托愚园路的网红打卡地属性")


def test_csv_export_needs_a_folder_and_never_replaces_other_files(node_link: dict,
                                                                  tmp_path: Path) -> None:
    with pytest.raises(exports.ExportError, match="--out FOLDER"):
        exports.export(node_link, "neo4j-csv", None)
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(exports.ExportError, match="not an earlier neo4j-csv export"):
        exports.export(node_link, "neo4j-csv", mine)
    assert [p.name for p in mine.iterdir()] == ["todo.txt"]
    again = tmp_path / "export"
    first = exports.export(node_link, "neo4j-csv", again)
    assert exports.export(node_link, "neo4j-csv", again) == first  # an earlier export: replaced
    assert sorted(again.iterdir()) == sorted(first)

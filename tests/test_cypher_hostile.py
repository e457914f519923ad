"""Hostile Cypher against the real Neo4j: every write, file or URL read, admin command and
unlisted call is refused and changes nothing; valid reads — keyword-named aliases included —
are answered. Expected answers are read from the Changning plan.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from neo4j import Driver

from livekg import neo4j_local
from livekg.core.config import Settings
from livekg.graph.analyst_cypher import (
    AnswerTooLarge,
    QueryTimedOut,
    UnsafeQuery,
    run_read_only,
    screen,
)
from livekg.graph.neo4j_backend import Neo4jBackend

LIVEKG = Path(sys.executable).with_name("livekg")
COMMERCE_TASKS = [n for n in range(1, 24) if n not in (10, 19, 21, 22, 23)]
URL = "http://127.0.0.1:{port}/health"

# {url} is a listener of the test's own: no request may ever reach it.
HOSTILE = [
    # URL and file reads, the comment ended by \r (Neo4j ends // comments there) included
    'UNWIND [1] AS x // \rLOAD CSV FROM "{url}" AS l FIELDTERMINATOR "\\"" RETURN l',
    'UNWIND [1] AS x // \r\nLOAD CSV FROM "{url}" AS l RETURN l',
    'UNWIND [1] AS x // \u2028LOAD CSV FROM "{url}" AS l RETURN l',
    'LOAD CSV FROM "{url}" AS l RETURN l',
    "load csv from '{url}' as l return l",
    "RETURN 1 AS x /* */ LOAD CSV FROM '{url}' AS l RETURN l",
    "WITH 1 AS where LOAD CSV FROM '{url}' AS l RETURN l",
    "CALL { LOAD CSV FROM '{url}' AS l RETURN l } RETURN l",
    "LOAD CSV WITH HEADERS FROM 'file:///etc/passwd' AS line RETURN line",
    # writes, including ones that pass the textual screen and are caught by the plan
    "CREATE (n:Pwned {id: 'x', name: 'x'})",
    "INSERT (n:Pwned {id: 'x'})",
    "MERGE (n:Unit {id: 'x'}) RETURN n",
    "MATCH (n:Unit) SET n.name = 'x'",
    "MATCH (n:Unit) SET n += {pwned: true}",
    "MATCH (n:Task) DELETE n",
    "match (n) detach delete n",
    "MATCH (n:Unit) REMOVE n.name",
    "MATCH (n:Unit) FOREACH (x IN [1] | SET n.pwned = true)",
    "MATCH (n:Unit) CALL { WITH n SET n.pwned = true } RETURN count(*)",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS RETURN 1",
    "WITH 1 AS where CREATE (:Pwned)",
    "MATCH (n:Unit) WITH n AS return SET return.pwned = true",
    "MATCH (n:Unit) WITH n ORDER BY n.id DESC SET n.pwned = true",
    "UNWIND [1] AS x // \rCREATE (:Pwned)",
    "RETURN 1; MATCH (n) DETACH DELETE n",
    "CREATE INDEX pwned IF NOT EXISTS FOR (n:Unit) ON (n.kind)",
    "DROP INDEX livekg_names",
    # admin commands and SHOW
    "SHOW SETTINGS",
    "SHOW TRANSACTIONS YIELD currentQuery, parameters",
    "SHOW SETTINGS YIELD * WHERE name STARTS WITH 'dbms' RETURN name, value",
    "SHOW PROCEDURES",
    "SHOW FUNCTIONS",
    "SHOW INDEXES",
    "SHOW CONSTRAINTS",
    "SHOW DATABASES",
    "SHOW USERS",
    "SHOW CURRENT USER",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "USE system SHOW USERS",
    # procedures and functions off the allow-list, however spelled
    "CALL `db`.`info`()",
    "CALL `dbms`.`listConfig`() YIELD name RETURN name",
    "CALL db . info ( )",
    "CALL db.info/* comment */()",
    "call DB.INFO()",
    "CALL dbms.components()",
    "CALL db.labels() YIELD label WITH label CALL dbms.listConfig() YIELD name RETURN name",
    "CALL { CALL db.info() YIELD id RETURN id } RETURN id",
    "CALL db.createLabel('Pwned')",
    "CALL db.clearQueryCaches()",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'off')",
    "RETURN apoc.version() AS v",
    "RETURN `apoc`.`version`() AS v",
    # not one plain statement, or unreadable
    "EXPLAIN MATCH (n) DETACH DELETE n",
    "PROFILE MATCH (n) RETURN n",
    "/* never closed MATCH (n) RETURN n",
    "RETURN 'never closed",
    # expressions Neo4j cannot stop once started
    "RETURN size(reduce(s = '', x IN range(1, 200000) | s + 'xxxxxxxxxx')) AS n",
    "RETURN range(1, 2000000) AS r",
    "RETURN size([x IN range(1, 1000) | size([y IN range(1, 1000) WHERE y = x])]) AS n",
    "RETURN size([x IN range(1, $n) | x]) AS n",
]

# (query, parameters, the expected rows — read from the plan — or None to only require an answer)
VALID: list[tuple[str, dict[str, Any], list[dict[str, Any]] | None]] = [
    ("RETURN 1 AS start ORDER BY start", {}, [{"start": 1}]),
    ("MATCH (t:Task) RETURN t.number AS set ORDER BY set LIMIT 3", {},
     [{"set": 1}, {"set": 2}, {"set": 3}]),
    ("MATCH (t:Task) RETURN t.number AS create, t.number AS delete ORDER BY create DESC LIMIT 1",
     {}, [{"create": 23, "delete": 23}]),
    ("WITH 1 AS remove RETURN remove", {}, [{"remove": 1}]),
    ("MATCH (t:Task) WITH t.number AS merge WHERE merge < 3 RETURN merge ORDER BY merge", {},
     [{"merge": 1}, {"merge": 2}]),
    ("MATCH (show:Task) RETURN count(show) AS load", {}, [{"load": 23}]),
    ("MATCH (n:Task) RETURN n.number AS stop, n.number AS start ORDER BY stop LIMIT 2", {},
     [{"stop": 1, "start": 1}, {"stop": 2, "start": 2}]),
    ("RETURN {set: 1, create: 2, `load csv`: 3} AS m", {},
     [{"m": {"set": 1, "create": 2, "load csv": 3}}]),
    ("MATCH (t:Task {number: 1}) RETURN t.number AS `LOAD CSV`", {}, [{"LOAD CSV": 1}]),
    ("MATCH (u:Unit {name: '区商务委'})-[:RESPONSIBLE_FOR]->(t:Task) "
     "RETURN t.number AS task ORDER BY task", {}, [{"task": n} for n in COMMERCE_TASKS]),
    ("MATCH (u:Unit)-[:RESPONSIBLE_FOR]->(t:Task) WHERE u.name = $set "
     "RETURN count(t) AS tasks", {"set": "区商务委"}, [{"tasks": len(COMMERCE_TASKS)}]),
    ("MATCH (t:Task {number: 6}) RETURN COUNT { (t)<-[:RESPONSIBLE_FOR]-() } AS owners", {},
     [{"owners": 14}]),
    ("CALL db.labels()", {}, None),
    ("CALL db.labels() YIELD label WHERE label = 'Task' RETURN label", {}, [{"label": "Task"}]),
    ("CALL `db`.`labels`() YIELD label WHERE label = 'Unit' RETURN label", {},
     [{"label": "Unit"}]),
    ("CALL db.relationshipTypes() YIELD relationshipType WHERE relationshipType = 'MENTIONS' "
     "RETURN relationshipType", {}, [{"relationshipType": "MENTIONS"}]),
    ("CALL db.propertyKeys() YIELD propertyKey WHERE propertyKey = 'rank' RETURN propertyKey",
     {}, [{"propertyKey": "rank"}]),
    ("CALL db.schema.visualization() YIELD nodes RETURN size(nodes) > 0 AS any", {},
     [{"any": True}]),
    ("CALL db.index.fulltext.queryNodes('livekg_names', 'qushangwuwei') YIELD node "
     "RETURN node.name AS name LIMIT 1", {}, [{"name": "区商务委"}]),
    ("MATCH (t:Task) WHERE t.text CONTAINS 'LOAD CSV' OR t.text CONTAINS \"DELETE\" "
     "RETURN count(t) AS n", {}, [{"n": 0}]),
    ("// SET n.x = 1 \n MATCH (t:Task) RETURN count(t) AS tasks", {}, [{"tasks": 23}]),
    ("/* DETACH DELETE */ MATCH (t:Task) RETURN count(t) AS tasks", {}, [{"tasks": 23}]),
    ("UNWIND range(1, 5) AS x RETURN sum(x) AS total", {}, [{"total": 15}]),
    ("RETURN [x IN range(1, 100) | x * 2][-1] AS last", {}, [{"last": 200}]),
    ("RETURN size(reduce(s = '', x IN range(1, 100) | s + 'x')) AS n", {}, [{"n": 100}]),
    ("CALL { MATCH (t:Task) RETURN t } RETURN count(t) AS tasks", {}, [{"tasks": 23}]),
    ("MATCH p = shortestPath((a:Unit {name: '区商务委'})-[*..4]-(b:Unit {name: '区科委'})) "
     "RETURN length(p) AS hops", {}, [{"hops": 2}]),
    ("RETURN point.distance(point({x: 0, y: 0}), point({x: 3, y: 4})) AS d", {}, [{"d": 5.0}]),
    ("MATCH (t:Task) WITH t ORDER BY t.number DESC RETURN t.number AS n LIMIT 1", {},
     [{"n": 23}]),
    ("CYPHER runtime=slotted MATCH (t:Task) RETURN count(t) AS tasks", {}, [{"tasks": 23}]),
    ("MATCH (t:Task) RETURN t.number AS n ORDER BY n SKIP 22", {}, [{"n": 23}]),
    ("RETURN 1 AS x UNION RETURN 2 AS x", {}, [{"x": 1}, {"x": 2}]),
    ("MATCH (t:Task) WHERE t.number IN $numbers RETURN t.number AS n ORDER BY n",
     {"numbers": [6, 9]}, [{"n": 6}, {"n": 9}]),
    ("RETURN 'a;b' AS semicolon;", {}, [{"semicolon": "a;b"}]),
    ("MATCH (d:Document) RETURN d.title STARTS WITH '长宁区' AS changning", {},
     [{"changning": True}]),
]


class _Listener(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # the name http.server calls
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"secret")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server the hostile queries point at; records every request it gets."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield URL.format(port=server.server_address[1]), _Listener.hits
    server.shutdown()


def counts(driver: Driver, database: str) -> tuple[int, int, list[str]]:
    records, _, _ = driver.execute_query(
        "MATCH (n) WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() "
        "RETURN nodes, count(r) AS rels", database_=database)
    indexes, _, _ = driver.execute_query("SHOW INDEXES YIELD name RETURN name ORDER BY name",
                                         database_=database)
    return records[0]["nodes"], records[0]["rels"], [r["name"] for r in indexes]


def test_at_least_forty_hostile_texts_and_twenty_five_reads() -> None:
    assert len(HOSTILE) >= 40 and len(VALID) >= 25


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_cypher_is_refused_and_changes_nothing(
        query: str, neo4j_changning: Neo4jBackend, listener: tuple[str, list[str]]) -> None:
    url, hits = listener
    backend = neo4j_changning
    before = counts(backend.driver, backend.database)
    with pytest.raises(UnsafeQuery):
        run_read_only(backend.driver, backend.database, query.replace("{url}", url), {"n": 10**9})
    assert counts(backend.driver, backend.database) == before
    assert hits == []


@pytest.mark.parametrize(("query", "parameters", "expected"), VALID)
def test_valid_reads_are_answered(query: str, parameters: dict[str, Any],
                                  expected: list[dict[str, Any]] | None,
                                  neo4j_changning: Neo4jBackend) -> None:
    backend = neo4j_changning
    result = run_read_only(backend.driver, backend.database, query, parameters)
    assert result.rows
    if expected is not None:
        assert result.rows == expected


@pytest.mark.parametrize("query", [
    "WITH 1 AS where LOAD CSV FROM 'http://127.0.0.1:9/' AS l RETURN l",
    "WITH 1 AS where CREATE (:Pwned)",
])
def test_the_plan_refuses_what_the_textual_screen_lets_through(
        query: str, neo4j_changning: Neo4jBackend) -> None:
    screen(query)  # a keyword-named variable hides the clause from the fast first pass …
    with pytest.raises(UnsafeQuery, match=r"LOAD CSV|not read-only"):  # … not from the plan
        run_read_only(neo4j_changning.driver, neo4j_changning.database, query)


def test_the_cli_refuses_the_ssrf_text(neo4j_changning: Neo4jBackend,
                                       listener: tuple[str, list[str]]) -> None:
    url, hits = listener
    query = HOSTILE[0].replace("{url}", url)
    done = subprocess.run([str(LIVEKG), "cypher", query], capture_output=True, text=True,
                          timeout=120, env=os.environ.copy())
    assert done.returncode == 1
    assert "LOAD CSV is not allowed" in done.stderr
    assert hits == []


def _server_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _assert_server_idle(pid: int | None) -> None:
    """The server uses under half a core over the next 1.5 s (local server only)."""
    if pid is None:
        return
    start, before = time.monotonic(), _server_cpu_seconds(pid)
    time.sleep(1.5)
    busy = (_server_cpu_seconds(pid) - before) / (time.monotonic() - start)
    assert busy < 0.5, f"Neo4j still uses {busy:.0%} of a core after the query ended"


def _local_pid() -> int | None:
    settings = Settings()
    if settings.external_neo4j is not None:
        return None
    return neo4j_local.status(settings).pid


@pytest.mark.parametrize("query", [
    "RETURN size(reduce(s = '', x IN range(1, 200000) | s + 'xxxxxxxxxx')) AS n",  # refused
    "MATCH (a), (b), (c), (d) WHERE a.name < d.name RETURN count(*) AS n",  # stopped
])
def test_a_runaway_query_ends_within_its_timeout_and_frees_the_cpu(
        query: str, neo4j_changning: Neo4jBackend) -> None:
    timeout = 2.0
    started = time.monotonic()
    with pytest.raises(UnsafeQuery) as refused:
        run_read_only(neo4j_changning.driver, neo4j_changning.database, query, timeout=timeout)
    assert time.monotonic() - started < timeout + 2
    if isinstance(refused.value, QueryTimedOut):
        assert "2 s" in str(refused.value) and "LIVEKG_CYPHER_TIMEOUT" in str(refused.value)
    _assert_server_idle(_local_pid())


def test_answers_are_capped_in_bytes(neo4j_changning: Neo4jBackend) -> None:
    backend = neo4j_changning
    query = "MATCH (t:Task) RETURN t.number AS n, t.text AS text ORDER BY n"
    capped = run_read_only(backend.driver, backend.database, query, max_bytes=3000)
    assert capped.truncated and 0 < len(capped.rows) < 23
    assert [row["n"] for row in capped.rows] == list(range(1, len(capped.rows) + 1))
    with pytest.raises(AnswerTooLarge, match="LIVEKG_CYPHER_MAX_BYTES"):
        run_read_only(backend.driver, backend.database,
                      "MATCH (t:Task) RETURN collect(t.text) AS texts", max_bytes=3000)

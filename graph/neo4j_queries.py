"""Every Cypher statement livekg itself runs, in one place (the analysts' recipes are in cypher/).

Constants for fixed text, small builders where a label or relationship type has to be part of
the text (Cypher takes neither as a parameter). Builders only ever interpolate members of the
schema's enums, never user input; values always travel as parameters.

Reads (graph.neo4j_backend)
---------------------------
Each answers one of GraphBackend's data fetches; the shared logic (ranking, ordering, records)
stays in graph.backend, so these return plain rows.

Writes (graph.neo4j_store, graph.writer)
----------------------------------------
Schema statements, one document's replacement, the derived links between documents.
"""

from __future__ import annotations

from collections.abc import Iterable

from livekg.graph.schema import (
    DOCUMENT_LABELS,
    NAME_PROPERTIES,
    RELATIONSHIP_TYPES,
    SHARED_LABELS,
    Label,
    RelType,
)

FULLTEXT_INDEX = "livekg_names"
# The name properties Cypher reads as scalars; `aliases` (a list) is matched element-wise.
SCALAR_NAME_PROPERTIES = [p for p in NAME_PROPERTIES if p != "aliases"]
_NAME_PROJECTION = ", ".join(f".{p}" for p in ("id", "number", *NAME_PROPERTIES))
_TASK_PROJECTION = "t {.id, .document, .number, .marker, .title}"


# -- reads -------------------------------------------------------------------------------------
def node_seek(labels: Iterable[Label]) -> str:
    """`n` = the node whose id is $id, by one index seek per label (an unlabelled match on
    `id` would scan every node). UNION drops the second row of a node with two labels."""
    seeks = [f"MATCH (n:{Label(label)} {{id: $id}})" for label in labels]
    if len(seeks) == 1:
        return seeks[0]
    return "CALL { " + " UNION ".join(f"{seek} RETURN n" for seek in seeks) + " }"


NODE_BY_ID = f"{node_seek(Label)} RETURN properties(n) AS props, labels(n) AS labels"

PING = "RETURN 1 AS one"
# The graph's version: one node outside the schema, given a fresh random token by every
# transaction that writes documents or links (a token, not a counter: a wiped database that is
# loaded again must not repeat an old version). Queries over all nodes leave it out.
META_LABEL = "LivekgMeta"
_NOT_META = f"NOT n:{META_LABEL}"
GRAPH_VERSION = f"OPTIONAL MATCH (m:{META_LABEL} {{id: 'graph'}}) RETURN m.version AS version"
BUMP_GRAPH_VERSION = (f"MERGE (m:{META_LABEL} {{id: 'graph'}}) SET m.version = randomUUID() "
                      f"RETURN m.version AS version")


def names(label: Label | None) -> str:
    """Id, labels, number and name properties of the nodes with `label` (any when None) whose
    name properties contain $contains (lower-cased; every node when it is null), or tasks
    numbered $number. A superset: the caller compares names exactly (graph.naming)."""
    where = f":{Label(label)}" if label else ""
    return (
        f"MATCH (n{where}) WHERE {_NOT_META} AND ($contains IS NULL "
        f"OR any(p IN $props WHERE toLower(toString(n[p])) CONTAINS $contains) "
        f"OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $contains) "
        f"OR ($number IS NOT NULL AND n:{Label.TASK} AND n.number = $number)) "
        f"RETURN n {{{_NAME_PROJECTION}}} AS node, labels(n) AS labels")


def nodes_with_label(label: Label) -> str:
    return f"MATCH (n:{Label(label)}) RETURN properties(n) AS props, labels(n) AS labels"


def related(rel_type: RelType, direction: str) -> str:
    """(relationship, other node) of one type leaving ("out") or entering ("in") node $id;
    the node is sought only among the labels that type can start or end at."""
    spec = RELATIONSHIP_TYPES[RelType(rel_type)]
    ends = spec.sources if direction == "out" else spec.targets
    arrow = f"-[r:{spec.type}]->" if direction == "out" else f"<-[r:{spec.type}]-"
    return (
        f"{node_seek(sorted(ends))} MATCH (n){arrow}(m) "
        f"RETURN properties(r) AS rel, type(r) AS type, startNode(r).id AS source, "
        f"endNode(r).id AS target, properties(m) AS props, labels(m) AS labels")


TASK_OWNERS = (
    f"MATCH (:{Label.TASK} {{id: $id}})<-[r:{RelType.RESPONSIBLE_FOR}]-(u:{Label.UNIT}) "
    f"RETURN r {{.rank, .role}} AS rel, "
    f"u {{.id, .name, .full_name, .english_name, .kind}} AS unit")

TASKS_OWNED_BY_ALL = (
    f"MATCH (u:{Label.UNIT})-[:{RelType.RESPONSIBLE_FOR}]->(t:{Label.TASK}) WHERE u.id IN $ids "
    f"WITH t, count(DISTINCT u) AS owners WHERE owners = size($ids) "
    f"RETURN {_TASK_PROJECTION} AS task")

CO_OWNED_TASKS = (
    f"MATCH (u:{Label.UNIT} {{id: $id}})-[:{RelType.RESPONSIBLE_FOR}]->(t:{Label.TASK})"
    f"<-[:{RelType.RESPONSIBLE_FOR}]-(o:{Label.UNIT}) WHERE o <> u "
    # Lists, not maps: decoding a map per task took half the time of the whole query.
    f"WITH o, collect(DISTINCT [t.id, t.document, t.number]) AS tasks "
    f"RETURN o {{.id, .name}} AS unit, tasks")

ELEMENT_OF = f"{node_seek(Label)} RETURN elementId(n) AS element"
NEIGHBOURS = ("MATCH (a)--(b) WHERE elementId(a) IN $frontier "
              "RETURN DISTINCT elementId(b) AS element")
IDS_OF_ELEMENTS = "MATCH (n) WHERE elementId(n) IN $elements RETURN n.id AS id"

ALL_SHORTEST_PATHS = (
    f"MATCH (a {{id: $a}}), (b {{id: $b}}) WHERE NOT a:{META_LABEL} AND NOT b:{META_LABEL} "
    "MATCH p = allShortestPaths((a)-[*]-(b)) "
    "RETURN DISTINCT [n IN nodes(p) | n.id] AS path")

def node_link_nodes(brief: bool = False) -> str:
    """Nodes with any of $labels and in $ids (null: no restriction), with their element ids;
    `brief`: only id and name of the properties (a subgraph's references, not its texts)."""
    props = "n {.id, .name}" if brief else "properties(n)"
    return (f"MATCH (n) WHERE {_NOT_META} "
            "AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)) "
            "AND ($ids IS NULL OR n.id IN $ids) "
            f"RETURN {props} AS props, labels(n) AS labels, elementId(n) AS element")


def node_link_links_by_label(brief: bool = False) -> str:
    """Relationships between nodes with any of $labels (null: all nodes): the links of
    node_link_nodes when no ids are given, found by label, not by testing each relationship's
    ends against a list of every node's element id."""
    props = "r {.id}" if brief else "properties(r)"
    ends = " AND ".join(f"NOT {end}:{META_LABEL} AND ($labels IS NULL OR any(l IN labels({end}) "
                        "WHERE l IN $labels))" for end in ("a", "b"))
    return (f"MATCH (a)-[r]->(b) WHERE {ends} "
            f"RETURN {props} AS rel, type(r) AS type, a.id AS source, b.id AS target")


def node_link_links(brief: bool = False) -> str:
    """Relationships between the nodes $elements; `brief`: only their id of the properties."""
    props = "r {.id}" if brief else "properties(r)"
    return ("MATCH (a)-[r]->(b) WHERE elementId(a) IN $elements AND elementId(b) IN $elements "
            f"RETURN {props} AS rel, type(r) AS type, a.id AS source, b.id AS target")

COUNT_BY_LABEL = (f"MATCH (n) WHERE {_NOT_META} UNWIND labels(n) AS label "
                  "RETURN label, count(*) AS count")
COUNT_BY_TYPE = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count"
COUNT_TOTALS = (f"MATCH (n) WHERE {_NOT_META} WITH count(n) AS nodes "
                "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS relationships")
DOCUMENT_IDS = f"MATCH (d:{Label.DOCUMENT}) RETURN d.id AS id"


# -- schema ------------------------------------------------------------------------------------
def schema_statements() -> list[str]:
    """Constraints and indexes, created before any load; every statement is idempotent."""
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in Label
    ]
    statements += [
        f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)"
        for label in Label
    ]
    statements += [
        f"CREATE INDEX {label.lower()}_document IF NOT EXISTS FOR (n:{label}) ON (n.document)"
        for label in DOCUMENT_LABELS
    ]
    statements += [
        f"CREATE CONSTRAINT rel_{rel.lower()}_id IF NOT EXISTS "
        f"FOR ()-[r:{rel}]-() REQUIRE r.id IS UNIQUE"
        for rel in RelType
    ]
    statements += [
        f"CREATE INDEX rel_{rel.lower()}_document IF NOT EXISTS "
        f"FOR ()-[r:{rel}]-() ON (r.document)"
        for rel in RelType
    ]
    labels = "|".join(Label)
    properties = ", ".join(f"n.{p}" for p in NAME_PROPERTIES)
    statements.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
        f"FOR (n:{labels}) ON EACH [{properties}]")
    return statements


AWAIT_INDEXES = "CALL db.awaitIndexes(300)"


# -- writing one document ----------------------------------------------------------------------
DOCUMENT_FINGERPRINT = (f"MATCH (d:{Label.DOCUMENT} {{id: $id}}) "
                        f"RETURN d.rows_sha256 AS rows_sha256")


def delete_stale_relationships(rel_type: RelType) -> str:
    """The document's relationships of one type that are not in $keep ([id, source, target])."""
    return (f"MATCH (a)-[r:{RelType(rel_type)}]->(b) WHERE r.document = $doc "
            f"AND NOT [r.id, a.id, b.id] IN $keep DELETE r")


def delete_stale_nodes(label: Label) -> str:
    """The document's nodes of one label whose ids are not in $keep."""
    return (f"MATCH (n:{Label(label)}) WHERE n.document = $doc AND NOT n.id IN $keep "
            f"DETACH DELETE n")


# Whether the document has facts in the graph: its Document node is written and deleted in the
# same transaction as every other fact it owns, so it alone tells.
DOCUMENT_PRESENT = (f"OPTIONAL MATCH (d:{Label.DOCUMENT} {{id: $doc}}) "
                    f"RETURN d IS NOT NULL AS present")


def merge_nodes(labels: Iterable[str]) -> str:
    """Nodes of $rows ({id, properties}) merged on their first label, the others added."""
    primary, *extra = [Label(label) for label in labels]
    set_labels = "".join(f", n:{label}" for label in extra)
    return (f"UNWIND $rows AS row MERGE (n:{primary} {{id: row.id}}) "
            f"SET n = row.properties{set_labels}")


def create_nodes(labels: Iterable[str]) -> str:
    """Nodes of $rows ({properties}, id among them) that cannot exist yet: a new document's
    own nodes. No lookup per row, unlike MERGE; the id constraints still refuse a duplicate."""
    all_labels = "".join(f":{Label(label)}" for label in labels)
    return f"UNWIND $rows AS row CREATE (n{all_labels}) SET n = row.properties"


def merge_relationships(rel_type: RelType, source: str, target: str,
                        create: bool = False) -> str:
    """Relationships of $rows ({id, source, target, properties}); returns how many were
    written, so rows pointing at missing nodes are noticed. An empty `source` or `target`
    label matches the end by id alone (a node of another document). `create`: the
    relationships cannot exist yet (a new document's own), so none is looked for first."""
    write = (f"CREATE (a)-[r:{RelType(rel_type)}]->(b)" if create
             else f"MERGE (a)-[r:{RelType(rel_type)} {{id: row.id}}]->(b)")
    return (f"UNWIND $rows AS row "
            f"MATCH (a{_label(source)} {{id: row.source}}) "
            f"MATCH (b{_label(target)} {{id: row.target}}) "
            f"{write} SET r = row.properties "
            f"RETURN count(r) AS written")


def remove_orphans() -> str:
    """Shared nodes stay only while a document reaches them (directly or through INCLUDES)."""
    shared = " OR ".join(f"n:{label}" for label in SHARED_LABELS)
    owned = " OR ".join(f"m:{label}" for label in DOCUMENT_LABELS)
    return (f"MATCH (n) WHERE ({shared}) "
            f"AND NOT EXISTS {{ MATCH (n)--(m) WHERE {owned} }} "
            f"AND NOT EXISTS {{ MATCH (g)-[:{RelType.INCLUDES}*1..]->(n) "
            f"WHERE EXISTS {{ MATCH (g)--(m) WHERE {owned} }} }} "
            f"DETACH DELETE n")


# -- links between documents -------------------------------------------------------------------
def derived_links(rel_type: RelType) -> str:
    """Every derived relationship of one type: its id, ends and properties."""
    return (f"MATCH (a)-[r:{RelType(rel_type)}]->(b) WHERE r.derived "
            f"RETURN r.id AS id, a.id AS source, b.id AS target, properties(r) AS properties")


def delete_links(rel_type: RelType, source: Label, target: Label) -> str:
    """The derived relationships in $rows ({id, source, target}), found by their ends' ids."""
    return (f"UNWIND $rows AS row MATCH (a:{Label(source)} {{id: row.source}})"
            f"-[r:{RelType(rel_type)} {{id: row.id}}]->(b:{Label(target)} {{id: row.target}}) "
            f"WHERE r.derived DELETE r")


def merge_links(rel_type: RelType, source: Label, target: Label) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{Label(source)} {{id: row.source}}) "
            f"MATCH (b:{Label(target)} {{id: row.target}}) "
            f"MERGE (a)-[r:{RelType(rel_type)} {{id: row.id}}]->(b) SET r = row.properties")


def _label(label: str) -> str:
    return f":{Label(label)}" if label else ""


# -- reads: lead and rank (appended as a block; the reads above keep their order) -------------
# Each task once, with every RESPONSIBLE_FOR link into it, as one row of lists: the driver
# decodes one row of lists in half the time of a row of maps per task. A task without owners
# has [] (OPTIONAL MATCH's null owner is dropped).
_OWNER_LINKS = (
    f"OPTIONAL MATCH (t)<-[r:{RelType.RESPONSIBLE_FOR}]-(o:{Label.UNIT}) "
    f"WITH t, [x IN collect([o.id, o.name, labels(o), r.rank, r.role]) "
    f"WHERE x[0] IS NOT NULL] AS owners "
    f"RETURN collect([t.id, t.document, t.number, t.marker, t.title, owners]) AS tasks")
TASK_OWNER_LINKS_ALL = f"MATCH (t:{Label.TASK}) {_OWNER_LINKS}"
TASK_OWNER_LINKS_OF_UNIT = (
    f"MATCH (:{Label.UNIT} {{id: $id}})-[:{RelType.RESPONSIBLE_FOR}]->(t:{Label.TASK}) "
    f"WITH DISTINCT t {_OWNER_LINKS}")

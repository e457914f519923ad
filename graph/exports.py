"""The graph in the formats other tools read, from the node-link dict every backend gives.

- GraphML (Gephi, yEd, networkx) and GEXF (Gephi): lists become JSON strings, a node's labels
  one ':'-joined string, and `label` carries its name so Gephi shows it (in GEXF an edge's
  `label` is its relationship type: GEXF's own `type` attribute means directed or not).
- neo4j-admin CSVs: one file per label combination and per relationship type, with typed
  headers (`rank:long`, `span:long[]`, `verified:boolean`), and the import command beside them.
- JSON-LD: labels are types, names `skos:prefLabel` (zh and en), aliases and full names
  `skos:altLabel`, pinyin `skos:hiddenLabel`; every relationship is a triple on its source
  and an `rdf:Statement` carrying its properties (rank, sentence, span …).

All are pure functions of the node-link dict (`backend.node_link()`), so both backends export
the same bytes. `export()` is what the `livekg export` command calls.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, Literal
from urllib.parse import quote

import networkx as nx

from livekg.graph.snapshot import write_atomically

Format = Literal["json", "graphml", "gexf", "neo4j-csv", "jsonld"]
FORMATS: tuple[str, ...] = ("json", "graphml", "gexf", "neo4j-csv", "jsonld")
NODE_IRI = "urn:livekg:node:"
RELATIONSHIP_IRI = "urn:livekg:relationship:"
VOCABULARY = "urn:livekg:vocab:"
# neo4j-admin splits array cells on this; U+001F (unit separator) occurs in no name or text.
ARRAY_DELIMITER = "\u001f"
IMPORT_COMMAND_FILE = "neo4j-admin-import.txt"
_NODE_FIELDS = frozenset({"id", "labels"})
_LINK_FIELDS = frozenset({"id", "source", "target", "type"})


class ExportError(ValueError):
    """The graph cannot be written in the asked format (the message says why)."""


def export(node_link: dict[str, Any], format: Format, out: Path | None = None,
           stdout: BinaryIO | None = None) -> list[Path]:
    """Write the graph as `format` to `out` (a file; a folder for neo4j-csv) or to standard
    output when `out` is None; returns the files written."""
    if format == "neo4j-csv":
        if out is None:
            raise ExportError("neo4j-csv writes a folder of files: give --out FOLDER")
        return write_neo4j_csv(node_link, out)
    writers = {"json": json_bytes, "graphml": graphml_bytes, "gexf": gexf_bytes,
               "jsonld": jsonld_bytes}
    if format not in writers:
        raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    data = writers[format](node_link)
    if out is None:
        target = stdout or sys.stdout.buffer
        target.write(data)
        target.flush()
        return []
    write_atomically(Path(out), data)
    return [Path(out)]


def json_bytes(node_link: dict[str, Any]) -> bytes:
    return (json.dumps(node_link, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- GraphML and GEXF --------------------------------------------------------------------------
def flat_graph(node_link: dict[str, Any]) -> nx.MultiDiGraph:
    """A networkx graph whose attribute values GraphML and GEXF can hold."""
    graph = nx.MultiDiGraph()
    for node in node_link["nodes"]:
        attributes = {key: _flat(key, value) for key, value in node.items() if key != "id"}
        graph.add_node(node["id"], label=node.get("name", node["id"]), **attributes)
    for link in node_link["links"]:
        attributes = {key: _flat(key, value) for key, value in link.items()
                      if key not in ("source", "target")}
        graph.add_edge(link["source"], link["target"], key=link["id"], **attributes)
    return graph


def graphml_bytes(node_link: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(node_link), buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf_bytes(node_link: dict[str, Any]) -> bytes:
    """GEXF's own edge `type` means directed or not, so the relationship type is the edge's
    `label` (which Gephi shows)."""
    graph = flat_graph(node_link)
    for _, _, attributes in graph.edges(data=True):
        attributes["label"] = attributes.pop("type")
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def _flat(key: str, value: Any) -> Any:
    if key == "labels":
        return ":".join(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


# -- neo4j-admin database import ---------------------------------------------------------------
def write_neo4j_csv(node_link: dict[str, Any], folder: Path) -> list[Path]:
    """CSV files for `neo4j-admin database import full`, and the command, into `folder`.

    The folder is written whole or not at all: files go to a temporary folder beside it,
    which then replaces it. An existing folder is replaced only if it is empty or an earlier
    export (it holds the command file), so no other files are ever deleted.
    """
    folder = Path(folder)
    if folder.exists() and not (folder.is_dir() and (
            not any(folder.iterdir()) or (folder / IMPORT_COMMAND_FILE).is_file())):
        raise ExportError(f"{folder}: exists and is not an earlier neo4j-csv export; "
                          f"choose a new or empty folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        nodes, relationships = _csv_files(node_link, staging)
        options = neo4j_import_arguments(folder, nodes, relationships)
        (staging / IMPORT_COMMAND_FILE).write_text(
            "# Import into a stopped Neo4j 5 whose database `neo4j` is new or may be replaced:\n"
            "neo4j-admin database import full \\\n  "
            + " \\\n  ".join(map(_shell_word, options)) + " \\\n  neo4j\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / path.name for path in [*nodes, *relationships]] + [
        folder / IMPORT_COMMAND_FILE]


def neo4j_import_arguments(folder: Path, nodes: Iterable[Path],
                           relationships: Iterable[Path]) -> list[str]:
    """The options of `neo4j-admin database import full` for files written into `folder`."""
    return [*(f"--nodes={Path(folder) / path.name}" for path in nodes),
            *(f"--relationships={Path(folder) / path.name}" for path in relationships),
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--multiline-fields=true",
            "--overwrite-destination=true"]


def _csv_files(node_link: dict[str, Any], folder: Path) -> tuple[list[Path], list[Path]]:
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in node_link["nodes"]:
        by_labels[tuple(node["labels"])].append(node)
    nodes = []
    for labels, group in sorted(by_labels.items()):
        path = folder / f"nodes-{'-'.join(labels)}.csv"
        _write_csv(path, ["id:ID", ":LABEL"], group, _NODE_FIELDS,
                   lambda node: [node["id"], ARRAY_DELIMITER.join(node["labels"])])
        nodes.append(path)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in node_link["links"]:
        by_type[link["type"]].append(link)
    relationships = []
    for rel_type, group in sorted(by_type.items()):
        path = folder / f"relationships-{rel_type}.csv"
        _write_csv(path, [":START_ID", ":END_ID", ":TYPE", "id"], group,
                   _LINK_FIELDS, lambda link: [link["source"], link["target"], link["type"],
                                               link["id"]])
        relationships.append(path)
    return nodes, relationships


def _write_csv(path: Path, fixed: list[str], records: list[dict[str, Any]],
               skip: frozenset[str], fixed_values: Any) -> None:
    types: dict[str, str | None] = {}
    for record in records:
        for key, value in record.items():
            if key not in skip:
                types[key] = _merge_type(path, key, types.get(key), _neo4j_type(value))
    keys = sorted(types)
    header = [f"{key}:{types[key] or 'string[]'}" for key in keys]  # only empty lists seen
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*fixed, *header])
        for record in records:
            writer.writerow([*fixed_values(record), *(_cell(record.get(key)) for key in keys)])


def _neo4j_type(value: Any) -> str | None:
    """The import header type of a value; None for an empty list (its type is not known)."""
    if isinstance(value, list):
        kinds = {_neo4j_type(item) for item in value}
        if not kinds:
            return None
        if kinds == {"long", "double"}:
            kinds = {"double"}
        if len(kinds) > 1:
            raise ExportError(f"a list mixes {sorted(map(str, kinds))}: {value!r}")
        return f"{kinds.pop()}[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _merge_type(path: Path, key: str, known: str | None, found: str | None) -> str | None:
    """One type per column: integers widen to doubles, anything else must agree."""
    if known is None or found is None or known == found:
        return known or found
    if {known, found} in ({"long", "double"}, {"long[]", "double[]"}):
        return known if known.startswith("double") else found
    raise ExportError(f"{path.name}: property {key!r} is {known} in one row and {found} in "
                      f"another; Neo4j needs one type per column")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(_cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _shell_word(word: str) -> str:
    return word if all(c.isalnum() or c in "-_=./:" for c in word) else f"'{word}'"


# -- JSON-LD -------------------------------------------------------------------------------------
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CONTEXT: dict[str, Any] = {
    "@vocab": VOCABULARY,
    "skos": SKOS,
    "rdf": RDF,
    "name": {"@id": "skos:prefLabel", "@language": "zh"},
    "english_name": {"@id": "skos:prefLabel", "@language": "en"},
    "altLabel": {"@id": "skos:altLabel", "@language": "zh", "@container": "@set"},
    "pinyin": {"@id": "skos:hiddenLabel", "@language": "zh-Latn-pinyin"},
    "span": {"@container": "@list"},
    "subject": {"@id": "rdf:subject", "@type": "@id"},
    "predicate": {"@id": "rdf:predicate", "@type": "@vocab"},
    "object": {"@id": "rdf:object", "@type": "@id"},
}


def jsonld_document(node_link: dict[str, Any]) -> dict[str, Any]:
    """The graph as one JSON-LD document (compacted form, context inline: no network)."""
    out: dict[str, dict[str, Any]] = {}
    for node in node_link["nodes"]:
        properties = {key: value for key, value in node.items()
                      if key not in _NODE_FIELDS and key != "aliases"}
        alternatives = [*node.get("aliases", [])]
        if node.get("full_name") and node["full_name"] != node.get("name"):
            alternatives.append(node["full_name"])
        out[node["id"]] = {"@id": node_iri(node["id"]), "@type": list(node["labels"]),
                           "id": node["id"], **properties,
                           **({"altLabel": alternatives} if alternatives else {})}
    statements = []
    for link in node_link["links"]:
        out[link["source"]].setdefault(link["type"], []).append(
            {"@id": node_iri(link["target"])})
        statements.append({
            "@id": RELATIONSHIP_IRI + quote(link["id"], safe=""), "@type": "rdf:Statement",
            "subject": node_iri(link["source"]), "predicate": link["type"],
            "object": node_iri(link["target"]), "id": link["id"],
            **{key: value for key, value in link.items() if key not in _LINK_FIELDS}})
    return {"@context": CONTEXT, "@graph": [*out.values(), *statements]}


def jsonld_bytes(node_link: dict[str, Any]) -> bytes:
    return (json.dumps(jsonld_document(node_link), ensure_ascii=False, indent=1) + "\n"
            ).encode("utf-8")


def node_iri(node_id: str) -> str:
    return NODE_IRI + quote(node_id, safe="")

"""Links between documents: a district plan IMPLEMENTS the city plan it names, and its tasks
CARRY_OUT the city tasks they resemble most (scored, for an analyst to review).

Computed from node-link data, so both backends derive exactly the same links.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from typing import Any

from livekg.graph.rows import RelationshipRow
from livekg.graph.schema import Label, RelType

MIN_SCORE = 0.2
METHOD = "character-bigram cosine of title and text"
DERIVED = "derived"
_UNIT_LISTS = re.compile(r"[（(〔][^（()）〔〕]*(?:[(（][^)）]*[)）][^（()）〔〕]*)*[)）〕]")


def normalise_title(title: str) -> str:
    """《上海市…计划（2024—2026年）》 and 上海市…计划(2024-2026年) compare equal."""
    text = unicodedata.normalize("NFKC", title)
    text = text.replace("—", "-").replace("–", "-")
    return re.sub(r"[\s《》〈〉“”\"]", "", text)


def document_links(data: dict[str, Any]) -> list[RelationshipRow]:
    """IMPLEMENTS (Document → Document) and CARRIES_OUT (Task → Task) rows for a graph."""
    nodes = {node["id"]: node for node in data["nodes"]}
    documents = [n for n in data["nodes"] if Label.DOCUMENT in n["labels"]]
    by_title = {normalise_title(d["title"]): d["id"] for d in documents}
    sentences = {(link["source"], normalise_title(nodes[link["target"]]["name"])): link
                 for link in data["links"]
                 if link["type"] == RelType.IMPLEMENTS and link["target"] in nodes}
    tasks_of: dict[str, list[dict[str, Any]]] = {}
    for node in data["nodes"]:
        if Label.TASK in node["labels"]:
            tasks_of.setdefault(node["document"], []).append(node)
    rows: list[RelationshipRow] = []
    # A city plan's tasks are compared with every district plan's: vectorise them once.
    vectors: dict[str, _Vector] = {}
    for document in documents:
        for title in document.get("implements", []):
            target = by_title.get(normalise_title(title))
            if target is None or target == document["id"]:
                continue
            policy_link = sentences.get((document["id"], normalise_title(title)), {})
            rows.append(RelationshipRow(
                f"{document['id']}|IMPLEMENTS|{target}", RelType.IMPLEMENTS, document["id"],
                target, {"document": document["id"], DERIVED: True,
                         "sentence": policy_link.get("sentence", title),
                         "span": policy_link.get("span", [0, 0])}))
            rows.extend(_task_links(document["id"], tasks_of.get(document["id"], []),
                                    tasks_of.get(target, []), vectors))
    return sorted(rows, key=lambda row: row.id)


def _task_links(document: str, tasks: list[dict[str, Any]], targets: list[dict[str, Any]],
                vectors: dict[str, _Vector]) -> list[RelationshipRow]:
    for target in targets:  # kept: the next plan implementing that one compares with them too
        if target["id"] not in vectors:
            vectors[target["id"]] = _vector(target)
    rows = []
    for task in tasks:
        vector = _vector(task)  # not kept: each task is compared once
        scored = [(_cosine(vector, vectors[t["id"]]), t["id"]) for t in targets]
        if not scored:
            continue
        score, best = min(scored, key=lambda pair: (-pair[0], pair[1]))
        if score >= MIN_SCORE:
            rows.append(RelationshipRow(
                f"{task['id']}|CARRIES_OUT|{best}", RelType.CARRIES_OUT, task["id"], best,
                {"document": document, DERIVED: True, "score": round(score, 4),
                 "method": METHOD}))
    return rows


_Vector = tuple[Counter[str], float]  # bigram counts and their Euclidean norm


def _vector(task: dict[str, Any]) -> _Vector:
    counts = _bigrams(task)
    return counts, math.sqrt(sum(v * v for v in counts.values()))


def _bigrams(task: dict[str, Any]) -> Counter[str]:
    text = _UNIT_LISTS.sub("", f"{task['title']}。{task['title']}。{task.get('text', '')}")
    text = re.sub(r"[\s\d.,，。、；;：:（）()“”《》]", "", text)
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


def _cosine(a: _Vector, b: _Vector) -> float:
    (small, small_norm), (large, large_norm) = sorted((a, b), key=lambda v: len(v[0]))
    if not small_norm or not large_norm:
        return 0.0
    dot = sum(small[gram] * large[gram] for gram in small.keys() & large.keys())
    return dot / (small_norm * large_norm)

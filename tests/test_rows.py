"""Graph rows of a real plan: what an analyst's Cypher sees on RESPONSIBLE_FOR and MENTIONS.
The rows are built by hand for speed (graph/build.py); these are the properties they promise."""

from __future__ import annotations

from pathlib import Path

import pytest

from livekg.graph.build import document_rows
from livekg.loaders.pipeline import parse_file
from livekg.loaders.registry import load_registry

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.mark.parametrize("slug", [
    # 科创济南: 69 of its 82 owners have a role (牵头/配合), the others none
    "city-2021-jinan-kechuang-jinan-policy-measures",
    # 甬政办发〔2026〕7号: three lists end in 等
    "city-2026-ningbo-yongzhengbanfa-7-opc",
])
def test_an_owner_row_carries_a_role_and_and_others_only_where_the_text_gives_them(
        registry, slug):
    parsed = parse_file(CORPUS / f"{slug}.txt", registry)
    rows = document_rows(parsed)
    by_id = {row.id: row for row in rows.relationships if row.type == "RESPONSIBLE_FOR"}
    owners = [(task, owner) for task in parsed.tasks for owner in task.owners]
    assert len(by_id) == len(owners)
    for task, owner in owners:
        row = by_id[f"{task.id}|owner|{owner.rank}"]
        assert (row.source, row.target) == (owner.unit_id, task.id)
        assert row.properties.get("role") == owner.role
        assert ("role" in row.properties) == (owner.role is not None)
        assert ("and_others" in row.properties) == owner.and_others
        assert parsed.text[slice(*row.properties["span"])] == owner.surface
    assert any("role" in row.properties for row in by_id.values())
    every_row = [*rows.nodes, *rows.relationships]
    assert all(value is not None for row in every_row for value in row.properties.values())


def test_a_mention_row_keeps_its_sentence_and_span(registry):
    parsed = parse_file(CORPUS / "city-2026-ningbo-yongzhengbanfa-7-opc.txt", registry)
    mentions = [row for row in document_rows(parsed).relationships if row.type == "MENTIONS"]
    assert mentions
    for row in mentions:
        surface = parsed.text[slice(*row.properties["span"])]
        assert surface == row.properties["surface"]
        assert surface in row.properties["sentence"]

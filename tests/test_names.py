"""Names that lie: invisible characters, a late NUL, homophones, role words, run-on "units".

Each hostile copy is the bundled Changning plan with one change, loaded and then asked through
the public backends, embedded and Neo4j, so both give the same honest answer.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from collections.abc import Callable

import pytest

from livekg.graph.exports import graphml_bytes
from livekg.graph.ingest import with_documents
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.loaders.models import ParsedDocument
from livekg.loaders.names import clean_name, split_role, strip_controls
from livekg.loaders.pipeline import parse_file
from livekg.loaders.units import resolve_unit

TASK_1_LIST = "(责任单位:区商务委、区科委、区委宣传部、区委网信办、区文旅局、区体育局)"
COMMERCE = "changning-commerce-commission"
BACKENDS = ["memory", "neo4j"]


@pytest.fixture
def hostile(tmp_path, changning_path, registry) -> Callable[[Callable[[str], str]], ParsedDocument]:
    """The Changning plan with `edit` applied, saved with its sidecar and parsed."""
    def make(edit: Callable[[str], str]) -> ParsedDocument:
        text = changning_path.read_text(encoding="utf-8")
        assert TASK_1_LIST in text
        copy = tmp_path / changning_path.name
        copy.write_text(edit(text), encoding="utf-8")
        shutil.copyfile(changning_path.with_suffix(".yaml"), copy.with_suffix(".yaml"))
        return parse_file(copy, registry)
    return make


def with_task_1_list(units: str) -> Callable[[str], str]:
    return lambda text: text.replace(TASK_1_LIST, f"(责任单位:{units})")


def task_1(doc: ParsedDocument) -> str:
    return next(t.id for t in doc.tasks if t.number == 1)


@pytest.mark.parametrize("kind", BACKENDS)
def test_zero_width_space_does_not_make_a_second_unit(hostile, backend_of, kind):
    doc = hostile(with_task_1_list("区商\u200b务委、区科委"))
    backend = backend_of(kind, doc)
    owners = backend.task_owners(task_1(doc))
    assert (owners[0].id, owners[0].name) == (COMMERCE, "区商务委")
    named = [u for u in backend.list_nodes("Unit") if u["name"].startswith("区商")]
    assert [u["id"] for u in named] == [COMMERCE]
    # The notice shows the invisible character escaped, so a reader can see what was there.
    assert any("区商\\u200b务委" in n and "'区商务委'" in n for n in doc.notices)


def test_every_control_character_but_tab_and_newline_is_removed_and_nothing_else():
    # all of Unicode, against its own categories: Cc goes (NUL, form feed, the C1 block), and
    # format characters (Cf: a zero-width space) stay for the name check to report
    every = "".join(chr(code) for code in range(sys.maxunicode + 1)
                    if not 0xD800 <= code <= 0xDFFF)
    kept, removed = strip_controls(every)
    controls = [c for c in every if unicodedata.category(c) == "Cc" and c not in "\t\n"]
    assert removed == len(controls) == 63
    assert kept == "".join(c for c in every if c not in controls)
    assert "\u200b" in kept and "\t" in kept and "\n" in kept


@pytest.mark.parametrize("kind", BACKENDS)
def test_nul_after_the_first_8_kb_is_removed_with_a_notice(hostile, backend_of, kind, tmp_path):
    def late_nul(text: str) -> str:
        at = text.index("\n", len(text) * 3 // 4)
        assert len(text[:at].encode("utf-8")) > 8192
        return text[:at] + "\x00" + text[at:]
    doc = hostile(late_nul)
    assert "\x00" not in doc.text
    assert any("control character" in n for n in doc.notices)
    backend = backend_of(kind, doc)
    assert len(backend.task_owners(task_1(doc))) == 6
    if kind == "memory":  # the export that a NUL used to break
        kg, _ = with_documents(KnowledgeGraph(), [doc])
        assert b"\x00" not in graphml_bytes(kg.to_node_link())


@pytest.mark.parametrize("kind", BACKENDS)
def test_homophones_are_two_units(hostile, backend_of, kind):
    # 创新 and 创心 are both chuang-xin: the ids must still differ.
    doc = hostile(with_task_1_list("区创新办、区创心办"))
    backend = backend_of(kind, doc)
    owners = backend.task_owners(task_1(doc))
    assert [o.name for o in owners] == ["区创新办", "区创心办"]
    assert len({o.id for o in owners}) == 2


@pytest.mark.parametrize("kind", BACKENDS)
def test_role_word_inside_an_item_is_the_role(hostile, backend_of, kind):
    doc = hostile(with_task_1_list("区商务委(牵头)、区科委"))
    backend = backend_of(kind, doc)
    owners = backend.task_owners(task_1(doc))
    assert [(o.id, o.role) for o in owners] == [
        (COMMERCE, "lead"), ("changning-science-technology-commission", "support")]
    assert not [u for u in backend.list_nodes("Unit") if "牵头" in u["name"]]


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_500_character_unit_goes_to_review(hostile, backend_of, kind):
    run_on = "区" + "商务" * 250
    doc = hostile(with_task_1_list(f"区商务委、{run_on}"))
    backend = backend_of(kind, doc)
    assert [o.id for o in backend.task_owners(task_1(doc))] == [COMMERCE]
    assert not [u for u in backend.list_nodes("Unit") if len(u["name"]) > 30]
    assert [r.surface for r in doc.review if "longer than" in r.reason] == [run_on]


def test_clean_name_folds_compatibility_forms_and_keeps_the_written_name():
    name = clean_name("区投促办（金融办）")
    assert (name.name, name.key, name.changed) == ("区投促办（金融办）", "区投促办(金融办)", False)
    digits = clean_name("区第１办")
    assert (digits.key, digits.changed) == ("区第1办", True)


def test_split_role():
    assert split_role("区商务委(牵头)") == ("区商务委", "lead")
    assert split_role("区科委（配合）") == ("区科委", "support")
    assert split_role("区投促办(金融办)") == ("区投促办(金融办)", None)


def test_width_variants_resolve_to_one_unit(registry):
    # A name from tests/corpus/pt-2017-lzgz-208-fangguanfu-task-division.txt, both widths.
    full = resolve_unit(registry, "区智慧岛服务管理中心（区数字办）", "fujian-pingtan")
    half = resolve_unit(registry, "区智慧岛服务管理中心(区数字办)", "fujian-pingtan")
    assert full.id == half.id
    assert full.short_name == "区智慧岛服务管理中心（区数字办）"


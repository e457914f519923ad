"""`evaluate_folder`: parse a folder of real plans and score the owners against hand labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from livekg.entity_evaluation import evaluate_corpus
from livekg.evaluation import evaluate_folder, read_gold, render
from livekg.loaders.discovery import policy
from livekg.loaders.errors import DocumentError

CORPUS = Path(__file__).resolve().parent / "corpus"
PLAN = "pt-2024-lzgz-30-equipment-renewal-tradein"  # 25 tasks, 83 owners (its gold file)


def copy_plan(folder: Path, gold: dict | None = None) -> None:
    folder.mkdir(exist_ok=True)
    shutil.copyfile(CORPUS / f"{PLAN}.txt", folder / f"{PLAN}.txt")
    content = gold or yaml.safe_load((CORPUS / f"{PLAN}.gold.yaml").read_text(encoding="utf-8"))
    (folder / f"{PLAN}.gold.yaml").write_text(yaml.safe_dump(content, allow_unicode=True),
                                              encoding="utf-8")


def test_a_plan_read_exactly_scores_one(tmp_path, registry):
    copy_plan(tmp_path)
    report = evaluate_folder(tmp_path, registry)
    [doc] = report.documents
    assert (doc.loaded, len(doc.tasks), doc.true_pairs) == (True, 25, 83)
    assert (report.precision, report.recall, report.f1, report.exact_share) == (1, 1, 1, 1)
    # Task 24 is the only one whose text marks roles: 1 lead and 2 support.
    assert (doc.roles_right, doc.roles_marked) == (3, 3)
    assert doc.jurisdiction_found == "福建省平潭综合实验区"


def test_wrong_missing_and_extra_pairs_are_counted(tmp_path, registry):
    gold = yaml.safe_load((CORPUS / f"{PLAN}.gold.yaml").read_text(encoding="utf-8"))
    gold["tasks"][0]["units"][0] = "区交通局"   # the text says 区交通建设局: one wrong, one missed
    del gold["tasks"][-1]                       # three owners the labels no longer expect
    copy_plan(tmp_path, gold)
    report = evaluate_folder(tmp_path, registry)
    assert (report.true_pairs, report.false_pairs, report.missed_pairs) == (79, 4, 1)
    assert report.precision == pytest.approx(79 / 83)
    assert report.recall == pytest.approx(79 / 80)
    assert (report.exact_lists, report.gold_tasks) == (23, 24)


def test_a_plan_that_does_not_load_is_a_failure_with_all_pairs_missed(tmp_path, registry):
    copy_plan(tmp_path)
    (tmp_path / f"{PLAN}.txt").write_bytes(b"\x00\x01binary")
    report = evaluate_folder(tmp_path, registry)
    [failure] = report.load_failures
    assert "binary" in failure.error
    assert (report.true_pairs, report.missed_pairs) == (0, 83)
    assert "LOAD FAILED" in render(report)


def test_render_has_a_row_per_plan_and_the_overall_figures(tmp_path, registry):
    copy_plan(tmp_path)
    text = render(evaluate_folder(tmp_path, registry))
    assert PLAN in text
    assert "overall: 1/1 documents loaded" in text
    assert "F1 1.000" in text
    assert "exact ordered lists 25/25" in text


def test_malformed_gold_names_the_file(tmp_path):
    bad = tmp_path / "x.gold.yaml"
    bad.write_text("tasks:\n  - anchor: 只有锚点\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"x\.gold\.yaml.*gold task 1 has no anchor"):
        read_gold(bad)


# -- entity mentions, as `livekg load` produces them -----------------------------------------
LOANS = "拓宽多元融资渠道"   # task 二十四 of PLAN: seven quoted loan products, all labelled


def test_entity_scores_are_of_the_loaded_plans_task_mentions(tmp_path, registry):
    copy_plan(tmp_path)
    report = evaluate_corpus([tmp_path], registry)
    assert report.documents == [PLAN] and report.failures == []
    # “商贸贷”“文旅专项贷”“乡村振兴贷”“文旅闪贷”“隧道惠贷”…“消费升级贷”“家装贷”: the seven
    # quoted products of task 二十四 are discovered there, each once, as programmes.
    assert not [g for _, g in report.missed if g.anchor == LOANS]
    loans = [m for _, m in report.extra if m.anchor == LOANS]
    assert loans == []
    assert report.labels["Program"].true_positives >= 7
    assert report.unplaced == []


def test_a_gold_row_outside_every_parsed_task_is_missed_and_reported(tmp_path, registry):
    gold = yaml.safe_load((CORPUS / f"{PLAN}.gold.yaml").read_text(encoding="utf-8"))
    # The notice's own sentence (现将《…工作方案》印发给你们) is not a task of the plan.
    gold["entities"] = [{"name": "平潭综合实验区推动大规模设备更新和消费品以旧换新工作方案",
                         "label": "Policy", "anchor": "现将《平潭综合实验区"}]
    copy_plan(tmp_path, gold)
    report = evaluate_corpus([tmp_path], registry)
    assert [g.name for _, g in report.unplaced] == [gold["entities"][0]["name"]]
    assert report.overall.false_negatives == 1 and report.overall.true_positives == 0
    assert "gold rows in no parsed task (counted missed): 1" in report.render()


def test_a_policy_without_sources_scores_the_registry_alone(tmp_path, registry):
    copy_plan(tmp_path)
    report = evaluate_corpus([tmp_path], registry, policy("registry only", ()))
    # PLAN's registered names are technologies (物联网, 5G, 人工智能); nothing is discovered,
    # so the seven quoted loan products of task 二十四 are all missed.
    assert set(report.by_method) == {"registered"}
    assert len([g for _, g in report.missed if g.anchor == LOANS]) == 7
    # and the default policy is back for the next load
    assert "registered" in evaluate_corpus([tmp_path], registry).by_method
    assert evaluate_corpus([tmp_path], registry).labels["Program"].true_positives >= 7


def test_an_empty_entities_list_is_a_label_and_a_missing_one_is_not(tmp_path, registry):
    gold = yaml.safe_load((CORPUS / f"{PLAN}.gold.yaml").read_text(encoding="utf-8"))
    # `entities: []` says the tasks name nothing: the seven quoted loan products of task
    # 二十四 the loader finds there are then false positives.
    copy_plan(tmp_path, {**gold, "entities": []})
    labelled_none = evaluate_corpus([tmp_path], registry)
    assert labelled_none.documents == [PLAN]
    assert labelled_none.overall.true_positives == 0
    assert len([m for _, m in labelled_none.extra if m.anchor == LOANS]) >= 7
    # no `entities:` key: the plan's entities are not labelled, so it is not scored
    copy_plan(tmp_path, {k: v for k, v in gold.items() if k != "entities"})
    assert evaluate_corpus([tmp_path], registry).documents == []


def test_every_held_out_plan_loads_with_every_labelled_task_and_entity_placed(registry):
    # tests/heldout: three plans no rule is written from. What is checked is that they stay
    # usable as a measurement (each loads, each labelled task and entity row falls in a parsed
    # task), not how well livekg reads them: their figures live in BENCHMARKS.md.
    heldout = CORPUS.parent / "heldout"
    owners = evaluate_folder(heldout, registry)
    assert len(owners.documents) == 3 and not owners.load_failures
    entities = evaluate_corpus([heldout], registry)
    assert len(entities.documents) == 3 and not entities.failures and not entities.unplaced

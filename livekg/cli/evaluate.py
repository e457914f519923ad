"""`livekg evaluate DIR`: how well livekg reads real plans, scored against hand-labelled gold."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import typer

from livekg.cli.common import CommandError, out, settings_with


def evaluate(
    folder: Annotated[Path, typer.Argument(
        metavar="DIR", help="plans (<slug>.txt) with their gold labels (<slug>.gold.yaml)")],
    entities: Annotated[bool, typer.Option(
        "--entities/--no-entities",
        help="also score entity mentions, per label (plans whose gold lists entities)")] = True,
) -> None:
    """Owner pairs (precision, recall, F1), exact ordered owner lists, lead/support accuracy and
    load failures, per document and overall; then entity precision and recall per label."""
    from livekg.entity_evaluation import evaluate_corpus
    from livekg.evaluation import evaluate_folder, render
    from livekg.loaders.pipeline import parse_file
    from livekg.loaders.registry import load_registry

    if not folder.is_dir():
        raise CommandError(f"{folder}: not a folder; expected plans with *.gold.yaml labels")
    settings = settings_with()
    registry = load_registry(settings.registry, overlay=settings.overlay)
    # Owners and entities are scored on the same parse of each plan.
    parse_once = cache(lambda plan: parse_file(plan, registry))
    report = evaluate_folder(folder, registry, parse_once)
    if not report.documents:
        raise CommandError(f"{folder}: no *.gold.yaml labels found")
    out.print(render(report), markup=False, highlight=False)
    if entities:
        out.print("\nEntity mentions (discovered and registered), per label:", markup=False)
        scored = evaluate_corpus([folder], registry, parse=parse_once)
        out.print(scored.render(), markup=False, highlight=False)

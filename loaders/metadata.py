"""Document metadata: from a sidecar YAML next to the file, else read off the text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from livekg.loaders.errors import DocumentError

ATTACHMENT_SUFFIX = "任务分工表"


def sidecar_path(document: Path) -> Path:
    return document.with_suffix(".yaml")


def read_sidecar(document: Path) -> dict[str, Any]:
    path = sidecar_path(document)
    if not path.exists():
        return {}
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise DocumentError(path, f"metadata is not valid YAML: {error}",
                            expected="a mapping with id, title, jurisdiction") from error
    if not isinstance(content, dict):
        raise DocumentError(path, "metadata is not a mapping",
                            expected="a mapping with id, title, jurisdiction")
    return content


def document_id(document: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", document.stem.lower()).strip("-")
    return slug or "document"


def infer_title(jurisdiction_name: str | None, attachment_title: str | None,
                first_line: str) -> str:
    if attachment_title and attachment_title.endswith(ATTACHMENT_SUFFIX):
        plan = attachment_title.removesuffix(ATTACHMENT_SUFFIX)
        if jurisdiction_name and not plan.startswith(jurisdiction_name):
            plan = jurisdiction_name + plan
        return plan
    return first_line[:60]

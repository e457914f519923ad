"""Stable node ids for the parts of a document, shared by every backend."""


def section_id(document_id: str, path: str) -> str:
    return f"{document_id}:section:{path}"


def task_id(document_id: str, number: int | str) -> str:
    return f"{document_id}:task:{number}"


def target_id(document_id: str, number: int) -> str:
    return f"{document_id}:target:{number}"

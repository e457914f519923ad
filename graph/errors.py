"""Lookup errors shared by every backend; the API turns them into 404 and 409 answers."""

from __future__ import annotations


class NodeNotFound(LookupError):
    def __init__(self, ref: str, kind: str, suggestions: list[str]) -> None:
        self.ref = ref
        self.kind = kind
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no {kind} named or with id {ref!r}{hint}")


class AmbiguousReference(LookupError):
    def __init__(self, ref: str, candidates: list[str]) -> None:
        self.ref = ref
        self.candidates = candidates
        super().__init__(f"{ref!r} names several nodes: {', '.join(candidates)}; use an id")

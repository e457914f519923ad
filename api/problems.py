"""Errors as JSON problem details (RFC 9457): every failure says what and why."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, Neo4jError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from livekg.graph.analyst_cypher import (
    AnswerTooLarge,
    QueryOutOfMemory,
    QueryTimedOut,
    UnsafeQuery,
)
from livekg.graph.errors import AmbiguousReference, NodeNotFound
from livekg.graph.neo4j_connect import Neo4jUnavailable

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    type: str = Field("about:blank", description="a URI naming the kind of problem")
    title: str
    status: int
    detail: str
    suggestions: list[str] | None = Field(None, description="close matches for a name not found")
    errors: list[dict[str, Any]] | None = Field(None, description="each invalid parameter")


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "no such node; close matches are suggested"},
    409: {"model": Problem, "description": "the name matches several nodes"},
    422: {"model": Problem, "description": "invalid parameters"},
    503: {"model": Problem, "description": "the graph backend is not reachable"},
}


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, **extra)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status,
                        media_type=PROBLEM_JSON, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(NodeNotFound)
    async def not_found(_: Request, error: NodeNotFound) -> JSONResponse:
        return problem(404, "Not found", str(error), suggestions=error.suggestions)

    @app.exception_handler(AmbiguousReference)
    async def ambiguous(_: Request, error: AmbiguousReference) -> JSONResponse:
        return problem(409, "Ambiguous name", str(error), suggestions=error.candidates)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
                  for e in error.errors()]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(422, "Invalid parameters", detail, errors=errors)

    @app.exception_handler(UnsafeQuery)
    async def unsafe(_: Request, error: UnsafeQuery) -> JSONResponse:
        return problem(403, "Query refused", str(error))

    # Limits the client ran into are 4xx naming the limit, never a 503 blaming the backend.
    @app.exception_handler(AnswerTooLarge)
    async def too_large(_: Request, error: AnswerTooLarge) -> JSONResponse:
        return problem(413, "Answer too large", str(error))

    @app.exception_handler(QueryOutOfMemory)
    async def out_of_memory(_: Request, error: QueryOutOfMemory) -> JSONResponse:
        return problem(422, "Query over the memory limit", str(error))

    @app.exception_handler(QueryTimedOut)
    async def timed_out(_: Request, error: QueryTimedOut) -> JSONResponse:
        return problem(408, "Query timed out", str(error))

    @app.exception_handler(Neo4jUnavailable)
    async def unavailable(_: Request, error: Neo4jUnavailable) -> JSONResponse:
        return problem(503, "Backend unavailable", str(error))

    @app.exception_handler(Neo4jError)
    async def neo4j_error(_: Request, error: Neo4jError) -> JSONResponse:
        if error.code and error.code.startswith("Neo.ClientError"):
            return problem(400, "Query failed", error.message or str(error))
        return problem(503, "Backend unavailable", f"Neo4j failed: {error.message or error}")

    @app.exception_handler(DriverError)
    async def driver_error(_: Request, error: DriverError) -> JSONResponse:
        return problem(503, "Backend unavailable", f"Neo4j did not answer: {error}")

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        # Keep the exception's headers: Allow on 405, WWW-Authenticate on 401, Retry-After.
        return problem(error.status_code, _title(error.status_code), str(error.detail),
                       headers=dict(error.headers) if error.headers else None)


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def document_problems(app: FastAPI) -> None:
    """The OpenAPI spec says what the handlers send: every error is problem+json."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = original()
        reference = {"$ref": "#/components/schemas/Problem"}
        spec.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
            Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
        for path in spec.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    # Pages (the /viz views) answer errors as HTML, and say so themselves.
                    if status[0] in "45" and "text/html" not in response.get("content", {}):
                        response["content"] = {PROBLEM_JSON: {"schema": reference}}
        spec["components"]["schemas"].pop("HTTPValidationError", None)
        spec["components"]["schemas"].pop("ValidationError", None)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]

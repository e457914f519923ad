"""POST /v1/cypher: one read-only query, for callers with a token when the server is reachable
from other machines, a bounded number at a time."""

from __future__ import annotations

import hmac
import ipaddress
from threading import BoundedSemaphore
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from starlette.exceptions import HTTPException

from livekg.api.deps import CypherDep, SettingsDep
from livekg.api.models import CypherRequest, CypherResponse
from livekg.api.problems import Problem
from livekg.core.config import Settings

router = APIRouter(prefix="/v1", tags=["cypher"])


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.1, ::1, localhost)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def require_token(settings: SettingsDep,
                  authorization: Annotated[str | None, Header()] = None) -> None:
    """A bearer token from LIVEKG_API_TOKENS, needed when tokens are set or the server listens
    beyond the loopback interface (any page a browser opens could otherwise post queries)."""
    if not settings.api_tokens and is_loopback(settings.host):
        return
    if not settings.api_tokens:
        raise HTTPException(403, (
            f"POST /v1/cypher is off: the server listens on {settings.host}, which other "
            f"machines can reach, and LIVEKG_API_TOKENS is empty; set it to a JSON list of "
            f"tokens and send one as 'Authorization: Bearer <token>'"))
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not _known(token.strip(), settings):
        raise HTTPException(401, "POST /v1/cypher needs 'Authorization: Bearer <token>' with a "
                                 "token from LIVEKG_API_TOKENS",
                            headers={"WWW-Authenticate": 'Bearer realm="livekg"'})


def _known(token: str, settings: Settings) -> bool:
    return any(hmac.compare_digest(token.encode(), known.encode())
               for known in settings.api_tokens)


def query_slots(settings: Settings) -> BoundedSemaphore:
    """The analyst queries that may run at once (one app, one semaphore)."""
    return BoundedSemaphore(settings.cypher_max_concurrent)


@router.post("/cypher", response_model=CypherResponse,
             summary="Run one read-only Cypher query (Neo4j backend only)",
             dependencies=[Depends(require_token)],
             responses={400: {"model": Problem, "description": "Cypher error"},
                        401: {"model": Problem, "description": "a bearer token is needed"},
                        403: {"model": Problem, "description": "not a read-only query"},
                        408: {"model": Problem, "description": "over LIVEKG_CYPHER_TIMEOUT"},
                        409: {"model": Problem, "description": "the server reads the embedded "
                              "graph, not Neo4j"},
                        413: {"model": Problem, "description": "a row over "
                              "LIVEKG_CYPHER_MAX_BYTES"},
                        422: {"model": Problem, "description": "invalid parameters, or over the "
                              "server's memory limit per transaction"},
                        429: {"model": Problem, "description": "LIVEKG_CYPHER_MAX_CONCURRENT "
                              "queries are running"}})
def cypher(body: CypherRequest, request: Request, analyst_cypher: CypherDep,
           settings: SettingsDep) -> CypherResponse:
    slots: BoundedSemaphore = request.app.state.cypher_slots
    if not slots.acquire(blocking=False):
        raise HTTPException(429, (
            f"{settings.cypher_max_concurrent} analyst queries are already running "
            f"(LIVEKG_CYPHER_MAX_CONCURRENT); try again when one ends"),
            headers={"Retry-After": "1"})
    try:
        result = analyst_cypher.run(body.query, body.parameters,
                                    timeout=settings.cypher_timeout,
                                    max_rows=settings.cypher_max_rows,
                                    max_bytes=settings.cypher_max_bytes)
    finally:
        slots.release()
    return CypherResponse(columns=result.columns, rows=result.rows, truncated=result.truncated)

"""A cache of GET answers keyed on the graph's version, with ETag / If-None-Match.

Every answer under /v1 depends only on the graph, so an answer stays right until the graph
changes; the backend's `version()` (Neo4j: the database's last committed transaction; the
embedded graph: which snapshot is held) says when it has. The version is read on every request,
so an answer cached before a load is never served after it. ETags are the answer's own hash, so
a client revalidating an answer that did not change gets 304 even across versions.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from livekg.graph.backend import GraphBackend

CACHED_PREFIX = "/v1/"
# Larger answers (the whole graph) are rebuilt rather than held in memory.
MAX_CACHED_BYTES = 1 << 20


@dataclass(frozen=True)
class CachedAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class AnswerCache:
    """At most `capacity` answers of one graph version, least recently used dropped first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._version: str | None = None
        self._answers: OrderedDict[bytes, CachedAnswer] = OrderedDict()
        self._lock = Lock()

    def get(self, version: str, key: bytes) -> CachedAnswer | None:
        with self._lock:
            if version != self._version:
                return None
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, version: str, key: bytes, answer: CachedAnswer) -> None:
        with self._lock:
            if version != self._version:  # a newer graph: every older answer is stale
                self._answers.clear()
                self._version = version
            self._answers[key] = answer
            while len(self._answers) > self.capacity:
                self._answers.popitem(last=False)


def etag_of(body: bytes) -> bytes:
    return b'"' + hashlib.sha256(body).hexdigest()[:32].encode("ascii") + b'"'


class FreshVersion:
    """The backend's version as read by a query that started after the caller asked.

    Concurrent callers share reads: while one read is under way, callers arriving meanwhile
    wait for the next one, which starts when it ends, so each still gets a version no older
    than its request; under load one round trip serves many requests instead of one each.
    """

    def __init__(self) -> None:
        self._next: asyncio.Future[str | None] | None = None
        self._reading = False

    async def read(self, backend: GraphBackend) -> str | None:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        waiting = self._next
        if not self._reading:
            self._reading = True
            asyncio.get_running_loop().create_task(self._read_while_asked(backend))
        return await waiting

    async def _read_while_asked(self, backend: GraphBackend) -> None:
        try:
            while self._next is not None:
                answering, self._next = self._next, None  # later callers wait for the next
                answering.set_result(await _version(backend))
        finally:
            self._reading = False


class CacheMiddleware:
    """Serves GET /v1/… from an AnswerCache; answers 304 when If-None-Match names the ETag."""

    def __init__(self, app: ASGIApp, capacity: int) -> None:
        self.app = app
        self.cache = AnswerCache(capacity)
        self.version = FreshVersion()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET"
                or not scope["path"].startswith(CACHED_PREFIX)):
            await self.app(scope, receive, send)
            return
        backend: GraphBackend | None = getattr(scope["app"].state, "backend", None)
        version = None if backend is None else await self.version.read(backend)
        if version is None:  # cannot tell whether the graph changed: answer afresh
            await self.app(scope, receive, send)
            return
        key = scope["path"].encode("utf-8") + b"?" + scope.get("query_string", b"")
        headers = dict(scope["headers"])
        answer = self.cache.get(version, key)
        if answer is None:
            answer = await self._answer(scope, receive, send, headers)
            if answer is None:  # not cacheable: already sent as it came
                return
            self.cache.put(version, key, answer)
        await _send(answer, send, revalidated=_matches(headers, answer.etag))

    async def _answer(self, scope: Scope, receive: Receive, send: Send,
                      request_headers: dict[bytes, bytes]) -> CachedAnswer | None:
        """Run the app; a 200 answer of bounded size is returned to cache (not yet sent), any
        other is passed on to the client as it comes."""
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                passing = message["status"] != 200
                if passing:
                    await send(message)
                return
            chunks.append(message.get("body", b""))
            if sum(len(c) for c in chunks) > MAX_CACHED_BYTES:
                passing = True
                assert start is not None  # http.response.start always comes before the body
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(chunks),
                            "more_body": message.get("more_body", False)})

        await self.app(scope, receive, capture)
        if passing or start is None:
            return None
        body = b"".join(chunks)
        etag = etag_of(body)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"etag"]
        return CachedAnswer(start["status"], [*headers, (b"etag", etag)], body, etag)


async def _version(backend: GraphBackend) -> str | None:
    try:
        # Neo4j's answer is a network round trip: keep it off the event loop.
        return await to_thread.run_sync(backend.version)
    except Exception:  # the route itself reports an unreachable backend
        return None


def _matches(headers: dict[bytes, bytes], etag: bytes) -> bool:
    wanted = headers.get(b"if-none-match")
    if wanted is None:
        return False
    tags = {tag.strip().removeprefix(b"W/") for tag in wanted.split(b",")}
    return etag in tags or b"*" in tags


async def _send(answer: CachedAnswer, send: Send, *, revalidated: bool) -> None:
    if revalidated:
        headers = [(k, v) for k, v in answer.headers
                   if k.lower() not in (b"content-length", b"content-type")]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": answer.status,
                "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})

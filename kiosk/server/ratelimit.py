"""Rate limits on the endpoints a guesser would use: enrollment, technician sign-in, the survey page.

Per client address and, where a kiosk token comes with the request, per kiosk (by the token's digest). Over the
limit: 429 with Retry-After, and a log line.

Where the counts live: on PostgreSQL in the database, so every service process (``kiosk server --workers N``,
or several hosts behind a balancer) draws on one budget: one row of ``sync_state`` per key (``rl:`` and a digest of
endpoint, kind and who) holding ``<window>:<hits>`` for the current one-minute window, counted by one atomic
upsert (the conflicting row is locked, so parallel requests in other processes are counted one after another).
A fixed window: at most twice the figure can pass across a window's edge. On SQLite (a one-campus trial, the
tests) a sliding window of one minute in this process's memory.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections import deque
from typing import Protocol

import anyio.to_thread
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("kiosk.server.ratelimit")
WINDOW = 60.0
# requests per minute, per address and per kiosk
LIMITS: dict[str, int] = {"/v1/enroll": 10, "/v1/signin": 30, "/survey/": 20}


def _limit_for(method: str, path: str) -> tuple[str, int] | None:
    if method != "POST":
        return None
    for prefix, limit in LIMITS.items():
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return prefix, limit
    return None


class Counter(Protocol):
    shared: bool

    def allow(self, key: tuple[str, str], limit: int, now: float | None = None) -> float: ...


class Limiter:
    """A sliding window per key in this process's memory."""

    shared = False

    def __init__(self) -> None:
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: tuple[str, str], limit: int, now: float | None = None) -> float:
        """0 when allowed (and counted), else the seconds until the next request is allowed."""
        at = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= at - WINDOW:
                hits.popleft()
            if len(hits) >= limit:
                return max(0.1, hits[0] + WINDOW - at)
            hits.append(at)
            if len(self._hits) > 50_000:  # forget idle keys
                for k in [k for k, v in self._hits.items() if not v or v[-1] <= at - WINDOW]:
                    del self._hits[k]
            return 0.0


class SharedLimiter:
    """A fixed one-minute window per key, counted in PostgreSQL so every service process shares it."""

    shared = True
    PREFIX = "rl:"
    _UPSERT = text(
        "INSERT INTO sync_state (key, value) VALUES (:k, :first) ON CONFLICT (key) DO UPDATE "
        "SET value = CASE WHEN split_part(sync_state.value, ':', 1) = :w "
        "THEN :w || ':' || (CAST(split_part(sync_state.value, ':', 2) AS integer) + 1) ELSE :first END "
        "RETURNING value")
    _PRUNE = text("DELETE FROM sync_state WHERE key LIKE 'rl:%' "
                  "AND CAST(split_part(value, ':', 1) AS bigint) < :w - 1")

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def allow(self, key: tuple[str, str], limit: int, now: float | None = None) -> float:
        at = time.time() if now is None else now
        window = int(at // WINDOW)
        digest = hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:40]
        try:
            with self.engine.begin() as conn:
                conn.execute(text("SET LOCAL synchronous_commit = off"))  # a count lost in a crash is harmless
                value = conn.execute(self._UPSERT, {"k": self.PREFIX + digest, "w": str(window),
                                                    "first": f"{window}:1"}).scalar()
                if random.random() < 0.01:  # now and then, forget the windows that are over
                    conn.execute(self._PRUNE, {"w": window})
        except SQLAlchemyError:  # the database is down: the endpoint itself will answer 503
            log.warning("rate limit: the database did not answer; request let through", exc_info=True)
            return 0.0
        hits = int(str(value).split(":")[1])
        if hits > limit:
            return max(0.1, (window + 1) * WINDOW - at)
        return 0.0


def limiter_for(engine: Engine | None) -> Counter:
    """The shared limiter on PostgreSQL, this process's own otherwise."""
    if engine is not None and engine.dialect.name == "postgresql":
        return SharedLimiter(engine)
    return Limiter()


class RateLimit:
    """Pure ASGI middleware applying ``LIMITS``."""

    def __init__(self, app: ASGIApp, scale: float | None = None, engine: Engine | None = None) -> None:
        from kiosk.settings import current

        self.app = app
        self.limiter = limiter_for(engine)
        self.scale = current().rate_limit_scale if scale is None else scale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _limit_for(scope.get("method", ""), scope.get("path", "")) if scope["type"] == "http" else None
        if found is None or self.scale == 0:
            await self.app(scope, receive, send)
            return
        prefix, limit = found[0], max(1, int(found[1] * self.scale))
        client = scope.get("client")
        keys = [("address", str(client[0]) if client else "-")]
        auth = next((v for k, v in scope["headers"] if k == b"authorization"), None)
        if auth:
            keys.append(("kiosk", hashlib.sha256(auth).hexdigest()[:32]))
        for kind, who in keys:
            if self.limiter.shared:  # a database round trip: off the event loop
                wait = await anyio.to_thread.run_sync(self.limiter.allow, (prefix, f"{kind}:{who}"), limit)
            else:
                wait = self.limiter.allow((prefix, f"{kind}:{who}"), limit)
            if wait:
                log.warning("rate limit: %s %s over %d/min for one %s", scope.get("method"), prefix, limit, kind)
                await JSONResponse({"detail": f"too many requests; try again in {int(wait) + 1} s"},
                                   status_code=429, headers={"Retry-After": str(int(wait) + 1)})(scope, receive, send)
                return
        await self.app(scope, receive, send)

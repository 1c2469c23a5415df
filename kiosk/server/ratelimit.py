"""Rate limits on the endpoints a guesser would use: enrollment, technician sign-in, the survey page.

Per client address and, where a kiosk token comes with the request, per kiosk (by the token's digest): a sliding
window of one minute, kept in this process's memory (several service processes each keep their own, so the
district-wide limit is at most that many times the figure). Over the limit: 429 with Retry-After, and a log line.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import deque

from fastapi.responses import JSONResponse
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


class Limiter:
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


class RateLimit:
    """Pure ASGI middleware applying ``LIMITS``."""

    def __init__(self, app: ASGIApp, scale: float | None = None) -> None:
        from kiosk.settings import current

        self.app = app
        self.limiter = Limiter()
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
            wait = self.limiter.allow((prefix, f"{kind}:{who}"), limit)
            if wait:
                log.warning("rate limit: %s %s over %d/min for one %s", scope.get("method"), prefix, limit, kind)
                await JSONResponse({"detail": f"too many requests; try again in {int(wait) + 1} s"},
                                   status_code=429, headers={"Retry-After": str(int(wait) + 1)})(scope, receive, send)
                return
        await self.app(scope, receive, send)

"""One log line per request: method, path, status, time and the kiosk it came from; no bodies, no personal data.

Endpoints that check a kiosk's token put its id in the request's state (``note_kiosk``); a survey link's token
in the path is left out. The lines go to the ``kiosk.server.requests`` logger at INFO.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("kiosk.server.requests")


def note_kiosk(request: Any, kiosk_id: object) -> None:
    """Name the kiosk a request came from in its log line."""
    request.state.kiosk_id = str(kiosk_id)


def _path(scope: Scope) -> str:
    path = str(scope.get("path", ""))
    if path.startswith("/survey/"):
        return "/survey/…"  # the link's token is a secret
    return path[:200]


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


class RequestLog:
    """Pure ASGI: times the request and logs it when the response has started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        log.setLevel(logging.INFO)  # written wherever the process's log goes (`kiosk server` sets it up)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            kiosk = (scope.get("state") or {}).get("kiosk_id", "-")
            log.info("%s %s %s %d %.1fms kiosk=%s", _client(scope), scope.get("method", "-"), _path(scope), status,
                     (time.perf_counter() - started) * 1000, kiosk)

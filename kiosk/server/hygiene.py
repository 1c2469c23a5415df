"""What reaches the service's endpoints is well-formed text: invalid UTF-8, NULs and lone surrogates get a 400.

PostgreSQL cannot store a NUL or a lone surrogate, and Python's JSON parser accepts ``\\u0000`` and ``\\ud800``;
left alone they surface as a 500 deep inside a request. A pure ASGI middleware reads the (size-limited) body of
every POST once, checks it, and hands the same bytes on.
"""

from __future__ import annotations

import re

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ESCAPE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)


def body_problem(body: bytes) -> str | None:
    """Why ``body`` is refused, or None: not UTF-8, a NUL, or a lone surrogate (raw or as a JSON escape)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "the request body is not valid UTF-8"
    if b"\x00" in body:
        return "the request body contains a NUL character"
    pending_high = -1  # end offset of a high-surrogate escape still waiting for its low half
    for m in _ESCAPE.finditer(body):
        code = m.group(1)
        if pending_high >= 0 and (code is None or m.start() != pending_high or not 0xDC00 <= int(code, 16) <= 0xDFFF):
            return "the request body contains a lone surrogate"
        if pending_high >= 0:
            pending_high = -1
            continue
        if code is None:
            continue
        value = int(code, 16)
        if value == 0:
            return "the request body contains a NUL character"
        if 0xD800 <= value <= 0xDBFF:
            pending_high = m.end()
        elif 0xDC00 <= value <= 0xDFFF:
            return "the request body contains a lone surrogate"
    if pending_high >= 0:
        return "the request body contains a lone surrogate"
    return None


class CleanBodies:
    """Refuses, with a 400 and its reason, a POST/PUT/PATCH body that is not clean text (see ``body_problem``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = body_problem(body)
        if problem is not None:
            await JSONResponse({"detail": problem}, status_code=400)(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


"""The central service: a stateless FastAPI app in front of the district database (PostgreSQL, or SQLite)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.types import ASGIApp, Receive, Scope, Send

from kiosk.domain import schema
from kiosk.domain.db import Database
from kiosk.protocol import hlc
from kiosk.protocol.capture import SERVER_NODE, ms_of, server_clock
from kiosk.protocol.tables import MAX_PULL_ROWS, MAX_PUSH_OPS, PROTOCOL_VERSION
from kiosk.server import auth, changelog
from kiosk.server.apply import BatchRefused, Pusher, apply_push, parse_ops
from kiosk.server.hygiene import CleanBodies
from kiosk.server.pull import PullPage, pull
from kiosk.server.ratelimit import RateLimit
from kiosk.server.request_log import RequestLog, note_kiosk

MAX_BODY_BYTES = 16 * 1024 * 1024


class Problem(BaseModel):
    op_id: str
    reason: str


class ErrorBody(BaseModel):
    detail: str
    problems: list[Problem] = []


class Info(BaseModel):
    protocol: int
    schema_rev: str
    server_time: datetime
    max_push_ops: int
    max_pull_rows: int


class Versioned(BaseModel):
    model_config = ConfigDict(extra="forbid")
    protocol: int = Field(ge=0, le=1000)
    schema_rev: str = Field(max_length=64)


class EnrollRequest(Versioned):
    code: str = Field(min_length=4, max_length=64)
    name: str = Field(min_length=1, max_length=100)


class EnrollResponse(BaseModel):
    kiosk_id: uuid.UUID
    campus_id: uuid.UUID
    token: str


class PushOp(BaseModel):
    model_config = ConfigDict(extra="forbid")
    op_id: uuid.UUID
    table: str = Field(max_length=64)
    row_id: uuid.UUID
    kind: Literal["insert", "update", "delete"]
    set: dict[str, Any] = Field(default_factory=dict, max_length=64)
    old: dict[str, Any] = Field(default_factory=dict, max_length=64)
    hlc: str = Field(max_length=64)


class PushRequest(Versioned):
    ops: list[PushOp] = Field(max_length=MAX_PUSH_OPS)


class PushResponse(BaseModel):
    applied: int
    duplicates: int
    ignored: int
    conflicts: int
    hlc: str


class PullRequest(Versioned):
    cursor: str | None = Field(default=None, max_length=4096)
    limit: int = Field(default=1000, ge=1, le=MAX_PULL_ROWS)


class PulledRow(BaseModel):
    t: str
    id: uuid.UUID
    d: dict[str, Any] | None


class PullResponse(BaseModel):
    rows: list[PulledRow]
    cursor: str
    more: bool
    hlc: str


class SyncRequest(Versioned):
    """One round trip: push a batch (may be empty), then pull a page from ``cursor``."""

    ops: list[PushOp] = Field(default_factory=list, max_length=MAX_PUSH_OPS)
    cursor: str | None = Field(default=None, max_length=4096)
    limit: int = Field(default=1000, ge=1, le=MAX_PULL_ROWS)
    rotate: bool = False  # issue this kiosk a new token with the answer (auth.issue_next_token)
    drained: bool = False  # ``ops`` is the kiosk's whole outbox: its later work is dated after this round


class SyncResponse(PullResponse):
    push: PushResponse
    token: str | None = None  # the kiosk's next token, when it asked to rotate


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 409, 411, 413, 422, 426, 429, 503)
}


class BodyLimit:
    """Refuses a request body over ``limit`` bytes before reading it (pure ASGI: no per-request task group)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
            refusal = None
            if length is None:
                refusal = JSONResponse({"detail": "send the request body with a Content-Length"}, status_code=411)
            elif not length.isdigit() or int(length) > self.limit:
                refusal = JSONResponse({"detail": f"request body larger than {self.limit} bytes"}, status_code=413)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


class VersionRefused(Exception):
    pass


def create_app(db: Database, request_threads: int | None = None) -> FastAPI:
    """The app; everything it knows lives in ``db``, so any number can run behind a load balancer.

    ``request_threads``: how many requests run their database work at once (anyio's default is 40); the rest
    wait their turn. Fewer threads fighting over one interpreter lock finish a burst sooner.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if request_threads is not None:
            anyio.to_thread.current_default_thread_limiter().total_tokens = request_threads
        yield

    app = FastAPI(title="Campus kiosk central service", version=str(PROTOCOL_VERSION),
                  description="Enrollment, push and pull for campus kiosks.", lifespan=lifespan)
    app.state.db = db
    app.add_middleware(CleanBodies)  # invalid UTF-8, NULs, lone surrogates: 400 (inside the size limit)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(RateLimit, engine=db.engine)  # enrollment, sign-in, survey answers: per address, per kiosk
    # (on PostgreSQL counted in the database, so every service process shares the budget)
    app.add_middleware(RequestLog)  # one line per request, with the kiosk's id
    head = schema.head_revision()
    changelog.mark_central(db)  # from now on direct edits of this database are logged for the kiosks too

    # Optional parts of the service: each module may offer a ``router`` and an ``install(app, db)`` hook.
    for module_name in ("status_page", "survey_page", "signin", "jobs", "staff_secrets",
                        "admin_act"):
        try:
            module = __import__(f"kiosk.server.{module_name}", fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name != f"kiosk.server.{module_name}":
                raise
            continue
        if hasattr(module, "router"):
            app.include_router(module.router)
        if hasattr(module, "install"):
            module.install(app, db)

    def check_version(body: Versioned) -> None:
        if body.protocol != PROTOCOL_VERSION or body.schema_rev != head:
            raise VersionRefused(
                f"this server serves sync protocol {PROTOCOL_VERSION} with schema {head}; the kiosk speaks "
                f"protocol {body.protocol} with schema {body.schema_rev}: install the matching kiosk version")

    @app.exception_handler(auth.Unauthorized)
    def _unauthorized(_r: Request, exc: auth.Unauthorized) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(VersionRefused)
    def _version(_r: Request, exc: VersionRefused) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=426)

    @app.exception_handler(BatchRefused)
    def _refused(_r: Request, exc: BatchRefused) -> JSONResponse:
        return JSONResponse({"detail": exc.reason, "problems": exc.problems}, status_code=exc.status)

    @app.exception_handler(IntegrityError)
    def _integrity(_r: Request, exc: IntegrityError) -> JSONResponse:
        text = str(exc.orig).strip().splitlines()[0][:300] if exc.orig else "integrity error"
        unique = "unique" in text.lower() or "duplicate" in text.lower()
        return JSONResponse({"detail": f"the batch breaks a database rule: {text}"},
                            status_code=409 if unique else 422)

    @app.exception_handler(OperationalError)
    def _operational(_r: Request, exc: OperationalError) -> JSONResponse:
        return JSONResponse({"detail": "the database is busy or unreachable; retry later"}, status_code=503,
                            headers={"Retry-After": "2"})

    def bearer(authorization: str | None) -> str | None:
        if authorization and authorization.lower().startswith("bearer "):
            return authorization[7:].strip()
        return None

    @app.get("/v1/info", response_model=Info)
    def info() -> Info:
        return Info(protocol=PROTOCOL_VERSION, schema_rev=head, server_time=db.clock.now(),
                    max_push_ops=MAX_PUSH_OPS, max_pull_rows=MAX_PULL_ROWS)

    @app.post("/v1/enroll", response_model=EnrollResponse, responses=ERRORS)
    def enroll(body: EnrollRequest) -> EnrollResponse:
        check_version(body)
        with db.engine.begin() as conn:
            got = auth.enroll(conn, body.code, body.name, db.clock.now())
        return EnrollResponse(kiosk_id=got.kiosk_id, campus_id=got.campus_id, token=got.token)

    def apply_batch(conn: Connection, pusher: Pusher, ops: list[PushOp]) -> PushResponse:
        result = apply_push(conn, pusher, parse_ops([op.model_dump() for op in ops]), db.clock.now(), db)
        return PushResponse(applied=result.applied, duplicates=result.duplicates, ignored=result.ignored,
                            conflicts=result.conflicts, hlc=answer_stamp(conn, result.hlc))

    def answer_stamp(conn: Connection, seen: str = hlc.ZERO) -> str:
        """The service's clock for an answer: after its persisted clock and what it just took in (not stored:
        only the service's own edits advance the stored clock, so answers never queue on that row)."""
        return hlc.tick(max(seen, server_clock(conn) or hlc.ZERO), SERVER_NODE, ms_of(db.clock.now()))

    def page_body(page: PullPage, stamp: str) -> dict[str, Any]:
        # Rows are already plain JSON values: skip re-validating thousands of them (the schema is documented).
        return {"rows": page.rows, "cursor": page.cursor, "more": page.more, "hlc": stamp}

    @app.post("/v1/push", response_model=PushResponse, responses=ERRORS)
    def push(body: PushRequest, request: Request,
             authorization: Annotated[str | None, Header()] = None) -> PushResponse:
        with db.engine.begin() as conn:
            pusher = auth.authenticate(conn, bearer(authorization))
            note_kiosk(request, pusher.kiosk_id)
            check_version(body)
            return apply_batch(conn, pusher, body.ops)

    @app.post("/v1/pull", response_model=PullResponse, responses=ERRORS)
    def pull_rows(body: PullRequest, request: Request, authorization: Annotated[str | None, Header()] = None) -> Any:
        with db.engine.connect() as conn:
            pusher = auth.authenticate(conn, bearer(authorization))
            note_kiosk(request, pusher.kiosk_id)
            check_version(body)
            page = pull(conn, pusher, body.cursor, body.limit, db.clock.now())
            stamp = answer_stamp(conn)
            conn.rollback()
        return JSONResponse(page_body(page, stamp))

    @app.post("/v1/sync", response_model=SyncResponse, responses=ERRORS)
    def sync_round(body: SyncRequest, request: Request, authorization: Annotated[str | None, Header()] = None) -> Any:
        """Push then pull in one round trip: the batch is applied and committed first, so the page after it
        already holds what the push changed. A refused batch is answered like ``/v1/push`` and pulls nothing."""
        with db.engine.connect() as conn:
            pusher = auth.authenticate(conn, bearer(authorization))
            note_kiosk(request, pusher.kiosk_id)
            check_version(body)
            if body.ops:  # applied in the transaction the token check opened, committed with the kiosk's position
                try:
                    pushed = apply_batch(conn, pusher, body.ops)
                    page = pull(conn, pusher, body.cursor, body.limit, db.clock.now(), commit_open=True,
                                drained=body.drained)
                except BaseException:
                    conn.rollback()
                    raise
            else:
                pushed = PushResponse(applied=0, duplicates=0, ignored=0, conflicts=0, hlc=answer_stamp(conn))
                page = pull(conn, pusher, body.cursor, body.limit, db.clock.now(), drained=body.drained)
            stamp = answer_stamp(conn, pushed.hlc)
            conn.rollback()
        answer = {**page_body(page, stamp), "push": pushed.model_dump()}
        if body.rotate:
            with db.engine.begin() as own:
                answer["token"] = auth.issue_next_token(own, pusher.kiosk_id)
        return JSONResponse(answer)

    return app

"""The kiosk's sync loop: push the outbox then pull, in batches; a background worker with backoff; status."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx
from sqlalchemy import func, select

from kiosk.domain import schema
from kiosk.domain.db import Database
from kiosk.domain.errors import DomainError, InvalidInput
from kiosk.domain.models import Campus
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.sync import config, local
from kiosk.sync.config import KioskConfig


class SyncError(DomainError):
    """Sync failed; ``retry`` says whether trying again later can help."""

    retry = True


class SyncOffline(SyncError):
    """The server cannot be reached or is busy: keep working offline, try again later."""


class SyncRefused(SyncError):
    """The server will not accept this kiosk (revoked token, incompatible version): a person must act."""

    retry = False


State = Literal["never", "online", "offline", "error", "syncing"]


@dataclass(frozen=True)
class SyncStatus:
    """What the UI shows: the last successful sync, edits not yet sent, and whether the server answers."""

    state: State
    last_success_at: datetime | None
    pending_changes: int
    rejected_changes: int = 0
    message: str = ""


def describe(status: SyncStatus, now: datetime | None = None, zone: Any = None) -> str:
    """One line for the kiosk's home screen, e.g. "● Synced 14:02 · 2 changes waiting to send"."""
    waiting = status.pending_changes
    queue = f" · {waiting} change{'s' if waiting != 1 else ''} waiting to send" if waiting else ""
    refused = f" · {status.rejected_changes} refused by the server" if status.rejected_changes else ""
    if status.state == "error":
        return f"● Sync needs attention: {status.message}{queue}"
    if status.last_success_at is None:
        return f"● Not synced yet{queue}" + (" (the server cannot be reached)" if status.state == "offline" else "")
    local = status.last_success_at.astimezone(zone)  # zone: the district's (None: this machine's)
    when = f"{local:%H:%M}" if now is None or (now - status.last_success_at).days < 1 else f"{local:%b %d %H:%M}"
    if status.state == "offline":
        return f"● Offline: reports are saved here and sent when the server is back (last sync {when}){queue}"
    return f"● Synced {when}{queue}{refused}"


@dataclass
class SyncReport:
    pushed: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"pushed {self.pushed} change{'s' if self.pushed != 1 else ''}"]
        if self.duplicates:
            parts.append(f"{self.duplicates} already applied")
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''} logged")
        if self.rejected:
            parts.append(f"{self.rejected} refused by the server")
        parts.append(f"pulled {self.pulled} row{'s' if self.pulled != 1 else ''}")
        return ", ".join(parts) + f" in {self.seconds:.2f} s"


def _count(report: SyncReport, pushed: dict[str, Any]) -> None:
    """Add the server's answer to a push to the round's report."""
    report.pushed += pushed["applied"] + pushed["ignored"]
    report.duplicates += pushed["duplicates"]
    report.conflicts += pushed["conflicts"]


def _http_error(resp: httpx.Response) -> SyncError:
    try:
        detail = str(resp.json().get("detail", resp.text))
    except ValueError:
        detail = resp.text[:200]
    if resp.status_code in (401, 403, 426):
        return SyncRefused(f"the server refused this kiosk ({resp.status_code}): {detail}")
    return SyncOffline(f"the server answered {resp.status_code}: {detail}")


class Syncer:
    """One kiosk database and its enrollment; ``sync_once`` does a whole round (call it off the GUI thread)."""

    def __init__(self, db: Database, config: KioskConfig, *, client: httpx.Client | None = None,
                 push_batch: int = 500, pull_limit: int = 5000, timeout: float = 15.0,
                 config_path: Path | None = None) -> None:
        """``config_path``: the enrollment file ``config`` came from. Given, the token is rotated at every
        round (the service sends the next one, saved there at once) and read from the file before each request,
        so every process of this kiosk uses the newest; a copied token stops at the next round."""
        self.db = db
        self.config = config
        self.config_path = config_path
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self.client = client or httpx.Client(base_url=config.server.rstrip("/"), timeout=timeout)
        self.schema_rev = schema.head_revision()
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def post_round(self, body: dict[str, Any]) -> httpx.Response:
        """Send ``begin_round``'s request (a benchmark times this part on its own)."""
        return self._post("/v1/sync", body)

    def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        body = {"protocol": PROTOCOL_VERSION, "schema_rev": self.schema_rev, **body}
        if self.config_path is not None:
            with contextlib.suppress(config.NotEnrolled):
                self.config = config.load(self.config_path)
        headers = {"Authorization": f"Bearer {self.config.token}"}
        try:
            try:
                return self.client.post(path, json=body, headers=headers)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                # A kept-alive connection the server had just closed: both calls are safe to repeat once
                # (a push is idempotent by operation id, a pull only reads).
                return self.client.post(path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise SyncOffline(f"cannot reach the server at {self.config.server}: {exc or type(exc).__name__}") from exc

    def sync_once(self) -> SyncReport:
        """Push every pending edit, then pull until the server has nothing more. Raises SyncError.

        The usual round is one request (``/v1/sync``: a batch up, a page down); a longer outbox or a longer
        change log goes on with ``/v1/push`` and ``/v1/pull``.
        """
        with self._lock:
            started = time.perf_counter()
            ops, body = self.begin_round()
            return self.finish_round(ops, self._post("/v1/sync", body), started)

    def begin_round(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The first request of a round: the oldest batch of the outbox and the cursor (local reads only)."""
        ops = local.next_ops(self.db, self.push_batch)
        body: dict[str, Any] = {"ops": self._wire(ops), "cursor": local.cursor(self.db), "limit": self.pull_limit,
                                "drained": len(ops) < self.push_batch}  # the whole outbox (refused ones aside)
        if self.config_path is not None:
            body["rotate"] = True
        return ops, body

    def finish_round(self, ops: list[dict[str, Any]], resp: httpx.Response, started: float) -> SyncReport:
        """Apply the server's answer to ``begin_round``'s request, and go on while there is more either way."""
        report = SyncReport()
        more = True
        if resp.status_code == 200:
            body = resp.json()
            self._take_token(body.get("token"))
            more = body["more"]
            done = not more and len(ops) < self.push_batch
            pushed = body["push"]
            if ops:
                _count(report, pushed)
            # The acknowledgement, the page over it and (usually) the end of the round: one local transaction.
            report.pulled += local.apply_page(self.db, body["rows"], body["cursor"], body.get("hlc"),
                                              acked=[op["seq"] for op in ops], acked_hlc=pushed.get("hlc"),
                                              success_at=datetime.now(UTC) if done else None)
            if done:
                report.seconds = time.perf_counter() - started
                return report
        elif ops:
            self._push_refused(ops, resp, report)
        else:
            raise _http_error(resp)
        before = report.pushed + report.duplicates + report.rejected
        self.push(report)
        if more or report.pushed + report.duplicates + report.rejected != before:
            self.pull(report)
        local.record_success(self.db)
        report.seconds = time.perf_counter() - started
        return report

    def _take_token(self, token: object) -> None:
        """Keep the next token the service issued (saved before it is ever used, so it is never lost)."""
        if not isinstance(token, str) or not token or self.config_path is None:
            return
        self.config = dataclasses.replace(self.config, token=token)
        config.save(self.config, self.config_path)

    # ------------------------------------------------------------------ push

    def push(self, report: SyncReport) -> None:
        while True:
            ops = local.next_ops(self.db, self.push_batch)
            if not ops:
                return
            self._push_ops(ops, report)

    @staticmethod
    def _wire(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in op.items() if k != "seq"} for op in ops]

    def _pushed(self, ops: list[dict[str, Any]], body: dict[str, Any], report: SyncReport) -> None:
        if not ops:
            return
        local.ack(self.db, [op["seq"] for op in ops], body.get("hlc"))
        _count(report, body)

    def _push_ops(self, ops: list[dict[str, Any]], report: SyncReport) -> None:
        resp = self._post("/v1/push", {"ops": self._wire(ops)})
        if resp.status_code == 200:
            self._pushed(ops, resp.json(), report)
            return
        self._push_refused(ops, resp, report)

    def _push_refused(self, ops: list[dict[str, Any]], resp: httpx.Response, report: SyncReport) -> None:
        problems: list[dict[str, str]] = []
        if resp.status_code in (403, 422):
            try:
                problems = resp.json().get("problems") or []
            except ValueError:
                problems = []
        if problems:
            # The server named the operations it refuses: set them aside; the rest go again.
            local.quarantine(self.db, {p["op_id"]: p["reason"] for p in problems})
            report.rejected += len(problems)
            return
        if resp.status_code in (409, 413, 422) and len(ops) > 1:
            # A database rule broke somewhere in the batch: halve it to find the operation at fault.
            half = len(ops) // 2
            self._push_ops(ops[:half], report)
            self._push_ops(ops[half:], report)
            return
        if resp.status_code == 422 and len(ops) == 1:
            local.quarantine(self.db, {ops[0]["op_id"]: _http_error(resp).args[0]})
            report.rejected += 1
            return
        raise _http_error(resp)

    # ------------------------------------------------------------------ pull

    def pull(self, report: SyncReport) -> None:
        while True:
            resp = self._post("/v1/pull", {"cursor": local.cursor(self.db), "limit": self.pull_limit})
            if resp.status_code != 200:
                raise _http_error(resp)
            body = resp.json()
            report.pulled += local.apply_page(self.db, body["rows"], body["cursor"], body.get("hlc"))
            if not body["more"]:
                return

    # ------------------------------------------------------------------ status

    def status(self, state: State = "online", message: str = "") -> SyncStatus:
        last = local.state(self.db, "last_success_at")
        return SyncStatus(state=state if last or state != "online" else "never",
                          last_success_at=datetime.fromisoformat(last) if last else None,
                          pending_changes=local.pending_count(self.db),
                          rejected_changes=local.rejected_count(self.db), message=message)


def enroll(db: Database, server: str, code: str, name: str, *, path: Path | None = None,
           force: bool = False) -> tuple[KioskConfig, Path]:
    """Exchange a one-time code for this kiosk's token; save it (0600) and make ``db`` a kiosk node."""
    if local.state(db, "node_id") and not force:
        raise InvalidInput("this kiosk database is already enrolled; pass --force to enroll it again")
    with db.engine.connect() as conn:
        if not local.state(db, "node_id") and conn.execute(select(func.count()).select_from(Campus)).scalar():
            raise InvalidInput("enroll an empty kiosk database: this one already holds district data")
    body = {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "code": code, "name": name}
    try:
        resp = httpx.post(server.rstrip("/") + "/v1/enroll", json=body, timeout=15)
    except httpx.HTTPError as exc:
        raise SyncOffline(f"cannot reach the server at {server}: {exc}") from exc
    if resp.status_code != 200:
        raise SyncRefused(f"enrollment refused: {_http_error(resp).args[0]}")
    got = resp.json()
    cfg = KioskConfig(server=server.rstrip("/"), token=got["token"], kiosk_id=uuid.UUID(got["kiosk_id"]),
                      campus_id=uuid.UUID(got["campus_id"]), name=name)
    saved = config.save(cfg, path)
    local.enroll_node(db, cfg.kiosk_id, cfg.campus_id)
    return cfg, saved


Listener = Callable[[SyncStatus], None]


@dataclass
class Backoff:
    """Exponential backoff with jitter while the server is down."""

    base: float = 2.0
    cap: float = 300.0
    failures: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next_delay(self) -> float:
        self.failures += 1
        raw = min(self.cap, self.base * 2 ** (self.failures - 1))
        return raw / 2 + self.rng.random() * raw / 2

    def reset(self) -> None:
        self.failures = 0


REFUSED_RETRY_SECONDS = 300.0
log = logging.getLogger(__name__)


class SyncWorker:
    """Runs ``sync_once`` every ``interval`` seconds and on demand, on its own thread (never the GUI's).

    Listeners get a SyncStatus after every round, on the worker thread: a Qt adapter re-emits it as a signal.
    A refused kiosk (revoked, incompatible) tries again every ``refused_retry`` seconds and at once on
    ``trigger()`` (the technician's "Sync now"): once the admin has fixed the cause, no restart is needed.
    """

    def __init__(self, syncer: Syncer, interval: float = 60.0, backoff: Backoff | None = None, *,
                 refused_retry: float = REFUSED_RETRY_SECONDS,
                 before_round: Callable[[], None] | None = None) -> None:
        self.syncer = syncer
        self.interval = interval
        self.backoff = backoff or Backoff()
        self.refused_retry = refused_retry  # a refused kiosk tries again this often (the admin may fix it)
        self.before_round = before_round  # e.g. re-read the enrollment file if it changed
        self.listeners: list[Listener] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_status: SyncStatus | None = None
        self.last_report: SyncReport | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
            self._thread.start()

    def trigger(self) -> None:
        """Sync now (e.g. the technician pressed "Sync")."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_round(self) -> float | None:
        """One round; returns the delay before the next one (None: wait for a trigger)."""
        try:
            if self.before_round is not None:
                self.before_round()
            self.last_report = self.syncer.sync_once()
        except SyncRefused as exc:
            # Revoked, replaced or too old: the admin fixes it on the service (or re-enrolls); try again now
            # and then, and at once when someone presses "Sync now" (trigger).
            log.error("sync refused: %s (next try in %.0f s, or on 'Sync now')", exc, self.refused_retry)
            self._publish(self.syncer.status("error", str(exc)))
            return self.refused_retry
        except SyncError as exc:
            delay = self.backoff.next_delay()
            log.warning("sync offline: %s (next try in %.0f s)", exc, delay)
            self._publish(self.syncer.status("offline", f"{exc} (next try in {delay:.0f} s)"))
            return delay
        except Exception as exc:  # a bug or a local disk problem: show it, keep the kiosk running
            delay = self.backoff.next_delay()
            log.error("sync failed (next try in %.0f s)", delay, exc_info=exc)
            self._publish(self.syncer.status("error", f"sync failed: {exc}"))
            return delay
        if self.backoff.failures:
            log.info("sync works again after %d failed round(s)", self.backoff.failures)
        self.backoff.reset()
        self._publish(self.syncer.status("online", self.last_report.summary()))
        return self.interval

    def _publish(self, status: SyncStatus) -> None:
        self.last_status = status
        for listener in list(self.listeners):
            listener(status)

    def _run(self) -> None:
        delay: float | None = 0.0
        while not self._stop.is_set():
            if delay is None:
                self._wake.wait()
            else:
                self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                return
            delay = self.run_round()

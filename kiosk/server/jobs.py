"""Scheduled jobs of the central service: SLA escalation, sending due mail, and sync retention.

``install(app, db)`` (called by ``create_app``) ties a ``Scheduler`` to the app's lifespan: one thread per job
starts with the app and stops with it. Each job first waits one interval (a service that starts and stops
quickly, like the tests' servers, never runs them), then runs every interval. A run that raises is logged and
tried again next time. Several service processes may run behind a load balancer: on PostgreSQL each run takes
a session advisory lock (``pg_try_advisory_lock``) and a process that does not get it skips that run, so one
process at a time runs each job. On SQLite (a one-process trial) the job just runs.

Settings (``kiosk server`` options set the same variables):

* ``KIOSK_JOBS`` = ``off`` (or ``0``): no jobs in this process (``--no-jobs``);
* ``KIOSK_JOBS_ESCALATE_SECONDS`` (default 300), ``KIOSK_JOBS_MAIL_SECONDS`` (60), ``KIOSK_JOBS_PRUNE_SECONDS``
  (3600), ``KIOSK_JOBS_AUTO_CLOSE_SECONDS`` (900: resolved tickets past the district's waiting days are closed
  and surveyed, ``kiosk.domain.ticket_work.auto_close``): the intervals; ``0`` turns that job off;
* the mail job needs ``KIOSK_SMTP_HOST`` (``kiosk/domain/mail.py`` reads the other ``KIOSK_SMTP_*``); without
  it the job is not started and one line says so.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

from kiosk.domain.db import Database

log = logging.getLogger("kiosk.server.jobs")

# pg_try_advisory_lock keys, one per job (the change-log and prune keys in apply/retention are different)
LOCK_KEYS = {"escalate": 7_402_201, "mail": 7_402_202, "prune": 7_402_203, "auto_close": 7_402_204}
DEFAULTS = {"escalate": 300.0, "mail": 60.0, "prune": 3600.0, "auto_close": 900.0}
# the variables, read through kiosk.settings (KioskSettings.jobs_<name>_seconds; KIOSK_JOBS=off turns all off)
ENV = {"escalate": "KIOSK_JOBS_ESCALATE_SECONDS", "mail": "KIOSK_JOBS_MAIL_SECONDS",
       "prune": "KIOSK_JOBS_PRUNE_SECONDS", "auto_close": "KIOSK_JOBS_AUTO_CLOSE_SECONDS"}


@dataclass
class Job:
    name: str
    interval: float
    run: Callable[[Database, threading.Event], str | None]
    lock_key: int
    runs: int = 0  # completed runs (tests read these)
    failures: int = 0
    skipped: int = 0  # runs another process held the lock for


@dataclass
class JobSettings:
    enabled: bool = True
    intervals: dict[str, float] = field(default_factory=lambda: dict(DEFAULTS))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> JobSettings:
        """From the process's settings (``kiosk.settings.current()``); with ``env``, as its KIOSK_* variables say.

        A bad value (``KIOSK_JOBS_MAIL_SECONDS=soon``, a negative interval) raises ``SettingsError`` naming the
        variable: `kiosk server` stops at start with that sentence instead of running with a guess."""
        from kiosk.settings import current, from_mapping

        k = current() if env is None else from_mapping(env)
        return cls(k.jobs, {name: float(getattr(k, f"jobs_{name}_seconds")) for name in DEFAULTS})


# ---------------------------------------------------------------------------------------------- the jobs


def escalate(db: Database, _stop: threading.Event) -> str:
    from kiosk.domain import escalation

    with db.unit() as ctx:
        result = escalation.run(ctx)
    return f"checked {result.checked} open tickets, {len(result.raised)} new escalations"


def auto_close(db: Database, _stop: threading.Event) -> str:
    from kiosk.domain import ticket_work

    with db.unit() as ctx:
        result = ticket_work.auto_close(ctx)
    return f"closed {len(result.closed)} resolved tickets ({result.surveys} surveys), {result.waiting} waiting"


def make_send_mail(settings: Any) -> Callable[[Database, threading.Event], str]:
    def send_mail(db: Database, stop: threading.Event) -> str:
        from kiosk.domain import mail

        sent = failed = 0
        while not stop.is_set():  # drain what is due, a batch at a time, unless the server fails
            result = mail.send_due(db, settings)
            sent, failed = sent + result.sent, failed + result.failed
            if result.failed or result.sent < settings.batch:
                if result.error:
                    return f"sent {sent}, failed {failed} (kept for a retry with backoff): {result.error}"
                break
        return f"sent {sent}, failed {failed}"
    return send_mail


def prune(db: Database, _stop: threading.Event) -> str:
    from kiosk.server import retention

    return retention.prune(db).summary()


def default_jobs(settings: JobSettings, env: Mapping[str, str] | None = None) -> list[Job]:
    """The jobs to schedule; mail only when SMTP is configured (KIOSK_SMTP_*: the process's settings, or ``env``)."""
    from kiosk.settings import current

    if env is None:
        k = current()
        smtp_host = k.smtp_host if "smtp_host" in k.model_fields_set else ""
    else:
        smtp_host = env.get("KIOSK_SMTP_HOST", "")
    jobs = []
    if settings.intervals["escalate"] > 0:
        jobs.append(Job("escalate", settings.intervals["escalate"], escalate, LOCK_KEYS["escalate"]))
    if settings.intervals["mail"] > 0:
        if not smtp_host.strip():
            log.warning("mail job not started: KIOSK_SMTP_HOST is not set (mail stays queued; "
                        "`kiosk mail send` sends it once SMTP is configured)")
        else:
            from kiosk.domain import mail
            from kiosk.domain.errors import InvalidInput

            try:
                smtp = mail.SmtpSettings.from_env(None if env is None else dict(env))
            except InvalidInput as exc:
                log.error("mail job not started: %s", exc)
            else:
                jobs.append(Job("mail", settings.intervals["mail"], make_send_mail(smtp), LOCK_KEYS["mail"]))
    if settings.intervals["prune"] > 0:
        jobs.append(Job("prune", settings.intervals["prune"], prune, LOCK_KEYS["prune"]))
    if settings.intervals["auto_close"] > 0:
        jobs.append(Job("auto_close", settings.intervals["auto_close"], auto_close, LOCK_KEYS["auto_close"]))
    return jobs


# ---------------------------------------------------------------------------------------------- scheduling


class Scheduler:
    """One thread per job; ``stop()`` wakes them and waits for a run in progress to end (up to a timeout)."""

    def __init__(self, db: Database, jobs: list[Job] | None = None, settings: JobSettings | None = None) -> None:
        self.db = db
        self.settings = settings
        self.jobs = jobs if jobs is not None else []
        self._default = jobs is None  # the jobs are chosen (and a missing SMTP host logged) when it starts
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        self.stop_event.clear()
        if self._default:
            settings = self.settings or JobSettings.from_env()
            self.jobs = default_jobs(settings) if settings.enabled else []
            self._default = False
        for job in self.jobs:
            t = threading.Thread(target=self._loop, args=(job,), name=f"kiosk-job-{job.name}", daemon=True)
            t.start()
            self.threads.append(t)
        if self.jobs:
            log.info("jobs: %s", ", ".join(f"{j.name} every {j.interval:g} s" for j in self.jobs))

    def stop(self, timeout: float = 10.0) -> None:
        """Wake every job thread; wait at most ``timeout`` seconds in all for runs in progress to end."""
        self.stop_event.set()
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
            if t.is_alive():
                log.warning("job thread %s still running at shutdown; left behind", t.name)
        self.threads = []

    def _loop(self, job: Job) -> None:
        while not self.stop_event.wait(job.interval):
            self.run_once(job)

    def run_once(self, job: Job) -> bool:
        """One run of ``job`` if this process gets its lock; never raises. True if it ran and succeeded."""
        try:
            with self._lock(job) as got:
                if not got:
                    job.skipped += 1
                    log.debug("%s: another service process is running it; skipped", job.name)
                    return False
                summary = job.run(self.db, self.stop_event)
            job.runs += 1
            if summary:
                log.info("%s: %s", job.name, summary)
            return True
        except Exception:
            job.failures += 1
            log.exception("%s failed; it runs again in %g s", job.name, job.interval)
            return False

    @contextmanager
    def _lock(self, job: Job) -> Iterator[bool]:
        if self.db.dialect != "postgresql":
            yield True
            return
        from sqlalchemy import text

        with self.db.engine.connect() as conn:  # a session lock: a killed process's lock goes with its session
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": job.lock_key}).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": job.lock_key})
                    conn.commit()


def install(app: FastAPI, db: Database, settings: JobSettings | None = None,
            jobs: list[Job] | None = None) -> Scheduler:
    """Run the jobs for as long as ``app`` runs (its lifespan); the scheduler is ``app.state.jobs``.

    Which jobs run is settled when the app starts (``JobSettings.from_env()`` unless ``settings`` is given).
    """
    scheduler = Scheduler(db, jobs, settings)
    app.state.jobs = scheduler
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        scheduler.start()
        try:
            async with inner(a) as state:
                yield state
        finally:
            await asyncio.to_thread(scheduler.stop)

    app.router.lifespan_context = lifespan
    return scheduler

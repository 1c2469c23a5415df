"""The service's scheduled jobs: settings, the lifespan, failures, prompt shutdown, one process at a time on
PostgreSQL, and a mail server that is down."""

from __future__ import annotations

import argparse
import logging
import threading
import warnings

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kiosk import cli_sync
from kiosk.domain import mail
from kiosk.domain.db import Database
from kiosk.domain.models import EmailMessage
from kiosk.server import jobs
from kiosk.server.app import create_app
from kiosk.settings import SettingsError
from tests.sync.harness import free_port

SMTP_VARS = ("KIOSK_SMTP_HOST", "KIOSK_JOBS", *jobs.ENV.values())


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in SMTP_VARS:  # set first, so whatever a test sets is undone afterwards
        monkeypatch.setenv(var, "")
        monkeypatch.delenv(var)


def test_settings_come_from_the_environment_and_the_server_options(monkeypatch: pytest.MonkeyPatch) -> None:
    assert jobs.JobSettings.from_env({}) == jobs.JobSettings(True, {"escalate": 300, "mail": 60, "prune": 3600,
                                                                             "auto_close": 900})
    assert not jobs.JobSettings.from_env({"KIOSK_JOBS": "off"}).enabled
    with pytest.raises(SettingsError, match="KIOSK_JOBS_ESCALATE_SECONDS"):  # named, never guessed
        jobs.JobSettings.from_env({"KIOSK_JOBS_ESCALATE_SECONDS": "soon"})
    got = jobs.JobSettings.from_env({"KIOSK_JOBS_MAIL_SECONDS": "5", "KIOSK_JOBS_PRUNE_SECONDS": "0",
                                     "KIOSK_JOBS_ESCALATE_SECONDS": "", "KIOSK_JOBS_AUTO_CLOSE_SECONDS": "0"})
    assert got.intervals == {"escalate": 300, "mail": 5, "prune": 0, "auto_close": 0}
    names = [j.name for j in jobs.default_jobs(got, {"KIOSK_SMTP_HOST": "mail.example"})]
    assert names == ["escalate", "mail"]  # 0 turns a job off

    monkeypatch.setattr(logging.getLogger("kiosk"), "handlers", [logging.NullHandler()])
    args = argparse.Namespace(no_jobs=True, escalate_every=10.0, mail_every=None, prune_every=0.0,
                              log_level="warning")
    cli_sync._job_settings(args)
    settings = jobs.JobSettings.from_env()
    assert not settings.enabled and settings.intervals == {"escalate": 10, "mail": 60, "prune": 0,
                                                           "auto_close": 900}


def test_without_smtp_the_mail_job_is_not_started_and_says_so_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.server.jobs"):
        names = [j.name for j in jobs.default_jobs(jobs.JobSettings(), {})]
    assert names == ["escalate", "prune", "auto_close"]
    lines = [r for r in caplog.records if "KIOSK_SMTP_HOST" in r.getMessage()]
    assert len(lines) == 1


def test_a_failing_run_is_logged_and_tried_again_and_stop_is_prompt(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []
    twice = threading.Event()

    def flaky(_db: Database, _stop: threading.Event) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        twice.set()
        return "fine"

    job = jobs.Job("flaky", 0.01, flaky, 1)
    idle = jobs.Job("idle", 3600, flaky, 2)
    scheduler = jobs.Scheduler(db, [job, idle])
    with caplog.at_level(logging.INFO, logger="kiosk.server.jobs"):
        scheduler.start()
        try:
            assert twice.wait(30)
        finally:
            scheduler.stop(timeout=30)
    assert job.failures == 1 and job.runs >= 1
    assert any("flaky failed" in r.getMessage() and r.exc_info for r in caplog.records)
    # the idle job waits its interval first: a server that starts and stops quickly never runs it
    assert idle.runs == 0 and idle.failures == 0
    assert all(not t.is_alive() for t in threading.enumerate() if t.name.startswith("kiosk-job-"))


def test_the_app_lifespan_starts_and_stops_the_jobs_without_warnings(db: Database) -> None:
    app = create_app(db)
    scheduler: jobs.Scheduler = app.state.jobs
    assert scheduler.jobs == [] and scheduler.threads == []  # nothing is chosen or runs until the app starts
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with TestClient(app) as client:
            assert client.get("/v1/info").status_code == 200
            assert [j.name for j in scheduler.jobs] == ["escalate", "prune", "auto_close"]
            assert sorted(t.name for t in scheduler.threads if t.is_alive()) == ["kiosk-job-auto_close",
                                                                                  "kiosk-job-escalate",
                                                                                  "kiosk-job-prune"]
            threads = list(scheduler.threads)
    assert scheduler.stop_event.is_set() and not any(t.is_alive() for t in threads)
    # one run of each, by hand (the schedule would do the same every interval)
    assert all(scheduler.run_once(j) for j in scheduler.jobs)
    assert [j.runs for j in scheduler.jobs] == [1, 1, 1]


def test_no_jobs_turns_them_off(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_JOBS", "off")
    app = create_app(db)
    with TestClient(app):
        assert app.state.jobs.jobs == [] and app.state.jobs.threads == []


def test_on_postgresql_only_one_service_process_runs_a_job_at_a_time(pg_db: Database) -> None:
    other = Database(str(pg_db.engine.url.render_as_string(hide_password=False)))
    started, release = threading.Event(), threading.Event()

    def slow(_db: Database, _stop: threading.Event) -> str:
        started.set()
        assert release.wait(30)
        return "done"

    first = jobs.Job("escalate", 300, slow, jobs.LOCK_KEYS["escalate"])
    second = jobs.Job("escalate", 300, lambda _d, _s: "done", jobs.LOCK_KEYS["escalate"])
    runner = threading.Thread(target=jobs.Scheduler(pg_db, [first]).run_once, args=(first,))
    runner.start()
    try:
        assert started.wait(30)
        assert jobs.Scheduler(other, [second]).run_once(second) is False  # the other process holds it
        assert second.skipped == 1 and second.runs == 0
    finally:
        release.set()
        runner.join(30)
    assert first.runs == 1
    assert jobs.Scheduler(other, [second]).run_once(second) is True  # released when the run ended
    other.dispose()


def test_a_mail_server_that_is_down_never_fails_the_job_nor_loses_the_message(db: Database) -> None:
    with db.unit() as ctx:
        mail.enqueue(ctx, "tech@example.org", "Ticket escalated", "body", "escalation")
    env = {"KIOSK_SMTP_HOST": "127.0.0.1", "KIOSK_SMTP_PORT": str(free_port()), "KIOSK_SMTP_SECURITY": "none"}
    (job,) = [j for j in jobs.default_jobs(jobs.JobSettings(), env) if j.name == "mail"]
    scheduler = jobs.Scheduler(db, [job])
    assert scheduler.run_once(job) is True and job.failures == 0
    with db.unit() as ctx:
        msg = ctx.session.scalars(select(EmailMessage)).one()
        assert msg.sent_at is None and msg.attempts == 1 and msg.next_attempt_at > ctx.clock.now()

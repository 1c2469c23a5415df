"""Jobs with an owner: a result that arrives after its asker left is dropped; results arrive in batches."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from kiosk.domain import schema, seed, ticket_work
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Database
from kiosk.domain.errors import InvalidInput
from kiosk.settings import KioskPrefs
from kiosk.ui import theme
from kiosk.ui.app import KioskOptions, build
from kiosk.ui.flow import KioskFlow
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.tasks import UNEXPECTED, JobRunner, SyncJobRunner, user_message

from .conftest import Kiosk
from .test_technician import sign_in

# --- the runner on its own ------------------------------------------------------------------------------


def test_results_are_delivered_in_the_order_asked_and_stale_ones_are_dropped() -> None:
    runner = SyncJobRunner()
    got: list[str] = []
    runner.run(lambda: "a", got.append)
    runner.run(lambda: "b", got.append)
    runner.execute_next()  # "a" is computed while the person is still there ...
    runner.new_generation("sign-out")  # ... then they sign out
    runner.run(lambda: "c", got.append)
    runner.run_all()
    assert got == ["c"] and runner.dropped == 2 and runner.pending == 0


def test_an_owner_can_cancel_its_jobs_and_a_deleted_owner_gets_nothing(qtbot: QtBot) -> None:
    runner = SyncJobRunner()
    screen, other = QObject(), QObject()
    got: list[str] = []
    runner.run(lambda: "mine", got.append, owner=screen)
    runner.run(lambda: "theirs", got.append, owner=other)
    runner.cancel(screen)
    gone = QObject()
    runner.run(lambda: "gone", got.append, owner=gone)
    import shiboken6

    shiboken6.delete(gone)
    runner.run_all()
    assert got == ["theirs"]


def test_a_failed_job_reaches_on_error_and_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    runner = SyncJobRunner()
    errors: list[Exception] = []

    def broken() -> None:
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.INFO, logger="kiosk.ui.tasks"):
        runner.run(broken, lambda _r: None, errors.append)
        runner.run(lambda: (_ for _ in ()).throw(InvalidInput("type a tag")), lambda _r: None, errors.append)
        runner.run_all()
    assert [type(e) for e in errors] == [ZeroDivisionError, InvalidInput]
    fault = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(fault) == 1 and fault[0].exc_info is not None and "broken" in fault[0].getMessage()
    assert any(r.levelno == logging.INFO and "type a tag" in r.getMessage() for r in caplog.records)
    assert user_message(errors[0]) == UNEXPECTED and user_message(errors[1]) == "Type a tag"


def test_a_flood_of_results_is_delivered_in_batches_under_the_time_budget(qtbot: QtBot) -> None:
    runner = JobRunner(budget_ms=20)
    delivered: list[int] = []
    stamps: list[tuple[int, float]] = []
    release = threading.Event()

    def work(n: int) -> int:
        release.wait(10)
        return n

    def slow_callback(n: int) -> None:
        stamps.append((runner.batches, time.perf_counter()))
        time.sleep(0.004)  # a callback that fills a table row
        delivered.append(n)

    for n in range(60):
        runner.run(lambda n=n: work(n), slow_callback)  # type: ignore[misc]
    release.set()
    assert runner.wait(10_000)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)
    assert sorted(delivered) == list(range(60))
    assert 1 < runner.batches < 60  # many results per wake-up, and more than one wake-up (the budget)
    per_batch: dict[int, list[float]] = {}
    for batch, t in stamps:
        per_batch.setdefault(batch, []).append(t)
    for times in per_batch.values():
        assert times[-1] - times[0] < 0.020 + 0.050  # a batch ends soon after its budget (slack for load)


# --- sign out while the queue loads -----------------------------------------------------------------------


def test_signing_out_while_the_queue_loads_never_shows_the_queue(
        kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> None:
    """The queue takes long to load; the technician signs out meanwhile: the locked kiosk never shows it."""
    k = kiosk
    sign_in(k)  # an admin: every campus's tickets, internal notes a double-click away
    loading, release = threading.Event(), threading.Event()
    real = ticket_work.work_queue

    def slow_queue(*args: object, **kwargs: object) -> ticket_work.QueueView:
        loading.set()
        release.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ticket_work, "work_queue", slow_queue)
    k.flow.tech.home.open_queue.emit()
    assert loading.wait(5)
    k.flow.tech.home.sign_out_button.click()
    k.wait_for(k.flow.home)
    release.set()
    k.idle_workers()
    k.qtbot.wait(50)
    assert k.window.current is k.flow.home
    assert k.flow.tech.queue.model.rowCount() == 0
    assert k.flow.tech.admin is False and k.flow.tech.staff_id is None


@pytest.fixture
def sync_kiosk(qtbot: QtBot, sqlite_url: str, clock: FakeClock) -> Iterator[tuple[KioskWindow, KioskFlow]]:
    """The kiosk on a synchronous runner: each job runs when the test says so."""
    db = Database(sqlite_url, clock=clock)
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(devices=40, tickets=30, hash_passwords=True, as_of=date(2026, 9, 14)))
    with db.read() as ctx:
        from sqlalchemy import select

        from kiosk.domain.models import Campus

        campus_id = ctx.session.scalars(select(Campus.id).order_by(Campus.code)).first()
    db.dispose()
    KioskPrefs(campus_id=str(campus_id)).save("kiosk-jobs.json")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app)
    runner = SyncJobRunner()
    window, flow = build(KioskOptions(url=sqlite_url, windowed=True, camera=None, config_name="kiosk-jobs.json"),
                         clock=clock, runner=runner)
    qtbot.addWidget(window)
    window.present()
    flow.start()
    runner.run_all()
    yield window, flow
    runner.run_all()
    window.unlock()
    for f in (flow.wedge, flow.idle, flow.lockdown):
        app.removeEventFilter(f)
    flow.db.dispose()


def test_with_the_synchronous_runner_a_queue_asked_before_sign_out_is_dropped(
        sync_kiosk: tuple[KioskWindow, KioskFlow]) -> None:
    window, flow = sync_kiosk
    runner = flow.runner
    assert isinstance(runner, SyncJobRunner)
    flow.home.staff_button.click()
    flow.sign_in.username.setText("admin")
    flow.sign_in.password.setText(seed.DEMO_PASSWORD)
    flow.sign_in.go.click()
    runner.run_all()
    assert window.current is flow.tech.home
    flow.tech.home.open_queue.emit()
    assert runner.execute_next() is not None  # the queue is loaded ...
    flow.tech.home.sign_out_button.click()  # ... and the technician signs out before it is shown
    dropped = runner.dropped
    runner.run_all()
    assert window.current is flow.home and flow.tech.queue.model.rowCount() == 0
    assert runner.dropped == dropped + 1


def test_with_the_synchronous_runner_start_over_drops_a_card_still_loading(
        sync_kiosk: tuple[KioskWindow, KioskFlow]) -> None:
    window, flow = sync_kiosk
    runner = flow.runner
    assert isinstance(runner, SyncJobRunner)
    from sqlalchemy import select

    from kiosk.domain.models import Device

    with flow.db.read() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
    assert tag is not None
    flow.on_tag(tag)
    runner.execute_next()
    flow.go_home()  # Start over (or the idle timer) before the card came back
    runner.run_all()
    assert window.current is flow.home and flow.draft.device_id is None


# --- reads never queue behind writes ----------------------------------------------------------------------------


def test_a_read_is_not_queued_behind_writes_waiting_for_the_writer(qtbot: QtBot, sqlite_url: str,
                                                                   clock: FakeClock) -> None:
    """Four audit-scan-like writes: the first holds the database's writer turn, the others wait for it. A
    technician's read asked for meanwhile (the queue, a device) runs at once on the parallel pool.

    With one pool for everything (the old runner), its two threads are taken by the first two writes (one
    holding the turn, one waiting for it) and the read waits behind them: checked to fail that way."""
    from PySide6.QtCore import QThreadPool

    db = Database(sqlite_url, clock=clock)
    schema.upgrade(db.engine)
    pool = QThreadPool()
    pool.setMaxThreadCount(2)  # a small kiosk PC's pool, whatever this machine has
    runner = JobRunner(pool=pool)
    release = threading.Event()
    writes_done: list[int] = []
    read_done: list[str] = []

    def write(n: int) -> int:
        with db.unit() as ctx:
            ctx.session.execute(text("SELECT 1"))  # the first statement begins the write: the turn is taken
            if n == 0:
                assert release.wait(20)  # ... and held until released
        return n

    def read() -> int:
        with db.read() as ctx:  # no writer turn: sees the last committed data
            return int(ctx.session.execute(text("SELECT count(*) FROM tickets")).scalar_one())

    try:
        for n in range(4):
            runner.run(lambda n=n: write(n), writes_done.append, write=True)
        qtbot.wait(200)  # the writes are under way: the first holds the turn, the next waits for it
        runner.run(lambda: f"{read()} tickets", read_done.append)
        qtbot.waitUntil(lambda: read_done == ["0 tickets"], timeout=5000)
        assert writes_done == []  # the first write still holds the turn: the read did not wait for it
    finally:
        release.set()
    qtbot.waitUntil(lambda: writes_done == [0, 1, 2, 3], timeout=10_000)  # the writes in the order asked
    assert runner.wait(5000)
    db.dispose()

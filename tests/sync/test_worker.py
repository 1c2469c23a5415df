"""The background worker: backs off while the server is down, reports status, never runs on the caller's thread."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

from kiosk.domain import schema
from kiosk.domain.db import Database
from kiosk.sync import local
from kiosk.sync.client import Backoff, Syncer, SyncStatus, SyncWorker
from kiosk.sync.config import KioskConfig
from tests.sync.harness import free_port


def _offline_kiosk(tmp_path: Path) -> Syncer:
    db = Database(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    schema.upgrade(db.engine)
    cfg = KioskConfig(f"http://127.0.0.1:{free_port()}", "token", uuid.uuid4(), uuid.uuid4(), "k")
    local.enroll_node(db, cfg.kiosk_id, cfg.campus_id)
    return Syncer(db, cfg, timeout=1)


def test_the_worker_backs_off_while_the_server_is_down(tmp_path: Path) -> None:
    syncer = _offline_kiosk(tmp_path)
    worker = SyncWorker(syncer, interval=60, backoff=Backoff(base=1.0, cap=8.0))
    delays = [worker.run_round() for _ in range(5)]
    assert all(d is not None for d in delays)
    ceilings = [1, 2, 4, 8, 8]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))  # type: ignore[operator]
    assert worker.last_status is not None and worker.last_status.state == "offline"
    assert "cannot reach the server" in worker.last_status.message
    assert worker.last_status.last_success_at is None and worker.last_status.pending_changes == 0
    syncer.close()


def test_the_worker_runs_on_its_own_thread_and_publishes_status(tmp_path: Path) -> None:
    syncer = _offline_kiosk(tmp_path)
    seen: list[tuple[SyncStatus, str]] = []
    got = threading.Event()

    def listener(status: SyncStatus) -> None:
        seen.append((status, threading.current_thread().name))
        got.set()

    worker = SyncWorker(syncer, interval=60, backoff=Backoff(base=30))
    worker.listeners.append(listener)
    worker.start()
    try:
        assert got.wait(10)
    finally:
        worker.stop()
    status, thread = seen[0]
    assert thread == "kiosk-sync" and thread != threading.current_thread().name
    assert status.state == "offline"
    syncer.close()


def test_the_home_screen_line_says_what_a_person_needs_to_know() -> None:
    from datetime import UTC, datetime

    from kiosk.sync.client import describe

    at = datetime(2026, 9, 14, 15, 0, tzinfo=UTC)
    assert describe(SyncStatus("never", None, 0)) == "● Not synced yet"
    assert "2 changes waiting to send" in describe(SyncStatus("online", at, 2), at)
    offline = describe(SyncStatus("offline", at, 5, message="cannot reach"), at)
    assert offline.startswith("● Offline") and "5 changes waiting" in offline
    assert "revoked" in describe(SyncStatus("error", at, 0, message="this kiosk's token was revoked"), at)

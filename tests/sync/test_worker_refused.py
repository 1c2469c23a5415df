"""A refused kiosk picks up again without a restart: after the admin's fix, on its own or on 'Sync now'."""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from kiosk.domain import schema
from kiosk.domain.db import Database
from kiosk.sync import config, local
from kiosk.sync.client import Syncer, SyncWorker


class FakeService:
    """Answers /v1/sync: 401 for a revoked token, an empty page for the good one."""

    def __init__(self) -> None:
        self.good_token = "new-token"
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.seen.append(token)
        if token != self.good_token:
            return httpx.Response(401, text="this kiosk's token was revoked")
        json.loads(request.content)
        return httpx.Response(200, json={"more": False, "push": {}, "rows": [], "cursor": "c1"})


def _kiosk(tmp_path: Path, service: FakeService) -> tuple[Syncer, Path]:
    db = Database(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    schema.upgrade(db.engine)
    cfg = config.KioskConfig("http://district.example", "old-token", uuid.uuid4(), uuid.uuid4(), "k")
    path = config.save(cfg, tmp_path / "sync.json")
    local.enroll_node(db, cfg.kiosk_id, cfg.campus_id)
    client = httpx.Client(base_url=cfg.server, transport=httpx.MockTransport(service))
    return Syncer(db, cfg, client=client), path


def test_a_refused_kiosk_tries_again_later_and_logs_why(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    service = FakeService()
    syncer, _path = _kiosk(tmp_path, service)
    worker = SyncWorker(syncer, refused_retry=120.0)
    with caplog.at_level(logging.WARNING, logger="kiosk.sync.client"):
        delay = worker.run_round()
    assert delay == 120.0  # not None: it does not wait for a restart
    assert worker.last_status is not None and worker.last_status.state == "error"
    assert any("refused" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
    syncer.config = config.KioskConfig(**{**syncer.config.__dict__, "token": "new-token"})  # the admin's fix
    assert worker.run_round() == worker.interval
    assert worker.last_status is not None and worker.last_status.state == "online"
    syncer.close()


def test_sync_now_wakes_a_refused_kiosk_which_reads_its_new_enrollment(tmp_path: Path) -> None:
    """The admin re-enrolls the kiosk (a new token in sync.json); 'Sync now' syncs at once with it."""
    from kiosk.ui.sync_indicator import _mtime

    service = FakeService()
    syncer, path = _kiosk(tmp_path, service)
    seen = [_mtime(path)]

    def reread() -> None:  # what kiosk.ui.sync_indicator.start_sync wires in
        if _mtime(path) != seen[0]:
            seen[0] = _mtime(path)
            syncer.config = config.load(path)

    rounds = threading.Semaphore(0)
    worker = SyncWorker(syncer, interval=3600, refused_retry=3600, before_round=reread)
    worker.listeners.append(lambda _status: rounds.release())
    worker.start()
    try:
        assert rounds.acquire(timeout=10)
        assert worker.last_status is not None and worker.last_status.state == "error"
        config.save(config.KioskConfig(**{**syncer.config.__dict__, "token": "new-token"}), path)
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        worker.trigger()  # the technician presses "Sync now"
        assert rounds.acquire(timeout=10)
    finally:
        worker.stop()
    assert worker.last_status is not None and worker.last_status.state == "online"
    assert service.seen == ["old-token", "new-token"]
    syncer.close()

"""The small, calm sync indicator: last successful sync, changes waiting, and an offline state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from kiosk.domain.db import Database
from kiosk.sync.client import Syncer, SyncWorker, describe

log = logging.getLogger(__name__)

LOCAL_ONLY = "● Reports are saved on this kiosk (not connected to a district server)."


class SyncIndicator:
    """The sync worker (its own thread) and the text the Home screen shows for it.

    The Home screen asks for ``text()`` every 10 s through the flow's task runner. The worker does not signal
    the GUI itself: emitting a Qt signal from a plain Python thread is unsafe in PySide6 6.8+ (PYSIDE-3124).
    """

    def __init__(self, db: Database, syncer: Syncer, worker: SyncWorker) -> None:
        self.db, self.syncer, self.worker = db, syncer, worker

    def text(self) -> str:
        """Reads the outbox: call it on a worker thread (the flow's job runner does)."""
        last = self.worker.last_status
        status = self.syncer.status(last.state if last else "never", last.message if last else "")
        from kiosk.domain.district import local_zone

        with self.db.unit() as ctx:
            zone = local_zone(ctx.session)
        return describe(status, self.db.clock.now(), zone)


def start_sync(db: Database) -> tuple[Callable[[], str], SyncIndicator | None]:
    """The indicator's text source: the sync worker when this kiosk is enrolled, else 'local only'.

    Call it on a worker thread (the app does, right after Home appears): it imports httpx and reads the
    migration scripts (the schema revision the kiosk sends).
    """
    from kiosk.sync import config

    path = config.config_path()
    try:
        cfg = config.load(path)
    except config.NotEnrolled:
        return (lambda: LOCAL_ONLY), None
    syncer = Syncer(db, cfg, config_path=path)  # its token rotates at every round (saved in the file)
    seen = [_mtime(path)]

    def reread_enrollment() -> None:
        """A re-enrollment (new token or address) written while the kiosk runs is used from the next round."""
        now = _mtime(path)
        if now == seen[0]:
            return
        seen[0] = now
        try:
            fresh = config.load(path)
        except config.NotEnrolled as exc:
            log.warning("the enrollment file changed but cannot be read: %s", exc)
            return
        if (fresh.server, fresh.kiosk_id, fresh.name) != (syncer.config.server, syncer.config.kiosk_id,
                                                          syncer.config.name):  # not just the rotated token
            log.info("the enrollment file changed: syncing with %s as %s from now on", fresh.server, fresh.name)
        syncer.config = fresh
        syncer.client.base_url = fresh.server.rstrip("/")

    worker = SyncWorker(syncer, interval=60.0, before_round=reread_enrollment)
    indicator = SyncIndicator(db, syncer, worker)
    worker.start()
    return indicator.text, indicator


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime_ns / 1e9
    except OSError:
        return None

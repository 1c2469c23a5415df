"""The small, calm sync indicator: last successful sync, changes waiting, and an offline state."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from kiosk.domain.db import Database
from kiosk.sync.client import Syncer, SyncWorker, describe

LOCAL_ONLY = "● Reports are saved on this kiosk (not connected to a district server)."


class SyncIndicator(QObject):
    """Bridges the sync worker (its own thread) to the GUI: ``changed`` fires after every round."""

    changed = Signal()

    def __init__(self, db: Database, syncer: Syncer, worker: SyncWorker, tz: ZoneInfo,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db, self.syncer, self.worker, self.tz = db, syncer, worker, tz
        worker.listeners.append(lambda _status: self.changed.emit())

    def text(self) -> str:
        """Reads the outbox: call it on a worker thread (the flow's TaskRunner does)."""
        last = self.worker.last_status
        status = self.syncer.status(last.state if last else "never", last.message if last else "")
        return describe(status, self.db.clock.now())


def start_sync(db: Database, tz: ZoneInfo, parent: QObject) -> tuple[Callable[[], str], SyncIndicator | None]:
    """The indicator's text source: the sync worker when this kiosk is enrolled, else 'local only'."""
    from kiosk.sync import config

    try:
        cfg = config.load()
    except config.NotEnrolled:
        return (lambda: LOCAL_ONLY), None
    syncer = Syncer(db, cfg)
    worker = SyncWorker(syncer, interval=60.0)
    indicator = SyncIndicator(db, syncer, worker, tz, parent)
    worker.start()
    return indicator.text, indicator

"""The small, calm sync indicator: last successful sync, changes waiting, and an offline state."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.db import Database
from kiosk.sync.client import Syncer, SyncWorker, describe

LOCAL_ONLY = "● Reports are saved on this kiosk (not connected to a district server)."


class SyncIndicator:
    """The sync worker (its own thread) and the text the Home screen shows for it.

    The Home screen asks for ``text()`` every 10 s through the flow's task runner. The worker does not signal
    the GUI itself: emitting a Qt signal from a plain Python thread is unsafe in PySide6 6.8+ (PYSIDE-3124).
    """

    def __init__(self, db: Database, syncer: Syncer, worker: SyncWorker) -> None:
        self.db, self.syncer, self.worker = db, syncer, worker

    def text(self) -> str:
        """Reads the outbox: call it on a worker thread (the flow's TaskRunner does)."""
        last = self.worker.last_status
        status = self.syncer.status(last.state if last else "never", last.message if last else "")
        return describe(status, self.db.clock.now())


def start_sync(db: Database) -> tuple[Callable[[], str], SyncIndicator | None]:
    """The indicator's text source: the sync worker when this kiosk is enrolled, else 'local only'."""
    from kiosk.sync import config

    try:
        cfg = config.load()
    except config.NotEnrolled:
        return (lambda: LOCAL_ONLY), None
    syncer = Syncer(db, cfg)
    worker = SyncWorker(syncer, interval=60.0)
    indicator = SyncIndicator(db, syncer, worker)
    worker.start()
    return indicator.text, indicator

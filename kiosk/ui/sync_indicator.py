"""The small, calm sync indicator: last successful sync, changes waiting, and an offline state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from kiosk.domain.db import Database
from kiosk.sync.client import Syncer, SyncStatus, SyncWorker

LOCAL_ONLY = "● Reports are saved on this kiosk (not connected to a district server)."


def _ago(then: datetime, now: datetime, tz: ZoneInfo) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    return then.astimezone(tz).strftime("%a %I:%M %p").replace(" 0", " ")


def describe(status: SyncStatus, now: datetime, tz: ZoneInfo) -> str:
    """One short line for the Home screen; never alarming, always saying that reports are safe."""
    waiting = f" · {status.pending_changes} change{'s' if status.pending_changes != 1 else ''} waiting" \
        if status.pending_changes else ""
    last = f"last synced {_ago(status.last_success_at, now, tz)}" if status.last_success_at else "not synced yet"
    if status.state == "online":
        return f"● Connected · {last}{waiting}"
    if status.state == "error":
        return f"○ Sync paused ({status.message}) · reports are saved on this kiosk{waiting}"
    if status.state in ("offline", "never"):
        return f"○ Offline · reports are saved on this kiosk and will be sent · {last}{waiting}"
    return f"● Syncing… · {last}{waiting}"


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
        return describe(status, self.db.clock.now(), self.tz)


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

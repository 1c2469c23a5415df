"""The Home screen's sync line: calm, and always clear that reports are kept on the kiosk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.sync.client import SyncStatus
from kiosk.ui.sync_indicator import describe

NOW = datetime(2026, 9, 14, 15, 0, tzinfo=UTC)
TZ = ZoneInfo("America/Chicago")


def test_online_shows_the_last_sync_and_what_is_waiting() -> None:
    text = describe(SyncStatus("online", NOW - timedelta(minutes=3), 2), NOW, TZ)
    assert text == "● Connected · last synced 3 min ago · 2 changes waiting"
    assert describe(SyncStatus("online", NOW, 0), NOW, TZ) == "● Connected · last synced just now"


def test_offline_says_reports_are_safe_and_when_it_last_synced() -> None:
    text = describe(SyncStatus("offline", NOW - timedelta(hours=5), 1, message="connection refused"), NOW, TZ)
    assert text.startswith("○ Offline · reports are saved on this kiosk")
    assert "last synced Mon 5:00 AM" in text and "1 change waiting" in text


def test_a_refused_kiosk_says_why_without_alarm() -> None:
    text = describe(SyncStatus("error", None, 0, message="the server refused this kiosk (401)"), NOW, TZ)
    assert "Sync paused (the server refused this kiosk (401))" in text
    assert describe(SyncStatus("never", None, 0), NOW, TZ).endswith("not synced yet")


def test_a_kiosk_that_is_not_enrolled_says_it_keeps_reports_locally(qtbot: object, db: object) -> None:
    from PySide6.QtCore import QObject

    from kiosk.ui.sync_indicator import LOCAL_ONLY, start_sync

    parent = QObject()
    text, indicator = start_sync(db, TZ, parent)  # type: ignore[arg-type]
    assert indicator is None and text() == LOCAL_ONLY

"""The Home screen's sync line (its wording is tested with the sync worker in tests/sync)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

TZ = ZoneInfo("America/Chicago")


def test_a_kiosk_that_is_not_enrolled_says_it_keeps_reports_locally(qtbot: object, db: object) -> None:
    from PySide6.QtCore import QObject

    from kiosk.ui.sync_indicator import LOCAL_ONLY, start_sync

    parent = QObject()
    text, indicator = start_sync(db, TZ, parent)  # type: ignore[arg-type]
    assert indicator is None and text() == LOCAL_ONLY

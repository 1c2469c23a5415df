"""The Home screen's sync line (its wording is tested with the sync worker in tests/sync)."""

from __future__ import annotations


def test_a_kiosk_that_is_not_enrolled_says_it_keeps_reports_locally(db: object) -> None:
    from kiosk.ui.sync_indicator import LOCAL_ONLY, start_sync

    text, indicator = start_sync(db)  # type: ignore[arg-type]
    assert indicator is None and text() == LOCAL_ONLY

"""A walk-up report with a photo, end to end: camera scan, the photo button, the receipt, the file on disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.domain import tickets
from kiosk.settings import data_dir
from kiosk.ui.app import make_scan_adapter

from .conftest import FakeCamera, Kiosk, code128
from .test_walkup import _category_button, _fill_details


def test_a_student_adds_a_photo_of_the_broken_screen_and_the_report_is_filed_with_it(
        kiosk: Kiosk, tmp_path: Path) -> None:
    k = kiosk
    camera = FakeCamera()
    adapter = make_scan_adapter(lambda: camera, k.flow)
    adapter.start()
    try:
        camera.hold(code128(k.quiet_tag, tmp_path))
        k.wait_for(k.flow.card)
        QTest.mouseClick(k.flow.card.report_button, Qt.MouseButton.LeftButton)
        QTest.mouseClick(_category_button(k, code="screen"), Qt.MouseButton.LeftButton)
        _fill_details(k, "Cracked along the top edge", "204511")
        k.qtbot.waitUntil(lambda: adapter.latest is not None)
        QTest.mouseClick(k.flow.details.photo_button, Qt.MouseButton.LeftButton)
        assert k.flow.details.photo is not None
        assert k.flow.details.photo_button.text() == "Retake photo"
        QTest.mouseClick(k.flow.details.submit_button, Qt.MouseButton.LeftButton)
        k.wait_for(k.flow.receipt)
    finally:
        adapter.stop()
    number = k.flow.receipt.number.text()
    with k.db.read() as ctx:
        photo = tickets.get_ticket(ctx.session, number).photo
    assert photo is not None and photo.endswith(".jpg")
    path = data_dir() / "photos" / photo
    assert path.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
    saved = QImage(str(path))
    assert not saved.isNull() and (saved.width(), saved.height()) == (1280, 720)

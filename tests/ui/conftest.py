"""Kiosk UI fixtures: a seeded district, the window and flow on it, a fake camera that shows one image."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.domain import seed
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Database
from kiosk.domain.models import Device, Ticket
from kiosk.scan.sources import Frame, SourceState, SourceStatus
from kiosk.settings import KioskPrefs
from kiosk.ui import theme
from kiosk.ui.app import KioskOptions, build
from kiosk.ui.flow import KioskFlow
from kiosk.ui.main_window import KioskWindow


class FakeCamera:
    """A frame source that keeps showing whatever image the test holds up (or nothing), at 30 frames/s."""

    def __init__(self, fps: float = 30.0) -> None:
        self._lock = threading.Lock()
        self.image: np.ndarray | None = None
        self._seq = 0
        self._period = 1.0 / fps
        self._next = 0.0
        self.status = SourceStatus.LIVE

    def hold(self, image: np.ndarray | None) -> None:
        with self._lock:
            self.image = image

    @property
    def state(self) -> SourceState:
        return SourceState(self.status, "fake camera")

    def read(self) -> Frame | None:
        """Like a real camera: a new frame only once per frame period."""
        now = time.monotonic()
        with self._lock:
            if self.image is None or now < self._next:
                return None
            self._next = now + self._period
            self._seq += 1
            return Frame(self.image, self._seq, now)

    def close(self) -> None:
        self.status = SourceStatus.CLOSED


def code128(text: str, tmp: Path) -> np.ndarray:
    """A camera-like grey frame with a Code128 label of ``text`` in the middle."""
    import barcode
    import cv2
    from barcode.writer import ImageWriter

    path = barcode.get("code128", text, writer=ImageWriter()).save(str(tmp / f"label-{text}"))
    label = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    frame = np.full((720, 1280), 200, np.uint8)
    h, w = label.shape
    y, x = (720 - h) // 2, (1280 - w) // 2
    frame[y:y + h, x:x + w] = label
    return frame


def qr(payload: str) -> np.ndarray:
    import cv2

    from kiosk.ui.flow import qr_png

    label = cv2.imdecode(np.frombuffer(qr_png(payload), np.uint8), cv2.IMREAD_GRAYSCALE)
    frame = np.full((720, 1280), 210, np.uint8)
    h, w = label.shape
    frame[(720 - h) // 2:(720 - h) // 2 + h, (1280 - w) // 2:(1280 - w) // 2 + w] = label
    return frame


@dataclass
class Kiosk:
    window: KioskWindow
    flow: KioskFlow
    db: Database
    qtbot: QtBot
    tag_with_open_ticket: str
    open_category_code: str
    quiet_tag: str

    def wait_for(self, screen: object, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: self.window.current is screen, timeout=timeout)

    def idle_workers(self) -> None:
        self.qtbot.waitUntil(lambda: self.flow.runner.pending == 0, timeout=5000)


@pytest.fixture
def kiosk_screen_size() -> tuple[int, int]:
    """The screen the kiosk is built for (a test parametrizes this name to build it for another screen)."""
    return (1366, 768)


@pytest.fixture
def kiosk(qtbot: QtBot, sqlite_url: str, clock: FakeClock, kiosk_screen_size: tuple[int, int]) -> Iterator[Kiosk]:
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    db = Database(sqlite_url, clock=clock)
    from kiosk.domain import schema

    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(devices=120, tickets=150, hash_passwords=True, as_of=date(2026, 9, 14)))
    with db.unit() as ctx:
        s = ctx.session
        open_t = s.scalars(select(Ticket).where(Ticket.device_id.is_not(None),
                                                Ticket.status.in_(["new", "assigned", "in_progress"]))
                           .options(joinedload(Ticket.device), joinedload(Ticket.category))
                           .order_by(Ticket.number)).first()
        assert open_t is not None and open_t.device is not None
        campus_id = open_t.campus_id
        tag = open_t.device.asset_tag
        cat = open_t.category.code
        busy = {t for t in s.scalars(select(Ticket.device_id).where(Ticket.device_id.is_not(None)))}
        quiet = s.scalars(select(Device.asset_tag).where(Device.campus_id == campus_id,
                                                         Device.id.not_in(busy))).first()
        assert quiet is not None
    KioskPrefs(campus_id=str(campus_id)).save("kiosk-test.json")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, QSize(*kiosk_screen_size))  # as the window does for its screen (offscreen's is smaller)
    window, flow = build(KioskOptions(url=sqlite_url, windowed=True, camera=None, config_name="kiosk-test.json"),
                         clock=clock)
    qtbot.addWidget(window)
    window.present()
    with qtbot.waitSignal(flow.ready, timeout=10_000):
        flow.start()
    k = Kiosk(window, flow, flow.db, qtbot, tag, cat, quiet)
    k.idle_workers()
    yield k
    adapter = getattr(flow, "scan_adapter", None)
    if adapter is not None:
        adapter.stop()
    flow.runner.wait()
    flow.translations.switch("en")  # the translator is the application's: the next test starts in English
    window.unlock()
    for f in (flow.wedge, flow.idle, flow.lockdown):
        app.removeEventFilter(f)
    flow.db.dispose()
    db.dispose()

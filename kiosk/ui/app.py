"""Starting the kiosk: the Qt application, the database, the camera, the window and its flow."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.domain.clock import SYSTEM_CLOCK, Clock
from kiosk.domain.db import Database
from kiosk.settings import KioskPrefs
from kiosk.ui import theme
from kiosk.ui.flow import KioskFlow, kiosk_tag_rule
from kiosk.ui.main_window import KioskWindow

if TYPE_CHECKING:  # the camera stack (OpenCV, numpy) loads after the Home screen is up
    from kiosk.scan.sources import FrameSource
    from kiosk.ui.scan_adapter import ScanAdapter
    from kiosk.ui.sync_indicator import SyncIndicator
    from kiosk.ui.tasks import JobRunner, SyncJobRunner


@dataclass
class KioskOptions:
    url: str
    demo: bool = False
    windowed: bool = False
    camera: str | None = "0"
    timezone: str = "America/Chicago"
    config_name: str = "kiosk.json"


def prepare_database(db: Database, demo: bool) -> None:
    """Upgrade the schema; the demo database is seeded on first use. Runs on a worker thread."""
    from sqlalchemy import func, select

    from kiosk.domain import schema, seed
    from kiosk.domain.models import Device

    schema.upgrade(db.engine)
    if demo:
        with db.unit() as ctx:
            empty = not ctx.session.scalar(select(func.count()).select_from(Device))
        if empty:
            seed.seed(db)


def make_scan_adapter(camera: str | Callable[[], FrameSource], flow: KioskFlow) -> ScanAdapter:
    """The camera → decoder → flow wiring; ``camera`` is a --camera spec or a source factory (tests)."""
    from kiosk.scan.pipeline import ScanConfig, ScanPipeline
    from kiosk.scan.session import LiveScanner
    from kiosk.scan.sources import open_source
    from kiosk.ui.scan_adapter import ScanAdapter

    def scanner() -> LiveScanner:
        return LiveScanner(ScanPipeline(ScanConfig(), kiosk_tag_rule()))

    factory = camera if callable(camera) else lambda: open_source(camera)
    adapter = ScanAdapter(factory, scanner, parent=flow)
    adapter.preview.connect(flow.home.show_frame)
    adapter.status.connect(flow.home.set_camera_status)
    adapter.scanned.connect(flow.on_scan)
    adapter.rejected.connect(flow.home.set_scan_message)
    flow.scan_adapter = adapter
    return adapter


def build(opts: KioskOptions, clock: Clock = SYSTEM_CLOCK,
          runner: JobRunner | SyncJobRunner | None = None) -> tuple[KioskWindow, KioskFlow]:
    """The window and its flow, not yet shown (tests and the screenshot script use this too)."""
    db = Database(opts.url, clock=clock)
    config = KioskPrefs.load(opts.config_name)
    window = KioskWindow(windowed=opts.windowed)
    flow = KioskFlow(db, window, config=config, tz=ZoneInfo(opts.timezone), demo=opts.demo,
                     prepare=lambda: prepare_database(db, opts.demo), config_name=opts.config_name,
                     runner=runner)
    return window, flow


def run(opts: KioskOptions) -> int:
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Tech room kiosk")
    theme.apply(app, theme.DESIGN if opts.windowed else None)
    window, flow = build(opts)
    window.present()
    flow.start()
    adapters: list[ScanAdapter] = []
    indicators: list[SyncIndicator] = []

    def visible() -> None:
        # runs once the window has been shown and painted; the camera stack loads after that
        print(f"kiosk: home screen visible {(time.perf_counter() - started) * 1000:.0f} ms after the Qt start",
              file=sys.stderr, flush=True)
        from kiosk.ui.sync_indicator import start_sync  # the sync client (httpx) loads after Home is up

        flow.sync_status, indicator = start_sync(flow.db)
        if indicator is not None:
            indicators.append(indicator)
        flow.refresh_sync()
        if opts.camera:
            adapters.append(make_scan_adapter(opts.camera, flow))
            adapters[0].start()

    QTimer.singleShot(0, visible)
    code = app.exec()
    for adapter in adapters:
        adapter.stop()
    for indicator in indicators:
        indicator.worker.stop()
    flow.runner.wait(5000)
    flow.db.dispose()
    return code

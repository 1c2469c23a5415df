"""Starting the kiosk: the Qt application, the database, the camera, the window and its flow."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from kiosk import logs
from kiosk.domain.clock import SYSTEM_CLOCK, Clock
from kiosk.domain.db import Database
from kiosk.domain.district import zone_named
from kiosk.settings import KioskPrefs
from kiosk.ui import theme
from kiosk.ui.flow import KioskFlow
from kiosk.ui.main_window import KioskWindow

if TYPE_CHECKING:  # the camera stack (OpenCV, numpy) loads after the Home screen is up
    from kiosk.scan.sources import FrameSource
    from kiosk.ui.scan_adapter import ScanAdapter
    from kiosk.ui.tasks import JobRunner, SyncJobRunner

log = logging.getLogger(__name__)
_qt_log = logging.getLogger("kiosk.qt")


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the kiosk's log (a kiosk has no terminal anyone reads)."""
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    _qt_log.log(level, "%s", message)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for the log line
        return "?"


@dataclass
class KioskOptions:
    url: str
    demo: bool = False
    windowed: bool = False
    camera: str | None = "0"
    timezone: str | None = None  # None: the district's (kiosk.domain.district.local_zone)
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
        return LiveScanner(ScanPipeline(ScanConfig(), flow.tag_rule))  # the district's rule (flow.set_tag_rule)

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
    fixed = ZoneInfo(opts.timezone) if opts.timezone else None
    flow = KioskFlow(db, window, config=config, tz=fixed or zone_named(None), demo=opts.demo,
                     prepare=lambda: prepare_database(db, opts.demo), config_name=opts.config_name,
                     runner=runner, fixed_zone=fixed)
    return window, flow


def run(opts: KioskOptions) -> int:
    started = time.perf_counter()
    log_path = logs.setup()
    qInstallMessageHandler(_qt_message)
    log.info("kiosk starting (database %s, log %s)", _safe_url(opts.url), log_path)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Tech room kiosk")
    theme.apply(app, theme.DESIGN if opts.windowed else None)
    window, flow = build(opts)
    window.present()
    flow.start()
    adapters: list[ScanAdapter] = []

    def visible() -> None:
        # runs once the window has been shown and painted; the sync client and the camera stack load after that
        shown_ms = (time.perf_counter() - started) * 1000
        log.info("home screen visible %.0f ms after the Qt start", shown_ms)
        print(f"kiosk: home screen visible {shown_ms:.0f} ms after the Qt start", file=sys.stderr, flush=True)
        flow.start_sync()  # on a worker: httpx and the migration scripts are read off the GUI thread
        if opts.camera:
            adapters.append(make_scan_adapter(opts.camera, flow))
            adapters[0].start()

    QTimer.singleShot(0, visible)
    code = app.exec()
    for adapter in adapters:
        adapter.stop()
    if flow.sync_indicator is not None:
        flow.sync_indicator.worker.stop()
    flow.runner.wait(5000)
    flow.db.dispose()
    return code

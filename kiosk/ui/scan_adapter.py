"""Camera and decoder threads for the UI: preview at the camera's rate, decode the newest frame, drop the rest."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from kiosk.scan.model import ScanEvent
from kiosk.scan.session import LiveScanner
from kiosk.scan.sources import FrameSource, SourceStatus


def to_qimage(frame: np.ndarray) -> QImage:
    """A deep-copied QImage of a BGR or grayscale uint8 frame (safe to hand across threads)."""
    if frame.ndim == 2:
        h, w = frame.shape
        return QImage(np.ascontiguousarray(frame).data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    h, w, _ = frame.shape
    rgb = np.ascontiguousarray(frame[:, :, ::-1])
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


@dataclass
class ScanStats:
    shown: int = 0
    decoded: int = 0
    dropped: int = 0
    last_decode_ms: float = 0.0


class ScanAdapter(QObject):
    """Owns the frame source and two threads: capture/preview and decode.

    The capture thread polls the source (which itself keeps only the newest frame) and keeps the newest
    preview. The decode thread always takes the newest frame; frames that arrive while it is busy are dropped,
    never queued, so a slow decode can never make the preview or the scans lag.

    Neither thread touches Qt signals: PySide6 (6.8+) can corrupt reference counts when a signal is emitted
    from a plain Python thread (PYSIDE-3124; it crashed our tests). A GUI-thread timer drains what the threads
    left, at most once per ``ui_interval_ms``, and emits the signals from the GUI thread, in one batch.
    """

    preview = Signal(QImage)
    scanned = Signal(object)  # ScanEvent
    rejected = Signal(str)
    status = Signal(str, str)  # SourceStatus value, message

    def __init__(self, source_factory: Callable[[], FrameSource], scanner_factory: Callable[[], LiveScanner],
                 poll_s: float = 0.01, ui_interval_ms: int = 30, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._outbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._fresh_preview = False
        self._timer = QTimer(self)
        self._timer.setInterval(ui_interval_ms)
        self._timer.timeout.connect(self._drain)
        self._source_factory = source_factory
        self._scanner_factory = scanner_factory
        self._poll_s = poll_s
        self._stop = threading.Event()
        self._cond = threading.Condition()
        self._pending: np.ndarray | None = None
        self._threads: list[threading.Thread] = []
        self._source: FrameSource | None = None
        self.scanner: LiveScanner | None = None
        self.stats = ScanStats()
        self.latest: QImage | None = None
        self._last_status: tuple[str, str] | None = None
        self.paused = False

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        self._timer.start()
        for target, name in ((self._capture_loop, "kiosk-capture"), (self._decode_loop, "kiosk-decode")):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for t in self._threads:
            t.join(timeout=3)
        self._threads.clear()
        if self._source is not None:
            self._source.close()
            self._source = None

    def _emit_status(self, status: str, message: str) -> None:
        if (status, message) != self._last_status:
            self._last_status = (status, message)
            self._outbox.put(("status", (status, message)))

    def _drain(self) -> None:
        """On the GUI thread: the newest preview, then scans, rejections and status changes in order."""
        if self._fresh_preview and self.latest is not None:
            self._fresh_preview = False
            self.preview.emit(self.latest)
        while True:
            try:
                kind, value = self._outbox.get_nowait()
            except queue.Empty:
                return
            if kind == "scan":
                self.scanned.emit(value)
            elif kind == "rejected":
                self.rejected.emit(value)
            else:
                self.status.emit(value[0], value[1])

    def _capture_loop(self) -> None:
        try:
            self._source = self._source_factory()
        except Exception as exc:  # a broken source spec must not take the kiosk down
            self._emit_status(SourceStatus.MISSING.value, str(exc))
            return
        while not self._stop.is_set():
            state = self._source.state
            self._emit_status(state.status.value, state.message)
            frame = self._source.read()
            if frame is None:
                time.sleep(self._poll_s)
                continue
            image = to_qimage(frame.image)
            self.latest = image
            self._fresh_preview = True
            self.stats.shown += 1
            if self.paused:
                continue
            with self._cond:
                if self._pending is not None:
                    self.stats.dropped += 1
                self._pending = frame.image
                self._cond.notify()

    def _decode_loop(self) -> None:
        self.scanner = self._scanner_factory()
        while not self._stop.is_set():
            with self._cond:
                while self._pending is None and not self._stop.is_set():
                    self._cond.wait(0.2)
                frame, self._pending = self._pending, None
            if frame is None:
                continue
            t0 = time.perf_counter()
            events: list[ScanEvent] = self.scanner.process(frame)
            self.stats.last_decode_ms = (time.perf_counter() - t0) * 1000
            self.stats.decoded += 1
            for event in events:
                self._outbox.put(("scan", event))
            for rejection in self.scanner.rejections:
                self._outbox.put(("rejected", rejection.reason))

"""Camera and decoder threads for the UI: preview at the camera's rate, decode the newest frame, drop the rest."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal
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

    The capture thread polls the source (which itself keeps only the newest frame) and emits a preview
    for every new frame. The decode thread always takes the newest frame; frames that arrive while it is
    busy are dropped, never queued, so a slow decode can never make the preview or the scans lag.
    """

    preview = Signal(QImage)
    scanned = Signal(object)  # ScanEvent
    rejected = Signal(str)
    status = Signal(str, str)  # SourceStatus value, message

    def __init__(self, source_factory: Callable[[], FrameSource], scanner_factory: Callable[[], LiveScanner],
                 poll_s: float = 0.01, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
        for target, name in ((self._capture_loop, "kiosk-capture"), (self._decode_loop, "kiosk-decode")):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
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
            self.status.emit(status, message)

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
            self.stats.shown += 1
            self.preview.emit(image)
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
                self.scanned.emit(event)
            for rejection in self.scanner.rejections:
                self.rejected.emit(rejection.reason)

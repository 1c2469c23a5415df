"""Frame sources: a threaded newest-frame-only camera with background retry, and image/folder/video files."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from kiosk.scan.clock import Clock, monotonic

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"})


class SourceStatus(Enum):
    """What a frame source is doing, for the UI to show."""

    STARTING = "starting"
    LIVE = "live"
    MISSING = "missing"  # no such camera
    BUSY = "busy"  # the device exists but cannot be opened or gives no frames (another program has it)
    UNPLUGGED = "unplugged"  # it was working and stopped delivering frames
    ENDED = "ended"  # a file source has played all its frames
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class SourceState:
    status: SourceStatus
    message: str = ""


@dataclass(frozen=True, slots=True)
class Frame:
    """One captured image (BGR or grayscale uint8) with its sequence number and capture time."""

    image: np.ndarray
    seq: int
    timestamp: float


class FrameSource(Protocol):
    """Anything that yields frames: `read()` returns a frame not seen before, or None."""

    @property
    def state(self) -> SourceState: ...

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


class Capture(Protocol):
    """The part of cv2.VideoCapture the camera source uses (fakes implement it in tests)."""

    def isOpened(self) -> bool: ...  # noqa: N802 - OpenCV's name

    def read(self) -> tuple[bool, Any]: ...

    def set(self, prop_id: int, value: float) -> bool: ...

    def release(self) -> None: ...


def _open_cv_capture(device: int | str) -> Capture:
    cap = cv2.VideoCapture(device, cv2.CAP_V4L2) if isinstance(device, int) else cv2.VideoCapture(device)
    return cap


def _device_exists(device: int | str) -> bool:
    if isinstance(device, int):
        return not os.path.isdir("/dev") or os.path.exists(f"/dev/video{device}") or os.name != "posix"
    return os.path.exists(device)


class CameraSource:
    """A live camera read on its own thread, keeping only the newest frame.

    V4L2 queues four buffers by default, so a consumer slower than the camera would see
    frames ~130 ms old; the capture thread drains the driver continuously and the consumer
    always gets the latest frame. MJPEG at 1280x720 is requested by default. A camera that is
    missing, busy or unplugged mid-session is reported through `state` and retried every
    `retry_s` seconds in the background; nothing raises to the caller.
    """

    def __init__(
        self,
        device: int | str = 0,
        *,
        width: int = 1280,
        height: int = 720,
        mjpeg: bool = True,
        retry_s: float = 2.0,
        max_failed_reads: int = 15,
        opener: Callable[[int | str], Capture] = _open_cv_capture,
        exists: Callable[[int | str], bool] = _device_exists,
        clock: Clock = monotonic,
        start: bool = True,
    ) -> None:
        self.device = device
        self.width, self.height, self.mjpeg = width, height, mjpeg
        self.retry_s = retry_s
        self.max_failed_reads = max_failed_reads
        self._opener, self._exists, self._clock = opener, exists, clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._state = SourceState(SourceStatus.STARTING, f"opening camera {device}")
        self._latest: Frame | None = None
        self._seq = 0
        self._last_read_seq = 0
        self._thread: threading.Thread | None = None
        if start:
            self.start()

    @property
    def state(self) -> SourceState:
        with self._lock:
            return self._state

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"camera-{self.device}", daemon=True)
            self._thread.start()

    def read(self) -> Frame | None:
        with self._lock:
            frame = self._latest
            if frame is None or frame.seq == self._last_read_seq:
                return None
            self._last_read_seq = frame.seq
            return frame

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._set(SourceStatus.CLOSED, "camera closed")

    def _set(self, status: SourceStatus, message: str) -> None:
        with self._lock:
            if self._state.status is SourceStatus.CLOSED:
                return
            changed = self._state.status is not status
            self._state = SourceState(status, message)
        if changed:
            log.info("camera %s: %s (%s)", self.device, status.value, message)

    def _open(self) -> Capture | None:
        if not self._exists(self.device):
            self._set(SourceStatus.MISSING, f"no camera at {self.device}; retrying every {self.retry_s:g} s")
            return None
        try:
            cap = self._opener(self.device)
        except Exception as exc:  # a driver error must not kill the thread
            self._set(SourceStatus.BUSY, f"camera {self.device} could not be opened: {exc}")
            return None
        if not cap.isOpened():
            cap.release()
            self._set(SourceStatus.BUSY, f"camera {self.device} exists but could not be opened (in use by another program?)")
            return None
        if self.mjpeg:
            cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        return cap

    def _run(self) -> None:
        while not self._stop.is_set():
            cap = self._open()
            if cap is None:
                self._stop.wait(self.retry_s)
                continue
            had_frame = self._pump(cap)
            cap.release()
            if self._stop.is_set():
                break
            if had_frame:
                self._set(SourceStatus.UNPLUGGED, f"camera {self.device} stopped sending frames; retrying")
            else:
                self._set(SourceStatus.BUSY, f"camera {self.device} opened but sent no frames (in use by another program?)")
            self._stop.wait(self.retry_s)

    def _pump(self, cap: Capture) -> bool:
        """Read frames until stopped or the camera fails; True if any frame arrived."""
        failures = 0
        had_frame = False
        while not self._stop.is_set():
            try:
                ok, image = cap.read()
            except Exception:
                ok, image = False, None
            if not ok or image is None:
                failures += 1
                if failures >= self.max_failed_reads:
                    return had_frame
                time.sleep(0.01)
                continue
            failures = 0
            had_frame = True
            with self._lock:
                self._seq += 1
                self._latest = Frame(image, self._seq, self._clock())
            self._set(SourceStatus.LIVE, f"camera {self.device}")
        return had_frame


class _IterSource:
    """Base for file sources: plays frames from an iterator, then reports ENDED."""

    def __init__(self, frames: Iterator[np.ndarray], label: str, clock: Clock) -> None:
        self._frames = frames
        self._label = label
        self._clock = clock
        self._seq = 0
        self._state = SourceState(SourceStatus.LIVE, label)

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        if self._state.status is not SourceStatus.LIVE:
            return None
        image = next(self._frames, None)
        if image is None:
            self._state = SourceState(SourceStatus.ENDED, f"{self._label}: end of input")
            return None
        self._seq += 1
        return Frame(image, self._seq, self._clock())

    def close(self) -> None:
        self._state = SourceState(SourceStatus.CLOSED, self._label)


def read_image(path: str | Path) -> np.ndarray:
    """Load an image file as BGR uint8; raises ValueError when it is not a readable image."""
    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise ValueError(f"{path}: not a readable image")
    return image


class ImageFileSource(_IterSource):
    """One still image, delivered once."""

    def __init__(self, path: str | Path, *, clock: Clock = monotonic) -> None:
        super().__init__(iter([read_image(path)]), str(path), clock)


class FolderSource(_IterSource):
    """Every image in a folder (sorted by name) played as a stream; unreadable files are skipped."""

    def __init__(self, folder: str | Path, *, loop: bool = False, clock: Clock = monotonic) -> None:
        self.paths = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        super().__init__(self._iterate(loop), str(folder), clock)

    def _iterate(self, loop: bool) -> Iterator[np.ndarray]:
        while True:
            for p in self.paths:
                try:
                    yield read_image(p)
                except ValueError:
                    log.warning("skipping unreadable image %s", p)
            if not loop or not self.paths:
                return


class VideoFileSource(_IterSource):
    """A video file decoded by OpenCV, frame by frame."""

    def __init__(self, path: str | Path, *, clock: Clock = monotonic) -> None:
        self._cap = cv2.VideoCapture(str(path))
        if not self._cap.isOpened():
            raise ValueError(f"{path}: not a readable video")
        super().__init__(self._iterate(), str(path), clock)

    def _iterate(self) -> Iterator[np.ndarray]:
        while True:
            ok, image = self._cap.read()
            if not ok:
                self._cap.release()
                return
            yield image

    def close(self) -> None:
        self._cap.release()
        super().close()


def open_source(spec: str, **camera_options: Any) -> FrameSource:
    """Open what `--camera` names: an index ("0"), a device path, an image, a folder or a video file."""
    if spec.isdigit():
        return CameraSource(int(spec), **camera_options)
    path = Path(spec)
    if spec.startswith("/dev/"):
        return CameraSource(spec, **camera_options)
    if path.is_dir():
        return FolderSource(path)
    if not path.exists():
        raise FileNotFoundError(spec)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return ImageFileSource(path)
    return VideoFileSource(path)

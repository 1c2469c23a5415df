"""Frame sources: a camera that is missing, busy or unplugged (fake capture), newest-frame-only, and file sources."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from kiosk.scan.sources import (
    CameraSource,
    FolderSource,
    ImageFileSource,
    SourceStatus,
    VideoFileSource,
    open_source,
)


class FakeCapture:
    """Stands in for cv2.VideoCapture; `plugged` can be switched off mid-session."""

    def __init__(self, opened: bool = True, frames: bool = True) -> None:
        self.opened = opened
        self.frames = frames
        self.plugged = threading.Event()
        self.plugged.set()
        self.count = 0
        self.props: dict[int, float] = {}
        self.released = False

    def isOpened(self) -> bool:  # noqa: N802
        return self.opened

    def read(self) -> tuple[bool, Any]:
        time.sleep(0.002)
        if not self.frames or not self.plugged.is_set():
            return False, None
        self.count += 1
        return True, np.full((4, 4, 3), self.count % 256, np.uint8)

    def set(self, prop_id: int, value: float) -> bool:
        self.props[prop_id] = value
        return True

    def release(self) -> None:
        self.released = True


def wait_for(cond: Callable[[], bool], timeout: float = 3.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.005)
    return cond()


def camera(opener: Callable[[int | str], FakeCapture], exists: bool | Callable[[int | str], bool] = True) -> CameraSource:
    check = exists if callable(exists) else (lambda _dev: exists)
    return CameraSource(0, opener=opener, exists=check, retry_s=0.02, max_failed_reads=3)


def test_a_working_camera_is_live_and_asked_for_mjpeg_720p() -> None:
    cap = FakeCapture()
    cam = camera(lambda _d: cap)
    try:
        assert wait_for(lambda: cam.state.status is SourceStatus.LIVE)
        assert wait_for(lambda: cam.read() is not None)
        assert cap.props[cv2.CAP_PROP_FRAME_WIDTH] == 1280 and cap.props[cv2.CAP_PROP_FRAME_HEIGHT] == 720
        assert cap.props[cv2.CAP_PROP_FOURCC] == cv2.VideoWriter.fourcc(*"MJPG")
    finally:
        cam.close()
    assert cam.state.status is SourceStatus.CLOSED and cap.released


def test_a_slow_consumer_gets_only_the_newest_frame() -> None:
    cap = FakeCapture()
    cam = camera(lambda _d: cap)
    try:
        assert wait_for(lambda: cap.count > 5)
        time.sleep(0.05)  # the consumer is busy while several frames arrive
        frame = cam.read()
        assert frame is not None
        assert frame.seq >= cap.count - 1  # not a queued, stale frame
        assert cam.read() is None or cam.read() is None  # nothing is delivered twice
    finally:
        cam.close()


def test_a_missing_camera_says_so_and_is_retried_until_plugged_in() -> None:
    present = threading.Event()
    cap = FakeCapture()
    cam = camera(lambda _d: cap, exists=lambda _d: present.is_set())
    try:
        assert wait_for(lambda: cam.state.status is SourceStatus.MISSING)
        assert "no camera" in cam.state.message
        assert cam.read() is None
        present.set()
        assert wait_for(lambda: cam.state.status is SourceStatus.LIVE)
    finally:
        cam.close()


@pytest.mark.parametrize("cap", [FakeCapture(opened=False), FakeCapture(frames=False)])
def test_a_camera_used_by_another_program_is_busy(cap: FakeCapture) -> None:
    cam = camera(lambda _d: cap)
    try:
        assert wait_for(lambda: cam.state.status is SourceStatus.BUSY)
        assert "another program" in cam.state.message
    finally:
        cam.close()


def test_an_opener_that_raises_is_busy_not_a_crash() -> None:
    def boom(_d: int | str) -> FakeCapture:
        raise RuntimeError("VIDIOC_STREAMON: Device or resource busy")

    cam = camera(boom)
    try:
        assert wait_for(lambda: cam.state.status is SourceStatus.BUSY)
    finally:
        cam.close()


def test_a_camera_unplugged_mid_session_is_reported_and_comes_back() -> None:
    cap = FakeCapture()
    cam = camera(lambda _d: cap)
    try:
        assert wait_for(lambda: cam.state.status is SourceStatus.LIVE)
        cap.plugged.clear()
        assert wait_for(lambda: cam.state.status is SourceStatus.UNPLUGGED)
        cap.plugged.set()
        assert wait_for(lambda: cam.state.status is SourceStatus.LIVE)
        assert wait_for(lambda: cam.read() is not None)
    finally:
        cam.close()


def test_image_folder_and_video_sources(tmp_path: Path) -> None:
    img = np.full((48, 64, 3), 200, np.uint8)
    cv2.imwrite(str(tmp_path / "a.png"), img)
    cv2.imwrite(str(tmp_path / "b.jpg"), img)
    (tmp_path / "notes.txt").write_text("not an image")

    single = ImageFileSource(tmp_path / "a.png")
    assert single.read() is not None and single.read() is None
    assert single.state.status is SourceStatus.ENDED

    folder = FolderSource(tmp_path)
    frames = [folder.read(), folder.read(), folder.read()]
    assert [f.seq for f in frames if f is not None] == [1, 2] and folder.state.status is SourceStatus.ENDED

    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 10, (64, 48))
    for _ in range(3):
        writer.write(img)
    writer.release()
    vs = VideoFileSource(video)
    assert sum(1 for _ in range(5) if vs.read() is not None) == 3
    vs.close()
    assert vs.state.status is SourceStatus.CLOSED


def test_open_source_understands_the_camera_option(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "a.png"), np.zeros((8, 8, 3), np.uint8))
    assert isinstance(open_source(str(tmp_path / "a.png")), ImageFileSource)
    assert isinstance(open_source(str(tmp_path)), FolderSource)
    cam = open_source("7", exists=lambda _d: False, retry_s=0.02)
    try:
        assert isinstance(cam, CameraSource) and cam.device == 7
        assert wait_for(lambda: cam.state.status is SourceStatus.MISSING)
    finally:
        cam.close()
    with pytest.raises(FileNotFoundError):
        open_source(str(tmp_path / "nope.mp4"))
    with pytest.raises(FileNotFoundError):
        ImageFileSource(tmp_path / "missing.png")

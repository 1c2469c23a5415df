"""The kiosk's log file: failed jobs and uncaught exceptions land there with their traceback."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import logs
from kiosk.settings import KioskSettings


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level, hook, thread_hook = root.level, sys.excepthook, threading.excepthook
    path = logs.setup(KioskSettings(data_dir=tmp_path))
    try:
        yield path
    finally:
        for h in [h for h in root.handlers if getattr(h, logs._OURS, False)]:
            root.removeHandler(h)
            h.close()
        root.setLevel(level)
        sys.excepthook, threading.excepthook = hook, thread_hook


def test_a_failed_job_is_in_the_log_file_with_its_traceback(log_file: Path, qtbot: object) -> None:
    from kiosk.ui.tasks import SyncJobRunner

    def count_devices() -> int:
        raise ZeroDivisionError("the disk said no")

    runner = SyncJobRunner()
    runner.run(count_devices, lambda _r: None, lambda _e: None)
    runner.run_all()
    text = log_file.read_text(encoding="utf-8")
    assert log_file == Path(log_file.parent.parent / "logs" / "kiosk.log")
    assert "ERROR" in text and "count_devices" in text
    assert "Traceback (most recent call last)" in text and "ZeroDivisionError: the disk said no" in text


def test_an_uncaught_exception_in_a_thread_is_logged(log_file: Path) -> None:
    def broken() -> None:
        raise RuntimeError("worker blew up")

    t = threading.Thread(target=broken, name="camera")
    t.start()
    t.join()
    text = log_file.read_text(encoding="utf-8")
    assert "uncaught exception in thread camera" in text and "RuntimeError: worker blew up" in text


def test_the_log_rotates(tmp_path: Path) -> None:
    root = logging.getLogger()
    level, hook, thread_hook = root.level, sys.excepthook, threading.excepthook
    path = logs.setup(KioskSettings(data_dir=tmp_path))
    try:
        handler = next(h for h in root.handlers if getattr(h, logs._OURS, False)
                       and isinstance(h, logging.FileHandler))
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        assert handler.maxBytes == logs.MAX_BYTES and handler.backupCount == logs.BACKUPS
        for _ in range(1200):
            logging.getLogger("kiosk.test").info("x" * 1000)
        assert (path.parent / "kiosk.log.1").exists() and path.stat().st_size <= logs.MAX_BYTES
    finally:
        for h in [h for h in root.handlers if getattr(h, logs._OURS, False)]:
            root.removeHandler(h)
            h.close()
        root.setLevel(level)
        sys.excepthook, threading.excepthook = hook, thread_hook

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


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level, hook, thread_hook = root.level, sys.excepthook, threading.excepthook
    try:
        yield
    finally:
        for h in [h for h in root.handlers if getattr(h, logs._OURS, False)]:
            root.removeHandler(h)
            h.close()
        root.setLevel(level)
        sys.excepthook, threading.excepthook = hook, thread_hook


def test_the_command_line_keeps_a_log_file_and_prints_only_its_own_lines(
        restore_logging: None, sqlite_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import io

    from kiosk import cli, settings

    out = io.StringIO()
    assert cli.main(["db", "upgrade", "--url", sqlite_url], out) == 0
    assert cli.main(["devices", "show", "DS999999", "--url", sqlite_url], out) == 2  # a refusal
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all " * 100)
    assert cli.main(["ticket", "list", "--url", f"sqlite:///{junk}"], out) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == ["kiosk: error: no device has asset tag DS999999",
                                "kiosk: error: that file is not a kiosk database"]  # only the commands' own sentences
    path = settings.data_dir() / "logs" / logs.CLI_LOG
    text = path.read_text(encoding="utf-8")
    assert "kiosk db upgrade: started" in text and "kiosk db upgrade: exit 0" in text
    assert "INFO" in text and "kiosk devices show: refused: no device has asset tag DS999999" in text
    assert "ERROR" in text and "kiosk ticket list: database error" in text
    assert "Traceback (most recent call last)" in text and "file is not a database" in text

    def broken(_args: object, _out: object) -> int:
        raise ZeroDivisionError("a bug in a command")

    parser = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: _with_func(parser(), broken))
    with pytest.raises(ZeroDivisionError):
        cli.main(["ticket", "show", "X", "--url", sqlite_url], out)
    text = path.read_text(encoding="utf-8")
    assert "CRITICAL" in text and "kiosk broken: failed" in text and "ZeroDivisionError: a bug in a command" in text
    assert isinstance(next(h for h in logging.getLogger().handlers if getattr(h, logs._OURS, False)),
                      logging.handlers.RotatingFileHandler)
    assert not any(getattr(h, logs._OURS, False) and type(h) is logging.StreamHandler
                   for h in logging.getLogger().handlers)  # no console handler: the terminal stays quiet


def _with_func(parser: object, func: object) -> object:
    """The real parser, with `ticket show` pointed at ``func``."""
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    real = parser.parse_args

    def parse_args(argv: object = None, namespace: object = None) -> argparse.Namespace:
        args = real(argv)  # type: ignore[arg-type]
        args.func = func
        return args

    parser.parse_args = parse_args  # type: ignore[method-assign, assignment]
    return parser

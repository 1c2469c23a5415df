"""The kiosk's log: a rotating file with tracebacks in the data folder, set up once by the program's entry point."""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from kiosk.settings import KioskSettings, current

LOG_FOLDER = "logs"
MAX_BYTES = 1_000_000
BACKUPS = 5  # kiosk.log plus five older files: about 6 MB, weeks of a normal kiosk's log
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

_OURS = "_kiosk_log_handler"
log = logging.getLogger("kiosk")


CLI_LOG = "cli.log"


def setup(settings: KioskSettings | None = None, *, name: str = "kiosk.log",
          stderr_level: int | None = logging.WARNING) -> Path:
    """Log to ``<data folder>/logs/<name>`` (rotated at 1 MB, 5 kept) and warnings to stderr; returns the path.

    ``stderr_level=None`` writes nothing to the terminal (the command line: it prints its own one-line errors).
    Uncaught exceptions (the GUI thread's slots, worker threads) are logged with their traceback too.
    Calling it again replaces the handlers it added before (tests, a second window).
    """
    s = settings or current()
    folder = s.folder() / LOG_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(h)
        h.close()
    file_handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(FORMAT))
    file_handler.setLevel(s.log_level)
    handlers: list[logging.Handler] = [file_handler]
    if stderr_level is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("kiosk: %(levelname)s %(name)s: %(message)s"))
        console.setLevel(stderr_level)
        handlers.append(console)
    for h in handlers:
        setattr(h, _OURS, True)
        root.addHandler(h)
    file_level = logging.getLevelName(s.log_level)
    root.setLevel(file_level if stderr_level is None else min(file_level, stderr_level))
    _hook_uncaught()
    log.info("logging to %s (level %s)", path, s.log_level)
    return path


def _hook_uncaught() -> None:
    if getattr(sys.excepthook, _OURS, False):
        return
    previous = sys.excepthook

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt) and not getattr(exc, "_kiosk_logged", False):
            log.critical("uncaught exception", exc_info=(kind, exc, tb))
        previous(kind, exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.critical("uncaught exception in thread %s", args.thread.name if args.thread else "?",
                         exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    setattr(excepthook, _OURS, True)
    sys.excepthook = excepthook
    threading.excepthook = thread_hook


def setup_cli(settings: KioskSettings | None = None) -> Path | None:
    """The `kiosk` command's log: ``<data folder>/logs/cli.log``, rotated like the kiosk's, nothing on the terminal.

    Its own file, not the window's ``kiosk.log``: two processes rotating one file misplace lines (the logging
    cookbook's warning), and the kiosk window runs all day beside the commands. None when the folder cannot be
    written (a read-only data folder must not stop a command that only reads).
    """
    try:
        return setup(settings, name=CLI_LOG, stderr_level=None)
    except OSError:
        return None

"""Runs domain work on a thread pool and hands results back to the GUI thread as signals."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong on this kiosk; it has been written to the kiosk's log. Please try again."


def user_message(exc: BaseException) -> str:
    """What a screen shows for a failed job: a domain error's own sentence, never SQL or a traceback."""
    from kiosk.domain.errors import DomainError

    if isinstance(exc, DomainError) and str(exc):
        text = str(exc)
        return text[:1].upper() + text[1:]
    return UNEXPECTED


class _Job(QRunnable):
    def __init__(self, runner: TaskRunner, job_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.runner, self.job_id, self.fn = runner, job_id, fn

    def run(self) -> None:
        try:
            result, error = self.fn(), None
        except Exception as exc:  # delivered to the caller's error handler on the GUI thread
            log.debug("task failed: %s", "".join(traceback.format_exception(exc)))
            result, error = None, exc
        self.runner._finished.emit(self.job_id, result, error)


class TaskRunner(QObject):
    """``run(fn, on_result, on_error)``: fn runs on a worker; the callbacks run on the GUI thread.

    No database, file or network call happens on the GUI thread: screens ask the runner instead.
    """

    _finished = Signal(int, object, object)
    busy_changed = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None] | None]] = {}
        self._next = 0
        self._finished.connect(self._deliver)

    def run(self, fn: Callable[[], Any], on_result: Callable[[Any], None],
            on_error: Callable[[Exception], None] | None = None) -> None:
        self._next += 1
        self._callbacks[self._next] = (on_result, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Job(self, self._next, fn))

    @Slot(int, object, object)
    def _deliver(self, job_id: int, result: Any, error: Exception | None) -> None:
        on_result, on_error = self._callbacks.pop(job_id)
        if not self._callbacks:
            self.busy_changed.emit(False)
        if error is None:
            on_result(result)
        elif on_error is not None:
            on_error(error)
        else:
            log.error("background task failed: %s", error)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def wait(self, msecs: int = 10_000) -> bool:
        return self.pool.waitForDone(msecs)

"""The job runner: domain work on worker threads, results back on the GUI thread, only if still wanted.

Every job carries its owner (the screen or flow that asked) and the runner's *generation* when it was asked.
Sign-out, the idle reset and Start over call ``new_generation()``: a job asked for before that still runs to its
end (a write is never cut in half) but its result is dropped, never shown to whoever stands at the kiosk now.
Results are handed to the GUI thread in batches under a time budget (as Picard's ``run_task`` does), so a
flood of results never starves painting. ``SyncJobRunner`` runs jobs on the caller's thread when told to, for
tests of ordering and staleness without sleeps. See docs/runtime.md.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong on this kiosk; it has been written to the kiosk's log. Please try again."
UNREACHABLE = "The district server is unreachable right now; reports are kept on this kiosk and sent later."
BATCH_BUDGET_MS = 50  # at most this long delivering results before the GUI thread paints again

OnResult = Callable[[Any], None]
OnError = Callable[[Exception], None]


def user_message(exc: BaseException) -> str:
    """What a screen shows for a failed job: a domain error's own sentence, never SQL or a traceback."""
    from kiosk.domain.errors import DomainError

    if isinstance(exc, DomainError) and str(exc):
        text = str(exc)
        return text[:1].upper() + text[1:]
    if isinstance(exc, (ConnectionError, TimeoutError)) or type(exc).__module__.startswith("httpx"):
        return UNREACHABLE  # the network, not the kiosk: nothing is lost, so say so plainly
    return UNEXPECTED


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


def _log_failure(job: Job, exc: BaseException) -> None:
    from kiosk.domain.errors import DomainError

    if isinstance(exc, DomainError):  # a refusal meant for the person (bad tag, wrong PIN): not a fault
        log.info("job %s refused: %s", job.name, exc)
    else:
        log.error("job %s (owner %s) failed", job.name, job.owner_name, exc_info=exc)


@dataclass
class Job:
    """One piece of work: who asked, in which generation, and where its result goes."""

    id: int
    fn: Callable[[], Any]
    on_result: OnResult
    on_error: OnError | None
    owner: object | None
    generation: int
    name: str = ""
    survives_reset: bool = False
    write: bool = False  # a short write: the serial writer lane, so reads never queue behind writes
    result: Any = None
    error: BaseException | None = None
    done: bool = field(default=False)

    @property
    def owner_name(self) -> str:
        return type(self.owner).__name__ if self.owner is not None else "none"

    def execute(self) -> None:
        try:
            self.result = self.fn()
        except Exception as exc:  # handed to the caller's error handler on the GUI thread
            self.error = exc
            _log_failure(self, exc)
        self.done = True


def _owner_gone(owner: object | None) -> bool:
    if isinstance(owner, QObject):
        import shiboken6

        return not shiboken6.isValid(owner)
    return False


class _Base(QObject):
    """What both runners share: bookkeeping of pending jobs, generations and delivery."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._ids = count(1)
        self._pending: dict[int, Job] = {}
        self.dropped = 0  # stale results dropped so far (for tests and the log)

    def run(self, fn: Callable[[], Any], on_result: OnResult, on_error: OnError | None = None, *,
            owner: object | None = None, survives_reset: bool = False, write: bool = False) -> Job:
        """Run ``fn`` off the GUI thread; ``on_result``/``on_error`` run on the GUI thread if still wanted.

        ``survives_reset``: the kiosk's own work (starting the sync worker), not anyone's session: delivered
        whatever generation it is by then.
        ``write``: a short write (an audit scan, a ticket action, a report filed): it runs on the runner's one
        writer thread, in the order asked, so a burst of writes waiting for the database's writer turn never
        takes the pool threads that reads need. Keep long work (reports, PDFs, network) off it.
        """
        job = Job(next(self._ids), fn, on_result, on_error, owner, self.generation, _name(fn),
                  survives_reset=survives_reset, write=write)
        self._pending[job.id] = job
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._submit(job)
        return job

    def new_generation(self, reason: str = "") -> int:
        """Everything asked for until now is stale: its results will be dropped (sign-out, idle, Start over)."""
        self.generation += 1
        stale = sum(1 for j in self._pending.values() if j.generation < self.generation)
        if stale:
            log.debug("new generation %d (%s): %d job(s) in flight become stale", self.generation, reason, stale)
        return self.generation

    def cancel(self, owner: object) -> None:
        """Drop the results of every job this owner asked for (e.g. a screen that is going away)."""
        for job in self._pending.values():
            if job.owner is owner:
                job.generation = -1

    def wanted(self, job: Job) -> bool:
        if job.generation < 0 or _owner_gone(job.owner):  # cancelled, or its screen is gone
            return False
        return job.survives_reset or job.generation == self.generation

    def _deliver(self, job: Job) -> None:
        self._pending.pop(job.id, None)
        try:
            if not self.wanted(job):
                self.dropped += 1
                log.debug("dropped the stale result of %s (generation %d, now %d)", job.name, job.generation,
                          self.generation)
            elif job.error is None:
                job.on_result(job.result)
            elif job.on_error is not None and isinstance(job.error, Exception):
                job.on_error(job.error)
        except Exception:  # a callback's own bug must not stop the deliveries after it
            log.exception("the callback of job %s failed", job.name)
        finally:
            if not self._pending:
                self.busy_changed.emit(False)

    def _submit(self, job: Job) -> None:
        raise NotImplementedError

    @property
    def pending(self) -> int:
        return len(self._pending)

    def wait(self, msecs: int = 10_000) -> bool:
        raise NotImplementedError


class _Runnable(QRunnable):
    def __init__(self, runner: JobRunner, job: Job) -> None:
        super().__init__()
        self.runner, self.job = runner, job

    def run(self) -> None:
        self.job.execute()
        self.runner._finished(self.job)


class JobRunner(_Base):
    """Jobs on a thread pool (pool threads are QThreads, so signalling the GUI thread from them is safe)."""

    _wake = Signal()

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None,
                 budget_ms: int = BATCH_BUDGET_MS) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()  # reads and other work, in parallel
        self.writer_pool = QThreadPool(self)  # the writer lane: one thread, first come first served
        self.writer_pool.setMaxThreadCount(1)
        self.budget = budget_ms / 1000
        self._done: deque[Job] = deque()
        self._lock = threading.Lock()
        self._scheduled = False
        self._wake.connect(self._drain)
        self.batches = 0  # how many times the GUI thread drained results (for tests and benchmarks)

    def _submit(self, job: Job) -> None:
        (self.writer_pool if job.write else self.pool).start(_Runnable(self, job))

    def _finished(self, job: Job) -> None:  # on a worker thread
        with self._lock:
            self._done.append(job)
            if self._scheduled:
                return
            self._scheduled = True
        self._wake.emit()  # queued to the GUI thread: one wake-up for however many results arrive meanwhile

    @Slot()
    def _drain(self) -> None:
        self.batches += 1
        deadline = time.perf_counter() + self.budget
        while True:
            with self._lock:
                if not self._done:
                    self._scheduled = False
                    return
                job = self._done.popleft()
            self._deliver(job)
            if time.perf_counter() > deadline:
                QTimer.singleShot(0, self._drain)  # the rest after the GUI thread has painted
                return

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for every running job to end (at shutdown); their results are not delivered."""
        return self.writer_pool.waitForDone(msecs) and self.pool.waitForDone(msecs)


class SyncJobRunner(_Base):
    """A runner for tests: jobs wait until ``run_next()``/``run_all()`` runs them on the caller's thread.

    ``execute_next()`` runs a job's work without delivering it, so a test can sign out in between.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue: deque[Job] = deque()
        self.finished: deque[Job] = deque()

    def _submit(self, job: Job) -> None:
        self.queue.append(job)

    def execute_next(self) -> Job | None:
        if not self.queue:
            return None
        job = self.queue.popleft()
        job.execute()
        self.finished.append(job)
        return job

    def deliver_finished(self) -> None:
        while self.finished:
            self._deliver(self.finished.popleft())

    def run_next(self) -> Job | None:
        job = self.execute_next()
        self.deliver_finished()
        return job

    def run_all(self, limit: int = 1000) -> int:
        """Run and deliver jobs (and the jobs their callbacks ask for) until none is left."""
        n = 0
        while (self.queue or self.finished) and n < limit:
            self.run_next()
            n += 1
        return n

    def wait(self, msecs: int = 10_000) -> bool:
        self.run_all()
        return True


TaskRunner = JobRunner  # the name the screens knew; ``run(fn, on_result, on_error=None)`` works as before

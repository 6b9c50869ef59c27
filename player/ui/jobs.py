"""Work off the GUI thread, in one place.

- `ShortJob`: a quick read (a transcript, notes, a library search, linking notes) on Qt's
  global pool; a newer `start` makes every older result stale, so only the newest request
  delivers.
- `LongJob`: minutes of work (a reel, an export, a relink scan, transcription) on a pool
  of its own, so a reel never starves the loading of a transcript. The work gets a
  `JobControl` to report progress and to learn of a cancel; the window cancels every long
  job and waits for them when it closes (`cancel_long_jobs`, `wait_for_long_jobs`).

Results come back as Qt signals on the GUI thread; an exception in the work is delivered
as `failed`, never lost in the pool.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

# Reels and exports each keep ffmpeg busy: two at once is plenty, and the global pool
# stays free for short reads.
LONG_JOB_THREADS = 2

_long_pool: QThreadPool | None = None
_running: "weakref.WeakSet[JobControl]" = weakref.WeakSet()
_running_lock = threading.Lock()


def long_pool() -> QThreadPool:
    """The pool long jobs run on (made on first use)."""
    global _long_pool
    if _long_pool is None:
        _long_pool = QThreadPool()
        _long_pool.setObjectName("longJobs")
        _long_pool.setMaxThreadCount(LONG_JOB_THREADS)
    return _long_pool


def cancel_long_jobs() -> int:
    """Ask every long job under way to stop; how many were asked."""
    with _running_lock:
        controls = list(_running)
    for control in controls:
        control.cancel()
    return len(controls)


def wait_for_long_jobs(timeout_ms: int) -> bool:
    """Block until every long job has ended (True) or `timeout_ms` has passed (False)."""
    return long_pool().waitForDone(timeout_ms)


class JobCancelled(Exception):
    """Raised by work that noticed its cancel (`JobControl.raise_if_cancelled`)."""


class JobControl:
    """What a long job's work is given: `report` progress, and learn of a cancel either
    by polling (`cancelled`, or the `cancel_event` to hand to code that takes an Event)
    or by registering a callable that stops the work (`on_cancel(reel.cancel)`)."""

    def __init__(self, report: Callable[[Any], None]) -> None:
        self.cancel_event = threading.Event()
        self._report = report
        self._stoppers: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def raise_if_cancelled(self) -> None:
        """For work with natural stopping points: end here if a cancel was asked."""
        if self.cancel_event.is_set():
            raise JobCancelled("cancelled")

    def report(self, progress: Any) -> None:
        """Hand `progress` (any value) to the job's `progress` signal."""
        self._report(progress)

    def on_cancel(self, stop: Callable[[], None]) -> None:
        """Call `stop` when the job is cancelled (at once if it already is)."""
        with self._lock:
            if not self.cancel_event.is_set():
                self._stoppers.append(stop)
                return
        stop()

    def cancel(self) -> None:
        with self._lock:
            self.cancel_event.set()
            stoppers, self._stoppers = self._stoppers, []
        for stop in stoppers:
            stop()


class _Relay(QObject):
    """Carries a run's outcome from the pool's thread to the job on the GUI thread."""

    progress = Signal(int, object)   # run id, what the work reported
    finished = Signal(int, object)   # run id, result
    failed = Signal(int, object)     # run id, exception


class _Run(QRunnable):
    def __init__(self, run_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._id, self._work, self._relay = run_id, work, relay
        self.control: JobControl | None = None   # a long job's, known to cancel_long_jobs while it runs

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # reported to the GUI thread, never lost in the pool
            self.send(self._relay.failed, error)
        else:
            self.send(self._relay.finished, result)
        finally:
            if self.control is not None:
                with _running_lock:
                    _running.discard(self.control)

    def send(self, signal, value: object) -> None:
        try:
            signal.emit(self._id, value)
        except RuntimeError:
            pass  # the application is shutting down and took the relay with it: no one to tell


class ShortJob(QObject):
    """One kind of quick work; a newer `start` (or `cancel`) makes older results stale.

    `failed` carries the exception; its str() is the sentence to show.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The job keeps its relay; a run keeps it too, so a late result never meets a
        # deleted object (the job's own slots are disconnected when the job goes).
        self._relay = _Relay()
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._request = 0

    def start(self, work: Callable[[], Any]) -> None:
        self._request += 1
        QThreadPool.globalInstance().start(_Run(self._request, work, self._relay))

    def cancel(self) -> None:
        """Drop the result of the work under way (it still runs to its end)."""
        self._request += 1

    def _on_finished(self, request: int, result: object) -> None:
        if request == self._request:
            self.finished.emit(result)

    def _on_failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            self.failed.emit(error)


class LongJob(QObject):
    """Long work with progress and cancel, on the long-job pool.

    `start(work)` runs `work(control)`; every run delivers exactly one of `finished`
    (its result), `failed` (the exception) or `cancelled` (it raised after a cancel was
    asked: a cancel the work noticed). Work that completed despite a late cancel is
    `finished`: its result is real.
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay()
        self._relay.progress.connect(self._on_progress)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._runs: dict[int, JobControl] = {}
        self._next_id = 0

    @property
    def running(self) -> bool:
        return bool(self._runs)

    def start(self, work: Callable[[JobControl], Any]) -> JobControl:
        self._next_id += 1
        run = _Run(self._next_id, lambda: work(control), self._relay)
        control = run.control = JobControl(lambda value: run.send(self._relay.progress, value))
        self._runs[self._next_id] = control
        with _running_lock:
            _running.add(control)
        long_pool().start(run)
        return control

    def cancel(self) -> None:
        """Ask every run of this job to stop; each then delivers `cancelled`."""
        for control in list(self._runs.values()):
            control.cancel()

    def _on_progress(self, run_id: int, value: object) -> None:
        control = self._runs.get(run_id)
        if control is not None and not control.cancelled:
            self.progress.emit(value)

    def _on_finished(self, run_id: int, result: object) -> None:
        if self._runs.pop(run_id, None) is not None:
            self.finished.emit(result)

    def _on_failed(self, run_id: int, error: Exception) -> None:
        control = self._runs.pop(run_id, None)
        if control is None:
            return
        if control.cancelled:
            self.cancelled.emit()
        else:
            self.failed.emit(error)

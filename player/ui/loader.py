"""Work that can take long (reading a large transcript, linking notes) runs off the
GUI thread; only the newest request of each kind delivers its result."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from player.core.formats import TranscriptError


class _Signals(QObject):
    finished = Signal(int, object)   # request id, result
    failed = Signal(int, object)     # request id, TranscriptError or other exception


class _Task(QRunnable):
    def __init__(self, request: int, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._request, self._work, self._signals = request, work, signals

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # reported to the GUI thread, never lost in the pool
            self._signals.failed.emit(self._request, error)
        else:
            self._signals.finished.emit(self._request, result)


class BackgroundJob(QObject):
    """Runs one kind of work in the thread pool; a newer `start` makes older results stale.

    `failed` carries a sentence for the user: a TranscriptError as it reads
    ("FILE:LINE: reason"), anything else as an unexpected problem with the file.
    """

    finished = Signal(object)
    failed = Signal(object)   # the exception; str() of it is the message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals(self)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._request = 0

    def start(self, work: Callable[[], Any]) -> None:
        self._request += 1
        QThreadPool.globalInstance().start(_Task(self._request, work, self._signals))

    def cancel(self) -> None:
        """Drop the result of the work under way (it still runs to its end)."""
        self._request += 1

    def _on_finished(self, request: int, result: object) -> None:
        if request == self._request:
            self.finished.emit(result)

    def _on_failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            self.failed.emit(error)


def describe_failure(error: Exception, path: str) -> str:
    if isinstance(error, TranscriptError):
        return str(error)
    return f"{path}: could not be read ({type(error).__name__}: {error})"

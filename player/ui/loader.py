"""Reading a transcript file off the GUI thread, so a large one never freezes the window."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from player.core.formats import TranscriptError, load
from player.core.transcript import Transcript


class _LoadSignals(QObject):
    loaded = Signal(int, object)    # request id, Transcript
    failed = Signal(int, str)       # request id, "FILE:LINE: reason"


class _LoadTask(QRunnable):
    def __init__(self, request: int, path: str, signals: _LoadSignals) -> None:
        super().__init__()
        self._request, self._path, self._signals = request, path, signals

    def run(self) -> None:
        try:
            transcript = load(self._path)
        except TranscriptError as error:
            self._signals.failed.emit(self._request, str(error))
        except Exception as error:  # a parser bug must not take the window down
            self._signals.failed.emit(self._request, f"{self._path}: could not read it ({error!r})")
        else:
            self._signals.loaded.emit(self._request, transcript)


class TranscriptLoader(QObject):
    """Loads one transcript at a time; a newer request makes older results stale."""

    loaded = Signal(object)   # Transcript
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _LoadSignals(self)
        self._signals.loaded.connect(self._on_loaded)
        self._signals.failed.connect(self._on_failed)
        self._request = 0
        self.pool = QThreadPool.globalInstance()

    def load(self, path: str) -> None:
        self._request += 1
        self.pool.start(_LoadTask(self._request, path, self._signals))

    def _on_loaded(self, request: int, transcript: Transcript) -> None:
        if request == self._request:
            self.loaded.emit(transcript)

    def _on_failed(self, request: int, message: str) -> None:
        if request == self._request:
            self.failed.emit(message)

"""Drives the window from the playback clock: one tick every 20 ms while playing
reads the smooth time, moves the seek bar, and reports a new current line only
when it changes."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from player.core.transcript import Transcript
from player.playback import Playback, PlaybackState

# Short enough that the highlight changes within 50 ms of a line's true start.
TICK_MS = 20


class PlaybackSync(QObject):
    time_changed = Signal(int)              # ms
    current_segment_changed = Signal(object)  # int row or None

    def __init__(self, playback: Playback, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._playback = playback
        self._transcript: Transcript | None = None
        self._current: int | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        playback.state_changed.connect(self._on_state)

    def set_transcript(self, transcript: Transcript | None) -> None:
        self._transcript = transcript
        self._current = None
        self.tick()

    def _on_state(self, state: PlaybackState) -> None:
        if state is PlaybackState.PLAYING:
            self._timer.start()
        else:
            self._timer.stop()
        self.tick()

    def tick(self) -> None:
        now = self._playback.time_ms()
        self.time_changed.emit(now)
        current = self._transcript.segment_near(now) if self._transcript else None
        if current != self._current:
            self._current = current
            self.current_segment_changed.emit(current)

    @property
    def current_segment(self) -> int | None:
        return self._current

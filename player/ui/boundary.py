"""Stopping at a media time within a frame, for the study tools (a loop's end, a line's end
in shadowing or dictation).

The window's clock ticks every 20 ms (sync.py), so a time read on the tick is up to a tick
late, and the learner hears the start of the next word. On each tick the tool also aims a
`BoundaryTimer` at its next boundary: once the boundary is near, a precise single-shot
timer is set for the moment the smooth clock predicts, and the tool reads the time then."""

from __future__ import annotations

import math
from typing import Callable

from PySide6.QtCore import QObject, Qt, QTimer

from player.playback import Playback, PlaybackState

# Armed when the boundary is this close (wall ms): within the next tick or two, whose own
# reading would come too late. Further off, the ticks before it aim again.
ARM_WITHIN_MS = 120


class BoundaryTimer(QObject):
    """Calls `on_time(playing time)` at the predicted moment of the boundary last aimed at."""

    def __init__(self, playback: Playback, on_time: Callable[[int], None], parent: QObject) -> None:
        super().__init__(parent)
        self._playback = playback
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: on_time(self._playback.time_ms()))

    def aim(self, now_ms: int, boundary_ms: int | None) -> None:
        """From the playing time `now_ms`: be called back when it reaches `boundary_ms`
        (None, or a boundary not ahead while playing: nothing to wait for)."""
        playback = self._playback
        if boundary_ms is None or boundary_ms <= now_ms or playback.state is not PlaybackState.PLAYING:
            self._timer.stop()
            return
        wait_ms = (boundary_ms - now_ms) / playback.rate
        if wait_ms <= ARM_WITHIN_MS:
            self._timer.start(math.ceil(wait_ms))
        else:
            self._timer.stop()   # a boundary moved further off (a seek, another line)

    def stop(self) -> None:
        self._timer.stop()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

"""The playback interface the window talks to, whatever plays the media."""

from __future__ import annotations

import enum
import os
import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from player.core.clock import PlaybackClock


class PlaybackUnavailable(RuntimeError):
    """This backend cannot run on this machine (library missing or broken)."""


class PlaybackState(enum.Enum):
    EMPTY = "empty"          # nothing loaded
    LOADING = "loading"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"
    ERROR = "error"


# Paused this close to the end, Play starts again from the beginning.
AT_THE_END_MS = 250


class Playback(QObject):
    """Play, pause, seek, rate, volume; time, duration and state; errors as signals.

    Subclasses implement the underscored hooks. The base keeps the smooth clock in
    step, so `time_ms()` is the same interpolated time whatever the backend.
    """

    state_changed = Signal(object)      # PlaybackState
    duration_changed = Signal(int)      # ms
    has_video_changed = Signal(bool)
    error = Signal(str)                 # a sentence for the user: the media cannot play
    notice = Signal(str)                # a sentence for the user: it plays, less well (no sound)
    rate_changed = Signal(float)
    volume_changed = Signal(int, bool)  # volume 0-100, muted
    title_changed = Signal(str)         # the media's own title tag, when it has one

    name = "abstract"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = PlaybackClock()
        self._state = PlaybackState.EMPTY
        self._duration_ms = 0
        self._has_video = False
        self._volume = 100
        self._muted = False
        self.media_path: str | None = None
        self.media_title: str | None = None
        self._last_read_at: float | None = None

    # --- what the window calls -------------------------------------------------
    def load(self, path: str) -> None:
        self.media_path = path
        self.media_title = None
        self._duration_ms = 0
        self._clock.seek(0)
        self._set_state(PlaybackState.LOADING)
        self._load(path)

    def play(self) -> None:
        # Play at the end (ended, or paused in its last moment, where libVLC would end at
        # once and a second press would be needed) plays the lecture again from the start.
        if self._state is PlaybackState.ENDED or (
                self._state is PlaybackState.PAUSED and self._duration_ms > 0
                and self.time_ms() >= self._duration_ms - AT_THE_END_MS):
            self.seek(0)
        if self.media_path and self._state is not PlaybackState.ERROR:
            self._play()

    def pause(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self._pause()

    def toggle_play(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self.pause()
        else:
            self.play()

    def seek(self, ms: int) -> None:
        if not self.media_path or self._state is PlaybackState.ERROR:
            return
        if self._duration_ms:
            ms = min(ms, self._duration_ms)
        ms = max(0, int(ms))
        self._clock.seek(ms)
        self._seek(ms)

    def set_rate(self, rate: float) -> None:
        rate = min(4.0, max(0.25, float(rate)))
        self._clock.set_rate(rate)
        self._set_rate(rate)
        self.rate_changed.emit(rate)

    def set_volume(self, volume: int) -> None:
        self._volume = min(100, max(0, int(volume)))
        self._apply_volume(self._volume, self._muted)
        self.volume_changed.emit(self._volume, self._muted)

    def set_muted(self, muted: bool) -> None:
        self._muted = bool(muted)
        self._apply_volume(self._volume, self._muted)
        self.volume_changed.emit(self._volume, self._muted)

    def time_ms(self) -> int:
        """The playing time, smooth between the backend's coarse reports."""
        if self._state in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            read_at = time.monotonic()
            self._clock.observe(self._reported_time_ms(), unchanged_at=self._last_read_at)
            self._last_read_at = read_at
        now = self._clock.now_ms()
        return min(now, self._duration_ms) if self._duration_ms else now

    @property
    def state(self) -> PlaybackState:
        return self._state

    @property
    def duration_ms(self) -> int:
        return self._duration_ms

    @property
    def has_video(self) -> bool:
        return self._has_video

    @property
    def rate(self) -> float:
        return self._clock.rate

    @property
    def volume(self) -> int:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    def show_captions(self, path: str | None) -> bool:
        """Show the SubRip file at `path` over the picture, in place of captions shown before;
        None hides them. For the media loaded now (loading another drops them). False when
        this backend cannot show captions."""
        return self._show_captions(path)

    def create_video_surface(self, parent: QWidget) -> QWidget:
        """The widget the video is drawn into."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop and free the backend; safe to call twice."""

    # --- for subclasses ---------------------------------------------------------
    def _set_state(self, state: PlaybackState) -> None:
        if state is self._state:
            return
        if self._state is PlaybackState.ERROR and state is not PlaybackState.LOADING:
            return  # backends send "ended" or "stopped" after an error: the error stands
        self._clock.set_playing(state is PlaybackState.PLAYING)
        self._state = state
        self.state_changed.emit(state)

    def _set_duration(self, ms: int) -> None:
        if ms > 0 and ms != self._duration_ms:
            self._duration_ms = ms
            self.duration_changed.emit(ms)

    def _set_has_video(self, has_video: bool) -> None:
        # Emitted even when unchanged: "no video" is news once the tracks are known.
        self._has_video = has_video
        self.has_video_changed.emit(has_video)

    def _set_title(self, title: str | None) -> None:
        # Backends fall back to the file name when there is no title tag: not a title.
        if title and title.strip() and title != os.path.basename(self.media_path or ""):
            self.media_title = title.strip()
            self.title_changed.emit(self.media_title)

    def _fail(self, message: str) -> None:
        self._set_state(PlaybackState.ERROR)
        self.error.emit(message)

    def _load(self, path: str) -> None: raise NotImplementedError
    def _play(self) -> None: raise NotImplementedError
    def _pause(self) -> None: raise NotImplementedError
    def _seek(self, ms: int) -> None: raise NotImplementedError
    def _set_rate(self, rate: float) -> None: raise NotImplementedError
    def _apply_volume(self, volume: int, muted: bool) -> None: raise NotImplementedError
    def _reported_time_ms(self) -> int: raise NotImplementedError
    def _show_captions(self, path: str | None) -> bool: return False

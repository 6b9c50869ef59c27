"""Smooth playback time from a backend that reports it coarsely.

libVLC 3 updates its playing time every 250 ms on video and 500 ms on audio. A
highlight driven by that would change lines up to half a second late. PlaybackClock
extrapolates from the last change of the reported time with a monotonic clock
scaled by the playback rate, and never steps backwards except on a seek.
"""

from __future__ import annotations

import time
from typing import Callable

# Past this, a report that has not moved means the backend is stalled (buffering,
# end of media), not merely coarse: stop extrapolating.
MAX_EXTRAPOLATION_MS = 1200

# Right after a seek the backend may still report the old position once or twice;
# reports this far from the target are ignored until one lands or the wait runs out.
SEEK_TOLERANCE_MS = 1000
SEEK_SETTLE_S = 1.5

# Reads further apart than this say little about when a change happened.
MAX_POLL_GAP_S = 0.1


class PlaybackClock:
    """Interpolated playback time in milliseconds.

    Feed it every backend report with `observe`; read `now_ms` as often as needed.
    `seek`, `set_playing` and `set_rate` reset the interpolation.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._playing = False
        self._rate = 1.0
        self._anchor_ms = 0        # media time at the anchor
        self._anchor_at = monotonic()  # wall time (s) of the anchor
        self._last_report: int | None = None
        self._floor_ms = 0         # never answer less than this until a seek
        self._seek_target: int | None = None
        self._seek_at = 0.0

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def rate(self) -> float:
        return self._rate

    def observe(self, reported_ms: int, unchanged_at: float | None = None) -> None:
        """A time report from the backend. Only a changed value moves the anchor: an
        unchanged one is the same stale sample read again.

        `unchanged_at` is when the previous read still showed the old value: the
        change happened between then and now, so the anchor goes halfway, which
        halves the lag a polling reader adds.
        """
        if reported_ms == self._last_report or reported_ms < 0:
            return
        now = self._monotonic()
        if self._seek_target is not None:
            settling = now - self._seek_at < SEEK_SETTLE_S
            if settling and abs(reported_ms - self._seek_target) > SEEK_TOLERANCE_MS:
                return
            self._seek_target = None
        first_report = self._last_report is None
        self._last_report = reported_ms
        self._anchor_ms = reported_ms
        recent_read = unchanged_at is not None and 0 <= now - unchanged_at <= MAX_POLL_GAP_S
        self._anchor_at = (unchanged_at + now) / 2 if recent_read and not first_report else now

    def seek(self, ms: int) -> None:
        """The user jumped: time may go backwards, and old reports mean nothing."""
        self._anchor_ms = max(0, ms)
        self._anchor_at = self._monotonic()
        self._floor_ms = self._anchor_ms
        self._last_report = None
        self._seek_target = self._anchor_ms
        self._seek_at = self._anchor_at

    def set_playing(self, playing: bool) -> None:
        if playing == self._playing:
            return
        self._rebase()
        self._playing = playing

    def set_rate(self, rate: float) -> None:
        if rate <= 0 or rate == self._rate:
            return
        self._rebase()
        self._rate = rate

    def now_ms(self) -> int:
        """Best estimate of the media time now, never below an earlier answer."""
        estimate = self._anchor_ms
        if self._playing:
            elapsed_ms = (self._monotonic() - self._anchor_at) * 1000.0
            estimate += round(min(elapsed_ms, MAX_EXTRAPOLATION_MS) * self._rate)
        self._floor_ms = max(self._floor_ms, estimate)
        return self._floor_ms

    def _rebase(self) -> None:
        # Freeze the estimate so far as the new anchor, so a pause or a rate change
        # applies from now on and not retroactively.
        self._anchor_ms = self.now_ms()
        self._anchor_at = self._monotonic()

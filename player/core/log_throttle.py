"""At most one log line per distinct message per interval: a library that repeats an
error twenty times a second (libVLC retrying a missing sound device) must not fill the log."""

from __future__ import annotations

import threading
import time
from typing import Callable, Hashable

INTERVAL_S = 60.0
MAX_KEYS = 1000  # distinct messages remembered; the oldest are forgotten past this


class Throttle:
    """Decides which repeats of a message get through. Thread-safe (libVLC logs from
    its own threads); the clock is injectable for tests."""

    def __init__(self, interval_s: float = INTERVAL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval_s = interval_s
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[Hashable, list] = {}  # key -> [last let through at, repeats held back since]

    def admit(self, key: Hashable) -> int | None:
        """None to hold this one back; else how many repeats were held back since the
        last one let through (0 for a new message)."""
        now = self._clock()
        with self._lock:
            entry = self._seen.get(key)
            if entry is not None and now - entry[0] < self._interval_s:
                entry[1] += 1
                return None
            held = entry[1] if entry is not None else 0
            self._seen.pop(key, None)
            self._seen[key] = [now, 0]  # re-inserted: the dict stays in least recently admitted order
            if len(self._seen) > MAX_KEYS:
                del self._seen[next(iter(self._seen))]
            return held

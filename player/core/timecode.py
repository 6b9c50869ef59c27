"""Timecodes as people write them ("01:02:03.450") and as the core keeps them (int ms)."""

from __future__ import annotations

import re

# Hours optional; "," or "." before the fraction; the fraction may have 1-3 digits.
_TIMECODE = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\s*$")


def parse_timecode(text: str) -> int:
    """Return milliseconds for "HH:MM:SS.mmm", "H:MM:SS,mmm" or "MM:SS.mmm".

    Raises ValueError with a short reason for anything else.
    """
    match = _TIMECODE.match(text)
    if not match:
        raise ValueError(f"not a timestamp: {text.strip()!r}")
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) >= 60 or int(seconds) >= 60:
        raise ValueError(f"minutes or seconds out of range in {text.strip()!r}")
    ms = int(fraction.ljust(3, "0")) if fraction else 0
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def format_clock(ms: int) -> str:
    """A compact clock for people: "4:05", or "1:02:03" past the hour."""
    total = max(0, int(ms)) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def format_timecode(ms: int, separator: str = ".", *, fraction_digits: int = 3, hour_digits: int = 2) -> str:
    """A full timecode, "HH:MM:SS.mmm" (SRT wants separator=","; ASS wants "H:MM:SS.cc",
    fraction_digits=2 and hour_digits=1). A shorter fraction is cut, not rounded."""
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    fraction = f"{millis:03d}"[:fraction_digits]
    return f"{hours:0{hour_digits}d}:{minutes:02d}:{seconds:02d}{separator}{fraction}"

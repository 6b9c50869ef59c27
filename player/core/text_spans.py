"""Which words of a line a stretch of time covers: a highlight made with [ and ] may start
or end inside a line, and only its words are tinted.

A word belongs to the stretch when the middle of its time does. Word times come from the
transcript where it has them (YouTube, Whisper JSON); otherwise a word's time is read off
its place in the line, as if the line were spoken at an even pace.
"""

from __future__ import annotations

import re

from player.core.transcript import Segment

_WORD = re.compile(r"\S+")


def _timed_words(segment: Segment) -> list[tuple[int, int, float, float]]:
    """(first char, end char, start ms, end ms) of each word of the line, in order."""
    text = segment.text
    folded = text.casefold()
    # A letter whose case-fold is longer would shift every offset: read times off the text.
    if segment.words and len(folded) == len(text):
        found, cursor = [], 0
        for word in segment.words:
            needle = word.text.strip().casefold()
            at = folded.find(needle, cursor) if needle else -1
            if at < 0:
                break  # the words do not spell the line: read times off the text instead
            found.append((at, at + len(needle), float(word.start_ms), float(word.end_ms)))
            cursor = at + len(needle)
        else:
            if found:
                return found
    length = max(1, len(text))
    duration = segment.end_ms - segment.start_ms
    return [(match.start(), match.end(), segment.start_ms + duration * match.start() / length,
             segment.start_ms + duration * match.end() / length) for match in _WORD.finditer(text)]


def char_span(segment: Segment, start_ms: int, end_ms: int) -> tuple[int, int] | None:
    """(first char, end char) of the words of `segment.text` spoken within [start_ms, end_ms),
    or None when the stretch does not touch the line. A stretch covering the whole line
    gives the whole text; one too short to hold the middle of any word gives the word it
    overlaps most."""
    if end_ms <= segment.start_ms or start_ms >= segment.end_ms or end_ms <= start_ms:
        return None
    if start_ms <= segment.start_ms and end_ms >= segment.end_ms:
        return 0, len(segment.text)
    words = _timed_words(segment)
    inside = [w for w in words if start_ms <= (w[2] + w[3]) / 2 < end_ms]
    if not inside:
        overlap = [(min(end_ms, w[3]) - max(start_ms, w[2]), w) for w in words]
        best = max(overlap, default=(0.0, None), key=lambda pair: pair[0])
        if best[1] is None or best[0] <= 0:
            return None
        inside = [best[1]]
    return inside[0][0], inside[-1][1]

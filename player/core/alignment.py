"""Lines of a second transcript (a translation, human captions beside automatic ones) placed
under the main transcript's lines by time, whatever the two files' line breaks.

Each second line goes under the main line it overlaps most in time (ties: the earlier);
several under one main line are joined with a space in time order. A second line that spans
several main lines in comparable parts is split between them at word boundaries, in
proportion to the time it shares with each, so no words show twice and none are lost. A
line overlapping no main line goes to the nearest one within `gap_ms`; farther away it is
not shown, and counted.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate

from player.core.transcript import Segment

NEAR_GAP_MS = 1500
# A second line is split only when no main line takes this share of the time it shares
# with them all (a 75/25 straddle is a line shifted a little: it stays whole)...
SPLIT_BELOW_SHARE = 0.7
# ...and only between main lines holding at least this fraction of the largest part:
# a sliver at either end is a neighbour's rounding, not a part of its own.
PART_OF_LARGEST = 0.3


@dataclass(frozen=True)
class Alignment:
    """`lines[i]` is the second text to show under main segment i ("" for none)."""

    lines: list[str]
    dropped: int = 0     # second lines too far from every main line to be shown
    split: int = 0       # second lines shared between several main lines


@dataclass(frozen=True, order=True)
class _Piece:
    start_ms: int
    order: int           # the second line's index, then the part's, for a stable join
    text: str


def align(main: list[Segment], second: list[Segment], gap_ms: int = NEAR_GAP_MS) -> Alignment:
    """The second transcript's text under each main segment (both lists in time order, as
    Transcript keeps them; cues may overlap)."""
    if not main:
        return Alignment([], dropped=sum(1 for s in second if s.text.strip()))
    timeline = _Timeline(main)
    pieces: list[list[_Piece]] = [[] for _ in main]
    dropped = split = 0
    for index, line in enumerate(second):
        text = " ".join(line.text.split())
        if not text:
            continue
        overlaps = timeline.overlaps(line)
        if not overlaps:
            nearest = timeline.nearest(line, gap_ms)
            if nearest is None:
                dropped += 1
            else:
                pieces[nearest].append(_Piece(line.start_ms, index * 1000, text))
            continue
        parts = _parts(overlaps)
        words = text.split()
        if len(parts) > 1 and len(words) >= len(parts):
            split += 1
            for part, (target, start_ms, chunk) in enumerate(_share_words(words, parts)):
                pieces[target].append(_Piece(start_ms, index * 1000 + part, chunk))
        else:
            target, _, start_ms = max(overlaps, key=lambda o: (o[1], -o[0]))
            pieces[target].append(_Piece(line.start_ms, index * 1000, text))
    return Alignment([" ".join(p.text for p in sorted(group)) for group in pieces], dropped, split)


class _Timeline:
    """The main lines as the player highlights them: each one from its start until it ends
    or the next one starts (Transcript.segment_at), so overlapping cues (rolling captions, a
    "[music]" cue under the speech) share time out instead of counting it twice."""

    def __init__(self, main: list[Segment]) -> None:
        self.main = main
        self.starts = [s.start_ms for s in main]
        # Non-decreasing: each line's own time ends at or before the next one starts.
        self.own_ends = [min(s.end_ms, self.starts[i + 1]) if i + 1 < len(main) else s.end_ms
                         for i, s in enumerate(main)]
        # The latest real end among main[0..i]: bisectable even when a long cue covers several.
        self.ends_so_far = list(accumulate((s.end_ms for s in main), max))

    def overlaps(self, line: Segment) -> list[tuple[int, int, int]]:
        """(main index, ms shared, start of the shared time) for each main line the second
        line shares its own time with, in order. A cue of no length belongs to the line
        whose time it falls in. When it shares none of their own time but lies inside a
        cue that another interrupted (a long cue's tail), that cue takes it."""
        if line.end_ms <= line.start_ms:
            i = bisect.bisect_right(self.starts, line.start_ms) - 1
            if i >= 0 and line.start_ms < self.own_ends[i]:
                return [(i, 0, line.start_ms)]
            return self._covering(line)
        first = bisect.bisect_right(self.own_ends, line.start_ms)
        last = bisect.bisect_left(self.starts, line.end_ms)
        found = []
        for i in range(first, last):
            shared_from = max(self.starts[i], line.start_ms)
            shared = min(self.own_ends[i], line.end_ms) - shared_from
            if shared > 0:
                found.append((i, shared, shared_from))
        return found or self._covering(line)

    def _covering(self, line: Segment) -> list[tuple[int, int, int]]:
        """The main line sharing the most real time with `line`, as the only overlap."""
        best = None
        for i in range(bisect.bisect_right(self.ends_so_far, line.start_ms),
                       bisect.bisect_right(self.starts, line.start_ms) if line.end_ms <= line.start_ms
                       else bisect.bisect_left(self.starts, line.end_ms)):
            segment = self.main[i]
            shared = min(segment.end_ms, line.end_ms) - max(segment.start_ms, line.start_ms)
            inside = segment.start_ms <= line.start_ms < segment.end_ms
            if (shared > 0 or inside) and (best is None or shared > best[1]):
                best = (i, max(shared, 0), max(segment.start_ms, line.start_ms))
        return [best] if best else []

    def nearest(self, line: Segment, gap_ms: int) -> int | None:
        """The main line closest in time to a second line that overlaps none, within gap_ms."""
        main, ends_so_far = self.main, self.ends_so_far
        before = bisect.bisect_right(ends_so_far, line.start_ms) - 1   # all of main[..before] end by its start
        after = bisect.bisect_left(self.starts, line.end_ms)            # the first starting at or after its end
        candidates = []
        if before >= 0:
            # The one ending latest (the earlier on ties): the first to reach the running maximum.
            latest = bisect.bisect_left(ends_so_far, ends_so_far[before], 0, before + 1)
            candidates.append((line.start_ms - main[latest].end_ms, latest))
        if after < len(main):
            candidates.append((main[after].start_ms - line.end_ms, after))
        distance, index = min(candidates, default=(gap_ms + 1, -1))
        return index if distance <= gap_ms else None


def _parts(overlaps: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The main lines a second line is split between: [] when one of them takes most of it."""
    total = sum(shared for _, shared, _ in overlaps)
    largest = max(shared for _, shared, _ in overlaps)
    if total <= 0 or largest >= SPLIT_BELOW_SHARE * total:
        return []
    return [o for o in overlaps if o[1] >= PART_OF_LARGEST * largest]


# A cut moved to a sentence end (or else a clause end) this many words away at most: the
# parts' times only say roughly where the speaker was when the other transcript's words
# were said, and a cut after "Bon." reads better than one after "Bon. Comment".
_SNAP_WORDS = 3
_SENTENCE_END = (".", "?", "!", "…", "。", "？", "！")
_CLAUSE_END = (",", ";", ":", "—", "，", "、")


def _near_punctuation(words: list[str], cut: int, low: int, high: int) -> int:
    """`cut` (words[:cut] | words[cut:]) moved to the nearest sentence end, else clause end,
    within _SNAP_WORDS and [low, high]; the nearer and then the earlier wins."""
    for ends in (_SENTENCE_END, _CLAUSE_END):
        for distance in range(_SNAP_WORDS + 1):
            for candidate in (cut - distance, cut + distance):
                if low <= candidate <= high and words[candidate - 1].rstrip("\"'»”)]").endswith(ends):
                    return candidate
    return cut


def _share_words(words: list[str], parts: list[tuple[int, int, int]]) -> list[tuple[int, int, str]]:
    """Cut `words` in order into len(parts) runs of at least one word, sized in proportion
    to each part's time: (main index, start of its share, words)."""
    total = sum(shared for _, shared, _ in parts)
    count = len(words)
    cuts = [0]
    for k, cumulative in enumerate(accumulate(shared for _, shared, _ in parts[:-1]), start=1):
        low, high = cuts[-1] + 1, count - (len(parts) - k)   # at least one word each side
        cut = min(max(round(count * cumulative / total), low), high)
        cuts.append(_near_punctuation(words, cut, low, high))
    cuts.append(count)
    return [(target, start_ms, " ".join(words[cuts[k]:cuts[k + 1]]))
            for k, (target, _, start_ms) in enumerate(parts)]

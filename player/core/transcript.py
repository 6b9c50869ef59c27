"""A transcript: time-ordered segments and the lookup of the one being spoken."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# Whisper and captioners mark what is not speech in brackets: [Music], [BLANK_AUDIO].
_NON_SPEECH = re.compile(r"^\s*[\[(][^\])]*[\])]\s*$")


@dataclass(frozen=True, slots=True)
class Word:
    """A word with its own timing, where the source has them (YouTube, Whisper JSON)."""

    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True, slots=True)
class Segment:
    """One line of a transcript: text spoken from start_ms to end_ms."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    words: tuple[Word, ...] = ()

    @property
    def is_non_speech(self) -> bool:
        """True for markers such as "[AUDIO OUT]" or "(music)" rather than words."""
        return bool(_NON_SPEECH.match(self.text))


@dataclass(slots=True)
class Transcript:
    """Segments in time order, with the lookup the playback sync needs on every tick."""

    segments: list[Segment]
    title: str | None = None
    source: str | None = None          # the file it was read from
    source_url: str | None = None      # where the lecture lives online, if known
    # (line, problem) for each cue skipped while reading the file: the good ones are kept.
    warnings: list[tuple[int, str]] = field(default_factory=list)
    # (line, what was read leniently) for what the format does not allow but was read anyway.
    notes: list[tuple[int, str]] = field(default_factory=list)
    encoding: str | None = None        # how the file's bytes were read: "utf-8", "cp1251"
    encoding_guessed: bool = False     # detected from the bytes (no BOM, not UTF-8, not chosen)
    weak_guess: bool = False           # a guess that another encoding fits almost as well
    _starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # A stable sort keeps the file's order for segments that start together.
        self.segments = sorted(self.segments, key=lambda s: s.start_ms)
        self._starts = [s.start_ms for s in self.segments]

    def __len__(self) -> int:
        return len(self.segments)

    def __getitem__(self, index: int) -> Segment:
        return self.segments[index]

    @property
    def end_ms(self) -> int:
        return max((s.end_ms for s in self.segments), default=0)

    def segment_at(self, ms: int) -> int | None:
        """Index of the segment being spoken at `ms`, or None between and before segments.

        The last segment that started at or before `ms` wins while it lasts, so
        overlapping cues hand over at the next start.
        """
        index = bisect.bisect_right(self._starts, ms) - 1
        if index < 0:
            return None
        if ms < self.segments[index].end_ms:
            return index
        return None

    def segment_near(self, ms: int) -> int | None:
        """Index of the segment to show as current at `ms`: the one spoken, or else the
        last one that started before it (so the highlight rests in pauses), or None
        before the first."""
        index = bisect.bisect_right(self._starts, ms) - 1
        return index if index >= 0 else None

    def neighbour_start(self, ms: int, step: int) -> int | None:
        """Start of the next (step=+1) or previous (step=-1) segment relative to `ms`.

        "Previous" from inside a segment that began over a second ago restarts it,
        as media players do with tracks.
        """
        current = self.segment_near(ms)
        if step > 0:
            target = 0 if current is None else current + 1
        else:
            if current is None:
                return None
            grace_ms = 1000
            started_long_ago = ms - self.segments[current].start_ms > grace_ms
            target = current if started_long_ago else current - 1
        if 0 <= target < len(self.segments):
            return self.segments[target].start_ms
        return None


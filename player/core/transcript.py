"""A transcript: time-ordered segments and the lookup of the one being spoken."""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
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


class Segments(Sequence):
    """The lines of a transcript held compactly, read as Segment objects.

    A 200 MB file has two million lines: as a Segment each (with its str and two ints) that
    is some 200 bytes a line on top of the text. Here a line costs its text as UTF-8 plus 24
    bytes (start, end, where its text ends); speakers take 4 bytes a line once any line has
    one; word timings are kept only for the lines that have them. `segments[i]` makes the
    Segment when asked; a slice, or Segments + a list, is Segments again.
    """

    __slots__ = ("_starts", "_ends", "_text", "_bounds", "_speaker_ids", "_speaker_names", "_speaker_id", "_words")

    def __init__(self, segments: Iterable[Segment] = ()) -> None:
        self._starts = array("q")
        self._ends = array("q")
        self._text = bytearray()          # every line's text, UTF-8, one after the other
        self._bounds = array("q", [0])    # line i's text is _text[_bounds[i]:_bounds[i + 1]]
        self._speaker_ids: array | None = None   # index into _speaker_names, -1 for none
        self._speaker_names: list[str] = []       # each name once
        self._speaker_id: dict[str, int] = {}
        self._words: dict[int, tuple[Word, ...]] = {}
        items = segments if isinstance(segments, list) else list(segments)
        if items:
            self.add_many([s.start_ms for s in items], [s.end_ms for s in items], [s.text for s in items],
                          [s.speaker for s in items])
            self._words = {index: tuple(s.words) for index, s in enumerate(items) if s.words}

    def add(self, start_ms: int, end_ms: int, text: str, speaker: str | None = None,
            words: tuple[Word, ...] = ()) -> None:
        """Append a line: for readers building the lines, before a Transcript holds them."""
        index = len(self._starts)
        self._starts.append(start_ms)
        self._ends.append(end_ms)
        # surrogatepass: a lone surrogate (JSON's "\ud800") comes back as it went in.
        self._text += text.encode("utf-8", "surrogatepass")
        self._bounds.append(len(self._text))
        if speaker is not None or self._speaker_ids is not None:
            if self._speaker_ids is None:
                self._speaker_ids = array("i", [-1]) * index
            self._speaker_ids.append(-1 if speaker is None else self._speaker_number(speaker))
        if words:
            self._words[index] = tuple(words)

    def add_many(self, starts: list[int], ends: list[int], texts: list[str],
                 speakers: list[str | None] | None = None) -> None:
        """Append lines given column by column: what `add` does, for a reader's batch of
        thousands at a time (quicker than a call per line)."""
        count = len(texts)
        self._starts.extend(starts)
        self._ends.extend(ends)
        encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
        bounds = itertools.accumulate(map(len, encoded), initial=self._bounds[-1])
        next(bounds)   # the last line's end, already there
        self._bounds.extend(bounds)
        self._text += b"".join(encoded)
        if speakers is not None and speakers.count(None) < count:
            if self._speaker_ids is None:
                self._speaker_ids = array("i", [-1]) * (len(self._starts) - count)
            self._speaker_ids.extend(-1 if name is None else self._speaker_number(name) for name in speakers)
        elif self._speaker_ids is not None:
            self._speaker_ids.extend(array("i", [-1]) * count)

    def _speaker_number(self, name: str) -> int:
        number = self._speaker_id.get(name)
        if number is None:
            number = self._speaker_id[name] = len(self._speaker_names)
            self._speaker_names.append(name)
        return number

    @property
    def starts(self) -> array:
        """Each line's start_ms, in order (read only)."""
        return self._starts

    @property
    def ends(self) -> array:
        """Each line's end_ms (read only)."""
        return self._ends

    @property
    def has_speakers(self) -> bool:
        ids = self._speaker_ids
        return ids is not None and ids.count(-1) < len(ids)

    def text(self, index: int) -> str:
        """Line `index`'s text, without making its Segment."""
        return self._text_at(self._position(index))

    def _text_at(self, index: int) -> str:
        return self._text[self._bounds[index]:self._bounds[index + 1]].decode("utf-8", "surrogatepass")

    def _position(self, index: int) -> int:
        """`index` as a position from the start, negative ones counting from the end."""
        index = operator.index(index)
        if index < 0:
            index += len(self._starts)
        if not 0 <= index < len(self._starts):
            raise IndexError("segment index out of range")
        return index

    def texts(self) -> Iterator[str]:
        text, bounds = self._text, self._bounds
        for index in range(len(self._starts)):
            yield text[bounds[index]:bounds[index + 1]].decode("utf-8", "surrogatepass")

    def _speaker(self, index: int) -> str | None:
        if self._speaker_ids is None or (number := self._speaker_ids[index]) < 0:
            return None
        return self._speaker_names[number]

    def speakers(self) -> Iterator[str | None]:
        if self._speaker_ids is None:
            return itertools.repeat(None, len(self._starts))
        names = self._speaker_names
        return (names[number] if number >= 0 else None for number in self._speaker_ids)

    def _segment(self, index: int) -> Segment:
        return Segment(self._starts[index], self._ends[index], self._text_at(index), self._speaker(index),
                       self._words.get(index, ()))

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self._starts))
            if step != 1:
                return Segments(self._segment(i) for i in range(start, stop, step))
            return self._lines(start, max(start, stop))
        return self._segment(self._position(index))

    def __iter__(self) -> Iterator[Segment]:
        words = self._words
        for index, (start, end, text, speaker) in enumerate(zip(self._starts, self._ends, self.texts(),
                                                                 self.speakers())):
            yield Segment(start, end, text, speaker, words.get(index, ()))

    def __eq__(self, other: object) -> bool:
        """Equal to Segments or a list holding the same lines, as a list would be."""
        if isinstance(other, Segments):
            return (self._starts == other._starts and self._ends == other._ends
                    and self._bounds == other._bounds and self._text == other._text
                    and self._words == other._words and list(self.speakers()) == list(other.speakers()))
        if not isinstance(other, list):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None   # like a list

    def __add__(self, other: Iterable[Segment]) -> Segments:
        joined = self._lines(0, len(self))
        joined._extend(other if isinstance(other, Segments) else Segments(other))
        return joined

    def __radd__(self, other: Iterable[Segment]) -> Segments:
        joined = Segments(other)
        joined._extend(self)
        return joined

    def _lines(self, start: int, stop: int) -> Segments:
        """Lines start..stop-1 as Segments of their own, copied without making a Segment each
        (an edit of a long transcript slices and joins its lines: see transcript_view)."""
        part = Segments()
        part._starts = self._starts[start:stop]
        part._ends = self._ends[start:stop]
        base = self._bounds[start]
        part._text = self._text[base:self._bounds[stop]]
        part._bounds = array("q", map(operator.sub, self._bounds[start:stop + 1], itertools.repeat(base)))
        if self.has_speakers:
            part._speaker_ids = self._speaker_ids[start:stop]
            part._speaker_names = list(self._speaker_names)
            part._speaker_id = dict(self._speaker_id)
        part._words = {index - start: words for index, words in self._words.items() if start <= index < stop}
        return part

    def _extend(self, other: Segments) -> None:
        count = len(self._starts)
        self._starts.extend(other._starts)
        self._ends.extend(other._ends)
        self._bounds.extend(map(operator.add, itertools.islice(other._bounds, 1, None),
                                itertools.repeat(self._bounds[-1])))
        self._text += other._text
        if other.has_speakers:
            if self._speaker_ids is None:
                self._speaker_ids = array("i", [-1]) * count
            numbers = [self._speaker_number(name) for name in other._speaker_names]
            self._speaker_ids.extend(-1 if k < 0 else numbers[k] for k in other._speaker_ids)
        elif self._speaker_ids is not None:
            self._speaker_ids.extend(array("i", [-1]) * len(other))
        self._words.update({index + count: words for index, words in other._words.items()})

    def __repr__(self) -> str:
        shown = ", ".join(repr(segment) for segment in self[:3])
        more = f", ... {len(self) - 3} more" if len(self) > 3 else ""
        return f"Segments([{shown}{more}])"

    def in_time_order(self) -> Segments:
        """These lines sorted by start; itself when they already are. Ties keep their order."""
        starts = self._starts
        if all(map(operator.le, starts, itertools.islice(starts, 1, None))):
            return self
        return Segments(self._segment(i) for i in sorted(range(len(starts)), key=starts.__getitem__))


@dataclass(slots=True)
class Transcript:
    """Segments in time order, with the lookup the playback sync needs on every tick."""

    # Any iterable of Segment (a list will do): kept as Segments, sorted by start.
    segments: Segments
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

    def __post_init__(self) -> None:
        if not isinstance(self.segments, Segments):
            # A stable sort keeps the file's order for segments that start together.
            self.segments = Segments(sorted(self.segments, key=lambda s: s.start_ms))
        else:
            self.segments = self.segments.in_time_order()

    def __len__(self) -> int:
        return len(self.segments)

    def __getitem__(self, index: int) -> Segment:
        return self.segments[index]

    @property
    def end_ms(self) -> int:
        return max(self.segments.ends, default=0)

    def segment_at(self, ms: int) -> int | None:
        """Index of the segment being spoken at `ms`, or None between and before segments.

        The last segment that started at or before `ms` wins while it lasts, so
        overlapping cues hand over at the next start.
        """
        index = bisect.bisect_right(self.segments.starts, ms) - 1
        if index < 0:
            return None
        if ms < self.segments.ends[index]:
            return index
        return None

    def segment_near(self, ms: int) -> int | None:
        """Index of the segment to show as current at `ms`: the one spoken, or else the
        last one that started before it (so the highlight rests in pauses), or None
        before the first."""
        index = bisect.bisect_right(self.segments.starts, ms) - 1
        return index if index >= 0 else None

    def neighbour_start(self, ms: int, step: int) -> int | None:
        """Start of the next (step=+1) or previous (step=-1) segment relative to `ms`.

        "Previous" from inside a segment that began over a second ago restarts it,
        as media players do with tracks.
        """
        starts = self.segments.starts
        current = self.segment_near(ms)
        if step > 0:
            target = 0 if current is None else current + 1
        else:
            if current is None:
                return None
            grace_ms = 1000
            started_long_ago = ms - starts[current] > grace_ms
            target = current if started_long_ago else current - 1
        if 0 <= target < len(starts):
            return starts[target]
        return None

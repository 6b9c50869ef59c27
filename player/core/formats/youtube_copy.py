"""Text copied from YouTube's "Show transcript" panel.

Selecting the panel and copying gives a timestamp line, then what is said from there:

    0:03
    welcome to lecture eight
    1:02:03
    ...

Some tools put both on one line ("0:03 welcome to lecture eight"); the panel's screen-reader
labels ("3 seconds", "1 minute, 2 seconds") can come along and are left out. A line lasts
until the next one starts; the last one for as long as it takes to say.
"""

from __future__ import annotations

import re

from player.core.formats import LoadOptions, TranscriptError, TranscriptFormat, head_lines
from player.core.formats.datasets import fill_missing_ends
from player.core.timecode import parse_timecode
from player.core.transcript import Segment, Transcript

_STAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}"
_STAMP_LINE = re.compile(rf"^{_STAMP}$")
_STAMP_AND_TEXT = re.compile(rf"^({_STAMP})\s+(\S.*)$")
_UNIT = r"\d+ (?:hours?|minutes?|seconds?)"
_SPOKEN_TIME = re.compile(rf"^{_UNIT}(?:,? {_UNIT})*$")


def sniff(text: str) -> bool:
    """Timestamps open the text, recur every line or few, and only go forward.

    Prose with a time in it, notes and other formats have none of that.
    """
    head = [line.strip() for line in head_lines(text, 400) if line.strip()][:60]
    stamps: list[tuple[int, str]] = []
    for index, line in enumerate(head):
        match = _STAMP_LINE.match(line) or _STAMP_AND_TEXT.match(line)
        if match:
            stamps.append((index, match[1] if match.lastindex else line))
    if len(stamps) < 2 or stamps[0][0] > 2 or 4 * len(stamps) < len(head):
        return False
    try:
        times = [parse_timecode(stamp) for _index, stamp in stamps]
    except ValueError:
        return False
    return all(earlier <= later for earlier, later in zip(times, times[1:]))


def parse(text: str, path: str, options: LoadOptions) -> Transcript:
    cues: list[tuple[int, int, list[str]]] = []     # (line, start, text lines)
    warnings: list[tuple[int, str]] = []
    receiving: list[str] | None = None              # the text of the cue being read
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or _SPOKEN_TIME.match(line):
            continue
        stamp, said = line, None
        if not _STAMP_LINE.match(line):
            match = _STAMP_AND_TEXT.match(line)
            if match is None:
                if receiving is not None:
                    receiving.append(line)
                elif not cues and not warnings:
                    warnings.append((number, "text before the first timestamp"))
                continue
            stamp, said = match[1], match[2]
        try:
            start = parse_timecode(stamp)
        except ValueError as error:
            warnings.append((number, str(error)))
            receiving = None  # its text belongs to no time we know
            continue
        receiving = [said] if said else []
        cues.append((number, start, receiving))
    timed = []
    for number, start, lines in cues:
        if lines:
            timed.append((start, None, " ".join(lines)))
        else:
            warnings.append((number, "a timestamp with no text after it"))
    if not timed:
        warnings.sort()
        line, reason = warnings[0] if warnings else (None, "no timestamp lines (like 0:03) found")
        raise TranscriptError(path, line, reason)
    timed.sort(key=lambda cue: cue[0])
    segments = [Segment(start, end, said) for start, end, said in fill_missing_ends(timed)]
    return Transcript(segments, warnings=sorted(warnings))


YOUTUBE_COPY = TranscriptFormat(
    name="youtube-copy",
    description='Text copied from YouTube\'s "Show transcript" (0:03, then the words)',
    extensions=(".txt",),
    sniff=sniff,
    parse=parse,
)

FORMATS = [YOUTUBE_COPY]

"""YouTube's SubViewer captions (.sbv): a "start,end" line, then the text, then a blank line.

    0:00:01.000,0:00:03.500
    >> ANNA: Welcome back, everyone.
"""

from __future__ import annotations

import re

from player.core.formats import LoadOptions, TranscriptError, TranscriptFormat
from player.core.timecode import parse_timecode
from player.core.transcript import Segment, Transcript

_TIME = r"(\d{1,9}:\d{1,2}:\d{1,2}(?:\.\d{1,3})?)"
_TIMING = re.compile(rf"^\s*{_TIME}\s*,\s*{_TIME}\s*$")
# YouTube's caption style marks a new speaker with ">> NAME:".
_SPEAKER = re.compile(r"^>>\s*([^\W\d_][^:\d]{0,39}):\s+(\S.*)$")


def _timing(line: str) -> tuple[int, int]:
    """(start_ms, end_ms) of a timing line; ValueError saying why not."""
    match = _TIMING.match(line)
    if not match:
        raise ValueError(f"not a 'start,end' timing line: {line.strip()[:60]!r}")
    return parse_timecode(match[1]), parse_timecode(match[2])


def _segment(start_ms: int, end_ms: int, lines: list[str]) -> Segment | None:
    text = " ".join(" ".join(lines).split())
    if not text:
        return None
    speaker = None
    named = _SPEAKER.match(text)
    if named:
        speaker, text = named[1].strip(), named[2]
    return Segment(start_ms, end_ms, text, speaker)


def _cues(text: str, warnings: list[tuple[int, str]]):
    """Yield (timing line number, start_ms, end_ms, text lines) for each readable cue."""
    cue: tuple[int, int, int, list[str]] | None = None
    in_block = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            in_block = False
            continue
        # Inside a block, only a good timing line starts a new cue (one that runs
        # into the next without a blank line); anything else is text.
        if in_block and not _TIMING.match(line):
            if cue is not None:
                cue[3].append(line)
            continue
        in_block = True
        if cue is not None:
            yield cue
            cue = None
        try:
            start_ms, end_ms = _timing(line)
        except ValueError as error:
            warnings.append((number, str(error)))
            continue
        if end_ms < start_ms:
            warnings.append((number, "the cue ends before it starts"))
            continue
        cue = (number, start_ms, end_ms, [])
    if cue is not None:
        yield cue


def parse(text: str, path: str, options: LoadOptions = LoadOptions()) -> Transcript:
    warnings: list[tuple[int, str]] = []
    segments: list[Segment] = []
    first_cue_line = None
    for number, start_ms, end_ms, lines in _cues(text, warnings):
        first_cue_line = first_cue_line or number
        segment = _segment(start_ms, end_ms, lines)
        if segment is not None:
            segments.append(segment)
    if not segments:
        if warnings:
            line, reason = warnings[0]
            raise TranscriptError(path, line, reason)
        if first_cue_line:
            raise TranscriptError(path, first_cue_line, "no cue has any text")
        raise TranscriptError(path, None, "no cue found")
    return Transcript(segments, warnings=warnings)


def sniff(text: str) -> bool:
    first = text[:4096].lstrip().split("\n", 1)[0]
    return bool(_TIMING.match(first))


SBV = TranscriptFormat(
    name="sbv",
    description="YouTube SubViewer (.sbv)",
    extensions=(".sbv",),
    sniff=sniff,
    parse=parse,
)

FORMATS = [SBV]

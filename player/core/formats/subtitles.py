"""Subtitle files: SubRip (.srt) and WebVTT (.vtt).

Both are blocks separated by blank lines with a "start --> end" timing line. This
reader keeps the line number of every cue, so a broken timestamp is reported where
it is.
"""

from __future__ import annotations

import re

from player.core.formats import TranscriptError, TranscriptFormat
from player.core.timecode import parse_timecode
from player.core.transcript import Segment, Transcript

_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)(?:\s+.*)?$")


def _blocks(text: str):
    """Yield (line number of the block's first line, its lines) for each block."""
    block: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line.rstrip())
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _parse_cues(text: str, path: str, skip_header: bool) -> Transcript:
    segments: list[Segment] = []
    warnings: list[tuple[int, str]] = []
    blocks = _blocks(text)
    if skip_header:
        next(blocks, None)  # the "WEBVTT" block, with any header lines
    for first, lines in blocks:
        timing_at = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing_at is None:
            if skip_header and lines[0].startswith(("NOTE", "STYLE", "REGION")):
                continue
            warnings.append((first, "a block with no 'start --> end' line"))
            continue
        line_number = first + timing_at
        match = _TIMING.match(lines[timing_at])
        try:
            if not match:
                raise ValueError("the timing line is not 'start --> end'")
            start_ms, end_ms = parse_timecode(match[1]), parse_timecode(match[2])
        except ValueError as error:
            warnings.append((line_number, str(error)))
            continue
        if end_ms < start_ms:
            warnings.append((line_number, "the cue ends before it starts"))
            continue
        words = " ".join(line.strip() for line in lines[timing_at + 1:])
        segments.append(Segment(start_ms, end_ms, words))
    if not segments:
        if warnings:
            line, reason = warnings[0]
            raise TranscriptError(path, line, reason)
        raise TranscriptError(path, None, "no cue found")
    return Transcript(segments, warnings=warnings)


def _sniff_srt(text: str) -> bool:
    head = text.lstrip()[:2000]
    return bool(re.search(r"^\s*\d*:?\d+:\d+[,.]\d+\s*-->", head, re.MULTILINE))


def _sniff_vtt(text: str) -> bool:
    return text.lstrip().startswith("WEBVTT")


SRT = TranscriptFormat(
    name="srt",
    description="SubRip (.srt)",
    extensions=(".srt",),
    sniff=_sniff_srt,
    parse=lambda text, path, options: _parse_cues(text, path, skip_header=False),
)

WEBVTT = TranscriptFormat(
    name="vtt",
    description="WebVTT (.vtt)",
    extensions=(".vtt",),
    sniff=_sniff_vtt,
    parse=lambda text, path, options: _parse_cues(text, path, skip_header=True),
)

FORMATS = [WEBVTT, SRT]

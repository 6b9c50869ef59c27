"""Whisper output: the bracket text whisper.cpp prints, one cue per line.

    [00:00:05.480 --> 00:00:06.240]   Hello.
"""

from __future__ import annotations

import re

from player.core.formats import LoadOptions, TranscriptError, TranscriptFormat
from player.core.timecode import parse_timecode
from player.core.transcript import Segment, Transcript

_CUE = re.compile(r"^\[\s*([0-9:.,]+)\s*-->\s*([0-9:.,]+)\s*\]\s?(.*)$")


def sniff(text: str) -> bool:
    for line in text.split("\n", 50)[:50]:
        if line.strip():
            return bool(_CUE.match(line.strip()))
    return False


def parse(text: str, path: str, options: LoadOptions) -> Transcript:
    segments: list[Segment] = []
    warnings: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        match = _CUE.match(line)
        if not match:
            warnings.append((number, "not a '[start --> end] text' line"))
            continue
        start_text, end_text, words = match.groups()
        try:
            start_ms, end_ms = parse_timecode(start_text), parse_timecode(end_text)
        except ValueError as error:
            warnings.append((number, str(error)))
            continue
        if end_ms < start_ms:
            warnings.append((number, "the cue ends before it starts"))
            continue
        segments.append(Segment(start_ms, end_ms, words.strip()))
    if not segments:
        line, reason = warnings[0] if warnings else (None, "no cue found")
        raise TranscriptError(path, line, reason)
    return Transcript(segments, warnings=warnings)


WHISPER_TEXT = TranscriptFormat(
    name="whisper-text",
    description="Whisper bracket text ([00:00:01.000 --> 00:00:02.000] text)",
    extensions=(".txt",),
    sniff=sniff,
    parse=parse,
)

FORMATS = [WHISPER_TEXT]

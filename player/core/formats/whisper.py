"""Whisper output: what learners get from transcribing a lecture themselves.

Three shapes, all cues with start and end:
- whisper.cpp's bracket text, one cue a line: `[00:00:05.480 --> 00:00:06.240]   Hello.`
- openai-whisper's JSON: {"text": ..., "segments": [{"start": 5.48, "end": 6.24,
  "text": " Hello.", "words": [...]}], "language": "en"}, or the bare list of segments
  (whisperX and friends write that, some with a "speaker" per segment);
- openai-whisper's TSV: a `start<TAB>end<TAB>text` header, times in whole milliseconds.
"""

from __future__ import annotations

import re
from typing import Any

from player.core.formats import LoadOptions, TranscriptError, TranscriptFormat, head_lines
from player.core.formats.datasets import (DATASET_ONLY_KEYS, LONGEST_MS, column_key,
                                          first_json_item, json_line_finder,
                                          json_start, load_json, seconds_to_ms)
from player.core.timecode import parse_timecode
from player.core.transcript import Segment, Transcript, Word

# ---------------------------------------------------------------------------------------------
# whisper.cpp bracket text

_CUE = re.compile(r"^\[\s*([0-9:.,]+)\s*-->\s*([0-9:.,]+)\s*\]\s?(.*)$")
# What openai-whisper's console (--verbose True) prints before the cues: the language
# it detects, and the warnings and progress bars that land there with 2>&1.
_PREAMBLE = re.compile(r"^(?:Detecting language\b|Detected language:|\S*\.py:\d+: \w*Warning:|\s+warnings\.warn\(|"
                       r"\s*\d{1,3}%\|)")


def sniff(text: str) -> bool:
    for line in head_lines(text, 50):
        if line.strip() and not _PREAMBLE.match(line):
            return bool(_CUE.match(line.strip()))
    return False


def parse(text: str, path: str, options: LoadOptions) -> Transcript:
    segments: list[Segment] = []
    warnings: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or _PREAMBLE.match(line):
            continue
        line = line.strip()
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


# ---------------------------------------------------------------------------------------------
# openai-whisper JSON

_SEGMENTS_KEY = re.compile(r'"segments"\s*:\s*\[')


def _looks_like_segment(item: Any) -> bool:
    if not isinstance(item, dict) or not {"start", "end", "text"} <= item.keys():
        return False
    # A dataset row can have start/end/text too; its video id, title or url gives it away.
    return not any(column_key(key) in DATASET_ONLY_KEYS for key in item)


def sniff_json(text: str) -> bool:
    start = json_start(text)
    if text.startswith("{", start):
        # The "text" of the whole lecture comes first; segments follow within a few megabytes.
        return bool(_SEGMENTS_KEY.search(text, start, start + 20_000_000))
    if text.startswith("[", start):
        return _looks_like_segment(first_json_item(text, start))
    return False


def parse_json(text: str, path: str, options: LoadOptions) -> Transcript:
    data = load_json(text, path)
    key = None
    if isinstance(data, dict) and isinstance(data.get("segments"), list):
        data, key = data["segments"], "segments"
    if not isinstance(data, list):
        raise TranscriptError(path, 1, 'no "segments" list: not openai-whisper JSON')
    segments: list[Segment] = []
    problems: list[tuple[int, str]] = []
    for index, item in enumerate(data):
        try:
            segments.append(_json_segment(item))
        except ValueError as error:
            problems.append((index, str(error)))
    line_of = json_line_finder(text, key)
    warnings = [(line_of(index), why) for index, why in problems]
    if not segments:
        line, reason = warnings[0] if warnings else (None, "no segments in this file")
        raise TranscriptError(path, line, reason)
    return Transcript(segments, warnings=warnings)


def _json_segment(item: Any) -> Segment:
    if not isinstance(item, dict):
        raise ValueError("a segment that is not an object")
    start, end = seconds_to_ms(item.get("start")), seconds_to_ms(item.get("end"))
    if end < start:
        raise ValueError("the segment ends before it starts")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a segment with no text")
    speaker = item.get("speaker")
    return Segment(start, end, text.strip(), speaker if isinstance(speaker, str) else None,
                   _json_words(item.get("words"), start))


def _json_words(items: Any, segment_start: int) -> tuple[Word, ...]:
    """The segment's timed words; whisperX leaves some (numbers, symbols) without times,
    and those take the end of the word before so no word of the text is lost."""
    if not isinstance(items, list):
        return ()
    words: list[Word] = []
    previous_end = segment_start
    for item in items:
        said = item.get("word") if isinstance(item, dict) else None
        if not isinstance(said, str) or not said.strip():
            continue
        try:
            start, end = seconds_to_ms(item.get("start")), seconds_to_ms(item.get("end"))
        except ValueError:
            start = end = previous_end
        words.append(Word(start, max(start, end), said.strip()))
        previous_end = max(start, end)
    return tuple(words)


# ---------------------------------------------------------------------------------------------
# openai-whisper TSV

_TSV_HEADER = ["start", "end", "text"]
_WHOLE_MS = re.compile(r"^\s*\d+\s*$")


def sniff_tsv(text: str) -> bool:
    for line in head_lines(text, 20):
        if line.strip():
            return line.rstrip().lower().split("\t") == _TSV_HEADER
    return False


def _whole_ms(value: str) -> int:
    if not _WHOLE_MS.match(value):
        raise ValueError(f"not a time in whole milliseconds: {value.strip()[:20]!r}")
    ms = int(value)
    if ms > LONGEST_MS:
        raise ValueError("a time later than 596 hours")
    return ms


def parse_tsv(text: str, path: str, options: LoadOptions) -> Transcript:
    segments: list[Segment] = []
    warnings: list[tuple[int, str]] = []
    header_seen = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if not header_seen:
            header_seen = True
            if line.rstrip().lower().split("\t") == _TSV_HEADER:
                continue
        fields = line.split("\t", 2)
        try:
            if len(fields) < 3:
                raise ValueError("not a 'start<TAB>end<TAB>text' line")
            start, end = _whole_ms(fields[0]), _whole_ms(fields[1])
            if end < start:
                raise ValueError("the cue ends before it starts")
            if not fields[2].strip():
                raise ValueError("a cue with no text")
        except ValueError as error:
            warnings.append((number, str(error)))
            continue
        segments.append(Segment(start, end, fields[2].strip()))
    if not segments:
        line, reason = warnings[0] if warnings else (None, "no cue found")
        raise TranscriptError(path, line, reason)
    return Transcript(segments, warnings=warnings)


# ---------------------------------------------------------------------------------------------

WHISPER_TEXT = TranscriptFormat(
    name="whisper-text",
    description="Whisper bracket text: whisper.cpp, openai-whisper console ([00:01.000 --> 00:02.000] text)",
    extensions=(".txt",),
    sniff=sniff,
    parse=parse,
)

WHISPER_JSON = TranscriptFormat(
    name="whisper-json",
    description="openai-whisper JSON (segments with start, end, text, words)",
    extensions=(".json",),
    sniff=sniff_json,
    parse=parse_json,
)

WHISPER_TSV = TranscriptFormat(
    name="whisper-tsv",
    description="openai-whisper TSV (start, end in ms, text)",
    extensions=(".tsv",),
    sniff=sniff_tsv,
    parse=parse_tsv,
)

FORMATS = [WHISPER_TEXT, WHISPER_JSON, WHISPER_TSV]

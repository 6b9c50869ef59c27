"""Reading transcripts: detect the format from the content and parse it.

Policy for a broken cue among good ones: keep the good cues and record a warning
naming the line (`Transcript.warnings`); a file with no readable cue at all is
refused with a TranscriptError naming the file and the first bad line.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from player.core.safe_files import InputRefused, read_input
from player.core.transcript import Transcript


class TranscriptError(Exception):
    """A transcript file that cannot be read, with where and why."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


class ChoiceNeeded(TranscriptError):
    """One file holds several transcripts (videos of a dataset, tiers of an ELAN
    file): the caller must pick one and load again with that choice."""

    def __init__(self, path: str | Path, kind: str, choices: list[tuple[str, str]]) -> None:
        self.kind = kind              # "video_id" or "tier": the LoadOptions field to set
        self.choices = choices        # (id, human label) pairs, in file order
        listed = ", ".join(choice_id for choice_id, _label in choices)
        option = "--video-id" if kind == "video_id" else f"--{kind}"
        super().__init__(path, None, f"holds {len(choices)} {kind.replace('_', ' ')}s; choose one with "
                                     f"{option}: {listed}")


@dataclass(frozen=True)
class LoadOptions:
    """Choices a reader may need: which video of a dataset, which tier of an ELAN file."""

    video_id: str | None = None
    tier: str | None = None


@dataclass(frozen=True)
class TranscriptFormat:
    name: str                    # for --format
    description: str             # for people: "SubRip (.srt)"
    extensions: tuple[str, ...]
    sniff: Callable[[str], bool]  # does this text look like this format?
    parse: Callable[[str, str, LoadOptions], Transcript]  # (text, path, options)


# One module per family, each with a FORMATS list. Sniffing tries them in this
# order, so a module whose signature is specific comes before a looser one.
_FORMAT_MODULES = (
    "whisper",        # whisper.cpp bracket text, openai-whisper JSON and TSV
    "subtitles",      # WebVTT, SRT (YouTube rolling captions, voice tags)
    "sbv",            # YouTube .sbv
    "ass",            # Advanced SubStation .ass/.ssa
    "ttml",           # TTML / DFXP
    "elan",           # ELAN .eaf
    "textgrid",       # Praat .TextGrid
    "datasets",       # YouTube transcript datasets: CSV, TSV, JSON, JSON Lines, the viewer dump
    "youtube_copy",   # YouTube "Show transcript" copied text
)


def _registry() -> list[TranscriptFormat]:
    found: list[TranscriptFormat] = []
    for name in _FORMAT_MODULES:
        module = importlib.import_module(f"player.core.formats.{name}")
        found.extend(module.FORMATS)
    return found


def formats() -> list[TranscriptFormat]:
    return _registry()


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise TranscriptError(path, None, f"broken UTF-16 text at byte {error.start}") from None
    elif b"\x00" in data[:4096]:
        raise TranscriptError(path, None, "this is a binary file, not a transcript")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Legacy subtitle files are mostly Windows-1252, a superset of Latin-1's letters.
            text = data.decode("cp1252", errors="replace")
    return normalize_line_ends(text)


def head_lines(text: str, count: int) -> list[str]:
    """The first `count` lines, for sniffing: text.split("\n", count) would copy the rest of
    a big file into its last item."""
    lines: list[str] = []
    start = 0
    while len(lines) < count:
        end = text.find("\n", start)
        if end < 0:
            lines.append(text[start:])
            break
        lines.append(text[start:end])
        start = end + 1
    return lines


def normalize_line_ends(text: str) -> str:
    if "\r" not in text:
        return text  # no copy of a large file for nothing
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_file(path: str | Path) -> str:
    """The text of a transcript or notes file: only a regular file, no larger than
    safe_files.MAX_INPUT_BYTES (a FIFO would block forever, /dev/zero never end)."""
    try:
        return decode(read_input(path), str(path))  # the bytes are freed once decoded
    except InputRefused as refused:
        raise TranscriptError(path, None, refused.reason) from None


def load(path: str | Path, format: str | None = None, options: LoadOptions = LoadOptions()) -> Transcript:
    """Read a transcript file; raises TranscriptError (never anything else) if it can't."""
    return parse_text(read_file(path), str(path), format, options)


def parse_text(text: str, path: str, format: str | None = None,
               options: LoadOptions = LoadOptions()) -> Transcript:
    text = normalize_line_ends(text)
    if not text.strip():
        raise TranscriptError(path, None, "the file is empty")
    chosen = _choose(text, path, format)
    transcript = chosen.parse(text, path, options)
    if transcript.source is None:
        transcript.source = path
    return transcript


def _choose(text: str, path: str, format: str | None) -> TranscriptFormat:
    known = _registry()
    if format:
        for candidate in known:
            if candidate.name == format:
                return candidate
        names = ", ".join(f.name for f in known)
        raise TranscriptError(path, None, f"unknown format {format!r} (known: {names})")
    for candidate in known:
        if candidate.sniff(text):
            return candidate
    names = ", ".join(f.description for f in known)
    raise TranscriptError(path, None, f"not a transcript format this app reads ({names})")

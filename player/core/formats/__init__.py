"""Reading transcripts: detect the format from the content and parse it.

Policy for a broken cue among good ones: keep the good cues and record a warning
naming the line (`Transcript.warnings`); a file with no readable cue at all is
refused with a TranscriptError naming the file and the first bad line.
"""

from __future__ import annotations

import codecs
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Callable

from player.core.formats import encoding as encoding_module
from player.core.formats.encoding import Decoded, EncodingProblem, Reading
from player.core.safe_files import MAX_INPUT_BYTES, InputRefused, check_input, read_input
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
    """Choices a reader may need: which video of a dataset, which tier of an ELAN file,
    and the text encoding when the learner knows better than the guess."""

    video_id: str | None = None
    tier: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class TranscriptFormat:
    name: str                    # for --format
    description: str             # for people: "SubRip (.srt)"
    extensions: tuple[str, ...]
    sniff: Callable[[str], bool]  # does this text look like this format?
    parse: Callable[[str, str, LoadOptions], Transcript]  # (text, path, options)
    # The same from the text in pieces that each end with "\n" (the last one is the rest, the
    # last line): load() streams a file to it as it decodes it, rather than holding its text
    # (200 MB of SRT is 1.8 million cues).
    parse_chunks: Callable[[Iterable[str], str, LoadOptions], Transcript] | None = None


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


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Bytes to text with line ends made "\n"."""
    return decode_reporting(data, path, encoding).text


def decode_reporting(data: bytes, path: str, encoding: str | None = None) -> Decoded:
    """`decode`, with the encoding it took: see `encoding.decode` for how it is found
    (a BOM, UTF-8, the one chosen, else a guess)."""
    try:
        decoded = encoding_module.decode(data, encoding)
    except EncodingProblem as problem:
        raise TranscriptError(path, problem.line, problem.reason) from None
    return replace(decoded, text=normalize_line_ends(decoded.text))


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


# How much of a file (bytes, then characters) is decoded and split at a time when it is streamed.
_CHUNK = 1 << 18


def text_chunks(text: str) -> Iterator[str]:
    """`text` in pieces for a format's parse_chunks, without a copy of it all."""
    return _line_chunks(text[at:at + _CHUNK] for at in range(0, len(text), _CHUNK))


def _line_chunks(chunks: Iterable[str]) -> Iterator[str]:
    """Chunks of text cut again at line ends: pieces that each end with "\n", then the rest
    (the last line, perhaps empty), so that splitting each at "\n" gives text.split("\n")."""
    held: list[str] = []   # what came since the last line end
    for chunk in chunks:
        cut = chunk.rfind("\n") + 1
        if not cut:
            held.append(chunk)   # a line longer than a chunk, kept in pieces (joining each time is quadratic)
            continue
        held.append(chunk[:cut])
        yield "".join(held)
        held = [chunk[cut:]]
    yield "".join(held)


class _NotDecodable(Exception):
    """Bytes the reading cannot decode, met while streaming: a guess, or the whole file read
    to report them."""


class _GrownPastLimit(Exception):
    """The file grew past the input limit while streamed: read whole, it is refused."""


def _file_text(handle: BinaryIO, reading: Reading, limit: int) -> Iterator[str]:
    """The text of a file from `handle`'s position, chunk by chunk, line ends made "\n"."""
    decoder = codecs.getincrementaldecoder(reading.codec)(reading.errors)
    read = handle.tell()
    held_cr = ""   # a chunk's last "\r" may be the first half of "\r\n"
    while True:
        data = handle.read(_CHUNK)
        read += len(data)
        if read > limit:
            raise _GrownPastLimit
        try:
            text = held_cr + decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise _NotDecodable from None
        held_cr = ""
        if data and text.endswith("\r"):
            text, held_cr = text[:-1], "\r"
        yield normalize_line_ends(text)
        if not data:
            return


def read_file(path: str | Path, encoding: str | None = None) -> str:
    """The text of a transcript or notes file: only a regular file, no larger than
    safe_files.MAX_INPUT_BYTES (a FIFO would block forever, /dev/zero never end)."""
    return read_decoded(path, encoding).text


def read_decoded(path: str | Path, encoding: str | None = None) -> Decoded:
    """`read_file`, with the encoding it took and whether that was a guess."""
    try:
        return decode_reporting(read_input(path), str(path), encoding)  # the bytes are freed once decoded
    except InputRefused as refused:
        raise TranscriptError(path, None, refused.reason) from None


def load(path: str | Path, format: str | None = None, options: LoadOptions = LoadOptions()) -> Transcript:
    """Read a transcript file; raises TranscriptError (never anything else) if it can't.

    A format with parse_chunks gets the file's text as it is decoded; any other, and
    any file streaming cannot settle (a problem to report, a format its head cannot tell),
    is read whole."""
    try:
        check_input(path)
        with open(path, "rb") as handle:
            streamed = _load_streamed(handle, str(path), format, options)
    except InputRefused as refused:
        raise TranscriptError(path, None, refused.reason) from None
    except OSError as error:
        raise TranscriptError(path, None, f"cannot read it ({error.strerror or error})") from None
    if streamed is not None:
        return streamed
    decoded = read_decoded(path, options.encoding)
    transcript = parse_text(decoded.text, str(path), format, options)
    transcript.encoding = decoded.encoding
    transcript.encoding_guessed = decoded.guessed
    transcript.weak_guess = decoded.weak
    return transcript


def _load_streamed(handle: BinaryIO, path: str, format: str | None, options: LoadOptions) -> Transcript | None:
    """The transcript read as the file is, or None to read the file whole (which also reports
    any problem in the words the whole reading has for it)."""
    head = handle.read(encoding_module.SAMPLE_BYTES + 1)
    try:
        reading = encoding_module.reading_for(head, options.encoding)
    except EncodingProblem:
        return None
    while True:
        try:
            chosen = _streamable_format(head, reading, path, format)
            if chosen is None:
                return None
            handle.seek(reading.skip)
            transcript = chosen.parse_chunks(_line_chunks(_file_text(handle, reading, MAX_INPUT_BYTES)),
                                             path, options)
            break
        except _GrownPastLimit:
            return None
        except _NotDecodable:
            if not reading.until_not_utf8:
                return None
            # UTF-8 for its first megabytes, not after: guessed from the head, as a whole read does.
            reading = encoding_module.guess(head)
    if transcript.source is None:
        transcript.source = path
    transcript.encoding = reading.encoding
    transcript.encoding_guessed = reading.guessed
    transcript.weak_guess = reading.weak
    return transcript


# Before SRT and WebVTT, sniffing tries Whisper's text (its first 50 lines), JSON (which may
# look megabytes in: never streamed) and TSV (20 lines); SRT looks at 2,000 characters.
_SNIFFED_LINES = 50
_SNIFFED_CHARS = 2000


def _streamable_format(head: bytes, reading: Reading, path: str, format: str | None) -> TranscriptFormat | None:
    """The format that reads these bytes if it reads a stream and `head` tells it as the
    whole text would, else None."""
    data = head[reading.skip:encoding_module.SAMPLE_BYTES]
    whole = len(head) <= encoding_module.SAMPLE_BYTES
    try:
        text = codecs.getincrementaldecoder(reading.codec)(reading.errors).decode(data, final=whole)
    except UnicodeDecodeError:
        raise _NotDecodable from None
    text = normalize_line_ends(text)
    if not text.strip():
        return None
    if not whole:
        start = text.lstrip()
        if start[:1] in ("{", "[") or text.count("\n") < _SNIFFED_LINES or len(start) < _SNIFFED_CHARS:
            return None
    try:
        chosen = _choose(text, path, format)
    except TranscriptError:
        return None
    return chosen if chosen.parse_chunks is not None else None


def encoding_note(transcript: Transcript) -> str | None:
    """"read as cp1251 (guessed)" when the encoding was guessed, for the status line and
    stderr; None when it was certain."""
    if not transcript.encoding_guessed:
        return None
    return f"read as {transcript.encoding} ({'a weak guess' if transcript.weak_guess else 'guessed'})"


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


def _in_sniffing_order() -> Iterator[TranscriptFormat]:
    """The formats in _FORMAT_MODULES' order, each module imported only when its turn comes:
    an SRT is told after two modules, without the XML, CSV and JSON readers of the rest (a
    tenth of the app's start-up)."""
    for name in _FORMAT_MODULES:
        yield from importlib.import_module(f"player.core.formats.{name}").FORMATS


def _choose(text: str, path: str, format: str | None) -> TranscriptFormat:
    if format:
        known = _registry()
        for candidate in known:
            if candidate.name == format:
                return candidate
        names = ", ".join(f.name for f in known)
        raise TranscriptError(path, None, f"unknown format {format!r} (known: {names})")
    for candidate in _in_sniffing_order():
        if candidate.sniff(text):
            return candidate
    names = ", ".join(f.description for f in _registry())
    raise TranscriptError(path, None, f"not a transcript format this app reads ({names})")

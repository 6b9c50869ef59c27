"""Bytes to text for transcript files, and which encoding that took.

Certain: a byte-order mark (UTF-8, UTF-16 and UTF-32, either byte order), text that
is valid UTF-8, or the encoding the learner chose. Anything else is guessed with
charset-normalizer among the encodings subtitle files are written in; a guess that
another encoding fits almost as well is reported as weak, so the learner can choose.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# The guess looks at this much of a file (cut at a line end): plenty to tell encodings
# apart, and charset-normalizer decodes what it is given whole, once per candidate.
SAMPLE_BYTES = 512 * 1024

# The legacy encodings subtitle and transcript files come in. Limiting the guess to
# them keeps rare code pages (cp1125, cp874, mac_*) from winning on a short file.
GUESSED_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_8", "iso8859_9", "iso8859_15",
    "koi8_r", "koi8_u", "cp866",
    "gb18030", "big5", "cp932", "euc_jp", "cp949", "tis_620",
)
# Latin-1 is what Windows-1252 files get called; 1252 also reads their quotes and dashes.
_READ_AS_1252 = {"latin_1", "iso8859_1", "ascii"}

# A runner-up this close, reading the bytes differently, makes the guess weak.
_CLOSE_COHERENCE = 0.03
_CLOSE_CHAOS = 0.02


class EncodingProblem(ValueError):
    """Why the bytes cannot be read as text: the reason, and the line if known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str          # Python's name of the codec that read it: "utf-8", "cp1251"
    guessed: bool = False  # detected from the bytes, not known from a BOM, UTF-8 or a choice
    weak: bool = False     # a guess that another encoding fits almost as well


@dataclass(frozen=True, slots=True)
class Reading:
    """How to read a file's bytes, told from its head: decode(data) reads them all at once
    with it, a reader streaming a big file chunk by chunk."""

    codec: str             # what decodes the bytes ("utf-8-sig" for a chosen UTF-8, which may have a mark)
    encoding: str          # as Decoded.encoding says it
    skip: int = 0          # the byte-order mark's bytes, before the text
    errors: str = "strict"
    guessed: bool = False
    weak: bool = False
    # Plain UTF-8 so far: a byte further on that is not makes it a guess after all (`guess`).
    until_not_utf8: bool = False


def codec_name(encoding: str) -> str:
    """Python's name for an encoding the learner typed ("Windows-1251" -> "cp1251")."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise EncodingProblem(f"unknown encoding {encoding!r}") from None


def reading_for(head: bytes, chosen: str | None = None) -> Reading:
    """The reading of a file that starts with `head` (its first 4 KB decide, or the choice).
    Raises EncodingProblem for an unknown choice or a binary file."""
    if chosen:
        return _reading_as(codec_name(chosen))
    for bom, name in _BOMS:
        if head.startswith(bom):
            return _reading_as(name, skip=len(bom))
    if b"\x00" in head[:4096]:
        wide = _bomless_utf16(head[:4096])
        if wide:
            return _reading_as(wide)
        if not head.startswith(b"WEBVTT"):   # WebVTT reads NUL as U+FFFD (the spec's parser)
            raise EncodingProblem("this is a binary file, not a transcript")
    return Reading("utf-8", "utf-8", until_not_utf8=True)


def _reading_as(name: str, skip: int = 0) -> Reading:
    codec = "utf-8-sig" if name == "utf-8" else name   # a chosen UTF-8 may still start with its mark
    return Reading(codec, codecs.lookup(codec).name.removesuffix("-sig"), skip)


def decode(data: bytes, chosen: str | None = None) -> Decoded:
    reading = reading_for(data, chosen)
    try:
        text = data[reading.skip:].decode(reading.codec) if reading.skip else data.decode(reading.codec)
    except UnicodeDecodeError as error:
        if not reading.until_not_utf8:
            raise not_readable(data[reading.skip:], reading, error) from None
        reading = guess(data)
        text = data.decode(reading.codec, errors="replace")
    return Decoded(text, reading.encoding, reading.guessed, reading.weak)


def not_readable(data: bytes, reading: Reading, error: UnicodeDecodeError) -> EncodingProblem:
    """The problem of bytes (after the mark) the reading cannot decode, naming the byte and line."""
    line = data.count(b"\n", 0, error.start) + 1
    return EncodingProblem(f"this is not {reading.encoding} text (byte {error.start})", line)


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark, told by where the zero bytes of ASCII fall."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even_zeros = head[0:pairs * 2:2].count(0)
    odd_zeros = head[1:pairs * 2:2].count(0)
    if odd_zeros > pairs * 0.4 and even_zeros < pairs * 0.05:
        return "utf-16-le"
    if even_zeros > pairs * 0.4 and odd_zeros < pairs * 0.05:
        return "utf-16-be"
    return None


def guess(data: bytes) -> Reading:
    """The encoding of bytes that are not UTF-8, guessed from their first SAMPLE_BYTES (so
    `data` may be just a file's first SAMPLE_BYTES + 1); they are read with errors replaced."""
    from charset_normalizer import from_bytes   # only for files that are not UTF-8

    sample = data
    if len(data) > SAMPLE_BYTES:
        # Cut after a line feed: never a trailing byte in the multibyte encodings above.
        cut = data.rfind(b"\n", 0, SAMPLE_BYTES)
        sample = data[:cut + 1 if cut > 0 else SAMPLE_BYTES]
    matches = list(from_bytes(sample, cp_isolation=list(GUESSED_ENCODINGS)))
    if not matches:
        return Reading("cp1252", "cp1252", errors="replace", guessed=True, weak=True)
    best = matches[0]
    name = "cp1252" if best.encoding in _READ_AS_1252 else best.encoding
    weak = any(_close(other, best) and str(other) != str(best) for other in matches[1:])
    return Reading(name, codecs.lookup(name).name, errors="replace", guessed=True, weak=weak)


def _close(other, best) -> bool:
    return (other.coherence >= best.coherence - _CLOSE_COHERENCE
            and other.chaos <= best.chaos + _CLOSE_CHAOS)

"""Subtitle files: SubRip (.srt) and WebVTT (.vtt), as lectures, meetings and YouTube give them.

Both are cues: an optional identifier, a "start --> end" timing line, then text up
to a blank line. Beyond the plain case this reader copes with YouTube's automatic
captions (rolling two-line cues with word timings, each line repeated in the next
cue), Teams/Zoom voice tags and "Name: text" lines, loose timestamps, and the
markup people leave in cue text. Every skipped cue is reported with its line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from player.core.formats import LoadOptions, TranscriptError, TranscriptFormat, text_chunks
from player.core.timecode import parse_timecode
from player.core.transcript import Segment, Segments, Transcript, Word

# A timestamp as subtitle files write it: hours optional, "," or "." before the millis.
_TIME = r"(?:(\d{1,9}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
# The timing line; VTT cue settings ("align:start position:0%") may follow the end.
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:[ \t].*)?$")
# WebVTT's whitespace is space, tab and form feed only (a vertical tab breaks the line).
# The settings may follow an end time written in full (".000") without a space.
_VTT_TIMING = re.compile(rf"^[ \t\f]*{_TIME}[ \t\f]*-->[ \t\f]*{_TIME}(?:[ \t\f].*|(?<=\.\d\d\d)\D.*)?$")

# Markup that is a tag, and only that: "if a < b and c > d" has none. Simple tags
# take WebVTT classes (<c.colorE5E5E5>); font/span/lang/v take attributes or a name.
# Stray spaces before ">" and around a class's dot are still a tag (<c.yellow >, </i >).
_TAG = re.compile(
    r"</?(?:[bius]|em|strong|ruby)(?:\s*\.\s*[^\s<>.]+)*\s*>"
    r"|</?(?:c|font|span|lang|v)(?:\s*\.\s*[^\s<>.]+)*(?:\s[^<>]*)?>"
    r"|<\d{1,9}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?>",   # a word timing
    re.IGNORECASE)
# Any other closed tag is markup too, unknown or misspelt (<bold>..</bold>, <x></x>): a
# name that also appears as "</name>" in the same cue. "a < b" has no such pair.
_END_TAG_NAME = re.compile(r"</\s*([A-Za-z][\w-]*)\s*>")
# ASS line breaks and hard spaces that converters leave in SRT text.
_ASS_BREAK = re.compile(r"\\[Nh]")
# Ruby annotations (<rt>) and fallback parentheses (<rp>) are not part of the line.
_RUBY_EXTRA = re.compile(r"<(r[tp])(?:\.[^\s<>]*)?>[^<]*</\1>|</?r[tp](?:\.[^\s<>]*)?>",
                         re.IGNORECASE)
# ASS-style override blocks in SRT ({\an8}, {\i1}) and MicroDVD-style {b}..{/b}.
_OVERRIDE = re.compile(r"\{\\[^{}]*\}|\{/?[bius]\}")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:\s+([^<>]*))?>", re.IGNORECASE)

# YouTube's automatic captions time each word inline: "one<00:00:01.280><c> two</c>".
_WORD_TIME = re.compile(r"<(\d{1,9}(?::\d{1,2}){1,2}(?:\.\d{1,3})?)>")

# "Jane Doe: text", Zoom's way of naming the speaker: a name of up to four words.
_NAME_PREFIX = re.compile(
    r"^([^\W\d_][^\W\d_.'’-]*(?:[ .'’-]{1,2}[^\W\d_]+){0,3}\.?)"   # Sam Lee, Dr. Ann O'Neil
    r":\s+(\S.*)$")

# VTT blocks that are not cues.
_VTT_NON_CUES = ("WEBVTT", "NOTE", "STYLE", "REGION")


# A cue as read: (line of its timing line, for warnings; start_ms; end_ms; its text lines as
# written). A plain tuple: a file can have two million.
_Cue = tuple[int, int, int, list[str]]

# A time as nearly every file writes it, and the timing line made of two.
_USUAL_TIME = r"\d{1,9}:[0-5]\d:[0-5]\d[,.]\d\d\d"
_USUAL_TIMING = re.compile(rf"({_USUAL_TIME}) --> ({_USUAL_TIME})")


def _usual_ms(time: str) -> int:
    """Milliseconds of a time _USUAL_TIME matched: its digits read as one number, HHMMSSmmm
    (one int() rather than four)."""
    digits = int(time[:-10] + time[-9:-7] + time[-6:-4] + time[-3:])
    return ((digits // 10_000_000 * 60 + digits // 100_000 % 100) * 60 + digits // 1000 % 100) * 1000 \
        + digits % 1000


def _timing(line: str, vtt: bool = False) -> tuple[int, int] | None:
    """(start_ms, end_ms) of a well-formed timing line, else None."""
    usual = _USUAL_TIMING.fullmatch(line)
    if usual is not None:
        return _usual_ms(usual[1]), _usual_ms(usual[2])
    match = (_VTT_TIMING if vtt else _TIMING).match(line)
    if match is None:
        return None
    h1, m1, s1, f1, h2, m2, s2, f2 = match.groups()
    if int(m1) >= 60 or int(s1) >= 60 or int(m2) >= 60 or int(s2) >= 60:
        return None
    start = ((int(h1 or 0) * 60 + int(m1)) * 60 + int(s1)) * 1000
    end = ((int(h2 or 0) * 60 + int(m2)) * 60 + int(s2)) * 1000
    # "5" after the point is 500 ms, "05" is 50.
    return start + (int(f1.ljust(3, "0")) if f1 else 0), end + (int(f2.ljust(3, "0")) if f2 else 0)


def _time_problem(text: str, which: str) -> str | None:
    """Why `text` is not a subtitle time, in words; None if it is one."""
    if not text:
        return f"the timing line has no {which} time"
    match = re.fullmatch(_TIME, text)
    if match is None:
        return f"{text!r} is not a time"
    if int(match[2]) >= 60 or int(match[3]) >= 60:
        return f"{text!r} is not a time (minutes and seconds go up to 59)"
    return None


def _timing_problem(line: str) -> str:
    """Why a line with "-->" is not a timing line, quoting the part that is wrong."""
    start_text, _arrow, rest = line.partition("-->")
    end_text = rest.split(None, 1)[0] if rest.strip() else ""
    return (_time_problem(start_text.strip(), "start") or _time_problem(end_text, "end")
            or "the timing line is not 'start --> end'")


# A line meant as a timing line: it starts with a time ("00:01", "0:00:zz,000"). With
# "-->" in it but unreadable, it is a broken timing line, not text of the cue before.
_TIMING_ATTEMPT = re.compile(r"^\s*\d+:\S*\s*-->")
# The same without a proper arrow ("00:01,000 -> 00:02,000", "00:01,000 - 00:02,000").
_TIME_FIRST = re.compile(r"^\s*\d+:\d")


# A cue as nearly every SRT file writes them all: an identifier line, the usual timing line,
# lines of text (each with more than spaces), a blank line. Met between cues, it is read in
# one match, as the line by line reading below would read it (given no "-->" in the
# identifier or the text, checked after the match).
_USUAL_CUE = re.compile(rf"([^\n]*\S[^\n]*)\n({_USUAL_TIME}) --> ({_USUAL_TIME})\n((?:[^\n]*\S[^\n]*\n)*?)\n")


def _read_cues(chunks: Iterable[str], vtt: bool, warnings: list[tuple[int, str]]) -> Iterator[_Cue]:
    """The cues of a file's text (in pieces that end at line ends, see parse_chunks), in file
    order, each once its text has ended; (line, problem) goes to `warnings` for what was skipped.

    A cue ends at an empty line. A line of only spaces ends it too once it has text:
    YouTube puts a lone space *before* a cue's text, which must not end it.
    """
    outside: list[tuple[int, str]] = []   # lines between cues: identifiers, header, notes
    cue: list[str] | None = None          # text lines of the cue being read
    timed_at = start = end = 0            # its timing line's number, start and end
    skipping = False                      # in the text of a cue whose timing was broken
    number = 0                            # of the line last read
    usual_cue = None if vtt else _USUAL_CUE.match
    for chunk in chunks:
        if not chunk.endswith("\n"):
            chunk += "\n"   # the last piece: the file's last line
        position = 0   # where the next line starts
        while position < len(chunk):
            if usual_cue is not None and cue is None and not skipping and not outside:
                while (match := usual_cue(chunk, position)) is not None:
                    identifier, begins, ends, text = match.groups()
                    if "-->" in identifier or "-->" in text:
                        break
                    # The text lines joined as _plain joins them.
                    yield (number + 2, _usual_ms(begins), _usual_ms(ends),
                           [text[:-1].replace("\n", " ")] if text else [])
                    number += 3 + text.count("\n")
                    position = match.end()
                if position == len(chunk):
                    break
            line_end = chunk.index("\n", position)
            line = chunk[position:line_end]
            position = line_end + 1
            number += 1
            if cue is not None or skipping:
                if not line or (line.isspace() and (cue or skipping)):
                    if cue is not None:
                        yield timed_at, start, end, cue
                    cue, skipping = None, False
                # In WebVTT any line with "-->" ends the cue's text and starts a block (the
                # spec's parser); in SRT only one meant as a timing line does.
                elif "-->" in line and ((times := _timing(line, vtt)) is not None or vtt
                                        or _TIMING_ATTEMPT.match(line)):
                    if cue is not None:
                        # A cue that runs into the next without a blank line: its number is no text.
                        if cue and cue[-1].strip().isdigit():
                            cue.pop()
                        yield timed_at, start, end, cue
                    if times is None:
                        warnings.append((number, _timing_problem(line)))
                        cue, skipping = None, True
                    else:
                        cue, skipping = [], False
                        timed_at, (start, end) = number, times
                elif cue is not None and not line.isspace():
                    cue.append(line)
                continue
            if not line or line.isspace():
                if outside:
                    _check_outside(outside, warnings, vtt)
                    outside = []
            elif "-->" in line:
                # The line before the timing line is the cue's identifier; more is stray.
                if len(outside) > 1:
                    _check_outside(outside[:-1], warnings, vtt)
                outside = []
                times = _timing(line, vtt)
                if times is None:
                    warnings.append((number, _timing_problem(line)))
                    skipping = True
                else:
                    cue = []
                    timed_at, (start, end) = number, times
            else:
                outside.append((number, line))
    if cue is not None:
        yield timed_at, start, end, cue
    _check_outside(outside, warnings, vtt)


def _check_outside(lines: list[tuple[int, str]], warnings: list[tuple[int, str]],
                   vtt: bool) -> None:
    """Lines outside any cue are a broken cue, unless they are a VTT header or note."""
    if not lines:
        return
    first_number, first_line = lines[0]
    if vtt and first_line.lstrip().startswith(_VTT_NON_CUES):
        return
    # A line that starts with a time was meant as the timing line: name it, not the block.
    for number, line in lines:
        if _TIME_FIRST.match(line):
            warnings.append((number, f"{line.strip()!r} is not a timing line: it needs 'start --> end'"))
            return
    warnings.append((first_number, "a block with no 'start --> end' line"))


def _strip_markup(text: str) -> tuple[str, str | None]:
    """Text without tags or entities, and the first voice (<v Name>) if any.

    A later, different voice in the same cue is kept in the text as "Name: ".
    """
    speaker: str | None = None

    def voice(match: re.Match[str]) -> str:
        nonlocal speaker
        name = " ".join(html.unescape(match[1] or "").split())
        if speaker is None:
            speaker = name or None
            return " "
        return f" {name}: " if name and name != speaker else " "

    if "<" in text:
        text = _VOICE.sub(voice, text)
        if "<r" in text or "<R" in text:
            text = _RUBY_EXTRA.sub("", text)
        text = _TAG.sub("", _LINE_BREAK.sub(" ", text))
        if "</" in text:
            text = _strip_closed_tags(text)
    if "\\" in text:
        text = _ASS_BREAK.sub(" ", text)
    if "{" in text:
        text = _OVERRIDE.sub("", text)
    if "&" in text:
        # &lrm; and &rlm; steer bidi rendering; as characters they only break search.
        text = html.unescape(text).replace("\u200e", "").replace("\u200f", "")
    return text, speaker


def _strip_closed_tags(text: str) -> str:
    names = {name.lower() for name in _END_TAG_NAME.findall(text)}
    if not names:
        return text
    alternatives = "|".join(re.escape(name) for name in sorted(names))
    tags = re.compile(rf"<\s*/?\s*(?:{alternatives})(?:[.\s][^<>]*)?>", re.IGNORECASE)
    return tags.sub("", text)


def _plain(lines: list[str]) -> tuple[str, str | None]:
    """A cue's lines as one line of plain text, and its speaker."""
    text = " ".join(lines)
    speaker = None
    if "<" in text or "{" in text or "&" in text or "\\" in text:
        text, speaker = _strip_markup(text)
    return " ".join(text.split()), speaker


def cue_text(text: str) -> str:
    """What this reader makes of `text` as a line of cue text: plain, spaces collapsed.
    Writers use it to tell whether text would come back unchanged."""
    return _plain([text])[0]


def _plain_segments(cues: Iterable[_Cue], warnings: list[tuple[int, str]]) -> tuple[Segments, int, int | None]:
    """The cues' segments; how many have a ":" in their text (see _speakers_from_names); the
    first cue's line (None without any)."""
    segments = Segments()
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    speakers: list[str | None] = []
    colons = 0
    first_line = None
    for line, start, end, lines in cues:
        if first_line is None:
            first_line = line
        if end < start:
            warnings.append((line, "the cue ends before it starts"))
            continue
        text, speaker = _plain(lines)
        if text:  # a cue with no words says nothing to the learner
            colons += ":" in text
            starts.append(start)
            ends.append(end)
            texts.append(text)
            speakers.append(speaker)
            if len(texts) == _BATCH:
                segments.add_many(starts, ends, texts, speakers)
                starts, ends, texts, speakers = [], [], [], []
    segments.add_many(starts, ends, texts, speakers)
    return segments, colons, first_line


# Cues read between two additions to the compact Segments.
_BATCH = 2048


def _rolling_segments(cues: list[_Cue], warnings: list[tuple[int, str]]) -> list[Segment]:
    """YouTube's automatic captions, each spoken line once.

    A cue shows the line before (already read) and the new line with word timings;
    a 10 ms cue then repeats the finished line. A line with word timings is always
    new; a plain line that the previous cue showed too is a repeat.
    """
    segments: list[Segment] = []
    shown_before: set[str] = set()
    for cue in cues:
        line_number, start_ms, end_ms, lines = cue
        if end_ms < start_ms:
            warnings.append((line_number, "the cue ends before it starts"))
            continue
        shown: set[str] = set()
        new_lines: list[str] = []
        for line in lines:
            clean, _speaker = _plain([line])
            if not clean:
                continue
            shown.add(clean)
            if clean not in shown_before or _WORD_TIME.search(line):
                new_lines.append(line)
        shown_before = shown
        if new_lines:
            segments.append(_timed_segment(cue, new_lines))
    return segments


def _timed_segment(cue: _Cue, lines: list[str]) -> Segment:
    """A segment for the new lines of a cue, with word timings when every line has them."""
    _line, start_ms, end_ms, _lines = cue
    text, speaker = _plain(lines)
    words: list[Word] = []
    for line in lines:
        if not _WORD_TIME.search(line):
            words = []
            break
        words.extend(_words(line, start_ms, end_ms))
    return Segment(start_ms, end_ms, text, speaker, tuple(words))


def _words(line: str, start_ms: int, end_ms: int) -> list[Word]:
    """Words of "one<00:00:01.280><c> two</c>": each lasts until the next one starts."""
    pieces = _WORD_TIME.split(line)
    starts = [start_ms]
    for stamp in pieces[1::2]:
        try:
            at = parse_timecode(stamp)
        except ValueError:
            at = starts[-1]   # a broken word timing: the word shares its neighbour's
        starts.append(min(max(at, starts[-1]), end_ms))   # never backwards, never past the cue
    starts.append(end_ms)
    words = []
    for index, piece in enumerate(pieces[0::2]):
        word, _speaker = _plain([piece])
        if word:
            words.append(Word(starts[index], starts[index + 1], word))
    return words


def _speakers_from_names(segments: Segments, colons: int) -> Segments:
    """Zoom writes "Jane Doe: text". Take the names as speakers when most segments have
    one and names repeat (a glossary's "term: meaning" lines do not); a segment without
    a name ("Hmm.") keeps no speaker. `colons` counts the texts with a ":", which every
    name has: most lines of a lecture have none, and are not matched one by one."""
    if len(segments) < 2 or segments.has_speakers or colons * 2 <= len(segments):
        return segments
    matches = [_NAME_PREFIX.match(text) for text in segments.texts()]
    named = [match for match in matches if match is not None]
    if len(named) * 2 <= len(segments):
        return segments
    names = {match[1] for match in named}
    if len(names) > len(named) // 2:
        return segments
    return Segments(Segment(s.start_ms, s.end_ms, match[2], match[1], s.words) if match else s
                    for s, match in zip(segments, matches))


def _parse_cues(chunks: Iterable[str], path: str, vtt: bool) -> Transcript:
    warnings: list[tuple[int, str]] = []
    rolling: list[bool] = []
    if vtt:
        # YouTube's rolling captions are told by a word timing anywhere: all cues are kept.
        cues = list(_read_cues(_vtt_chunks(chunks, rolling), vtt, warnings))
    else:
        cues = _read_cues(chunks, vtt, warnings)
    if rolling:
        segments = _rolling_segments(cues, warnings)
        first_line = cues[0][0] if cues else None
    else:
        segments, colons, first_line = _plain_segments(cues, warnings)
        segments = _speakers_from_names(segments, colons)
    warnings.sort()
    if not segments:
        if warnings:
            line, reason = warnings[0]
            raise TranscriptError(path, line, reason)
        if first_line is not None:
            raise TranscriptError(path, first_line, "no cue has any text")
        raise TranscriptError(path, None, "no cue found")
    return Transcript(segments, warnings=warnings)


def _vtt_chunks(chunks: Iterable[str], rolling: list[bool]) -> Iterator[str]:
    """WebVTT's text with NUL read as U+FFFD (the spec's parser); `rolling` gets an item once
    a word timing is met: YouTube's automatic captions, told by one anywhere in the file."""
    for chunk in chunks:
        if "\0" in chunk:
            chunk = chunk.replace("\0", "\ufffd")
        if not rolling and _WORD_TIME.search(chunk):
            rolling.append(True)
        yield chunk


# A timing line's start is enough: a file whose every end time is broken is still SRT.
_SRT_SNIFF = re.compile(r"^\s*(?:\d+:)?\d+:\d+(?:[,.]\d+)?\s*-->", re.MULTILINE)


def _sniff_srt(text: str) -> bool:
    return bool(_SRT_SNIFF.search(text.lstrip()[:2000]))


def _sniff_vtt(text: str) -> bool:
    return text.lstrip().startswith("WEBVTT")


def parse_srt(text: str, path: str, options: LoadOptions = LoadOptions()) -> Transcript:
    return _parse_cues(text_chunks(text), path, vtt=False)


def parse_srt_chunks(chunks: Iterable[str], path: str, options: LoadOptions = LoadOptions()) -> Transcript:
    return _parse_cues(chunks, path, vtt=False)


def parse_vtt(text: str, path: str, options: LoadOptions = LoadOptions()) -> Transcript:
    return _parse_cues(text_chunks(text), path, vtt=True)


def parse_vtt_chunks(chunks: Iterable[str], path: str, options: LoadOptions = LoadOptions()) -> Transcript:
    return _parse_cues(chunks, path, vtt=True)


SRT = TranscriptFormat(
    name="srt",
    description="SubRip (.srt)",
    extensions=(".srt",),
    sniff=_sniff_srt,
    parse=parse_srt,
    parse_chunks=parse_srt_chunks,
)

WEBVTT = TranscriptFormat(
    name="vtt",
    description="WebVTT (.vtt): YouTube automatic captions, Teams voice tags, Zoom names",
    extensions=(".vtt",),
    sniff=_sniff_vtt,
    parse=parse_vtt,
    parse_chunks=parse_vtt_chunks,
)

FORMATS = [WEBVTT, SRT]

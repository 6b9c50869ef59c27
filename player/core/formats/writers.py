"""Writing a transcript out: SubRip and WebVTT for players, plain text and Markdown for notes.

Each writer escapes what its format needs, so that what this app reads back is the
text it wrote: markup-looking text stays text, and "-->" never ends a cue early.
"""

from __future__ import annotations

import re
import unicodedata

from player.core.formats.subtitles import cue_text
from player.core.timecode import format_clock, format_timecode
from player.core.transcript import Segment, Transcript

# Markdown's own punctuation; "&" only where it would start an entity.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])|&(?=#?\w+;)")
_YOUTUBE = re.compile(r"^https?://(?:www\.|m\.)?(?:youtube\.com/watch\?|youtu\.be/)")


def one_line(text: str) -> str:
    """Text on one line with single spaces: a blank line would end a cue."""
    return " ".join(text.split())


def _entities(text: str) -> str:
    """&, <, >, { and \\ as character references, which both SRT and VTT readers decode."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("{", "&#123;").replace("\\", "&#92;"))


def _srt_text(text: str) -> str:
    # Most SRT players show entities literally, so text is escaped only when a
    # reader would otherwise take part of it for markup or a timing line.
    if "-->" in text or cue_text(text) != text:
        return _entities(text)
    return text


def _vtt_text(text: str) -> str:
    # WebVTT requires & and < escaped in cue text; ">" too, so that "-->" cannot appear.
    # A NUL cannot be written: WebVTT readers take it for U+FFFD.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\0", "\ufffd")
    if cue_text(text) != text:
        # an ASS-style {\...} block or \N line break
        escaped = escaped.replace("{", "&#123;").replace("\\", "&#92;")
    return escaped


def _spoken(transcript: Transcript, markers: bool = True) -> list[tuple[Segment, str]]:
    """Segments with their text on one line; those with no words are left out, and
    so are markers such as "[BLANK_AUDIO]" unless `markers` (subtitles keep them:
    they are part of what was on screen; reading copies are better without)."""
    return [(segment, text) for segment in transcript.segments
            if (text := one_line(segment.text)) and (markers or not segment.is_non_speech)]


def to_srt(transcript: Transcript, *, speakers: bool = False) -> str:
    """SubRip text. SRT has no speaker field: with speakers=True each cue starts "Name: "."""
    cues = []
    for number, (segment, text) in enumerate(_spoken(transcript), start=1):
        if speakers and segment.speaker:
            text = f"{one_line(segment.speaker)}: {text}"
        times = f"{format_timecode(segment.start_ms, ',')} --> " \
                f"{format_timecode(segment.end_ms, ',')}"
        cues.append(f"{number}\n{times}\n{_srt_text(text)}\n")
    return "\n".join(cues)


def to_vtt(transcript: Transcript) -> str:
    """WebVTT text, the speaker as a voice tag: <v Jane Doe>text</v>."""
    cues = ["WEBVTT\n"]
    for segment, text in _spoken(transcript):
        times = f"{format_timecode(segment.start_ms)} --> {format_timecode(segment.end_ms)}"
        text = _vtt_text(text)
        speaker = one_line(segment.speaker or "")
        if speaker:
            text = f"<v {_vtt_text(speaker)}>{text}</v>"
        cues.append(f"{times}\n{text}\n")
    return "\n".join(cues)


# ----- ASS, for burning captions in with libass ------------------------------------------

# libass reads "{...}" as override tags (position, size, colour, drawing) and "\N", "\n",
# "\h" as line breaks and spaces wherever they are, and it has no escape for a backslash.
# A WORD JOINER (zero width, no glyph) after each backslash makes "\N" a backslash, an
# invisible character and an "N"; "\{" and "\}" are libass's own escapes for braces
# (ass_get_next_char in libass/ass_parse.c, in the libass 0.17 of imageio-ffmpeg's ffmpeg).
WORD_JOINER = "\u2060"


def escape_ass_text(text: str) -> str:
    """One line of text for an ASS event that libass draws character for character: no
    override block, line break or hard space can come out of it."""
    text = "".join(char for char in one_line(text) if unicodedata.category(char) != "Cc")
    text = text.replace("\\", "\\" + WORD_JOINER)
    return text.replace("{", "\\{").replace("}", "\\}")


def to_ass(transcript: Transcript, width: int, height: int) -> str:
    """Captions for a width x height picture: white with a dark outline, bottom centre,
    each segment's text drawn exactly as written (escape_ass_text)."""
    font = max(12, round(height / 18))
    outline = max(1, round(height / 288))
    margin = max(4, round(height / 24))
    lines = [
        "[Script Info]", "ScriptType: v4.00+", f"PlayResX: {width}", f"PlayResY: {height}",
        "WrapStyle: 0", "ScaledBorderAndShadow: yes", "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
        "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        f"Style: Default,Sans,{font},&H00FFFFFF,&H000000FF,&H00000000,&H80000000,0,0,0,0,100,100,0,0,1,"
        f"{outline},0,2,{margin},{margin},{margin},1",
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    for segment, text in _spoken(transcript):
        start, end = (format_timecode(ms, fraction_digits=2, hour_digits=1)
                      for ms in (segment.start_ms, segment.end_ms))
        lines.append(f"Dialogue: 0,{start},{end},Default,,0,0,0,,{escape_ass_text(text)}")
    return "\n".join(lines) + "\n"


def to_text(transcript: Transcript) -> str:
    """One line per spoken segment, no times; "Name: " where the speaker changes."""
    lines = []
    previous_speaker = None
    for segment, text in _spoken(transcript, markers=False):
        speaker = one_line(segment.speaker or "") or None
        if speaker and speaker != previous_speaker:
            text = f"{speaker}: {text}"
        previous_speaker = speaker
        lines.append(text)
    return "\n".join(lines) + "\n" if lines else ""


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match[0], text)


def _seconds(ms: int) -> str:
    """Seconds as a media fragment wants them: "75" or "75.48"."""
    seconds, millis = divmod(max(0, ms), 1000)
    return f"{seconds}.{millis:03d}".rstrip("0").rstrip(".") if millis else str(seconds)


def moment_link(transcript: Transcript, ms: int) -> str:
    """Where a click on a timestamp goes: the lecture online if known, else a #t= fragment."""
    url = (transcript.source_url or "").replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    if url and _YOUTUBE.match(url):
        return f"{url}{'&' if '?' in url else '?'}t={max(0, ms) // 1000}s"
    return f"{url}#t={_seconds(ms)}"


def to_markdown(transcript: Transcript) -> str:
    """A readable page: the title as a heading, then "**[m:ss](link)** text" per line,
    the speaker's name in bold where it changes."""
    parts = []
    title = one_line(transcript.title or "")
    if title:
        parts.append(f"# {escape_markdown(title)}\n")
    previous_speaker = None
    for segment, text in _spoken(transcript, markers=False):
        link = moment_link(transcript, segment.start_ms)
        line = f"**[{format_clock(segment.start_ms)}]({link})** "
        speaker = one_line(segment.speaker or "") or None
        if speaker and speaker != previous_speaker:
            line += f"**{escape_markdown(speaker)}:** "
        previous_speaker = speaker
        parts.append(line + escape_markdown(text) + "\n")
    return "\n".join(parts)


# Name for --to and the export dialog -> (writer, file extension).
WRITERS = {
    "srt": (to_srt, ".srt"),
    "vtt": (to_vtt, ".vtt"),
    "txt": (to_text, ".txt"),
    "md": (to_markdown, ".md"),
}

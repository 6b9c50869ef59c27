"""(Advanced) SubStation Alpha subtitles (.ass, .ssa), as fansub and Aegisub files are.

pysubs2 reads the Dialogue lines; this module picks them out first, so that each
cue keeps its line number and one broken line costs only that cue. Comments and
vector drawings are not speech and are skipped; the Name (Actor) field is the speaker.
"""

from __future__ import annotations

import re
import warnings as python_warnings
from typing import TYPE_CHECKING

from player.core.formats import LoadOptions, TranscriptError, TranscriptFormat
from player.core.transcript import Segment, Transcript

if TYPE_CHECKING:   # imported when an ASS file is read: every transcript's load imports this module
    import pysubs2

_SECTION = re.compile(r"^\s*\[([^\]]*)\]\s*$")
# The fields pysubs2 reads, in its order: Layer (Marked in SSA), Start, End, Style, Name,
# MarginL, MarginR, MarginV, Effect, Text. A file's own [Events] Format line may name
# fewer, or order them otherwise; each line is put in this order for pysubs2.
_PYSUBS2_FIELDS = ("layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text")
_FIELD_DEFAULTS = {"layer": "0", "style": "Default", "marginl": "0", "marginr": "0", "marginv": "0"}
_SAME_FIELD = {"marked": "layer", "actor": "name"}
# Sections whose lines are never events, whatever they start with.
_NOT_EVENTS = ("script info", "fonts", "graphics")
# Aegisub's placeholder titles say nothing about the lecture.
_NO_TITLE = {"", "default aegisub file", "<untitled>", "untitled"}


def _events_and_title(text: str) -> tuple[list[tuple[int, str, tuple[str, ...]]], str | None]:
    """(line number, line, the fields the Format line names) of every Dialogue/Comment
    line, and the script's title."""
    events: list[tuple[int, str, tuple[str, ...]]] = []
    title = None
    section = ""
    fields = _PYSUBS2_FIELDS
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        heading = _SECTION.match(stripped)
        if heading:
            section = heading[1].strip().lower()
        elif section == "script info" and stripped.lower().startswith("title:"):
            title = stripped.split(":", 1)[1].strip()
        elif section == "events" and stripped.lower().startswith("format:"):
            fields = _format_fields(stripped) or fields
        elif stripped.startswith(("Dialogue:", "Comment:")) and section not in _NOT_EVENTS:
            events.append((number, stripped, fields))
    if title is not None and title.lower() in _NO_TITLE:
        title = None
    return events, title


def _format_fields(line: str) -> tuple[str, ...] | None:
    """The field names of a Format line, in pysubs2's words; None if it is no use (no
    Start, End or Text, or Text not last: the text is the rest of the line)."""
    names = [name.strip().lower() for name in line.split(":", 1)[1].split(",")]
    names = [_SAME_FIELD.get(name, name) for name in names]
    if not {"start", "end"} <= set(names) or names[-1] != "text":
        return None
    return tuple(names)


def _in_pysubs2_order(line: str, fields: tuple[str, ...]) -> str | None:
    """The event line with its fields in the order pysubs2 reads; None if it has fewer
    than its Format line names."""
    kind, rest = line.split(":", 1)
    values = rest.split(",", len(fields) - 1)
    if len(values) < len(fields):
        return None
    named = {name: value.strip() for name, value in zip(fields[:-1], values)}
    named["text"] = values[-1]
    ordered = [named.get(name) or _FIELD_DEFAULTS.get(name, "") for name in _PYSUBS2_FIELDS[:-1]]
    return f"{kind}: {','.join(ordered)},{named['text'].lstrip()}"


def _with_pysubs2(lines: list[str], format_: str) -> list[pysubs2.SSAEvent]:
    import pysubs2   # ~20 ms, all its formats and its command line: only for an ASS file

    script_type = "v4.00+" if format_ == "ass" else "v4.00"
    document = f"[Script Info]\nScriptType: {script_type}\n\n[Events]\n" + "\n".join(lines)
    with python_warnings.catch_warnings():
        python_warnings.simplefilter("ignore")  # pysubs2 warns about fields it defaults
        return pysubs2.SSAFile.from_string(document, format_=format_).events


def _read_events(events: list[tuple[int, str, tuple[str, ...]]], format_: str,
                 warnings: list[tuple[int, str]]) -> list[tuple[int, pysubs2.SSAEvent]]:
    """pysubs2's reading of each event line, with its line number. All lines at once,
    or, if one of them breaks pysubs2, line by line to find and skip the broken ones."""
    complete = []
    for number, line, fields in events:
        ordered = _in_pysubs2_order(line, fields)
        if ordered is None:
            kind = line.split(":", 1)[0]
            warnings.append((number, f"a {kind} line with fewer than {len(fields)} fields"))
        else:
            complete.append((number, ordered))
    try:
        parsed = _with_pysubs2([line for _number, line in complete], format_)
        if len(parsed) == len(complete):
            return [(number, event) for (number, _line), event in zip(complete, parsed)]
    except Exception:  # pysubs2 raises what it likes; the line-by-line pass says which line
        pass
    read = []
    for number, line in complete:
        try:
            read.extend((number, event) for event in _with_pysubs2([line], format_))
        except Exception as error:
            warnings.append((number, f"pysubs2 cannot read this line: {error}"))
    return read


def _is_drawing(event: pysubs2.SSAEvent) -> bool:
    if "\\p" not in event.text:   # pysubs2's check parses every tag: only when it can matter
        return False
    try:
        return event.is_drawing
    except Exception:
        return True   # a drawing tag pysubs2 cannot make sense of is no speech either


def _segment(number: int, event: pysubs2.SSAEvent,
             warnings: list[tuple[int, str]]) -> Segment | None:
    if event.is_comment or _is_drawing(event):
        return None
    if event.end < event.start:
        warnings.append((number, "the cue ends before it starts"))
        return None
    if event.end < 0:
        warnings.append((number, "the cue ends before the lecture starts"))
        return None
    text = " ".join(event.plaintext.split())
    if not text:
        return None
    speaker = event.name.strip() or None
    return Segment(max(0, event.start), event.end, text, speaker)


def parse(text: str, path: str, options: LoadOptions = LoadOptions()) -> Transcript:
    old_ssa = re.search(r"^\s*\[V4 Styles\]", text, re.IGNORECASE | re.MULTILINE)
    format_ = "ssa" if old_ssa else "ass"
    events, title = _events_and_title(text)
    warnings: list[tuple[int, str]] = []
    segments = []
    for number, event in _read_events(events, format_, warnings):
        segment = _segment(number, event, warnings)
        if segment is not None:
            segments.append(segment)
    warnings.sort()
    if not segments:
        if warnings:
            line, reason = warnings[0]
            raise TranscriptError(path, line, reason)
        if events:
            raise TranscriptError(path, events[0][0], "no Dialogue line has any text")
        raise TranscriptError(path, None, "no Dialogue lines found")
    return Transcript(segments, title=title, warnings=warnings)


def sniff(text: str) -> bool:
    return text.lstrip()[:13].lower() == "[script info]"


ASS = TranscriptFormat(
    name="ass",
    description="(Advanced) SubStation Alpha (.ass, .ssa)",
    extensions=(".ass", ".ssa"),
    sniff=sniff,
    parse=parse,
)

FORMATS = [ASS]

"""Timed Text (TTML, and DFXP, its older name): the XML captions of broadcasters,
streaming services and some lecture platforms.

Each <p> is a cue, timed by begin/end/dur as clock times ("00:00:01.000",
"00:00:01:12" in frames) or offsets ("1.5s", "1500ms", "90f", "2t"), relative to
the begin of the <div> or <body> around it, or in a timeContainer="seq" to the end
of the sibling before. An element's interval is clipped to its parent's, and what
lies wholly outside is never shown. A document with no times at all is shown for
its whole span. Times that tools write in the wild without being TTML ("01:30.5"
without hours, "12.5" without a unit) are read with a note. The XML is read with expat directly:
that gives each cue's line for warnings, and refuses entity declarations, which
are how XML files attack their readers (billion laughs, external entities).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from xml.parsers import expat

from player.core.formats import LoadOptions, TranscriptError, TranscriptFormat
from player.core.transcript import Segment, Transcript

_CLOCK_TIME = re.compile(r"^(\d{1,9}):(\d{2}):(\d{2})(?:(\.\d{1,9})|:(\d{1,9})(?:\.(\d{1,9}))?)?$")
_OFFSET_TIME = re.compile(r"^(\d{1,12}(?:\.\d{1,9})?)(h|ms|m|s|f|t)$")
# Not TTML, but written by some tools: minutes:seconds, and seconds without a unit.
_MINUTES_SECONDS = re.compile(r"^(\d{1,4}):(\d{2}(?:\.\d{1,9})?)$")
_BARE_SECONDS = re.compile(r"^\d{1,12}(?:\.\d{1,9})?$")
# An untimed document's span: the whole lecture, however long.
_WHOLE_DOCUMENT_MS = 2**31 - 1
_TIMING_ATTRIBUTES = ("begin", "end", "dur")
_TIMED_CONTENT = {"div", "p"}   # what a <body> or <div> holds that is shown (not metadata, set...)
_MS_PER_UNIT = {"h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1}
_NOT_SPOKEN = {"metadata", "set", "styling", "layout"}   # inside a <p> but not its words


class _EntityRefused(Exception):
    pass


@dataclass(frozen=True)
class _Rates:
    """How many frames and ticks make a second, from the <tt> element's ttp: attributes."""

    frames: float = 30.0
    ticks: float = 1.0


def _local(name: str) -> str:
    """"{namespace}name" or "namespace}name" -> "name": TTML and DFXP differ in namespace only."""
    return name.rsplit("}", 1)[-1]


def _attribute(element: ElementTree.Element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value.strip()
    return None


def _read_xml(text: str, path: str) -> tuple[ElementTree.Element, dict[ElementTree.Element, int]]:
    """The document's root and the line where each element starts."""
    parser = expat.ParserCreate(namespace_separator="}")
    builder = ElementTree.TreeBuilder()
    lines: dict[ElementTree.Element, int] = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        lines[builder.start(tag, attributes)] = parser.CurrentLineNumber

    def refuse_entity(name, *_rest) -> None:
        raise _EntityRefused(name)

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse_entity
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        reason = f"not well-formed XML: {expat.ErrorString(error.code)}"
        raise TranscriptError(path, error.lineno, reason) from None
    except _EntityRefused:
        raise TranscriptError(path, parser.CurrentLineNumber,
                              "declares XML entities, which are refused for safety") from None
    return builder.close(), lines


def _rates(root: ElementTree.Element) -> _Rates:
    """Frame and tick rates; TTML's defaults where they are missing or nonsense."""
    def number(name: str) -> float | None:
        try:
            value = float(_attribute(root, name) or "nan")
        except ValueError:
            return None
        return value if math.isfinite(value) and value > 0 else None

    frame_rate = number("frameRate")
    multiplier = (_attribute(root, "frameRateMultiplier") or "").split()
    frames = frame_rate or 30.0
    if len(multiplier) == 2 and all(part.isdigit() and int(part) > 0 for part in multiplier):
        frames *= int(multiplier[0]) / int(multiplier[1])
    # Without a tickRate, a tick is a sub-frame if a frame rate is given, else a second.
    ticks = number("tickRate") or (frames * (number("subFrameRate") or 1.0) if frame_rate else 1.0)
    return _Rates(frames, ticks)


class _LenientTime(Exception):
    """A time that is not TTML but reads one way only: its milliseconds, and what it was."""

    def __init__(self, ms: int, kind: str) -> None:
        self.ms = ms
        self.kind = kind


def _time_ms(text: str, rates: _Rates) -> int:
    """Milliseconds for a TTML time expression; ValueError saying why not, _LenientTime
    for a time in a form TTML does not have but that can be read."""
    text = text.strip()
    clock = _CLOCK_TIME.match(text)
    if not clock and (loose := _MINUTES_SECONDS.match(text)):
        if float(loose[2]) >= 60:
            raise ValueError(f"minutes or seconds out of range in {text!r}")
        raise _LenientTime(round((int(loose[1]) * 60 + float(loose[2])) * 1000), "minutes:seconds without hours")
    if not clock and _BARE_SECONDS.match(text):
        raise _LenientTime(round(float(text) * 1000), "seconds without a unit")
    if clock:
        hours, minutes, seconds, fraction, frames, _sub_frames = clock.groups()
        if int(minutes) >= 60 or int(seconds) >= 60:
            raise ValueError(f"minutes or seconds out of range in {text!r}")
        total = (int(hours) * 60 + int(minutes)) * 60 + int(seconds) + float(fraction or 0)
        ms = total * 1000 + (int(frames) * 1000 / rates.frames if frames else 0)
    else:
        offset = _OFFSET_TIME.match(text)
        if not offset:
            raise ValueError(f"not a TTML time: {text[:40]!r}")
        value, unit = float(offset[1]), offset[2]
        if unit == "f":
            ms = value * 1000 / rates.frames
        elif unit == "t":
            ms = value * 1000 / rates.ticks
        else:
            ms = value * _MS_PER_UNIT[unit]
    if not math.isfinite(ms) or ms > 1e13:
        raise ValueError(f"time out of range: {text[:40]!r}")
    return round(ms)


def _agents(root: ElementTree.Element) -> dict[str, str]:
    """ttm:agent id -> the person's name, from the document's head."""
    names = {}
    for element in root.iter():
        if _local(element.tag) == "agent":
            agent_id = _attribute(element, "id")
            name = next((" ".join("".join(child.itertext()).split()) for child in element
                         if _local(child.tag) == "name"), "")
            if agent_id:
                names[agent_id] = name or agent_id
    return names


def _title(root: ElementTree.Element) -> str | None:
    for element in root.iter():
        if _local(element.tag) == "title":
            return " ".join("".join(element.itertext()).split()) or None
        if _local(element.tag) == "body":
            break
    return None


@dataclass
class _Reader:
    rates: _Rates
    agents: dict[str, str]
    lines: dict[ElementTree.Element, int]
    warnings: list[tuple[int, str]]
    notes: list[tuple[int, str]]
    absolute: bool = False   # Apple Music's lyrics write every time from the document's start
    _lenient_kinds: set[str] = field(default_factory=set)

    def segments(self, body: ElementTree.Element) -> list[Segment]:
        """Every <p> under the body that is ever shown, on the lecture's clock."""
        found = []
        try:
            body_begin, body_end = self._interval(body, 0, None)
        except ValueError as error:
            self.warnings.append((self.lines.get(body, 1), str(error)))
            return found
        if body_end is None:   # what has no end of its own shows until the document ends
            body_end = _WHOLE_DOCUMENT_MS
        # (element, its begin, its end or None if open, speaker from around it)
        stack: list[tuple[ElementTree.Element, int, int | None, str | None]]
        stack = [(body, body_begin, body_end, None)]
        while stack:
            element, begin, end, speaker = stack.pop()
            speaker = self._speaker(element) or speaker
            if _local(element.tag) == "p":
                segment = self._segment(element, begin, end, speaker)
                if segment is not None:
                    found.append(segment)
                continue
            stack.extend(reversed([(child, child_begin, child_end, speaker)
                                   for child, child_begin, child_end in self._children(element, begin, end)]))
        return found

    def _children(self, element, begin: int, end: int | None):
        """The children's intervals: in a par container each counts from the parent's
        begin, in a seq from the end of the one before; each clipped to the parent's,
        and those wholly outside it left out."""
        sequential = (_attribute(element, "timeContainer") or "par") == "seq"
        sync: int | None = begin
        for child in element:
            if _local(child.tag) not in _TIMED_CONTENT:
                continue
            if sync is None:
                return   # after an open-ended child of a seq, nothing begins
            try:
                child_begin, child_end = self._interval(child, sync, end)
            except ValueError as error:
                self.warnings.append((self.lines.get(child, 1), str(error)))
                continue
            if sequential:
                sync = child_end
            if end is not None and child_begin >= end:
                continue
            if end is not None:
                child_end = end if child_end is None else min(child_end, end)
            yield child, child_begin, child_end

    def _interval(self, element, sync: int, parent_end: int | None) -> tuple[int, int | None]:
        """An element's begin and end on the lecture's clock: begin and end count from
        `sync`, dur from the begin; without an end or dur it lasts as long as its parent."""
        begin_text, end_text, duration = (_attribute(element, name) for name in _TIMING_ATTRIBUTES)
        if self.absolute:
            sync = 0
        begin = sync + (self._time(element, begin_text) if begin_text else 0)
        ends = []
        if end_text:
            ends.append(sync + self._time(element, end_text))
        if duration:
            ends.append(begin + self._time(element, duration))
        if not ends and _attribute(element, "timeContainer") == "seq":
            ends.append(self._seq_end(element, begin))
        ends = [end for end in ends if end is not None]
        return begin, min(ends) if ends else parent_end

    def _seq_end(self, element, begin: int) -> int | None:
        """When a seq container with no end or dur of its own ends: after its children,
        one after another (text takes no time in a seq); never, if a child never ends."""
        sync: int | None = begin
        for child in element:
            if _local(child.tag) not in ("div", "p", "span"):
                continue
            child_begin = sync + (self._time(child, text) if (text := _attribute(child, "begin")) else 0)
            ends = []
            if text := _attribute(child, "end"):
                ends.append(sync + self._time(child, text))
            if text := _attribute(child, "dur"):
                ends.append(child_begin + self._time(child, text))
            if not ends and _attribute(child, "timeContainer") == "seq":
                ends.append(self._seq_end(child, child_begin))
            ends = [end for end in ends if end is not None]
            if not ends:
                return None
            sync = min(ends)
        return sync

    def _time(self, element, text: str) -> int:
        try:
            return _time_ms(text, self.rates)
        except _LenientTime as lenient:
            if lenient.kind not in self._lenient_kinds:   # one note for each kind, at its first line
                self._lenient_kinds.add(lenient.kind)
                self.notes.append((self.lines.get(element, 1),
                                   f"{text.strip()!r} is not a TTML time ({lenient.kind}): read as such"))
            return lenient.ms

    def _speaker(self, element) -> str | None:
        agent = (_attribute(element, "agent") or "").split()
        return self.agents.get(agent[0], agent[0]) if agent else None

    def _segment(self, paragraph, begin: int, end: int | None,
                 speaker: str | None) -> Segment | None:
        """The <p> as one line: the text it ever shows, from when the first of it shows
        to when the last of it goes. Text of a span timed outside the <p> never shows."""
        line = self.lines.get(paragraph, 1)
        if end is not None and end < begin:
            self.warnings.append((line, "the cue ends before it starts"))
            return None
        pieces = self._pieces(paragraph, begin, end)
        text = " ".join("".join(piece for piece, _begin, _end in pieces).split())
        if not text:
            return None
        shown = [(piece_begin, piece_end) for piece, piece_begin, piece_end in pieces if piece.strip()]
        begin = min(piece_begin for piece_begin, _end in shown)
        ends = [piece_end for _begin, piece_end in shown]
        if None in ends:
            self.warnings.append((line, "a <p> with no end time"))
            return None
        if speaker is None:   # an agent may be named on a span only
            speaker = next(filter(None, map(self._speaker, paragraph.iter())), None)
        return Segment(begin, max(ends), text, speaker)

    def _pieces(self, paragraph, begin: int, end: int | None) -> list[tuple[str, int, int | None]]:
        """(text, begin, end) of the <p>'s text in document order, each timed by the
        spans around it (clipped to them), leaving out what is never shown. A <p> with
        no end of its own ends with the last of its timed spans."""
        if end is None:
            span_ends = []
            for span in paragraph.iter():
                if span is not paragraph and (_attribute(span, "end") or _attribute(span, "dur")):
                    try:
                        span_ends.append(self._interval(span, begin, None)[1])
                    except ValueError:
                        continue
            end = max(filter(None, span_ends), default=None)
        pieces: list[tuple[str, int, int | None]] = []
        # (element, its begin, its end) to read; a string is text (or a tail) timed like its parent.
        stack: list = [(paragraph, begin, end)]
        while stack:
            item, item_begin, item_end = stack.pop()
            if isinstance(item, str):
                if item_end is None or item_begin < item_end:   # what shows for no time never shows
                    pieces.append((item, item_begin, item_end))
                continue
            name = _local(item.tag)
            if name in _NOT_SPOKEN:
                continue
            # Text right inside a seq container takes no time there: it never shows.
            text_end = item_begin if _attribute(item, "timeContainer") == "seq" else item_end
            later = [(" " if name == "br" else item.text or "", item_begin, text_end)]
            for child, child_begin, child_end in self._child_intervals(item, item_begin, item_end):
                later.append((child, child_begin, child_end))
                later.append((child.tail or "", item_begin, text_end))
            stack.extend(reversed(later))
        return pieces

    def _child_intervals(self, element, begin: int, end: int | None):
        """Like `_children`, for everything inside a <p>; a child with a broken time is
        timed like its parent (its words are not lost)."""
        sequential = (_attribute(element, "timeContainer") or "par") == "seq"
        sync: int | None = begin
        for child in element:
            if sync is None:
                yield child, begin, begin   # after an open-ended child of a seq: never shown
                continue
            try:
                child_begin, child_end = self._interval(child, sync, end)
            except ValueError:
                child_begin, child_end = sync, end
            if sequential:
                sync = child_end
            if end is not None:
                child_begin = min(child_begin, end)
                child_end = end if child_end is None else min(child_end, end)
            yield child, child_begin, child_end


def parse(text: str, path: str, options: LoadOptions = LoadOptions()) -> Transcript:
    root, lines = _read_xml(text, path)
    if _local(root.tag) != "tt":
        reason = f"not a TTML document: the root element is <{_local(root.tag)}>"
        raise TranscriptError(path, 1, reason)
    body = next((element for element in root if _local(element.tag) == "body"), None)
    if body is None:
        raise TranscriptError(path, lines.get(root, 1), "the TTML document has no <body>")
    warnings: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    absolute = _attribute(root, "timing") is not None and any("music.apple.com" in key for key in root.attrib)
    reader = _Reader(_rates(root), _agents(root), lines, warnings, notes, absolute)
    segments = reader.segments(body)
    warnings.sort()
    if not segments:
        if warnings:
            line, reason = warnings[0]
            raise TranscriptError(path, line, reason)
        raise TranscriptError(path, lines.get(body, 1), "no <p> cue with text found")
    return Transcript(segments, title=_title(root), warnings=warnings, notes=sorted(notes))


_ROOT = re.compile(r"<(?:[\w.-]+:)?tt[\s>]")


def sniff(text: str) -> bool:
    head = text.lstrip()[:4000]
    return (head.startswith("<") and bool(_ROOT.search(head))
            and ("ttml" in head or "ttaf1" in head or "dfxp" in head.lower()))


TTML = TranscriptFormat(
    name="ttml",
    description="Timed Text (.ttml, .dfxp, .xml): TTML, DFXP, IMSC, Apple Music lyrics",
    extensions=(".ttml", ".dfxp", ".xml"),
    sniff=sniff,
    parse=parse,
)

FORMATS = [TTML]

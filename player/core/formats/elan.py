"""ELAN annotation files (.eaf): a recording annotated on tiers, one per speaker or layer.

Times live in the TIME_ORDER as slots (milliseconds); an ALIGNABLE_ANNOTATION spans two
slots and a REF_ANNOTATION (a translation, a gloss) takes its parent's span. Each tier is
one transcript, so a file with several asks the learner which (LoadOptions.tier).

The XML is read with expat, refusing any DOCTYPE: ELAN never writes one, and refusing it
shuts out external entities and entity-expansion bombs without another dependency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from player.core.formats import ChoiceNeeded, LoadOptions, TranscriptError, TranscriptFormat
from player.core.transcript import Segment, Transcript

_LONGEST_MS = 2**31 - 1


@dataclass
class _Annotation:
    line: int
    id: str
    slots: tuple[str, str] | None   # an ALIGNABLE_ANNOTATION's two time slots
    parent: str | None              # a REF_ANNOTATION's annotation
    value: str = ""


@dataclass
class _Tier:
    id: str
    participant: str
    parent: str
    kind: str                       # the linguistic type: "transcription", "translation", ...
    annotations: list[_Annotation] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


class _EafReader:
    """Collects time slots, tiers and annotations as expat reads the file, with their lines."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(encoding="utf-8")
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.slot_order: list[str] = []
        self.slot_values: dict[str, int | None] = {}
        self.tiers: list[_Tier] = []
        self.annotations: dict[str, _Annotation] = {}
        self.problems: list[tuple[int, str]] = []
        self._seen_root = False
        self._tier: _Tier | None = None
        self._annotation: _Annotation | None = None
        self._value: list[str] | None = None

    def read(self, text: str) -> None:
        self.parser.Parse(text.encode("utf-8", errors="replace"), True)

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def _refuse_doctype(self, *_args) -> None:
        raise _Refused(self.line, "a DOCTYPE (ELAN files have none; refused for safety)")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if not self._seen_root:
            self._seen_root = True
            if name != "ANNOTATION_DOCUMENT":
                raise _Refused(self.line, f"not an ELAN file: it starts with <{name}>")
        if name == "TIME_SLOT":
            self._time_slot(attrs)
        elif name == "TIER":
            self._tier = _Tier(attrs.get("TIER_ID", ""), attrs.get("PARTICIPANT", "").strip(),
                               attrs.get("PARENT_REF", ""), attrs.get("LINGUISTIC_TYPE_REF", ""))
            self.tiers.append(self._tier)
        elif name == "ALIGNABLE_ANNOTATION" and self._tier is not None:
            slots = (attrs.get("TIME_SLOT_REF1", ""), attrs.get("TIME_SLOT_REF2", ""))
            self._annotation = _Annotation(self.line, attrs.get("ANNOTATION_ID", ""), slots, None)
        elif name == "REF_ANNOTATION" and self._tier is not None:
            self._annotation = _Annotation(self.line, attrs.get("ANNOTATION_ID", ""), None,
                                           attrs.get("ANNOTATION_REF", ""))
        elif name == "ANNOTATION_VALUE" and self._annotation is not None:
            self._value = []

    def _time_slot(self, attrs: dict[str, str]) -> None:
        slot, value = attrs.get("TIME_SLOT_ID", ""), attrs.get("TIME_VALUE")
        ms = None
        if value is not None:
            try:
                ms = int(value)
                if not 0 <= ms <= _LONGEST_MS:
                    raise ValueError
            except ValueError:
                self.problems.append((self.line, f"time slot {slot!r} has no usable time: "
                                                 f"{value[:20]!r}"))
                ms = None
        if slot not in self.slot_values:
            self.slot_order.append(slot)
        self.slot_values[slot] = ms

    def _end(self, name: str) -> None:
        if name == "ANNOTATION_VALUE" and self._value is not None and self._annotation is not None:
            self._annotation.value = " ".join("".join(self._value).split())
            self._value = None
        elif name in ("ALIGNABLE_ANNOTATION", "REF_ANNOTATION") and self._annotation is not None:
            self._tier.annotations.append(self._annotation)
            self.annotations.setdefault(self._annotation.id, self._annotation)
            self._annotation = None
        elif name == "TIER":
            self._tier = None

    def _text(self, data: str) -> None:
        if self._value is not None:
            self._value.append(data)


def _slot_times(order: list[str], values: dict[str, int | None]) -> dict[str, int]:
    """Every slot's time. Unaligned slots (no TIME_VALUE) sit evenly between the aligned ones
    around them in the TIME_ORDER, which is roughly where ELAN draws them."""
    times: dict[str, int] = {}
    known = [(index, values[slot]) for index, slot in enumerate(order) if values[slot] is not None]
    if not known:
        return times
    for (left, left_ms), (right, right_ms) in zip(known, known[1:]):
        for index in range(left, right):
            times[order[index]] = left_ms + (right_ms - left_ms) * (index - left) // (right - left)
    first, first_ms = known[0]
    last, last_ms = known[-1]
    for index in range(first):
        times[order[index]] = first_ms
    for index in range(last, len(order)):
        times[order[index]] = last_ms
    return times


class _Spans:
    """Start and end of each annotation: its own slots, or its parent's span for a reference.

    Several references to one parent in one tier (symbolic subdivision) share its span in
    file order. Chains are followed without recursion: a file can make them very long.
    """

    def __init__(self, reader: _EafReader) -> None:
        self.slots = _slot_times(reader.slot_order, reader.slot_values)
        self.annotations = reader.annotations
        self.spans: dict[int, tuple[int, int] | None] = {}  # id(reference) -> span
        self.share: dict[int, tuple[int, int]] = {}     # id(annotation) -> (its part, parts)
        for tier in reader.tiers:
            children: dict[str, list[_Annotation]] = {}
            for annotation in tier.annotations:
                if annotation.parent is not None:
                    children.setdefault(annotation.parent, []).append(annotation)
            for siblings in children.values():
                for part, annotation in enumerate(siblings):
                    self.share[id(annotation)] = (part, len(siblings))

    def of(self, annotation: _Annotation) -> tuple[int, int] | None:
        chain: list[_Annotation] = []       # references, climbing towards an aligned annotation
        seen: set[int] = set()
        current: _Annotation | None = annotation
        while current is not None and current.slots is None and id(current) not in self.spans:
            if id(current) in seen:         # a reference loop
                current = None
                break
            seen.add(id(current))
            chain.append(current)
            current = self.annotations.get(current.parent)
        if current is None:
            span = None
        elif current.slots is not None:
            span = self._aligned(current)
        else:
            span = self.spans[id(current)]
        for link in reversed(chain):
            span = self._part_of(span, link)
            self.spans[id(link)] = span
        return span

    def _aligned(self, annotation: _Annotation) -> tuple[int, int] | None:
        start, end = (self.slots.get(slot) for slot in annotation.slots)
        return None if start is None or end is None else (start, end)

    def _part_of(self, span: tuple[int, int] | None,
                 annotation: _Annotation) -> tuple[int, int] | None:
        if span is None:
            return None
        part, parts = self.share.get(id(annotation), (0, 1))
        start, end = span
        return start + (end - start) * part // parts, start + (end - start) * (part + 1) // parts


def _read(text: str, path: str) -> _EafReader:
    reader = _EafReader()
    try:
        reader.read(text)
    except expat.ExpatError as error:
        reason = f"not well-formed XML: {expat.ErrorString(error.code)}"
        raise TranscriptError(path, error.lineno, reason) from None
    except _Refused as refused:
        raise TranscriptError(path, refused.line, refused.reason) from None
    return reader


def _speaker(tier: _Tier, tiers: dict[str, _Tier]) -> str | None:
    """The tier's participant, or that of the tier it depends on (a translation tier's)."""
    for _step in range(len(tiers) + 1):
        if tier.participant:
            return tier.participant
        if tier.parent not in tiers:
            return None
        tier = tiers[tier.parent]
    return None


def _label(tier: _Tier, speaker: str | None, count: int) -> str:
    parts = [speaker, tier.kind, f"{count} annotation{'s' if count != 1 else ''}"]
    return ", ".join(part for part in parts if part)


def _count_with_text(tier: _Tier) -> int:
    return sum(1 for annotation in tier.annotations if annotation.value)


def _choose_tier(tiers: list[_Tier], path: str, options: LoadOptions) -> _Tier:
    by_id = {tier.id: tier for tier in tiers}
    with_text = [tier for tier in tiers if _count_with_text(tier)]
    if options.tier is not None:
        for tier in tiers:
            if tier.id == options.tier:
                return tier
        known = ", ".join(tier.id for tier in with_text) or "none with annotations"
        raise TranscriptError(path, None, f"no tier {options.tier!r} in this file; it has: {known}")
    if not with_text:
        raise TranscriptError(path, None, "no annotations with text in any tier")
    if len(with_text) > 1:
        raise ChoiceNeeded(path, "tier", [
            (tier.id, _label(tier, _speaker(tier, by_id), _count_with_text(tier)))
            for tier in with_text])
    return with_text[0]


def parse(text: str, path: str, options: LoadOptions) -> Transcript:
    reader = _read(text, path)
    tier = _choose_tier(reader.tiers, path, options)
    spans = _Spans(reader)
    speaker = _speaker(tier, {t.id: t for t in reader.tiers})
    segments: list[Segment] = []
    warnings = list(reader.problems)
    for annotation in tier.annotations:
        if not annotation.value:
            continue  # ELAN keeps empty annotations as placeholders
        span = spans.of(annotation)
        if span is None:
            warnings.append((annotation.line, f"annotation {annotation.id!r} refers to a time slot "
                                              "or annotation that is not in the file"))
        elif span[1] < span[0]:
            warnings.append((annotation.line,
                             f"annotation {annotation.id!r} ends before it starts"))
        else:
            segments.append(Segment(span[0], span[1], annotation.value, speaker))
    warnings.sort()
    if not segments:
        line, reason = warnings[0] if warnings else (
            None, f"tier {tier.id!r} has no annotations with text")
        raise TranscriptError(path, line, reason)
    return Transcript(segments, warnings=warnings)


def sniff(text: str) -> bool:
    return "<ANNOTATION_DOCUMENT" in text[:4000]


ELAN = TranscriptFormat(
    name="elan",
    description="ELAN annotations (.eaf)",
    extensions=(".eaf",),
    sniff=sniff,
    parse=parse,
)

FORMATS = [ELAN]

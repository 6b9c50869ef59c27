"""Praat TextGrids (.TextGrid): speech annotated on tiers of labelled intervals.

Praat writes them long (`xmin = 0`, `intervals [1]:`) or short (the bare values), often
in UTF-16. Both are read the way Praat itself reads them: only the numbers, the quoted
texts and the <exists> flag count, the rest is labelling for people. Interval tiers with
text become transcripts; a file with several asks the learner which (LoadOptions.tier).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from player.core.formats import ChoiceNeeded, LoadOptions, TranscriptError, TranscriptFormat
from player.core.transcript import Segment, Transcript

_LONGEST_MS = 2**31 - 1

_TOKEN = re.compile(r"""
      "(?P<text>[^"]*(?:""[^"]*)*)"                     # a text; "" inside stands for one quote
    | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    | (?P<flag><exists>|<absent>)
    | "(?P<unclosed>[^\n]*)                             # a cut file's last quote: to line end
    | ![^\n]*                                           # a comment
    | \[[^\]\n]*\]                                      # an index, as in "item [1]:"
    | [A-Za-z_][\w?]*                                   # a label, as in "xmin ="
    | \S
""", re.VERBOSE)

_TIER_CLASSES = ("IntervalTier", "TextTier")
# The tokens of one item: an interval (start, end, text), a point (time, mark).
_ITEM_SHAPES = {"IntervalTier": ("number", "number", "text"), "TextTier": ("number", "text")}


@dataclass(frozen=True)
class _Token:
    kind: str       # "text", "number" or "flag"
    value: str
    line: int


def _tokens(text: str, problems: list[tuple[int, str]]) -> list[_Token]:
    tokens: list[_Token] = []
    line, counted = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        value = match[kind]
        if kind == "unclosed":
            problems.append((line, "a text whose closing quote is missing: "
                                   "read to the end of its line"))
            kind = "text"
        tokens.append(_Token(kind, value.replace('""', '"') if kind == "text" else value, line))
    return tokens


@dataclass
class _Tier:
    id: str
    kind: str
    line: int
    segments: list[Segment] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _is_tier_start(tokens: list[_Token], index: int) -> bool:
    return (tokens[index].kind == "text" and tokens[index].value in _TIER_CLASSES
            and index + 1 < len(tokens) and tokens[index + 1].kind == "text")


def _ms(token: _Token) -> int:
    seconds = float(token.value)
    if not math.isfinite(seconds) or seconds < 0 or seconds * 1000 > _LONGEST_MS:
        raise ValueError(f"not a time: {token.value[:20]}")
    return round(seconds * 1000)


def _add_interval(tier: _Tier, xmin: _Token, xmax: _Token, label: _Token) -> None:
    try:
        start, end = _ms(xmin), _ms(xmax)
        if end < start:
            raise ValueError("the interval ends before it starts")
    except ValueError as error:
        tier.problems.append((xmin.line, str(error)))
        return
    said = " ".join(label.value.split())
    if said:
        tier.segments.append(Segment(start, end, said))


def _fits(tokens: list[_Token], index: int, kinds: tuple[str, ...]) -> bool:
    return index + len(kinds) <= len(tokens) and all(
        tokens[index + offset].kind == kind for offset, kind in enumerate(kinds))


class _TierReader:
    """Walks the tokens tier by tier. A tier's declared sizes are not trusted: intervals are
    read while they look like intervals, and a stretch that does not (a lost or doubled
    line) is skipped with one warning, so the intervals after it are still read."""

    def __init__(self, tokens: list[_Token], problems: list[tuple[int, str]]) -> None:
        self.tokens = tokens
        self.tiers: list[_Tier] = []
        self.problems = problems
        self._names: set[str] = set()

    def read(self) -> None:
        tokens, index = self.tokens, 2          # past "ooTextFile" and "TextGrid"
        tier: _Tier | None = None
        skipping = False
        while index < len(tokens):
            token = tokens[index]
            if _is_tier_start(tokens, index):
                tier = self._new_tier(token, tokens[index + 1].value)
                index += 2
                for _bound in range(3):         # its xmin, xmax and number of items
                    if index < len(tokens) and tokens[index].kind == "number":
                        index += 1
                skipping = False
                continue
            shape = _ITEM_SHAPES.get(tier.kind) if tier is not None else None
            if shape and _fits(tokens, index, shape):
                if tier.kind == "IntervalTier":    # points mark instants, not stretches of speech
                    _add_interval(tier, tokens[index], tokens[index + 1], tokens[index + 2])
                index, skipping = index + len(shape), False
                continue
            if tier is not None and not skipping:
                tier.problems.append((token.line, "not an interval (start, end, text): skipped"))
                skipping = True
            index += 1

    def _new_tier(self, token: _Token, name: str) -> _Tier:
        # Tiers are chosen by name: a repeated name gets a number to tell it apart.
        unique, count = name, 1
        while unique in self._names:
            count += 1
            unique = f"{name} ({count})"
        self._names.add(unique)
        tier = _Tier(unique, token.value, token.line)
        self.tiers.append(tier)
        return tier


def _choose_tier(tiers: list[_Tier], path: str, options: LoadOptions) -> _Tier:
    spoken = [tier for tier in tiers if tier.kind == "IntervalTier" and tier.segments]
    if options.tier is not None:
        for tier in tiers:
            if tier.id == options.tier:
                if tier.kind != "IntervalTier":
                    raise TranscriptError(path, tier.line,
                                          f"tier {tier.id!r} marks points in time, not intervals")
                return tier
        known = ", ".join(tier.id for tier in spoken) or "none with text"
        raise TranscriptError(path, None, f"no tier {options.tier!r} in this file; it has: {known}")
    if len(spoken) > 1:
        raise ChoiceNeeded(path, "tier", [(tier.id, f"{len(tier.segments)} intervals with text")
                                          for tier in spoken])
    if spoken:
        return spoken[0]
    problems = sorted(problem for tier in tiers for problem in tier.problems)
    line, reason = problems[0] if problems else (None, "no interval tier with text")
    raise TranscriptError(path, line, reason)


def parse(text: str, path: str, options: LoadOptions) -> Transcript:
    problems: list[tuple[int, str]] = []
    tokens = _tokens(text, problems)
    file_type, object_class, *_rest = [t.value for t in tokens[:2] if t.kind == "text"] + ["", ""]
    if not file_type.startswith("ooTextFile") or object_class != "TextGrid":
        line = tokens[0].line if tokens else None
        raise TranscriptError(path, line, 'not a Praat TextGrid (it starts File type = '
                                          '"ooTextFile", Object class = "TextGrid")')
    reader = _TierReader(tokens, problems)
    reader.read()
    tier = _choose_tier(reader.tiers, path, options)
    warnings = sorted(reader.problems + tier.problems)
    if not tier.segments:
        line, reason = warnings[0] if warnings else (
            tier.line, f"tier {tier.id!r} has no intervals with text")
        raise TranscriptError(path, line, reason)
    return Transcript(tier.segments, warnings=warnings)


_SIGNATURE = re.compile(
    r'\s*File type\s*=\s*"ooTextFile[^"\n]*"\s*(?:Object class\s*=\s*)?"TextGrid"')


def sniff(text: str) -> bool:
    return bool(_SIGNATURE.match(text[:300]))


TEXTGRID = TranscriptFormat(
    name="textgrid",
    description="Praat TextGrid (.TextGrid)",
    extensions=(".TextGrid", ".textgrid"),
    sniff=sniff,
    parse=parse,
)

FORMATS = [TEXTGRID]

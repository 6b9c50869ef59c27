"""Dictation: what the learner typed for a line, checked word by word against the line.

How words are compared (`word_key`):
- Unicode NFKC (full-width letters and digits are the plain ones, ligatures split), then
  casefold (so "Straße" = "STRASSE" = "strasse"); accents count: "café" against "cafe" is
  a near miss, not right.
- Punctuation, quotes and symbols at a word's edges are dropped ("«Bonjour»," = "bonjour"); inside
  a word they stay, except that every apostrophe (’ ‘ ʼ ` ´ ′) is the plain one, so
  "don’t" = "don't" (and "dont" is a near miss). Something with no letter or digit ("&",
  "♪", "…") is not a word: it is shown with the word before it and need not be typed.
- A hyphen or dash joins words the learner may write apart: "well-known" is the two
  words "well" and "known", so "well known" and "well-known" are both right.
- Numbers are compared as written: "3" and "three" differ (no spelling out of numbers),
  and "1999" typed for "1998" is wrong, never a near miss.
- Scripts written without spaces (Chinese, Japanese kanji and kana, Thai, Lao, Khmer,
  Myanmar) have no words to split on: each character is one unit there, so "今日は雨"
  is four units and one wrong kanji costs one.

Alignment is a word-level edit distance (insert, delete, substitute), so a missing or an
extra word costs one and does not shift every word after it. A substitution of a near
miss (one letter added, removed, changed or two swapped, in a word of four letters or
more) is cheaper than another word, so it pairs with the word it misspells: it counts as
wrong, and shows as "close" so the learner sees it was a typo, not a mishearing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class Verdict(str, Enum):
    RIGHT = "right"
    CLOSE = "close"       # one letter off: counted wrong, shown as a near miss
    WRONG = "wrong"
    MISSING = "missing"   # a word of the line that was not typed
    EXTRA = "extra"       # a typed word the line does not have


@dataclass(frozen=True, slots=True)
class Unit:
    """One word of a text (or one character, in a script without spaces): where it is
    in the text, as written, and the key it is compared by."""

    start: int
    end: int
    key: str


@dataclass(frozen=True, slots=True)
class Mark:
    """One step of the alignment, in reading order: an expected word (with what was typed
    for it, if anything) or an extra typed word."""

    verdict: Verdict
    expected: Unit | None    # None for an extra word
    typed: Unit | None       # None for a missing word


@dataclass(frozen=True, slots=True)
class Check:
    expected_text: str
    typed_text: str
    marks: tuple[Mark, ...]

    @property
    def words_total(self) -> int:
        return sum(1 for mark in self.marks if mark.expected is not None)

    @property
    def words_right(self) -> int:
        return sum(1 for mark in self.marks if mark.verdict is Verdict.RIGHT)

    @property
    def extra(self) -> list[str]:
        """The typed words the line does not have, as typed."""
        return [self.typed_text[m.typed.start:m.typed.end] for m in self.marks if m.verdict is Verdict.EXTRA]

    @property
    def perfect(self) -> bool:
        return all(mark.verdict is Verdict.RIGHT for mark in self.marks)

    def verdicts(self) -> list[Verdict]:
        """The verdict on each word of the line, in order (extras left out)."""
        return [mark.verdict for mark in self.marks if mark.expected is not None]

    def pieces(self) -> list[tuple[str, str]]:
        """The result to show, as (text, kind) pieces in order: the line as written, each
        word's kind one of "right", "close", "wrong", "missing"; before a close or wrong
        word the typed word as kind "typed"; an extra typed word as kind "extra"; the
        text between words as kind "plain". The texts are the learner's and the line's
        own: whoever draws them shows them as text."""
        pieces: list[tuple[str, str]] = []

        def typed_piece(text: str, kind: str) -> None:
            # Set apart by a space from what is before it, whatever the line has there.
            if pieces and not pieces[-1][0][-1:].isspace():
                pieces.append((" ", "plain"))
            pieces.append((text, kind))

        position = 0   # in expected_text: what is shown of the line so far
        for mark in self.marks:
            typed = self.typed_text[mark.typed.start:mark.typed.end] if mark.typed else ""
            if mark.expected is None:
                typed_piece(typed, "extra")
                continue
            if mark.expected.start > position:
                pieces.append((self.expected_text[position:mark.expected.start], "plain"))
            elif pieces and pieces[-1][1] == "extra":
                pieces.append((" ", "plain"))
            if mark.verdict in (Verdict.CLOSE, Verdict.WRONG):
                typed_piece(typed, "typed")
                pieces.append((" ", "plain"))
            pieces.append((self.expected_text[mark.expected.start:mark.expected.end], mark.verdict.value))
            position = mark.expected.end
        if position < len(self.expected_text):
            pieces.append((self.expected_text[position:], "plain"))
        return pieces


_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u0060\u00b4\u2032\u02b9\uff07"})
# Hyphens and dashes: a word boundary inside a chunk ("well-known", "1990–2000", "yes—no").
_DASHES = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_CHUNK = re.compile(rf"[^\s{re.escape(_DASHES)}]+[{re.escape(_DASHES)}]*|[{re.escape(_DASHES)}]+")
# Scripts written without spaces between words: one character is one unit there.
_NO_SPACES = re.compile(
    "[\u0e00-\u0e7f"        # Thai
    "\u0e80-\u0eff"         # Lao
    "\u1000-\u109f"         # Myanmar
    "\u1780-\u17ff"         # Khmer
    "\u3040-\u30ff"         # Hiragana, Katakana
    "\u31f0-\u31ff"         # Katakana extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"   # CJK ideographs
    "\uff66-\uff9f"         # half-width Katakana
    "\U00020000-\U0003134f]")


def _is_edge(char: str) -> bool:
    """Punctuation, quotes and symbols that a word may carry at its edges ("word," «word»)."""
    return unicodedata.category(char)[0] in "PSZC"


def word_key(word: str) -> str:
    """The form a word is compared by (see the module's docstring); "" for punctuation alone."""
    key = unicodedata.normalize("NFKC", word).casefold().translate(_APOSTROPHES)
    start, end = 0, len(key)
    while start < end and (_is_edge(key[start]) or key[start] in _DASHES):
        start += 1
    while end > start and (_is_edge(key[end - 1]) or key[end - 1] in _DASHES):
        end -= 1
    key = key[start:end]
    # A word has a letter or a digit: "&", "♪" or a stray accent alone are not words.
    return key if any(unicodedata.category(c)[0] in "LN" for c in key) else ""


def _characters(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of text[start:end] split into characters where the script has no spaces
    (a character keeps the combining marks after it), other runs kept whole."""
    spans: list[tuple[int, int]] = []
    run = start   # the start of a run of characters in a spaced script
    i = start
    while i < end:
        if _NO_SPACES.match(text, i):
            if run < i:
                spans.append((run, i))
            j = i + 1
            while j < end and unicodedata.category(text[j])[0] == "M":
                j += 1
            spans.append((i, j))
            i = run = j
        else:
            i += 1
    if run < end:
        spans.append((run, end))
    return spans


def split_units(text: str) -> list[Unit]:
    """The words of a text, in order, with where each is in the text (punctuation at its
    edges stays with it for showing, and leaves its key)."""
    units: list[Unit] = []
    for chunk in _CHUNK.finditer(text):
        for start, end in _characters(text, chunk.start(), chunk.end()):
            key = word_key(text[start:end])
            if key:
                units.append(Unit(start, end, key))
            elif units and units[-1].end == start:
                # Punctuation of its own ("。", "!" after a kanji) is shown with the word before it.
                last = units[-1]
                units[-1] = Unit(last.start, end, last.key)
    return units


def is_close(expected: str, typed: str) -> bool:
    """One edit apart (a letter added, removed or changed, or two neighbours swapped), in
    a word long enough that one letter rarely makes another word. Never for numbers: one
    digit off is another number."""
    if expected == typed or min(len(expected), len(typed)) < 4:
        return False
    if any(c.isdigit() for c in expected + typed):
        return False
    if abs(len(expected) - len(typed)) > 1:
        return False
    if len(expected) == len(typed):
        differ = [i for i, (a, b) in enumerate(zip(expected, typed)) if a != b]
        if len(differ) == 1:
            return True
        return (len(differ) == 2 and differ[1] == differ[0] + 1
                and expected[differ[0]] == typed[differ[1]] and expected[differ[1]] == typed[differ[0]])
    shorter, longer = sorted((expected, typed), key=len)
    for i, (a, b) in enumerate(zip(shorter, longer)):
        if a != b:
            return shorter[i:] == longer[i + 1:]
    return True   # the longer has one more letter at the end


# Costs of the word alignment. A wrong word costs less than a missing one plus an extra
# one (so it pairs with the word it stands for) but more than one gap, so keeping a
# later word right wins over pairing everything in place ("the quik fox" for "the quick
# brown fox": "brown" missing, "fox" right); a near miss pairs with the word it misspells.
_SUBSTITUTE, _SUBSTITUTE_CLOSE, _GAP = 1.5, 0.5, 1.0


def _substitution(expected: str, typed: str) -> tuple[float, Verdict]:
    if expected == typed:
        return 0.0, Verdict.RIGHT
    if is_close(expected, typed):
        return _SUBSTITUTE_CLOSE, Verdict.CLOSE
    return _SUBSTITUTE, Verdict.WRONG


def align(expected: list[Unit], typed: list[Unit]) -> list[Mark]:
    """The cheapest alignment of the typed words with the line's (edit distance over
    words, backtracked), in reading order."""
    n, m = len(expected), len(typed)
    # Each pair of distinct words is compared once (a line repeats its words).
    pairs: dict[tuple[str, str], tuple[float, Verdict]] = {}

    def substitution(a: str, b: str) -> tuple[float, Verdict]:
        found = pairs.get((a, b))
        return found if found is not None else pairs.setdefault((a, b), _substitution(a, b))

    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i * _GAP
    for j in range(1, m + 1):
        cost[0][j] = j * _GAP
    for i in range(1, n + 1):
        row, above = cost[i], cost[i - 1]
        for j in range(1, m + 1):
            row[j] = min(above[j - 1] + substitution(expected[i - 1].key, typed[j - 1].key)[0],
                         above[j] + _GAP, row[j - 1] + _GAP)
    marks: list[Mark] = []
    i, j = n, m
    while i or j:
        # A pairing first, then a missing word, then an extra one: ties read naturally.
        if i and j:
            step, verdict = substitution(expected[i - 1].key, typed[j - 1].key)
            if cost[i][j] == cost[i - 1][j - 1] + step:
                marks.append(Mark(verdict, expected[i - 1], typed[j - 1]))
                i, j = i - 1, j - 1
                continue
        if i and cost[i][j] == cost[i - 1][j] + _GAP:
            marks.append(Mark(Verdict.MISSING, expected[i - 1], None))
            i -= 1
        else:
            marks.append(Mark(Verdict.EXTRA, None, typed[j - 1]))
            j -= 1
    marks.reverse()
    return marks


def check(expected_text: str, typed_text: str) -> Check:
    """Check what the learner typed against the line (see the module's docstring)."""
    return Check(expected_text, typed_text, tuple(align(split_units(expected_text), split_units(typed_text))))


def has_words(text: str) -> bool:
    """Whether a line has anything to dictate (not only punctuation or a [Music] marker)."""
    return bool(split_units(text))

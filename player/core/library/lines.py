"""What a correction makes of transcript lines, as pure functions on TranscriptLine records
(the Library stores what they return): a new text, a split, a merge, new times, a shift.
Word times go along: a split divides the line where its words say, a corrected word keeps
the time of the word it replaces.
"""

from __future__ import annotations

import json
from dataclasses import replace

from player.core.library.models import LineWord, TranscriptLine

# A line made by a split has no id until it is stored.
NEW_LINE_ID = 0
_PUNCTUATION = ".,;:!?\"'()[]…“”‘’-"


# ----- words as stored (segments.words) ------------------------------------------------------


def words_json(words) -> str | None:
    """Words (anything with start_ms, end_ms, text and perhaps probability) as the JSON kept
    in segments.words; None for a line without word times."""
    rows = []
    for word in words or ():
        row = {"start_ms": int(word.start_ms), "end_ms": int(word.end_ms), "text": str(word.text)}
        probability = getattr(word, "probability", None)
        if probability is not None:
            row["probability"] = round(float(probability), 4)
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")) if rows else None


def words_from_json(text: str | None) -> tuple[LineWord, ...]:
    """The words of segments.words; a value that is not what the app writes (edited by hand
    in a SQLite tool) counts as no word times rather than failing the whole transcript."""
    if not text:
        return ()
    try:
        return tuple(LineWord(int(row["start_ms"]), int(row["end_ms"]), str(row["text"]),
                              None if row.get("probability") is None else float(row["probability"]))
                     for row in json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError):
        return ()


def word_spans(text: str, words: tuple[LineWord, ...]) -> list[tuple[int, int]] | None:
    """(first char, end char) of each word in `text`, found in order; None when the words do
    not spell the text (then times are read off the characters instead)."""
    folded = text.casefold()
    if not words or len(folded) != len(text):
        return None
    spans, cursor = [], 0
    for word in words:
        needle = word.text.strip().casefold()
        at = folded.find(needle, cursor) if needle else -1
        if at < 0:
            return None
        spans.append((at, at + len(needle)))
        cursor = at + len(needle)
    return spans


def _key(word: str) -> str:
    """A word as compared when realigning: "Need!" matches "need."."""
    return word.strip().strip(_PUNCTUATION).casefold()


def _spread(tokens: list[str], start_ms: int, end_ms: int) -> list[LineWord]:
    """Words with no time of their own share a stretch in proportion to their length."""
    total = sum(len(token) for token in tokens) or 1
    words, at = [], float(start_ms)
    for token in tokens:
        until = at + (end_ms - start_ms) * len(token) / total
        words.append(LineWord(round(at), round(until), token))
        at = until
    return words


# ----- the corrections -------------------------------------------------------------------------


def with_text(line: TranscriptLine, text: str) -> TranscriptLine:
    """The line saying `text`. Words kept as they were keep their times (and the model's
    probability); a corrected word takes the time of the words it replaces, a new word a
    share of the gap it fills."""
    text = text.strip()
    if not text:
        raise ValueError("a line needs words (merge it with its neighbour instead)")
    if not line.words:
        return replace(line, text=text)
    old = list(line.words)
    tokens = text.split()
    from difflib import SequenceMatcher   # only when a line's words are edited

    matcher = SequenceMatcher(a=[_key(word.text) for word in old], b=[_key(token) for token in tokens],
                              autojunk=False)
    words: list[LineWord] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            # The same words, or as many corrected ones: each keeps its word's time (the
            # probability only where the model heard this very word).
            words += [replace(old[i], text=tokens[j], probability=old[i].probability if tag == "equal" else None)
                      for i, j in zip(range(i1, i2), range(j1, j2))]
        elif j2 > j1:   # replaced or inserted words
            if i2 > i1:
                start, end = old[i1].start_ms, old[i2 - 1].end_ms
            else:
                start = words[-1].end_ms if words else line.start_ms
                end = max(start, old[i1].start_ms if i1 < len(old) else line.end_ms)
            words += _spread(tokens[j1:j2], start, end)
    return replace(line, text=text, words=tuple(words))


def split(line: TranscriptLine, offset: int) -> tuple[TranscriptLine, TranscriptLine]:
    """The line cut at character `offset` of its text: the first part keeps the line's id,
    the second is new (id NEW_LINE_ID). The time between them is where the words say (the
    end of the last word before the cut, the start of the first after it; a word cut in two
    is divided by its characters), else in proportion to the characters."""
    text = line.text
    if not 0 < offset < len(text) or not text[:offset].strip() or not text[offset:].strip():
        raise ValueError(f"nothing to split off at character {offset} of {text!r}")
    left_text, right_text = text[:offset].rstrip(), text[offset:].lstrip()
    spans = word_spans(text, line.words)
    cut = _cut_by_words(line, offset, spans) if spans is not None else None
    if cut is None:
        at = round(line.start_ms + (line.end_ms - line.start_ms) * offset / len(text))
        if not line.start_ms < at < line.end_ms:
            raise ValueError(f"the line {text!r} is too short to split")
        left_end, right_start, left_words, right_words = at, at, (), ()
    else:
        left_end, right_start, left_words, right_words = cut
    left = replace(line, text=left_text, end_ms=left_end, words=left_words)
    right = replace(line, id=NEW_LINE_ID, position=line.position + 1, text=right_text, start_ms=right_start,
                    words=right_words)
    return left, right


def _cut_by_words(line: TranscriptLine, offset: int, spans: list[tuple[int, int]]):
    """(left end, right start, left words, right words) from the word times, or None when
    they cannot place the cut (no word on one side, words of no length)."""
    left: list[LineWord] = []
    right: list[LineWord] = []
    for word, (first, end) in zip(line.words, spans):
        if end <= offset:
            left.append(word)
        elif first >= offset:
            right.append(word)
        else:   # the cut falls inside this word: each part takes its share of the time
            share = (offset - first) / (end - first)
            at = round(word.start_ms + (word.end_ms - word.start_ms) * share)
            inside = offset - first
            stripped = word.text.strip()
            left.append(LineWord(word.start_ms, at, stripped[:inside], word.probability))
            right.append(LineWord(at, word.end_ms, stripped[inside:], word.probability))
    if not left or not right:
        return None
    left_end, right_start = left[-1].end_ms, right[0].start_ms
    if not line.start_ms < left_end <= right_start < line.end_ms:
        return None
    return left_end, right_start, tuple(left), tuple(right)


def merge(first: TranscriptLine, second: TranscriptLine) -> TranscriptLine:
    """One line saying both: it keeps the first's id and speaker, spans both, and takes the
    lower of their confidences. Word times are kept when both lines have them."""
    words = first.words + second.words if first.words and second.words else ()
    lows = [line.avg_logprob for line in (first, second) if line.avg_logprob is not None]
    highs = [line.no_speech_prob for line in (first, second) if line.no_speech_prob is not None]
    return replace(first, text=f"{first.text.rstrip()} {second.text.lstrip()}",
                   start_ms=min(first.start_ms, second.start_ms), end_ms=max(first.end_ms, second.end_ms),
                   words=words, avg_logprob=min(lows) if lows else None,
                   no_speech_prob=max(highs) if highs else None)


def with_times(line: TranscriptLine, start_ms: int, end_ms: int) -> TranscriptLine:
    """The line at new times: a line moved whole takes its words along; a line stretched or
    shortened keeps each word's time, within the line."""
    shift = start_ms - line.start_ms
    moved = end_ms - start_ms == line.end_ms - line.start_ms

    def fit(ms: int) -> int:
        return min(max(ms + shift if moved else ms, start_ms), end_ms)

    return replace(line, start_ms=start_ms, end_ms=end_ms,
                   words=tuple(replace(word, start_ms=fit(word.start_ms), end_ms=fit(word.end_ms))
                               for word in line.words))


def shifted(line: TranscriptLine, offset_ms: int) -> TranscriptLine:
    """The line `offset_ms` later (earlier if negative), never before 0: a line pushed
    past the start keeps at least 1 ms, so it still has a place in time."""
    start = max(0, line.start_ms + offset_ms)
    end = max(start + 1, line.end_ms + offset_ms)
    return replace(line, start_ms=start, end_ms=end,
                   words=tuple(replace(word, start_ms=min(max(0, word.start_ms + offset_ms), end),
                                       end_ms=min(max(0, word.end_ms + offset_ms), end))
                               for word in line.words))

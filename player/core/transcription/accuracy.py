"""Word error rate against a known text, after the normalisation that makes "week 5" and
"week five", "OK" and "okay", "CS224N" and "CS 224 N" count as the same words."""

from __future__ import annotations

import re
from typing import Sequence

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SPELLINGS = {"ok": "okay", "o.k.": "okay", "mr": "mister", "mrs": "missus", "dr": "doctor", "vs": "versus",
              "%": "percent", "&": "and"}
_NON_SPEECH = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_TOKEN = re.compile(r"[%&]|[^\W_]+(?:'[^\W_]+)*")


def number_words(number: int) -> list[str]:
    """English words for 0 <= number < 10**12 ("224" -> two hundred twenty four)."""
    if number < 20:
        return [_ONES[number]]
    if number < 100:
        tens, ones = divmod(number, 10)
        return [_TENS[tens]] + ([_ONES[ones]] if ones else [])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return [_ONES[hundreds], "hundred"] + (number_words(rest) if rest else [])
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if number >= size:
            high, rest = divmod(number, size)
            return number_words(high) + [name] + (number_words(rest) if rest else [])
    raise ValueError(number)  # pragma: no cover - unreachable for the range above


def normalise(text: str) -> list[str]:
    """The words of `text`, lower case, without punctuation or bracketed non-speech
    ("[AUDIO OUT]"), numbers spelled out, hyphenated words split."""
    text = _NON_SPEECH.sub(" ", text.lower()).replace("\u2019", "'")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)        # 1,000 -> 1000
    text = _LETTER_DIGIT.sub(" ", text)
    words: list[str] = []
    for token in _TOKEN.findall(text):
        token = _SPELLINGS.get(token, token)
        if token.isdigit() and len(token) <= 12:
            words += number_words(int(token))
        else:
            words.append(token)
    return words


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Substitutions + deletions + insertions turning the reference into the hypothesis."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Edit distance over the reference's length, both normalised (1.0 for an empty
    reference with any hypothesis, 0.0 for two empty ones)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)

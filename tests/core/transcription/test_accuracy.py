"""Word error rate with the normalisation the benchmark and the tests rely on."""

from __future__ import annotations

import pytest

from player.core.transcription.accuracy import edit_distance, normalise, number_words, word_error_rate


@pytest.mark.parametrize("number, words", [
    (0, "zero"), (5, "five"), (19, "nineteen"), (40, "forty"), (224, "two hundred twenty four"),
    (1000, "one thousand"), (2_000_017, "two million seventeen"),
])
def test_numbers_are_spelled_out(number, words):
    assert number_words(number) == words.split()


def test_the_same_words_written_differently_normalise_alike():
    assert normalise("Welcome to CS224N. Week 5? OK, pre-training [AUDIO OUT] we\u2019ll") == \
        normalise("welcome to CS-224 N... week five. Okay pre training we'll")
    assert normalise("(laughs) 1,000 people & 50%") == "one thousand people and fifty percent".split()


def test_edit_distance_counts_substitutions_deletions_insertions():
    assert edit_distance("a b c d".split(), "a x c".split()) == 2
    assert edit_distance([], "a b".split()) == 2
    assert edit_distance("a b".split(), "a b".split()) == 0


def test_word_error_rate():
    assert word_error_rate("Hello. Welcome to week five.", "hello welcome to week 5") == 0.0
    assert word_error_rate("one two three four", "one two three") == 0.25
    assert word_error_rate("", "") == 0.0 and word_error_rate("[music]", "words") == 1.0

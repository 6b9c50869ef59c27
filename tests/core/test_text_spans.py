"""Which words of a line a stretch of time covers (sub-line highlights)."""

from player.core.text_spans import char_span
from player.core.transcript import Segment, Word

LINE = Segment(10_000, 20_000, "one two three four five")  # five words at an even pace


def words(span, text=LINE.text):
    return None if span is None else text[span[0]:span[1]]


def test_a_stretch_over_the_whole_line_is_the_whole_line():
    assert char_span(LINE, 9_000, 21_000) == (0, len(LINE.text))
    assert char_span(LINE, 10_000, 20_000) == (0, len(LINE.text))


def test_a_stretch_outside_the_line_touches_nothing():
    assert char_span(LINE, 0, 10_000) is None
    assert char_span(LINE, 20_000, 30_000) is None
    assert char_span(LINE, 15_000, 15_000) is None


def test_without_word_times_words_are_placed_by_their_characters():
    assert words(char_span(LINE, 10_000, 14_000)) == "one two"
    assert words(char_span(LINE, 14_000, 20_000)) == "three four five"
    assert words(char_span(LINE, 13_000, 16_000)) == "three"


def test_a_stretch_inside_one_word_gives_that_word():
    assert words(char_span(LINE, 14_500, 14_600)) == "three"


def test_word_times_decide_when_the_line_has_them():
    timed = Segment(0, 4_000, "Hello there, world", words=(
        Word(0, 200, "Hello"), Word(200, 400, "there,"), Word(3_000, 4_000, "world")))
    # Evenly spread, "world" would sit at about 3 s either way; "there," is at 0.3 s, not 1.5 s.
    assert words(char_span(timed, 250, 4_000), timed.text) == "there, world"
    assert words(char_span(timed, 1_000, 2_900), timed.text) is None
    assert words(char_span(timed, 0, 300), timed.text) == "Hello"


def test_word_times_that_do_not_spell_the_line_fall_back_to_characters():
    odd = Segment(0, 1_000, "alpha beta", words=(Word(0, 500, "gamma"), Word(500, 1_000, "delta")))
    assert words(char_span(odd, 0, 400), odd.text) == "alpha"

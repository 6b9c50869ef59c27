"""The dictation checker: words compared forgivingly, aligned so that one slip costs one word."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from player.core.dictation import Verdict, check, has_words, is_close, split_units, word_key

R, C, W, M = Verdict.RIGHT, Verdict.CLOSE, Verdict.WRONG, Verdict.MISSING


def shown(result) -> str:
    return "".join(text for text, _kind in result.pieces())


@pytest.mark.parametrize("expected, typed", [
    ("Hello, World!", "hello world"),
    ("“Quoted” words…", '"quoted" words'),
    ("«Bonjour», dit-il.", "bonjour dit il"),
    ("Don’t stop", "don't stop"),                    # apostrophe variants are one
    ("Don't stop", "DON’T STOP"),
    ("rock ʼn' roll", "rock 'n roll"),
    ("well-known facts", "well known facts"),        # a hyphen joins words written apart
    ("well known facts", "well-known facts"),
    ("state-of-the-art", "state of the art"),
    ("1990–2000", "1990 2000"),                       # an en dash too
    ("Die Straße ist lang.", "die STRASSE ist lang"),  # casefold: ß = ss
    ("ＦＵＬＬ width ２０２４", "full width 2024"),   # NFKC
    ("ﬁnal", "final"),                                # a ligature
    ("café crème", "Café Crème"),
    ("cafe\u0301", "café"),                           # combining accent = precomposed (NFKC)
    ("rock & roll", "rock roll"),                     # "&" alone is not a word
    ("♪ la la ♪", "la la"),
    ("It costs $5 (50%).", "it costs 5 50"),          # symbols at the edges
    ("Привет, мир!", "привет мир"),
    ("Καλημέρα κόσμε", "ΚΑΛΗΜΈΡΑ ΚΌΣΜΕ"),
])
def test_case_punctuation_and_spelling_variants_are_forgiven(expected, typed):
    result = check(expected, typed)
    assert result.perfect, result.verdicts()
    assert result.words_right == result.words_total > 0
    assert result.extra == []


def test_accents_count_but_a_missing_one_is_a_near_miss():
    result = check("le café est très bon", "le cafe est tres bon")
    assert result.verdicts() == [R, C, R, C, R]
    assert result.words_right == 3
    assert check("à la", "a la").verdicts() == [W, R]   # a short word: wrong


def test_short_words_one_letter_off_are_wrong_not_close():
    # In a word under four letters one letter makes another word: "in"/"on", "cat"/"cut".
    assert check("sit in the hat", "sit on the hit").verdicts() == [R, W, R, W]


def test_numbers_are_compared_as_written():
    assert check("3 apples", "three apples").verdicts() == [W, R]
    assert check("in 1999", "in 1999").perfect
    assert check("pi is 3.14", "pi is 3,14").verdicts() == [R, R, W]
    assert check("in 1998", "in 1999").verdicts() == [R, W]   # never "close": another number


def test_one_missing_word_does_not_shift_the_rest():
    result = check("the quick brown fox jumps over the lazy dog", "the quick fox jumps over the lazy dog")
    assert result.verdicts() == [R, R, M, R, R, R, R, R, R]
    assert (result.words_right, result.words_total) == (8, 9)


def test_one_extra_word_does_not_shift_the_rest():
    result = check("we train the model", "we then train the model")
    assert result.verdicts() == [R, R, R, R]
    assert result.extra == ["then"]
    assert not result.perfect


def test_a_wrong_word_pairs_with_the_word_it_stands_for():
    result = check("attention lets every word look", "attention makes every word look")
    assert result.verdicts() == [R, W, R, R, R]
    assert [(m.expected and result.expected_text[m.expected.start:m.expected.end],
             m.typed and result.typed_text[m.typed.start:m.typed.end]) for m in result.marks][1] == ("lets", "makes")


def test_a_typo_pairs_with_its_word_and_keeps_later_words_right():
    result = check("The quick brown fox.", "the quik fox jumps")
    assert result.verdicts() == [R, C, M, R]
    assert result.extra == ["jumps"]
    assert result.words_right == 2


@pytest.mark.parametrize("expected, typed, close", [
    ("attention", "atention", True),     # a letter dropped
    ("attention", "attentions", True),   # one added
    ("attention", "attentoin", True),    # two neighbours swapped
    ("attention", "attantion", True),    # one changed
    ("attention", "atentoin", False),    # two edits
    ("word", "ward", True),
    ("word", "wor", False),              # shorter than four letters
    ("cat", "cut", False),
    ("don't", "dont", True),
    ("same", "same", False),             # equal is right, not close
])
def test_near_misses(expected, typed, close):
    assert is_close(word_key(expected), word_key(typed)) is close


def test_typing_nothing_leaves_every_word_missing():
    result = check("a line of five words", "")
    assert result.verdicts() == [M] * 5 and result.words_right == 0 and result.words_total == 5


def test_typing_into_a_line_without_words_is_all_extra():
    result = check("...", "hello there")
    assert result.words_total == 0 and result.extra == ["hello", "there"]


def test_words_typed_in_a_different_order():
    result = check("one two three", "three two one")
    assert result.words_right == 1 and result.verdicts()[1] is R


def test_japanese_without_spaces_is_checked_by_character():
    units = split_units("今日は雨です。")
    assert [u.key for u in units] == list("今日は雨です")
    result = check("今日は雨です。", "今日は晴です")
    assert result.verdicts() == [R, R, R, W, R, R]
    assert (result.words_right, result.words_total) == (5, 6)
    # Spaces the learner puts in (or a full-width one) change nothing.
    assert check("今日は雨です。", "今日は　雨 です").perfect


def test_a_latin_word_inside_japanese_stays_one_word():
    assert [u.key for u in split_units("GPUで学習")] == ["gpu", "で", "学", "習"]
    assert check("GPUで学習", "gpu で学習").perfect


def test_chinese_and_thai_by_character():
    assert check("我们学习。", "我们学习").perfect
    result = check("我们学习", "我学习")
    assert result.verdicts() == [R, M, R, R]
    # A Thai vowel sign stays with the consonant it belongs to.
    assert [u.key for u in split_units("กิน")] == ["กิ", "น"]


def test_korean_has_spaces_and_is_checked_by_word():
    assert check("안녕하세요 여러분", "안녕하세요 여러분").words_total == 2


def test_the_pieces_show_the_line_as_written_with_what_was_typed():
    result = check("The quick brown fox.", "the quik fox jumps")
    assert result.pieces() == [
        ("The", "right"), (" ", "plain"), ("quik", "typed"), (" ", "plain"), ("quick", "close"),
        (" ", "plain"), ("brown", "missing"), (" ", "plain"), ("fox.", "right"), (" ", "plain"),
        ("jumps", "extra")]


def test_an_extra_word_first_is_set_apart():
    assert shown(check("a b", "x a y b")) == "x a y b"


def test_markup_in_a_line_is_kept_as_text_in_the_pieces():
    result = check("<b>x</b> &amp;", "x amp")
    assert shown(result).endswith("<b>x</b> &amp;")
    assert ("<b>x</b>", "wrong") in result.pieces()


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_text_checks_and_every_word_of_the_line_is_shown_once(expected, typed):
    result = check(expected, typed)
    assert 0 <= result.words_right <= result.words_total == len(split_units(expected))
    kinds = [kind for _text, kind in result.pieces()]
    assert sum(kind in ("right", "close", "wrong", "missing") for kind in kinds) == result.words_total
    # The line itself, with the typed words taken out, is there as written.
    assert "".join(text for text, kind in result.pieces() if kind not in ("typed", "extra")).replace(" ", "") \
        == expected.replace(" ", "")


@given(st.text(max_size=60))
def test_a_line_typed_exactly_is_all_right(text):
    assert check(text, text).perfect


def test_has_words():
    assert has_words("Hello.") and has_words("今日")
    assert not has_words("") and not has_words("♪ ♪") and not has_words("— ... !")

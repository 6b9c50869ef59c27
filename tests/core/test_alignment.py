"""Second-transcript lines placed under the main lines by time (player.core.alignment)."""

from __future__ import annotations

from pathlib import Path

from player.core.alignment import align
from player.core.formats import load
from player.core.transcript import Segment, Transcript

SEEDS = Path(__file__).parents[1] / "data" / "seeds"


def lines(*cues):
    return Transcript([Segment(a, b, text) for a, b, text in cues]).segments


MAIN = lines((0, 2000, "one"), (2000, 5000, "two"), (5000, 9000, "three"), (9000, 12000, "four"))


def test_same_breaks_each_under_its_own():
    second = lines((0, 2000, "un"), (2000, 5000, "deux"), (5000, 9000, "trois"), (9000, 12000, "quatre"))
    result = align(MAIN, second)
    assert result.lines == ["un", "deux", "trois", "quatre"]
    assert (result.dropped, result.split) == (0, 0)


def test_shifted_by_300_ms_still_under_the_same_lines():
    for shift in (300, -300):
        second = lines(*((max(0, a + shift), b + shift, text) for a, b, text in
                         ((0, 2000, "un"), (2000, 5000, "deux"), (5000, 9000, "trois"), (9000, 12000, "quatre"))))
        assert align(MAIN, second).lines == ["un", "deux", "trois", "quatre"]


def test_two_second_lines_in_one_main_line_are_joined_in_time_order():
    second = lines((5000, 7000, "trois a"), (7000, 9000, "trois b"), (0, 2000, "un"))
    assert align(MAIN, second).lines == ["un", "", "trois a trois b", ""]


def test_a_second_line_over_two_main_lines_is_split_not_shown_twice():
    # 0-5000 over "one" (2 s) and "two" (3 s): 10 words shared 4 / 6 by time.
    words = "a b c d e f g h i j"
    result = align(MAIN, lines((0, 5000, words), (5000, 12000, "k l m n o p q")))
    assert result.lines[:2] == ["a b c d", "e f g h i j"]
    # 5000-12000 over "three" (4 s) and "four" (3 s): 7 words shared 4 / 3.
    assert result.lines[2:] == ["k l m n", "o p q"]
    assert result.split == 2
    # Every word once, in order.
    assert " ".join(result.lines).split() == (words + " k l m n o p q").split()


def test_a_line_mostly_in_one_main_line_stays_whole():
    # 1500-5000: 0.5 s in "one", 3 s in "two": a late start, not two parts.
    result = align(MAIN, lines((1500, 5000, "deux et un peu")))
    assert result.lines == ["", "deux et un peu", "", ""]
    assert result.split == 0


def test_a_line_over_many_short_main_lines_is_shared_between_them_all():
    fragments = lines(*((i * 1000, (i + 1) * 1000, f"frag{i}") for i in range(5)))
    result = align(fragments, lines((0, 5000, "one two three four five six seven eight nine ten")))
    assert result.lines == ["one two", "three four", "five six", "seven eight", "nine ten"]


def test_a_single_word_over_two_lines_goes_whole_to_the_earlier_on_a_tie():
    result = align(lines((0, 1000, "a"), (1000, 2000, "b")), lines((500, 1500, "mot")))
    assert result.lines == ["mot", ""]


def test_gaps_near_lines_go_to_the_nearest_far_ones_are_counted():
    main = lines((0, 2000, "one"), (6000, 8000, "two"), (20_000, 22_000, "three"))
    second = lines((2500, 3000, "after one"),       # 0.5 s after "one"
                   (4700, 5500, "before two"),      # 0.5 s before "two"
                   (12_000, 13_000, "far away"),    # 4 s from anything
                   (30_000, 31_000, "after the end"))
    result = align(main, second)
    assert result.lines == ["after one", "before two", ""]
    assert result.dropped == 2


def test_a_gap_exactly_between_two_lines_goes_to_the_earlier():
    result = align(lines((0, 1000, "a"), (3000, 4000, "b")), lines((1500, 2500, "midway")))
    assert result.lines == ["midway", ""]


def test_empty_second_and_empty_main():
    assert align(MAIN, []).lines == ["", "", "", ""]
    assert align(MAIN, lines((0, 1000, "   "))).lines == ["", "", "", ""]   # a blank cue is nothing to show
    result = align([], lines((0, 1000, "seul"), (2000, 3000, "")))
    assert result.lines == [] and result.dropped == 1


def test_overlapping_cues_on_both_sides():
    # Rolling captions: each main cue overlaps the next one.
    main = lines((0, 3000, "one"), (2000, 5000, "two"), (4000, 7000, "three"))
    second = lines((0, 2500, "un"), (2500, 4500, "deux"), (4800, 7000, "trois"), (5000, 6500, "encore"))
    result = align(main, second)
    assert result.lines == ["un", "deux", "trois encore"]


def test_a_long_main_cue_under_the_speech_does_not_take_its_lines():
    # As the player highlights them: the long cue until "one" starts, "one", then nothing
    # of its own (segment_at) until "two"... The long cue still has its own tail to show.
    main = lines((0, 60_000, "[music throughout]"), (1000, 2000, "one"), (3000, 4000, "two"))
    second = lines((0, 900, "musique"), (1000, 2000, "un"), (3000, 4000, "deux"), (10_000, 11_000, "toujours"))
    result = align(main, second)
    assert result.lines == ["musique toujours", "un", "deux"]


def test_zero_length_cue_goes_under_the_line_it_falls_in():
    assert align(MAIN, lines((3000, 3000, "instant"))).lines == ["", "instant", "", ""]


def test_order_by_time_when_a_split_part_meets_a_whole_line():
    # "x y" is split over one/two; "deux" lies later inside two: under two, the part comes first.
    result = align(MAIN, lines((1000, 3000, "x y"), (3000, 5000, "deux")))
    assert result.lines[:2] == ["x", "y deux"]


def _resegmented_into_sentences(transcript: Transcript) -> list[Segment]:
    """The seed transcript cut at sentence ends instead of whisper's breaks: each sentence one
    line from its first fragment's start to its last fragment's end (like human captions)."""
    sentences, words, start = [], [], None
    for segment in transcript.segments:
        if segment.is_non_speech or not segment.text.strip():
            continue
        start = segment.start_ms if start is None else start
        words.extend(segment.text.split())
        if segment.text.rstrip().endswith((".", "?", "!")):
            sentences.append(Segment(start, segment.end_ms, " ".join(words)))
            words, start = [], None
    return sentences


def test_a_real_transcript_against_itself_cut_into_sentences():
    main = load(SEEDS / "003_98d2fe73ddf5816f.txt")
    second = _resegmented_into_sentences(main)
    assert 200 < len(second) < len(main)   # really other breaks: most sentences span fragments
    result = align(main.segments, second)
    assert result.dropped == 0
    assert result.split > 100
    # Every word of the second transcript shows once, in order.
    assert " ".join(result.lines).split() == " ".join(s.text for s in second).split()
    # Under each main line only words said around then: its own words lead the second text
    # under it far more often than not (proportional cuts are off by a word or two at most).
    speech = [(segment, shown) for segment, shown in zip(main.segments, result.lines)
              if not segment.is_non_speech and shown]
    agreeing = sum(1 for segment, shown in speech
                   if len(set(segment.text.lower().split()) & set(shown.lower().split()))
                   >= 0.5 * min(len(segment.text.split()), len(shown.split())))
    assert agreeing >= 0.9 * len(speech)


def test_a_real_transcript_against_itself_cut_finer():
    """Each whisper line cut in two at its middle word, times shared by word count: two
    second lines in every main line give back exactly its text."""
    main = load(SEEDS / "003_98d2fe73ddf5816f.txt")
    second = []
    for segment in main.segments:
        words = segment.text.split()
        if len(words) < 2 or segment.end_ms - segment.start_ms < 2:
            second.append(segment)
            continue
        half = len(words) // 2
        middle = segment.start_ms + (segment.end_ms - segment.start_ms) * half // len(words)
        second += [Segment(segment.start_ms, middle, " ".join(words[:half])),
                   Segment(middle, segment.end_ms, " ".join(words[half:]))]
    result = align(main.segments, second)
    assert result.lines == [" ".join(s.text.split()) for s in main.segments]


def test_a_real_vtt_pair_from_the_conformance_files():
    """Two real WebVTT files of the same talk cut differently: the same captions, the second
    one with fewer, longer cues."""
    folder = Path(__file__).parents[1] / "data" / "conformance" / "webvtt-py"
    main = load(folder / "netflix_chicas_del_cable.vtt")
    pairs = [Segment(a.start_ms, b.end_ms, f"{a.text} {b.text}")
             for a, b in zip(main.segments[::2], main.segments[1::2])]
    result = align(main.segments, pairs)
    assert " ".join(result.lines).split() == " ".join(s.text for s in pairs).split()
    assert result.dropped == 0


def test_a_split_goes_to_a_sentence_end_near_the_cut_by_time():
    main = lines((0, 2000, "Wow."), (2000, 4000, "No response bias there."))
    # By time alone: "Waouh. Pas de" | "biais de réponse."; a sentence ends two words earlier.
    result = align(main, lines((0, 4000, "Waouh. Pas de biais de réponse.")))
    assert result.lines == ["Waouh.", "Pas de biais de réponse."]


def test_a_split_goes_to_a_clause_end_when_no_sentence_ends_near():
    main = lines((0, 2000, "a"), (2000, 4000, "b"))
    result = align(main, lines((0, 4000, "un deux, trois quatre cinq six")))
    assert result.lines == ["un deux,", "trois quatre cinq six"]
    # A sentence end farther from the cut than three words is not used.
    result = align(main, lines((0, 4000, "« Oui. » un deux trois quatre cinq six sept huit")))
    assert result.lines == ["« Oui. » un deux trois", "quatre cinq six sept huit"]

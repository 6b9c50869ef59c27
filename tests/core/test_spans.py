"""Overlapping and touching spans become one (the reel's cuts, the Play highlights list)."""

from player.core.spans import MergedSpan, first_span_from, merge_spans, playlist_from


def test_overlapping_and_touching_spans_merge_in_time_order():
    spans = [(10, 20, "c"), (0, 5, "a"), (5, 8, "b"), (15, 30, "d"), (31, 40, "e")]
    merged = merge_spans(spans, lambda s: (s[0], s[1]))
    assert [(m.start_ms, m.end_ms, "".join(s[2] for s in m.members)) for m in merged] == [
        (0, 8, "ab"), (10, 30, "cd"), (31, 40, "e")]


def test_a_span_inside_another_keeps_the_outer_end():
    merged = merge_spans([(0, 100), (10, 20), (99, 100)], lambda s: s)
    assert merged == [MergedSpan(0, 100, ((0, 100), (10, 20), (99, 100)))]


def test_ties_keep_the_order_given_and_nothing_gives_nothing():
    merged = merge_spans([(0, 10, 2), (0, 10, 1)], lambda s: (s[0], s[1]))
    assert [s[2] for s in merged[0].members] == [2, 1]
    assert merge_spans([], lambda s: s) == []


SPANS = [(10_000, 20_000), (30_000, 40_000), (50_000, 60_000)]


def test_play_highlights_starts_at_the_first_highlight_at_or_after_the_playhead():
    assert first_span_from(SPANS, 0) == 0
    assert first_span_from(SPANS, 25_000) == 1       # between: the next one
    assert first_span_from(SPANS, 30_000) == 1       # at its start
    assert first_span_from(SPANS, 35_000) == 1       # inside it: that one, from its start
    assert first_span_from(SPANS, 40_000) == 2       # it has just ended: the next
    assert playlist_from(SPANS, 35_000) == [(30_000, 40_000), (50_000, 60_000), (10_000, 20_000)]


def test_from_after_the_last_highlight_it_wraps_round_to_the_first():
    # Once it started at 0:00 from the end of the lecture, playing unhighlighted video.
    assert first_span_from(SPANS, 60_000) == 0
    assert first_span_from(SPANS, 3_600_000) == 0
    assert playlist_from(SPANS, 3_600_000) == SPANS


def test_no_highlights_no_playlist():
    assert first_span_from([], 5_000) is None and playlist_from([], 5_000) == []

"""Overlapping and touching spans become one (the reel's cuts, the Play highlights list)."""

from player.core.spans import MergedSpan, merge_spans


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

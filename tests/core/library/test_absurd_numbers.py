"""Numbers no library holds: ids beyond SQLite's 64 bits are unknown, a huge search limit
means "all", and a highlight stays inside its lecture."""

from __future__ import annotations

import pytest

from player.core.library import MAX_TIME_MS

HUGE = 99999999999999999999  # beyond 2**63 - 1: sqlite3 cannot even bind it


def test_ids_beyond_64_bits_are_unknown(library, lecture):
    library.add_highlight(lecture.id, 0, 1000)
    for call, sentence in [
        (lambda: library.remove_highlight(HUGE), f"no highlight {HUGE} in the library"),
        (lambda: library.highlight(HUGE), f"no highlight {HUGE} in the library"),
        (lambda: library.set_color(HUGE, 2), f"no highlight {HUGE} in the library"),
        (lambda: library.set_range(HUGE, 0, 10), f"no highlight {HUGE} in the library"),
        (lambda: library.set_note(HUGE, "x"), f"no highlight {HUGE} in the library"),
        (lambda: library.highlight(-HUGE), f"no highlight {-HUGE} in the library"),
        (lambda: library.lecture(HUGE), f"no lecture {HUGE} in the library"),
        (lambda: library.remove_lecture(HUGE), f"no lecture {HUGE} in the library"),
        (lambda: library.add_highlight(HUGE, 0, 1000), f"no lecture {HUGE} in the library"),
    ]:
        with pytest.raises(KeyError) as unknown:
            call()
        assert unknown.value.args[0] == sentence
    assert library.highlights(lecture=HUGE) == [] and library.highlights(color=HUGE) == []
    assert library.search("attention", lecture=HUGE) == []
    library.set_last_position(HUGE, 1000)  # nothing to remember, and no error
    assert len(library.highlights()) == 1


def test_a_huge_search_limit_means_all(library, lecture):
    hits = library.search("attention", limit=HUGE)
    assert [hit.start_ms for hit in hits] == [2000, 5000]


@pytest.mark.parametrize("end_ms", [MAX_TIME_MS + 1, 10**16, HUGE, float("inf")])
def test_times_past_the_maximum_are_refused(library, lecture, end_ms):
    with pytest.raises(ValueError, match="must end within 1000 hours"):
        library.add_highlight(lecture.id, 0, end_ms)
    highlight = library.add_highlight(lecture.id, 0, 1000)
    with pytest.raises(ValueError, match="must end within 1000 hours"):
        library.set_range(highlight.id, 0, end_ms)
    assert library.highlights() == [highlight]


def test_nan_is_not_a_time(library, lecture):
    with pytest.raises(ValueError, match="must end after it starts"):
        library.add_highlight(lecture.id, float("nan"), 1000)


def test_the_maximum_itself_is_a_time(library, lecture):
    assert library.add_highlight(lecture.id, MAX_TIME_MS - 1000, MAX_TIME_MS).end_ms == MAX_TIME_MS


def test_a_highlight_stays_inside_a_lecture_of_known_length(library, lecture):
    library.set_duration(lecture.id, 3_600_500)
    with pytest.raises(ValueError) as refused:
        library.add_highlight(lecture.id, 3_600_500, 3_700_000)
    assert str(refused.value) == "a highlight cannot start at 3600.5 s: the lecture is 3600.5 s long"
    assert library.highlights() == []

    clipped = library.add_highlight(lecture.id, 3_599_000, 3_700_000)
    assert (clipped.start_ms, clipped.end_ms) == (3_599_000, 3_600_500)

    moved = library.set_range(clipped.id, 10_000, 5_000_000).after
    assert (moved.start_ms, moved.end_ms) == (10_000, 3_600_500)
    with pytest.raises(ValueError, match="cannot start at 4000 s: the lecture is 3600.5 s long"):
        library.set_range(clipped.id, 4_000_000, 4_100_000)
    assert library.highlight(clipped.id) == moved


def test_an_unknown_length_keeps_the_range_as_given(library, lecture):
    assert library.lecture(lecture.id).duration_ms == 12000  # from the transcript, not the media
    highlight = library.add_highlight(lecture.id, 20_000, 30_000)
    assert (highlight.start_ms, highlight.end_ms) == (20_000, 30_000)


@pytest.mark.parametrize("duration_ms", [0, -1, MAX_TIME_MS + 1])
def test_a_length_that_cannot_be_one_is_not_recorded(library, lecture, duration_ms):
    library.set_duration(lecture.id, duration_ms)
    assert library.add_highlight(lecture.id, 20_000, 30_000).end_ms == 30_000


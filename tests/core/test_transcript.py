from player.core.transcript import Segment, Transcript


def make(*spans):
    return Transcript([Segment(a, b, f"s{i}") for i, (a, b) in enumerate(spans)])


def test_segment_at_and_near():
    transcript = make((1000, 2000), (2000, 3000), (4000, 5000))
    assert transcript.segment_at(999) is None
    assert transcript.segment_at(1000) == 0
    assert transcript.segment_at(1999) == 0
    assert transcript.segment_at(2000) == 1  # boundaries hand over exactly at the start
    assert transcript.segment_at(3500) is None  # a pause between lines
    assert transcript.segment_near(3500) == 1  # ...where the highlight rests on the last line
    assert transcript.segment_near(999) is None
    assert transcript.segment_near(10_000) == 2


def test_segments_are_sorted_and_ties_keep_file_order():
    transcript = Transcript([Segment(5, 6, "late"), Segment(1, 2, "a"), Segment(1, 3, "b")])
    assert [s.text for s in transcript.segments] == ["a", "b", "late"]


def test_neighbour_start():
    transcript = make((0, 2000), (2000, 4000), (4000, 6000))
    assert transcript.neighbour_start(2500, +1) == 4000
    assert transcript.neighbour_start(5900, +1) is None
    # Inside a line for over a second, "previous" restarts it; near its start, goes back one.
    assert transcript.neighbour_start(3500, -1) == 2000
    assert transcript.neighbour_start(2300, -1) == 0
    assert transcript.neighbour_start(100, -1) is None or transcript.neighbour_start(100, -1) == 0


def test_non_speech_markers():
    assert Segment(0, 1, "[BLANK_AUDIO]").is_non_speech
    assert Segment(0, 1, " [Music] ").is_non_speech
    assert Segment(0, 1, "(applause)").is_non_speech
    assert not Segment(0, 1, "[laughs] so then").is_non_speech

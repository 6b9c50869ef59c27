"""The speed a lecture is played at (media.last_rate, schema v7), kept for when it reopens."""

from __future__ import annotations

import pytest

from player.core.library import Library


def test_a_lecture_plays_at_normal_speed_until_one_is_kept(library, lecture):
    assert library.last_rate(lecture.id) == 1.0


def test_the_speed_kept_is_there_when_the_library_opens_again(library_path, library, lecture):
    library.set_last_rate(lecture.id, 0.75)
    library.close()
    with Library.open(library_path) as again:
        assert again.last_rate(lecture.id) == 0.75


@pytest.mark.parametrize("rate", [0, -1, 4.5, float("nan"), float("inf")])
def test_a_speed_that_cannot_be_is_refused_and_the_kept_one_stays(library, lecture, rate):
    library.set_last_rate(lecture.id, 1.5)
    with pytest.raises(ValueError, match="speed"):
        library.set_last_rate(lecture.id, rate)
    assert library.last_rate(lecture.id) == 1.5


def test_no_such_lecture(library, lecture):
    with pytest.raises(KeyError):
        library.set_last_rate(lecture.id + 100, 1.25)
    with pytest.raises(KeyError):
        library.last_rate(lecture.id + 100)

"""Dictation attempts kept in a real library file: the lecture's score adds them up,
survives reopening the file, and goes with the lecture."""

from __future__ import annotations

import pytest

from player.core.library import Library
from player.core.library.study import DictationAttempt, DictationScore

HUGE = 99999999999999999999


def test_an_attempt_is_kept_as_typed(library, lecture):
    attempt = library.add_dictation_attempt(lecture.id, 2000, 5000, "Today we talk about <b>x</b> &amp;",
                                            "today we talk of x", 4, 6)
    assert isinstance(attempt, DictationAttempt)
    assert (attempt.lecture_id, attempt.start_ms, attempt.end_ms, attempt.expected, attempt.typed,
            attempt.words_right, attempt.words_total) == (
        lecture.id, 2000, 5000, "Today we talk about <b>x</b> &amp;", "today we talk of x", 4, 6)
    assert attempt.attempted_at
    assert library.dictation_attempts(lecture.id) == [attempt]


def test_the_score_adds_up_every_attempt_and_survives_reopening(library_path, library, lecture):
    assert library.dictation_score(lecture.id) == DictationScore(0, 0, 0)
    library.add_dictation_attempt(lecture.id, 0, 2000, "Welcome to the lecture", "welcome to the lecture", 4, 4)
    library.add_dictation_attempt(lecture.id, 2000, 5000, "Today we talk", "today talk", 2, 3)
    library.add_dictation_attempt(lecture.id, 2000, 5000, "Today we talk", "today we talk", 3, 3)  # again
    assert library.dictation_score(lecture.id) == (9, 10, 3)
    library.close()
    with Library.open(library_path) as again:
        assert again.dictation_score(lecture.id) == DictationScore(9, 10, 3)
        assert [a.typed for a in again.dictation_attempts(lecture.id)] == [
            "welcome to the lecture", "today talk", "today we talk"]


def test_scores_are_per_lecture(library, lecture, tmp_path):
    from tests.core.library.conftest import make_media

    other = library.import_lecture(make_media(tmp_path / "other.mp4", seed=7))
    library.add_dictation_attempt(lecture.id, 0, 2000, "a b", "a b", 2, 2)
    library.add_dictation_attempt(other.id, 0, 2000, "c d e", "c", 1, 3)
    assert library.dictation_score(lecture.id) == (2, 2, 1)
    assert library.dictation_score(other.id) == (1, 3, 1)


def test_removing_the_lecture_removes_its_attempts(library, lecture):
    library.add_dictation_attempt(lecture.id, 0, 2000, "a b", "a b", 2, 2)
    library.remove_lecture(lecture.id)
    assert library.conn.execute("SELECT count(*) FROM dictation_attempts").fetchone()[0] == 0


@pytest.mark.parametrize("start, end, right, total", [
    (-1, 10, 0, 1), (10, 10, 0, 1), (10, 5, 0, 1), (0, 10**16, 0, 1),
    (0, 10, -1, 1), (0, 10, 3, 2), (0, 10, 1.5, 2), (0, 10, True, 2), (float("nan"), 10, 0, 1)])
def test_impossible_attempts_are_refused_and_nothing_is_written(library, lecture, start, end, right, total):
    with pytest.raises(ValueError):
        library.add_dictation_attempt(lecture.id, start, end, "a b", "a", right, total)
    assert library.dictation_attempts(lecture.id) == []


def test_an_unknown_lecture_is_refused(library, lecture):
    for lecture_id in (lecture.id + 1, HUGE):
        with pytest.raises(KeyError):
            library.add_dictation_attempt(lecture_id, 0, 1000, "a", "a", 1, 1)
        assert library.dictation_score(lecture_id) == (0, 0, 0)
        assert library.dictation_attempts(lecture_id) == []

"""Choosing a lecture's highlights for a reel or an export, on a real library file."""

from __future__ import annotations

import pytest

from player.core.library import Library
from player.core.selection import select_highlights


@pytest.fixture
def chosen(tmp_path, tone_mp3, video_mp4):
    with Library.open(tmp_path / "library.sqlite") as library:
        lecture = library.import_lecture(tone_mp3)
        other = library.import_lecture(video_mp4)
        ids = [library.add_highlight(lecture.id, start, start + 500, color, tags, None).id
               for start, color, tags in [(3000, 1, ["exam"]), (1000, 2, ["Review", "exam"]),
                                          (1000, 1, []), (5000, 2, ["review"])]]
        foreign = library.add_highlight(other.id, 0, 100, 1, ["exam"], None).id
        yield library, lecture.id, ids, foreign


def starts(highlights):
    return [(h.start_ms, h.color) for h in highlights]


def test_any_of_the_tags_ignoring_case_and_blank_ones(chosen):
    library, lecture, _ids, _foreign = chosen
    assert starts(select_highlights(library, lecture, tags=["REVIEW", " ", "exam"])) == \
        [(1000, 2), (3000, 1), (5000, 2)]
    assert starts(select_highlights(library, lecture, tags=["exam"], color=1)) == [(3000, 1)]
    # Only blank tags: every highlight; equal spans in the order they were made (by id).
    assert starts(select_highlights(library, lecture, tags=[" "])) == [(1000, 2), (1000, 1), (3000, 1), (5000, 2)]
    assert select_highlights(library, lecture, tags=["nope"]) == []


def test_exact_ids_in_the_order_given_and_never_another_lectures(chosen):
    library, lecture, ids, foreign = chosen
    assert [h.id for h in select_highlights(library, lecture, ids=[ids[3], ids[0]])] == [ids[3], ids[0]]
    with pytest.raises(KeyError, match="another lecture"):
        select_highlights(library, lecture, ids=[foreign])

"""Lectures: fingerprints, import and re-import, relinking, the lecture list."""

from __future__ import annotations

import pytest

from player.core.library import NotTheSameMedia, fingerprint
from tests.core.library.conftest import make_media, sample_transcript


def test_fingerprint_follows_content_not_name(tmp_path):
    a = make_media(tmp_path / "a.mp4", seed=3)
    b = tmp_path / "renamed.mkv"
    b.write_bytes(a.read_bytes())
    assert fingerprint(a) == fingerprint(b)
    b.write_bytes(a.read_bytes() + b"!")
    assert fingerprint(a) != fingerprint(b)


def test_fingerprint_sees_the_end_of_a_big_file_and_reads_only_its_ends(tmp_path):
    """Reading only the ends keeps it fast whatever the size (timed in bench: fingerprint)."""
    path = tmp_path / "big.mp4"
    with path.open("wb") as out:
        out.truncate(300 * 1024 * 1024)  # sparse: 300 MB, written instantly
    before = fingerprint(path)
    with path.open("r+b") as out:
        out.seek(150 * 1024 * 1024)
        out.write(b"the middle")
    assert fingerprint(path) == before
    with path.open("r+b") as out:
        out.seek(-10, 2)
        out.write(b"different!")
    assert fingerprint(path) != before


def test_import_stores_transcript_and_lists_the_lecture(library, lecture, media):
    assert lecture.title == "Pre-training"
    assert lecture.path == str(media.resolve())
    assert lecture.duration_ms == 12000 and lecture.has_transcript
    stored = library.transcript(lecture.id)
    assert [s.text for s in stored.segments] == [s.text for s in sample_transcript().segments]
    assert [entry.id for entry in library.lectures()] == [lecture.id]


def test_reimport_of_a_moved_file_keeps_annotations(library, lecture, media, tmp_path):
    library.add_highlight(lecture.id, 0, 1000, 2, ["keep"], "note")
    moved = tmp_path / "elsewhere" / "renamed.mp4"
    moved.parent.mkdir()
    media.rename(moved)
    again = library.import_lecture(moved, None)
    assert again.id == lecture.id and again.path == str(moved.resolve())
    assert again.has_transcript and again.highlight_count == 1
    assert library.find_media(moved).id == lecture.id
    assert library.find_by_fingerprint(lecture.fingerprint).path == str(moved.resolve())


def test_reimport_with_a_new_transcript_replaces_it(library, lecture, media):
    from player.core.transcript import Segment, Transcript

    library.import_lecture(media, Transcript([Segment(0, 500, "Brand new words")]))
    assert [s.text for s in library.transcript(lecture.id).segments] == ["Brand new words"]
    assert library.search("attention") == []
    assert [hit.text for hit in library.search("brand")] == ["Brand new words"]


def test_relink_checks_the_content(library, lecture, media, tmp_path):
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(media.read_bytes())
    assert library.relink(lecture.id, copy).path == str(copy.resolve())
    stranger = make_media(tmp_path / "other.mp4", seed=9)
    with pytest.raises(NotTheSameMedia, match="other.mp4"):
        library.relink(lecture.id, stranger)
    assert library.lecture(lecture.id).path == str(copy.resolve())


def test_find_media_by_last_known_path_when_the_file_is_gone(library, lecture, media):
    media.unlink()
    assert library.find_media(media).id == lecture.id


def test_last_position_and_recently_opened_order(library, lecture, tmp_path):
    other = library.import_lecture(make_media(tmp_path / "b.mp4", seed=4))
    assert other.duration_ms is None and not other.has_transcript
    library.set_last_position(other.id, 1234)
    library.set_last_position(lecture.id, 5678)
    assert library.last_position(lecture.id) == 5678
    assert [entry.id for entry in library.lectures()] == [lecture.id, other.id]
    assert library.lecture(other.id).last_opened_at is not None


def test_import_of_a_missing_file_names_it(library, tmp_path):
    from player.core.library import LibraryError

    with pytest.raises(LibraryError, match="absent.mp4"):
        library.import_lecture(tmp_path / "absent.mp4")


def _with_transcript_beside(media):
    """The lecture's media with an SRT beside it, as the window finds one."""
    from player.core.formats import load
    from tests.conftest import write_srt

    srt = write_srt(media.with_suffix(".srt"), [(0, 2, "Welcome to the lecture on pre-training.")])
    return load(srt)


def test_a_renamed_copy_does_not_take_over_the_lecture(library, media, tmp_path):
    lecture = library.import_lecture(media, _with_transcript_beside(media))
    copy = tmp_path / "downloads" / "copy of lecture.mp4"  # same content, no transcript beside it
    copy.parent.mkdir()
    copy.write_bytes(media.read_bytes())
    again = library.import_lecture(copy, None)
    assert again.id == lecture.id and again.has_transcript  # the stored transcript is kept
    assert [s.text for s in library.transcript(lecture.id).segments] == ["Welcome to the lecture on pre-training."]
    assert library.media_paths(lecture.id) == [copy.resolve(), media.resolve()]  # most recent first
    assert library.preferred_path(lecture.id) == media.resolve() and again.path == str(media.resolve())
    assert library.find_media(copy).id == lecture.id
    assert library.owned_paths()[copy.resolve()] == "a lecture in your library"

    media.with_suffix(".srt").unlink()  # no place has the transcript beside it: the latest seen
    assert library.preferred_path(lecture.id) == copy.resolve()
    copy.unlink()
    assert library.preferred_path(lecture.id) == media.resolve()
    media.unlink()
    assert library.preferred_path(lecture.id) is None
    assert library.find_media(copy).id == lecture.id  # found by a path it was seen at


def test_a_copy_opened_with_its_own_transcript_beside_it_becomes_the_place(library, media, tmp_path):
    lecture = library.import_lecture(media, _with_transcript_beside(media))
    copy = tmp_path / "course" / "week5.mp4"
    copy.parent.mkdir()
    copy.write_bytes(media.read_bytes())
    again = library.import_lecture(copy, _with_transcript_beside(copy))
    assert again.id == lecture.id and again.path == str(copy.resolve())
    assert library.transcript(lecture.id).source == str(copy.with_suffix(".srt"))
    # The original's transcript is no longer the one stored, so only the copy has it beside.
    assert library.preferred_path(lecture.id) == copy.resolve()


def test_a_path_that_now_holds_other_content_is_not_preferred(library, media, tmp_path):
    lecture = library.import_lecture(media, None)
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(media.read_bytes())
    library.import_lecture(copy, None)
    make_media(copy, seed=42)  # overwritten with another file since
    assert library.preferred_path(lecture.id) == media.resolve()


def test_a_lecture_takes_the_title_the_player_learns(library, lecture):
    title = "CS224N · Lecture 9: Pretraining"
    assert library.set_title(lecture.id, "  CS224N ·\nLecture 9: Pretraining ").title == title
    assert library.lecture(lecture.id).title == title
    assert library.set_title(lecture.id, "   ").title == title  # blank: kept
    with pytest.raises(KeyError):
        library.set_title(lecture.id + 1000, "Nobody")
    with pytest.raises(KeyError):
        library.set_title(2**70, "Nobody")

"""A lecture's notes (a summary page) and their links, kept in the library."""

from __future__ import annotations

import pytest

from player.core.formats import load
from player.core.library import Library
from player.core.library.search import split_marks
from player.core.notes import LectureNotes, NoteItem, NoteLink, link_notes, read_notes
from tests.conftest import SEEDS, WHISPER_SEED

NOTES_SEED = SEEDS / "002_a429e181e0dd89a0.txt"


def test_notes_and_their_links_come_back_when_the_lecture_reopens(library_path, lecture):
    notes = read_notes(NOTES_SEED)
    links = link_notes(notes, load(WHISPER_SEED))
    assert any(link.start_ms is not None for link in links) and any(link.start_ms is None for link in links)
    with Library.open(library_path) as library:
        assert library.notes(lecture.id) is None
        assert library.set_notes(lecture.id, notes, links) is None  # nothing before
    with Library.open(library_path) as library:  # reopened: read from the file
        kept, kept_links = library.notes(lecture.id)
    assert (kept.title, kept.tldr, kept.source) == (notes.title, notes.tldr, str(NOTES_SEED))
    assert kept.items == notes.items  # kind, text and question, in page order
    assert [(link.item, link.start_ms) for link in kept_links] == [(link.item, link.start_ms) for link in links]
    assert [link.score for link in kept_links] == pytest.approx([link.score for link in links])


def test_new_notes_replace_the_old_and_hand_them_back(library, lecture):
    first = LectureNotes("First", "short", [NoteItem("insight", "one"), NoteItem("answer", "two", "why?")])
    library.set_notes(lecture.id, first, [NoteLink(first.items[0], 1500, 0.5), NoteLink(first.items[1], None, 0.1)])
    second = LectureNotes("Second", None, [NoteItem("takeaway", "three")])
    before_notes, before_links = library.set_notes(lecture.id, second)
    assert before_notes.title == "First" and [link.start_ms for link in before_links] == [1500, None]
    kept, links = library.notes(lecture.id)
    assert (kept.title, kept.tldr, kept.items, links) == ("Second", None, second.items,
                                                           [NoteLink(second.items[0], None, 0.0)])
    assert library.remove_notes(lecture.id)[0].title == "Second"
    assert library.notes(lecture.id) is None and library.remove_notes(lecture.id) is None


def test_notes_text_is_found_by_search_at_the_point_moment(library, lecture):
    notes = LectureNotes("Page", None, [NoteItem("insight", "Span corruption masks whole phrases"),
                                        NoteItem("answer", "By predicting them", "How does denoising work?")])
    library.set_notes(lecture.id, notes, [NoteLink(notes.items[0], 4200, 0.4), NoteLink(notes.items[1], None, 0.0)])
    (hit,) = library.search("corruption")
    assert (hit.kind, hit.lecture_id, hit.start_ms, hit.text) == ("summary", lecture.id, 4200, notes.items[0].text)
    assert split_marks(hit.snippet) == ("Span corruption masks whole phrases", [(5, len("corruption"))])
    (hit,) = library.search("denoising")  # the question is searched too; no moment: the start
    assert (hit.kind, hit.start_ms) == ("summary", 0)
    library.set_notes(lecture.id, LectureNotes("Other", None, []))
    assert library.search("corruption") == []  # the index follows a replacement


def test_the_notes_file_is_the_learners(library, lecture, tmp_path):
    path = tmp_path / "summary.txt"
    path.write_text(NOTES_SEED.read_text())
    library.set_notes(lecture.id, read_notes(path))
    assert library.owned_paths()[path] == "lecture notes in your library"


@pytest.mark.parametrize("bad_links, message", [
    ([], "0 links for 1 points"),
    ([NoteLink(NoteItem("insight", "x"), -5, 0.3)], "within the lecture"),
    ([NoteLink(NoteItem("insight", "x"), 10, float("nan"))], "must be a number"),
])
def test_links_that_cannot_be_are_refused_and_nothing_changes(library, lecture, bad_links, message):
    library.set_notes(lecture.id, LectureNotes("Kept", None, [NoteItem("insight", "old")]))
    with pytest.raises(ValueError, match=message):
        library.set_notes(lecture.id, LectureNotes("New", None, [NoteItem("insight", "x")]), bad_links)
    assert library.notes(lecture.id)[0].title == "Kept"


def test_notes_for_a_lecture_that_is_not_there(library):
    with pytest.raises(KeyError):
        library.set_notes(12345, LectureNotes("T"))
    assert library.notes(12345) is None and library.notes(2**70) is None

"""A lecture's second transcript kept in the library (player.core.library.second)."""

from __future__ import annotations

import sqlite3

import pytest

from player.core.formats import load
from player.core.library import Library, LibraryError
from player.core.transcript import Segment, Transcript
from tests.conftest import write_srt
from tests.core.library.conftest import make_media, sample_transcript


def french(source: str | None = None) -> Transcript:
    return Transcript([Segment(0, 5000, "Bienvenue au cours sur le pré-entraînement. Aujourd'hui, les transformeurs."),
                       Segment(5000, 12_000, "L'attention permet à chaque mot de regarder les autres.")],
                      title="Pré-entraînement", source=source)


def test_a_second_transcript_comes_back_from_the_file(library_path, lecture, tmp_path):
    path = write_srt(tmp_path / "lecture.fr.srt", [(0, 5, "Bienvenue, <i>tout le monde</i>."), (5, 12, "Suite.")])
    with Library.open(library_path) as library:
        assert library.second_transcript(lecture.id) is None
        library.set_second_transcript(lecture.id, load(path))
    with Library.open(library_path) as library:   # reopened: read from the file
        kept = library.second_transcript(lecture.id)
        assert [(s.start_ms, s.end_ms, s.text) for s in kept.segments] == \
            [(0, 5000, "Bienvenue, tout le monde."), (5000, 12_000, "Suite.")]
        assert kept.source == str(path)
        # The main transcript is untouched.
        assert [s.text for s in library.transcript(lecture.id).segments] == \
            [s.text for s in sample_transcript().segments]


def test_a_new_second_transcript_replaces_the_old_one(library, lecture):
    library.set_second_transcript(lecture.id, french())
    library.set_second_transcript(lecture.id, Transcript([Segment(0, 1000, "Hallo")], title="Deutsch"))
    kept = library.second_transcript(lecture.id)
    assert (kept.title, [s.text for s in kept.segments]) == ("Deutsch", ["Hallo"])
    # One per lecture, and the old lines went with the old one.
    assert library.conn.execute("SELECT count(*) FROM second_transcripts").fetchone() == (1,)
    assert library.conn.execute("SELECT count(*) FROM second_segments").fetchone() == (1,)


def test_remove_it(library, lecture):
    assert library.remove_second_transcript(lecture.id) is False
    library.set_second_transcript(lecture.id, french())
    assert library.remove_second_transcript(lecture.id) is True
    assert library.second_transcript(lecture.id) is None
    assert library.conn.execute("SELECT count(*) FROM second_segments").fetchone() == (0,)


def test_each_lecture_has_its_own(library, lecture, tmp_path):
    other = library.import_lecture(make_media(tmp_path / "two.mp4", seed=2), sample_transcript())
    library.set_second_transcript(lecture.id, french())
    assert library.second_transcript(other.id) is None
    assert library.second_transcript(lecture.id).title == "Pré-entraînement"


def test_not_a_lecture(library, lecture):
    with pytest.raises(KeyError):
        library.set_second_transcript(lecture.id + 100, french())
    assert library.second_transcript(lecture.id + 100) is None
    assert library.second_transcript(2**70) is None and library.remove_second_transcript(2**70) is False


def test_removing_the_lecture_removes_its_second_transcript(library, lecture):
    library.set_second_transcript(lecture.id, french())
    library.remove_lecture(lecture.id)
    assert library.conn.execute("SELECT count(*) FROM second_segments").fetchone() == (0,)


def test_a_second_transcript_is_not_searched(library, lecture):
    library.set_second_transcript(lecture.id, french())
    assert library.search("Bienvenue") == []
    assert library.search("transformers")   # the main one is


def test_its_file_is_the_learners(library, lecture, tmp_path):
    path = tmp_path / "fr.srt"
    library.set_second_transcript(lecture.id, french(source=str(path)))
    assert library.owned_paths()[path] == "a second transcript in your library"


def test_a_failed_write_changes_nothing(library_path, lecture):
    with Library.open(library_path) as library:
        library.set_second_transcript(lecture.id, french())
    # Another process holds the write lock: the replacement fails whole, the old one stays.
    blocker = sqlite3.connect(library_path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Library.open(library_path) as library:
            library.conn.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(LibraryError):
                library.set_second_transcript(lecture.id, Transcript([Segment(0, 1, "x")]))
    finally:
        blocker.rollback()
        blocker.close()
    with Library.open(library_path) as library:
        assert library.second_transcript(lecture.id).title == "Pré-entraînement"

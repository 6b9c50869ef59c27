"""Libraries that cannot be used: a clear LibraryError naming the file, nothing overwritten."""

from __future__ import annotations

import os

import pytest

from player.core.library import Library, LibraryError, NotALibrary, default_library_path


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "library.sqlite"
    path.write_bytes(b"my thesis draft, not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(NotALibrary) as error:
        Library.open(path)
    assert str(path) in str(error.value) and "not a Transcript Player library" in str(error.value)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["library.sqlite"]


def test_a_damaged_library_is_moved_aside_only_when_asked(tmp_path, media):
    path = tmp_path / "library.sqlite"
    with Library.open(path) as lib:
        lib.import_lecture(media)
    data = bytearray(path.read_bytes())
    data[100:4096 * 3] = os.urandom(4096 * 3 - 100)  # trash the header's tail and the first pages
    path.write_bytes(bytes(data))
    with pytest.raises(NotALibrary):
        Library.open(path)
    assert path.read_bytes() == bytes(data)
    with Library.open(path, move_corrupt_aside=True) as lib:
        assert lib.moved_aside.name.startswith("library.sqlite.corrupt-")
        assert lib.moved_aside.read_bytes() == bytes(data)
        assert lib.lectures() == []


def test_a_folder_that_cannot_be_made_names_the_file(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    with pytest.raises(LibraryError, match="a file/library.sqlite.*cannot create its folder"):
        Library.open(blocker / "library.sqlite")


def test_a_folder_given_as_the_library(tmp_path):
    with pytest.raises(LibraryError, match="folder"):
        Library.open(tmp_path)


def test_default_location_and_override(monkeypatch, tmp_path):
    monkeypatch.delenv("TRANSCRIPT_PLAYER_LIBRARY", raising=False)
    default = default_library_path()
    assert default.name == "library.sqlite" and "transcript-player" in str(default)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_LIBRARY", str(tmp_path / "mine.sqlite"))
    assert default_library_path() == tmp_path / "mine.sqlite"

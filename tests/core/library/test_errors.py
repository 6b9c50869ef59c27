"""Libraries that cannot be used: a clear LibraryError naming the file, nothing overwritten."""

from __future__ import annotations

import os
import sqlite3

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


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_location_is_a_clear_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(LibraryError, match="ro/library.sqlite"):
            Library.open(folder / "library.sqlite")
    finally:
        folder.chmod(0o700)


def test_a_read_only_library_file_is_a_clear_error(tmp_path):
    """Read-only as SQLite sees it (also under root): a database opened with mode=ro."""
    from player.core.library.connection import _explain

    path = tmp_path / "library.sqlite"
    Library.open(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as raw:
        conn.execute("CREATE TABLE x (y)")
    conn.close()
    error = _explain(path, raw.value)
    assert isinstance(error, LibraryError) and str(path) in str(error) and "cannot write" in str(error)


def test_default_location_and_override(monkeypatch, tmp_path):
    monkeypatch.delenv("TRANSCRIPT_PLAYER_LIBRARY", raising=False)
    default = default_library_path()
    assert default.name == "library.sqlite" and "transcript-player" in str(default)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_LIBRARY", str(tmp_path / "mine.sqlite"))
    assert default_library_path() == tmp_path / "mine.sqlite"

"""A file that is not a library of ours is refused before anything is written to it, and
a path that is not a regular file is named for what it is."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from player.core.library import Library, LibraryError, NotALibrary, schema
from tests.core.hang_guard import call_without_blocking


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def _assert_untouched(path: Path, sha256: str, journal_mode: str) -> None:
    assert _sha256(path) == sha256
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no -wal, -shm, -journal
    assert _journal_mode(path) == journal_mode


def test_another_programs_database_is_left_byte_for_byte(tmp_path):
    path = tmp_path / "accounts.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
    conn.executemany("INSERT INTO accounts (owner) VALUES (?)", [("ada",), ("alan",)])
    conn.commit()
    conn.close()
    sha256 = _sha256(path)
    assert _journal_mode(path) == "delete"

    with pytest.raises(NotALibrary, match="another program.*left untouched"):
        Library.open(path)

    _assert_untouched(path, sha256, "delete")


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_a_library_from_a_newer_version_is_left_byte_for_byte(tmp_path, journal_mode):
    """A newer library in rollback-journal mode is what a backup tool or `VACUUM INTO` gives."""
    path = tmp_path / "library.sqlite"
    Library.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.close()
    sha256 = _sha256(path)

    with pytest.raises(LibraryError, match=f"newer Transcript Player.*schema {schema.LATEST + 1}"):
        Library.open(path)

    _assert_untouched(path, sha256, journal_mode)


def test_a_fifo_as_the_library_is_named_and_never_read(tmp_path):
    fifo = tmp_path / "library.sqlite"
    os.mkfifo(fifo)
    with pytest.raises(LibraryError) as refused:
        call_without_blocking(lambda: Library.open(fifo), fifo)
    assert str(refused.value) == f"{fifo}: this is not a regular file (a pipe or a device); only files are read"
    assert "folder" not in str(refused.value)


def test_dev_null_as_the_library_is_named():
    with pytest.raises(LibraryError) as refused:
        Library.open("/dev/null")
    assert str(refused.value).startswith("/dev/null: this is not a regular file (a pipe or a device)")
    assert "folder" not in str(refused.value)


def test_a_folder_is_still_called_a_folder(tmp_path):
    with pytest.raises(LibraryError, match=f"^{tmp_path}: this is a folder"):
        Library.open(tmp_path)

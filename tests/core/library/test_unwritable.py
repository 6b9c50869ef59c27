"""A library that cannot be written (a read-only file, a stale read-only -shm, a read-only
folder, a full disk): every edit fails with one LibraryError naming what is in the way,
and the library keeps what it had."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from player.core.library import Library, LibraryError
from player.core.transcript import Segment, Transcript
from tests.core.library.conftest import make_media, sample_transcript


@pytest.fixture
def read_only():
    """Make a file or folder unwritable for this process, really: chmod for a user, the
    immutable attribute for root (whom permission bits do not stop). Undone afterwards."""
    undo: list[list[str]] = []

    def make(path: Path) -> Path:
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(0o555 if path.is_dir() else 0o444)
            undo.append(["chmod", oct(mode & 0o7777)[2:], str(path)])
        else:
            chattr = shutil.which("chattr")
            done = chattr and subprocess.run([chattr, "+i", str(path)], capture_output=True)
            if not done or done.returncode != 0:
                pytest.skip("running as root, and this file system has no immutable attribute "
                            "(chattr +i), so nothing can be made read-only for root here")
            undo.append([chattr, "-i", str(path)])
        assert not os.access(path, os.W_OK)
        return path

    yield make
    for command in reversed(undo):
        subprocess.run(command, check=True)


def _leave_wal_and_shm(path: Path) -> None:
    """What a program killed while it had the library open leaves: -wal and -shm."""
    subprocess.run([sys.executable, "-c", "import os, sqlite3, sys\n"
                    "conn = sqlite3.connect(sys.argv[1])\n"
                    "conn.execute('SELECT count(*) FROM media').fetchone()\n"
                    "os._exit(0)", str(path)], check=True)
    assert path.with_name(path.name + "-shm").exists()


@pytest.fixture
def filled(library_path, media):
    """A library with one lecture and a highlight, closed."""
    with Library.open(library_path) as library:
        lecture = library.import_lecture(media, sample_transcript())
        highlight = library.add_highlight(lecture.id, 1000, 2000, 2, ["exam"], "keep")
    return lecture, highlight


def _every_edit_fails(library_path: Path, lecture, highlight, other_media: Path, reason: str) -> None:
    with Library.open(library_path) as library:
        edits = {
            "add": lambda: library.add_highlight(lecture.id, 3000, 4000),
            "remove": lambda: library.remove_highlight(highlight.id),
            "import": lambda: library.import_lecture(other_media, sample_transcript()),
            "note": lambda: library.set_note(highlight.id, "changed"),
            "tag": lambda: library.add_tag(highlight.id, "new"),
            "colour": lambda: library.set_color(highlight.id, 5),
            "position": lambda: library.set_last_position(lecture.id, 5000),
        }
        for name, edit in edits.items():
            with pytest.raises(LibraryError) as refused:
                edit()
            assert str(refused.value).startswith(f"{library_path}: {reason}"), name
        assert library.highlights() == [highlight]
        assert [found.id for found in library.lectures()] == [lecture.id]


def test_a_read_only_library_file_refuses_every_edit_by_name(library_path, filled, read_only, tmp_path):
    lecture, highlight = filled
    read_only(library_path)
    _every_edit_fails(library_path, lecture, highlight, make_media(tmp_path / "other.mp4", seed=3),
                      "the library file is read-only: make it writable")


def test_a_stale_read_only_shm_is_named_not_the_folder(library_path, filled, read_only, tmp_path):
    lecture, highlight = filled
    _leave_wal_and_shm(library_path)
    read_only(library_path.with_name("library.sqlite-shm"))
    _every_edit_fails(library_path, lecture, highlight, make_media(tmp_path / "other.mp4", seed=3),
                      "its shared-memory file library.sqlite-shm is read-only")


def test_a_read_only_wal_is_named(library_path, filled, read_only, tmp_path):
    lecture, highlight = filled
    _leave_wal_and_shm(library_path)
    read_only(library_path.with_name("library.sqlite-wal"))
    with Library.open(library_path) as library:
        with pytest.raises(LibraryError, match="write-ahead log library.sqlite-wal is read-only.*do not delete"):
            library.add_highlight(lecture.id, 3000, 4000)


def test_a_read_only_folder_is_named(library_path, filled, read_only):
    read_only(library_path.parent)
    with pytest.raises(LibraryError) as refused:
        Library.open(library_path)
    assert str(refused.value).startswith(f"{library_path}: its folder {library_path.parent} is read-only")


def test_a_new_library_in_a_read_only_folder_names_the_folder(tmp_path, read_only):
    folder = tmp_path / "ro"
    folder.mkdir()
    read_only(folder)
    with pytest.raises(LibraryError) as refused:
        Library.open(folder / "library.sqlite")
    assert str(refused.value).startswith(f"{folder / 'library.sqlite'}: its folder {folder} is read-only")


def test_a_sqlite_read_only_connection_without_a_cause_on_disk_says_cannot_write(library_path):
    """Read-only as SQLite sees it while every file is writable: the plain reason."""
    from player.core.library.connection import write

    Library.open(library_path).close()
    conn = sqlite3.connect(f"file:{library_path}?mode=ro", uri=True, isolation_level=None)
    try:
        with pytest.raises(LibraryError, match="cannot write to it \\(attempt to write a readonly "
                                               "database\\); nothing was saved"):
            with write(conn, library_path):
                conn.execute("CREATE TABLE x (y)")
    finally:
        conn.close()


def _large_transcript() -> Transcript:
    return Transcript([Segment(i * 1000, i * 1000 + 900, f"line {i} of a long lecture about attention")
                       for i in range(20_000)], title="Long")


def _assert_intact(library_path: Path, lecture, highlight) -> None:
    with Library.open(library_path) as library:
        assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [found.id for found in library.lectures()] == [lecture.id]
        assert library.highlights() == [highlight]
        assert len(library.transcript(lecture.id)) == len(sample_transcript())


def test_a_full_library_refuses_an_import_in_one_line(library_path, filled, tmp_path):
    """SQLITE_FULL as the page limit gives it, the same error a full disk gives."""
    lecture, highlight = filled
    with Library.open(library_path) as library:
        pages = library.conn.execute("PRAGMA page_count").fetchone()[0]
        library.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
        with pytest.raises(LibraryError) as refused:
            library.import_lecture(make_media(tmp_path / "long.mp4", seed=4), _large_transcript())
    assert str(refused.value) == f"{library_path}: no space left on the disk; nothing was imported"
    _assert_intact(library_path, lecture, highlight)


def _mount(*arguments: str) -> None:
    done = subprocess.run(["mount", *arguments], capture_output=True) if shutil.which("mount") else None
    if done is None or done.returncode != 0:
        pytest.skip("mounting a small tmpfs is not permitted here (needs root on Linux)")


@pytest.fixture
def small_disk(tmp_path):
    """A 400 KB file system (tmpfs), when this process may mount one (root on Linux)."""
    mount_point = tmp_path / "small disk"
    mount_point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount_point))
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_library_on_a_read_only_disk_is_named(small_disk, tmp_path):
    library_path = small_disk / "library.sqlite"
    with Library.open(library_path) as library:
        lecture = library.import_lecture(make_media(tmp_path / "one.mp4", seed=1), sample_transcript())
    _mount("-o", "remount,ro", str(small_disk))
    with pytest.raises(LibraryError) as refused:
        with Library.open(library_path) as library:
            library.add_highlight(lecture.id, 0, 1000)
    assert str(refused.value).startswith(f"{library_path}: it is on a read-only disk")


def test_a_full_disk_refuses_an_import_and_keeps_the_library(small_disk, tmp_path):
    library_path = small_disk / "library.sqlite"
    with Library.open(library_path) as library:
        lecture = library.import_lecture(make_media(tmp_path / "one.mp4", seed=1), sample_transcript())
        highlight = library.add_highlight(lecture.id, 1000, 2000)
        with pytest.raises(LibraryError) as refused:
            library.import_lecture(make_media(tmp_path / "long.mp4", seed=4), _large_transcript())
    assert str(refused.value) == f"{library_path}: no space left on the disk; nothing was imported"
    _assert_intact(library_path, lecture, highlight)

"""Opening reads every page (PRAGMA quick_check) only when the library was left open: a
process killed with it open leaves SQLite's -wal behind, a clean close removes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from player.core.library import Library, NotALibrary
from player.core.transcript import Segment, Transcript
from tests.core.library.conftest import make_media

# Opens the library, makes one edit and is killed with the library still open.
KILLED_WHILE_OPEN = textwrap.dedent("""
    import os, signal, sys
    from player.core.library import Library
    library = Library.open(sys.argv[1])
    lecture = library.lectures()[0]
    library.set_title(lecture.id, "renamed just before the crash")
    os.kill(os.getpid(), signal.SIGKILL)
""")


def long_transcript(lines: int = 3000) -> Transcript:
    return Transcript([Segment(i * 1000, i * 1000 + 900, f"line {i} about attention and transformers")
                       for i in range(lines)])


@pytest.fixture
def closed_library(tmp_path):
    """A library with one long lecture, closed cleanly."""
    path = tmp_path / "library.sqlite"
    with Library.open(path) as library:
        library.import_lecture(make_media(tmp_path / "talk.mp4"), long_transcript())
    return path


def kill_while_open(path) -> None:
    result = subprocess.run([sys.executable, "-c", KILLED_WHILE_OPEN, str(path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == -signal.SIGKILL, result.stderr


def test_after_a_clean_close_the_pages_are_not_all_read(closed_library):
    assert not closed_library.with_name("library.sqlite-wal").exists()
    with Library.open(closed_library) as library:
        assert library.integrity_checked is False
        assert len(library.lectures()) == 1


def test_after_a_crash_they_are_and_the_library_opens(closed_library):
    kill_while_open(closed_library)
    assert closed_library.with_name("library.sqlite-wal").exists()   # what tells the crash
    with Library.open(closed_library) as library:
        assert library.integrity_checked is True
        assert library.lectures()[0].title == "renamed just before the crash"   # the WAL's commit kept
    with Library.open(closed_library) as library:   # closed cleanly this time
        assert library.integrity_checked is False


def test_a_second_connection_of_a_process_that_checked_skips_it(closed_library):
    kill_while_open(closed_library)
    with Library.open(closed_library, check_integrity=False) as library:
        assert library.integrity_checked is False


def test_a_library_damaged_in_a_crash_is_refused_with_its_name_and_left_alone(closed_library):
    kill_while_open(closed_library)
    # Damage pages deep in the file (the transcript's), which opening without the check never
    # reads: the header, the schema and the version on page 1 stay sound.
    data = bytearray(closed_library.read_bytes())
    page = 4096
    middle = len(data) // page // 2 * page
    data[middle:middle + 4 * page] = os.urandom(4 * page)
    closed_library.write_bytes(bytes(data))
    wal_before = closed_library.with_name("library.sqlite-wal").read_bytes()
    for _start in range(2):   # refused again on the next start: nothing of the crash was tidied away
        with pytest.raises(NotALibrary) as refused:
            Library.open(closed_library)
        message = str(refused.value)
        assert message.startswith(f"{closed_library}: the library is damaged (")
        assert message.endswith("; it was left untouched") and "\n" not in message
        # Untouched: the refused open did not checkpoint the -wal into the file on closing.
        assert closed_library.read_bytes() == bytes(data)
        assert closed_library.with_name("library.sqlite-wal").read_bytes() == wal_before
    # And kept aside, never overwritten, when the learner asks for a new one.
    with Library.open(closed_library, move_corrupt_aside=True) as fresh:
        assert fresh.moved_aside.read_bytes() == bytes(data) and fresh.lectures() == []

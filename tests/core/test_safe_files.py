"""The one helper every writer uses: never onto the learner's files, never a partial file."""

import os
import stat

import pytest

from player.core.safe_files import (InputRefused, OutputExists, OutputIsProtected, OutputRefused,
                                    atomic_output, check_input, check_output, read_input, write_atomic)


def test_protected_file_is_refused_even_with_force(tmp_path):
    media = tmp_path / "lecture.mp4"
    media.write_bytes(b"video")
    with pytest.raises(OutputIsProtected, match="the lecture's media"):
        check_output(media, protected={media: "the lecture's media"}, force=True)
    assert media.read_bytes() == b"video"


def test_protected_file_is_found_under_another_name(tmp_path):
    media = tmp_path / "lecture.mp4"
    media.write_bytes(b"video")
    link = tmp_path / "alias.mp4"
    os.link(media, link)
    (tmp_path / "sub").mkdir()
    with pytest.raises(OutputIsProtected):
        check_output(link, protected=[media], force=True)
    with pytest.raises(OutputIsProtected):
        check_output(tmp_path / "sub" / ".." / "lecture.mp4", protected=[media], force=True)


def test_existing_file_needs_force(tmp_path):
    out = tmp_path / "notes.md"
    out.write_text("mine")
    with pytest.raises(OutputExists):
        check_output(out)
    assert check_output(out, force=True) == out
    assert check_output(tmp_path / "new.md") == tmp_path / "new.md"


def test_folder_and_missing_folder_are_refused(tmp_path):
    with pytest.raises(OutputRefused, match="folder"):
        check_output(tmp_path, force=True)
    with pytest.raises(OutputRefused, match="no such folder"):
        check_output(tmp_path / "nope" / "out.md")


def test_atomic_output_leaves_old_file_whole_on_failure(tmp_path):
    out = tmp_path / "reel.mp4"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_output(out) as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("cancelled")
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reel.mp4"]


def test_atomic_output_temp_keeps_extension_and_umask_mode(tmp_path):
    out = tmp_path / "reel.mp4"
    previous = os.umask(0o027)
    try:
        with atomic_output(out) as temp:
            assert temp.parent == tmp_path and temp.suffix == ".mp4" and temp.name.startswith(".")
            temp.write_bytes(b"new")
    finally:
        os.umask(previous)
    assert out.read_bytes() == b"new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_write_atomic_replaces(tmp_path):
    out = tmp_path / "a.txt"
    out.write_text("old")
    write_atomic(out, "new")
    assert out.read_text() == "new"


def test_input_must_be_a_small_regular_file(tmp_path):
    fifo = tmp_path / "pipe.srt"
    os.mkfifo(fifo)
    with pytest.raises(InputRefused, match="not a regular file"):
        read_input(fifo)   # would block forever if it were opened
    with pytest.raises(InputRefused, match="not a regular file"):
        check_input("/dev/zero")
    with pytest.raises(InputRefused, match="folder"):
        check_input(tmp_path)
    big = tmp_path / "big.srt"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(InputRefused, match="more than"):
        read_input(big, limit=1000)
    assert read_input(big, limit=5000) == b"x" * 2000


def test_reading_a_small_file_takes_memory_for_its_bytes_not_for_the_limit(tmp_path):
    import tracemalloc

    small = tmp_path / "small.srt"
    small.write_bytes(b"x" * 1000)
    tracemalloc.start()
    try:
        assert read_input(small) == b"x" * 1000
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000   # read(limit + 1) allocated the whole 512 MB limit at once


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    import player.core.safe_files as safe_files

    growing = tmp_path / "growing.srt"
    growing.write_bytes(b"x" * 500)
    real_fstat = os.fstat

    def fstat_then_grow(fd):
        stat = real_fstat(fd)
        growing.write_bytes(b"x" * 2000)   # another program appends after we looked
        return stat

    monkeypatch.setattr(safe_files.os, "fstat", fstat_then_grow)
    with pytest.raises(InputRefused, match="larger than"):
        read_input(growing, limit=1000)

"""Transcript and notes files are read only when they are regular files of a sane size:
a FIFO, a device or a huge file is one TranscriptError naming it, never a hang."""

from __future__ import annotations

import os

import pytest

from player.core.formats import TranscriptError, load
from player.core.notes import read_notes
from player.core.safe_files import MAX_INPUT_BYTES
from tests.core.hang_guard import call_without_blocking

READERS = {"transcript": load, "notes": read_notes}
NOT_REGULAR = "this is not a regular file (a pipe or a device); only files are read"


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_a_fifo_is_refused_without_blocking(tmp_path, reader):
    fifo = tmp_path / "lecture.srt"
    os.mkfifo(fifo)
    with pytest.raises(TranscriptError) as refused:
        call_without_blocking(lambda: reader(fifo), fifo)
    assert str(refused.value) == f"{fifo}: {NOT_REGULAR}"


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_dev_zero_is_refused_before_it_is_read(reader):
    with pytest.raises(TranscriptError) as refused:
        reader("/dev/zero")
    assert str(refused.value) == f"/dev/zero: {NOT_REGULAR}"


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, reader):
    huge = tmp_path / "video.mp4.srt"
    with open(huge, "wb") as sparse:  # takes no disk space: nothing is ever written
        sparse.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(TranscriptError) as refused:
        reader(huge)
    assert str(refused.value).startswith(f"{huge}: this file is ")
    assert str(refused.value).endswith("MB a transcript or notes file can be")


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_a_missing_file_and_a_folder_are_named(tmp_path, reader):
    with pytest.raises(TranscriptError) as missing:
        reader(tmp_path / "nope.srt")
    assert str(missing.value) == f"{tmp_path / 'nope.srt'}: no such file"
    with pytest.raises(TranscriptError) as folder:
        reader(tmp_path)
    assert str(folder.value) == f"{tmp_path}: this is a folder, not a file"

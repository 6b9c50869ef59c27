"""A full disk, for real: a 200 KB tmpfs filled to the last byte (root may mount one; the
tests are skipped, saying why, where that is not allowed). Each command says so in one line
and leaves no partial file behind; the library keeps what it had."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys

import pytest

from player.core.library import Library
from tests.conftest import write_srt


def run(*args):
    return subprocess.run([sys.executable, "-m", "player", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def tmpfs(tmp_path):
    """mount(size) -> a new folder on a tmpfs of that size, unmounted afterwards."""
    mounted = []

    def mount(size: str):
        folder = tmp_path / f"disk {len(mounted)}"
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmpfs):
    return tmpfs("200k")


def fill(disk, leave: int = 0):
    """Fill `disk` to the last byte, then free `leave` bytes of it."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as out:   # unbuffered: nothing left to fail at close
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    if leave:
        with open(filler, "r+b") as out:
            out.truncate(max(0, filler.stat().st_size - leave))
    return filler


def leftovers(disk):
    return sorted(p.name for p in disk.iterdir() if p.name != "filler" and not p.name.startswith("library.sqlite"))


@pytest.fixture
def lecture(tmp_path, video_mp4):
    media = tmp_path / "lecture.mp4"
    shutil.copy(video_mp4, media)
    library = tmp_path / "library.sqlite"
    assert run("import", media, "--library", library).returncode == 0
    assert run("highlight", "add", media, "--start", "0", "--end", "12", "--note", "all of it",
               "--library", library).returncode == 0
    return media, library


def test_a_reel_onto_a_full_disk_is_one_line_saying_so(lecture, small_disk):
    media, library = lecture
    fill(small_disk)
    result = run("reel", media, "-o", small_disk / "reel.mp4", "--library", library, "--quiet")
    assert result.returncode == 2, result
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("transcript-player reel: no space left on device"), result.stderr
    assert str(small_disk) in result.stderr
    assert leftovers(small_disk) == []
    # ffmpeg's own words only when asked for.
    verbose = run("reel", media, "-o", small_disk / "reel.mp4", "--library", library, "--quiet", "--verbose")
    assert verbose.returncode == 2 and verbose.stderr.count("\n") > 1
    assert verbose.stderr.startswith("transcript-player reel: no space left on device")
    assert "No space left on device" in verbose.stderr.split("\n", 1)[1]
    assert leftovers(small_disk) == []


def test_an_export_onto_a_full_disk_is_one_line_saying_so(lecture, small_disk):
    media, library = lecture
    fill(small_disk)
    out = small_disk / "notes.md"
    result = run("export", media, "-o", out, "--library", library)
    assert result.returncode == 2, result
    assert result.stderr == f"{out}: cannot write it: No space left on device\n"
    assert leftovers(small_disk) == []


def test_import_into_a_library_on_a_full_disk_keeps_the_library(tmp_path, video_mp4, tmpfs):
    disk = tmpfs("8m")   # room for the library, not for a 20,000-line transcript
    media = tmp_path / "lecture.mp4"
    shutil.copy(video_mp4, media)
    library = disk / "library.sqlite"
    assert run("import", media, "--library", library).returncode == 0
    assert run("highlight", "add", media, "--start", "1", "--end", "2", "--note", "kept",
               "--library", library).returncode == 0
    big = write_srt(tmp_path / "big.srt", [(i / 10, i / 10 + 0.1, f"line number {i} of a long talk")
                                           for i in range(20_000)])
    filler = fill(disk, leave=64 * 1024)
    result = run("import", media, "--transcript", big, "--library", library)
    assert result.returncode == 2, result
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"{library}:"), result.stderr
    filler.unlink()
    with Library.open(library) as opened:
        (known,) = opened.lectures()
        assert not known.has_transcript
        assert [h.note for h in opened.highlights()] == ["kept"]

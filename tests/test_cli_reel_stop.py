"""`reel` stopped by a signal (kill, Ctrl-C, a closed terminal) cancels the job: ffmpeg stops,
no `.part` file or `reel-*` folder is left, and the command exits with one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest

from player.core.library import Library

OUT_STEM = "stopped-reel"


@pytest.fixture(scope="module")
def long_lecture(tmp_path_factory, video_mp4):
    """Ten minutes of video, made in a moment by copying the 12 s test video 50 times: long
    enough that the reel is still encoding when the signal comes."""
    folder = tmp_path_factory.mktemp("long lecture")
    media = folder / "long.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-stream_loop", "49", "-i", str(video_mp4),
                    "-c", "copy", str(media)], check=True)
    library = folder / "library.sqlite"
    with Library.open(library) as opened:
        lecture = opened.import_lecture(media)
        opened.add_highlight(lecture.id, 0, 590_000, 1, [], "nearly all of it")
    return media, library


def processes_mentioning(text: str) -> list[int]:
    """Pids of the running processes whose command line contains `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:   # gone meanwhile
            continue
        if text in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to see the processes")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_cancels_the_reel_and_leaves_nothing(long_lecture, tmp_path, stop):
    media, library = long_lecture
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    temp = tmp_path / "temp"   # the reel's reel-* working folder goes here
    temp.mkdir()
    out = out_dir / f"{OUT_STEM}.mp4"
    process = subprocess.Popen([sys.executable, "-m", "player", "reel", str(media), "-o", str(out),
                                "--library", str(library), "--pad", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(temp)})
    try:
        first = process.stderr.readline()   # the first progress line: ffmpeg is encoding
        assert first.startswith("reel: "), first + process.stderr.read()
        assert any(name.startswith(".") and ".part" in name for name in os.listdir(out_dir))
        assert [p.name for p in temp.iterdir() if p.name.startswith("reel-")]
        os.kill(process.pid, stop)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 128 + stop
    lines = [line for line in stderr.splitlines() if not line.startswith("reel: ")]
    assert lines == [f"transcript-player reel: stopped by {stop.name}: no file was written"]
    assert stdout == "" and "Traceback" not in stderr
    assert processes_mentioning(OUT_STEM) == []   # no ffmpeg still writing the reel
    assert os.listdir(out_dir) == []              # no reel, no .part file
    assert os.listdir(temp) == []                 # no reel-* folder

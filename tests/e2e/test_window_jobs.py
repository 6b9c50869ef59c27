"""Long work in the real window: a transcript still loads while long jobs hold their pool,
and closing the window during a reel stops it, leaving no file and no ffmpeg behind."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from player.ui.jobs import LongJob, wait_for_long_jobs
from tests.conftest import TONE_CUES, ffmpeg, write_srt


@pytest.fixture(scope="module")
def long_video(tmp_path_factory) -> Path:
    """30 s of 720p: a reel of it takes seconds, long enough to close the window midway."""
    path = tmp_path_factory.mktemp("long") / "long lecture.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=30",
           "-f", "lavfi", "-i", "sine=frequency=330:duration=30",
           "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(path))
    return path


def ffmpeg_children() -> list[int]:
    """Processes this test process started that are ffmpeg (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        if parent == os.getpid() and name.startswith("ffmpeg"):
            found.append(int(entry.name))
    return found


def test_a_transcript_loads_while_long_jobs_hold_every_thread(qtbot, window, tmp_path):
    release = threading.Event()
    long_jobs = [LongJob() for _ in range(QThreadPool.globalInstance().maxThreadCount() + 1)]
    for job in long_jobs:
        job.start(lambda control: release.wait(60))
    try:
        window.open_transcript(str(write_srt(tmp_path / "talk.srt", TONE_CUES)))
        qtbot.waitUntil(lambda: window.transcript is not None, timeout=10_000)
        assert len(window.transcript) == len(TONE_CUES)
        assert all(job.running for job in long_jobs)   # still blocked: they did not stand in the way
    finally:
        release.set()
        assert wait_for_long_jobs(30_000)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts ffmpeg processes through /proc")
def test_closing_the_window_during_a_reel_cancels_it(qtbot, window, tmp_path, long_video):
    window.open_media(str(long_video))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=10_000)
    window.playback.pause()
    window.annotations.add_highlight(1_000, 29_000, 1)
    window.actions_by_name["export_reel"].trigger()
    dialog = window.reel_dialog
    out = tmp_path / "reel.mp4"
    dialog.output.setText(str(out))
    progress = []
    dialog.progress_changed.connect(lambda fraction, _left: progress.append(fraction))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(progress and ffmpeg_children()), timeout=30_000)
    assert list(tmp_path.glob(".reel*part*"))       # the reel is being written

    window.close()

    assert ffmpeg_children() == []
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if "part" in p.name] == []

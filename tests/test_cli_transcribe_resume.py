"""A transcription killed half-way loses nothing: `transcribe` killed with SIGKILL after its
first line is in the library, then stopped with Ctrl-C, then run to the end gives the whole
lecture once: no stretch twice, none missing. Real processes, the real model, the 85 s demo."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from player.core.formats import load
from player.core.library import Library
from player.core.transcription.accuracy import word_error_rate
from player.core.timecode import format_clock
from tests.conftest import DEMO_DIR, ffmpeg
from tests.test_cli_reel_stop import processes_mentioning

PROG = "transcript-player transcribe"


def start(media: Path, library: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "player", "transcribe", str(media), "--library", str(library)],
                            stdout=subprocess.PIPE, stderr=log.open("w"), text=True)


def state_of(library: Path):
    with Library.open(library, check_integrity=False) as opened:
        lectures = opened.lectures()
        return opened.transcription_state(lectures[0].id) if lectures else None


def wait_for(condition, process: subprocess.Popen, what: str) -> None:
    """Poll a state until it holds (bounded by the process ending, not by a clock)."""
    while not condition():
        assert process.poll() is None, f"the transcription ended before {what}"
        time.sleep(0.02)


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc to find the worker")
def test_killed_then_stopped_then_finished_gives_the_whole_lecture_once(tmp_path):
    media = tmp_path / f"demo lecture to resume {tmp_path.name}.mp4"   # its own name: found in /proc by it
    media.write_bytes((DEMO_DIR / "lecture.mp4").read_bytes())
    library = tmp_path / "library.sqlite"

    # 1. Killed outright once its first line is in the library: no chance to clean up.
    first = start(media, library, tmp_path / "first.log")
    try:
        wait_for(lambda: (state := state_of(library)) is not None and state.segment_count >= 1, first,
                 "its first line was saved")
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    killed = state_of(library)
    assert killed.in_progress and killed.segment_count >= 1 and killed.done_until_ms > 0
    with Library.open(library) as opened:
        kept = opened.transcript_lines(killed.lecture_id)
    assert killed.done_until_ms >= kept[-1].end_ms
    # The worker and its ffmpeg die with it: the kernel kills them as their parent goes, a
    # moment after first.wait() returns, so wait for that state (a few hundred polls at most).
    for _ in range(500):
        if not processes_mentioning(media.name):
            break
        time.sleep(0.02)
    assert processes_mentioning(media.name) == []

    # 2. Continued, then stopped with Ctrl-C once it is at work: one line, exit 130.
    log = tmp_path / "second.log"
    second = start(media, library, log)
    try:
        wait_for(lambda: any(line.startswith("transcribe: ") for line in log.read_text().splitlines()), second,
                 "it reported progress")
        second.send_signal(signal.SIGINT)
        stdout, _ = second.communicate(timeout=60)
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    stderr = log.read_text().splitlines()
    assert second.returncode == 128 + signal.SIGINT and stdout == ""
    assert stderr[0] == f"{PROG}: continuing from {format_clock(killed.done_until_ms)} " \
                        f"({killed.segment_count} line{'s' if killed.segment_count > 1 else ''} kept)"
    said = [line for line in stderr if not line.startswith("transcribe: ")]
    assert said[1:] == [line for line in said if line.startswith(f"{PROG}: stopped by SIGINT at ")]
    assert len(said) == 2 and said[1].endswith(" kept in the library; run the same command to continue")
    stopped = state_of(library)
    assert stopped.in_progress and stopped.segment_count >= killed.segment_count

    # 3. Run to the end.
    third = subprocess.run([sys.executable, "-m", "player", "transcribe", str(media), "--library", str(library)],
                           capture_output=True, text=True, timeout=300)
    assert third.returncode == 0, third.stderr
    assert f"{PROG}: continuing from {format_clock(stopped.done_until_ms)}" in third.stderr
    with Library.open(library) as opened:
        state = opened.transcription_state(killed.lecture_id)
        lines = opened.transcript_lines(killed.lecture_id)
    assert state.status == "complete" and state.done_until_ms == pytest.approx(85_260, abs=100)
    # The lines the first run saved are still the first lines, under the same ids.
    assert [(line.id, line.text) for line in lines[:len(kept)]] == [(line.id, line.text) for line in kept]
    # Nothing twice: every line starts after the one before ends, and each new run began
    # where the one before had got to.
    for before, after in zip(lines, lines[1:]):
        assert before.end_ms <= after.start_ms, (before.text, after.text)
    assert lines[len(kept)].start_ms >= killed.done_until_ms
    # Nothing missing: the whole lecture's words, at the accuracy of one uninterrupted run.
    reference = " ".join(s.text for s in load(DEMO_DIR / "lecture.txt").segments if not s.is_non_speech)
    assert word_error_rate(reference, " ".join(line.text for line in lines)) <= 0.12


def test_the_same_command_twice_at_once_does_not_duplicate(tmp_path):
    """A second run started while the first is transcribing (a double click, two terminals)
    adds no line twice: lines before the saved progress are skipped."""
    media = tmp_path / "clip twice.m4a"
    ffmpeg("-ss", "5.48", "-to", "20.16", "-i", str(DEMO_DIR / "lecture.mp4"), "-vn", "-c:a", "aac", str(media))
    library = tmp_path / "library.sqlite"
    runs = [subprocess.Popen([sys.executable, "-m", "player", "transcribe", str(media), "--library", str(library),
                              "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    with Library.open(library) as opened:
        (lecture,) = opened.lectures()
        lines = opened.transcript_lines(lecture.id)
    texts = [line.text for line in lines]
    assert len(texts) == len(set(texts)) >= 2, texts
    for before, after in zip(lines, lines[1:]):
        assert before.end_ms <= after.start_ms

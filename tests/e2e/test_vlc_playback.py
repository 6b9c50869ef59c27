"""Real libVLC playing real media made by ffmpeg, under Xvfb."""

import time

import pytest

from player.playback import PlaybackState
from tests.conftest import wait_playing


def test_plays_audio_and_time_advances(qtbot, vlc_playback, tone_mp3):
    durations = []
    vlc_playback.duration_changed.connect(durations.append)
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    start = vlc_playback.time_ms()
    qtbot.wait(1000)
    advanced = vlc_playback.time_ms() - start
    assert 700 <= advanced <= 1300
    assert abs(vlc_playback.duration_ms - 20_000) < 200 and durations


def test_seek_lands_within_100_ms_on_audio(qtbot, vlc_playback, tone_mp3):
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    vlc_playback.pause()
    qtbot.waitUntil(lambda: vlc_playback.state is PlaybackState.PAUSED, timeout=5000)
    for target in (12_000, 3_500, 17_250):
        vlc_playback.seek(target)
        qtbot.wait(400)
        assert abs(vlc_playback._reported_time_ms() - target) <= 100
        assert abs(vlc_playback.time_ms() - target) <= 100
    # And while playing: the smooth time carries on from the target (libVLC needs a
    # moment to refill its buffers after a seek, so it may be a little behind the wall).
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    vlc_playback.seek(6_000)
    began = time.monotonic()
    qtbot.wait(700)
    wall = 6_000 + (time.monotonic() - began) * 1000
    assert wall - 300 <= vlc_playback.time_ms() <= wall + 50


def test_rate_changes_speed(qtbot, vlc_playback, tone_mp3):
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    vlc_playback.set_rate(2.0)
    qtbot.wait(300)
    start, began = vlc_playback._reported_time_ms(), time.monotonic()
    qtbot.wait(2000)
    speed = (vlc_playback._reported_time_ms() - start) / ((time.monotonic() - began) * 1000)
    assert 1.5 <= speed <= 2.5
    assert vlc_playback._player.get_rate() == pytest.approx(2.0)


def test_video_is_detected_with_its_duration(qtbot, vlc_playback, video_mp4):
    seen = []
    vlc_playback.has_video_changed.connect(seen.append)
    vlc_playback.load(str(video_mp4))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[-1] is True
    assert abs(vlc_playback.duration_ms - 12_000) < 200


def test_unplayable_file_reports_an_error(qtbot, vlc_playback, not_media):
    errors = []
    vlc_playback.error.connect(errors.append)
    vlc_playback.load(str(not_media))
    vlc_playback.play()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "broken.mp4" in errors[0]
    assert vlc_playback.state is PlaybackState.ERROR


def test_ended_then_play_starts_again(qtbot, vlc_playback, tone_mp3):
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    vlc_playback.seek(19_500)
    qtbot.waitUntil(lambda: vlc_playback.state is PlaybackState.ENDED, timeout=5000)
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    qtbot.wait(300)
    assert vlc_playback.time_ms() < 2000


def test_qt_multimedia_fallback_plays(qtbot, tone_mp3):
    from player.playback.qtmedia import QtMediaPlayback

    playback = QtMediaPlayback()
    try:
        playback.load(str(tone_mp3))
        playback.play()
        wait_playing(qtbot, playback)
        start = playback.time_ms()
        qtbot.wait(800)
        assert playback.time_ms() - start >= 400
        playback.seek(10_000)
        qtbot.wait(300)
        assert abs(playback.time_ms() - 10_300) <= 300
    finally:
        playback.close()


def test_without_libvlc_the_app_falls_back_to_qt_multimedia(tmp_path):
    import os
    import subprocess
    import sys

    script = ("from PySide6.QtWidgets import QApplication\n"
              "app = QApplication([])\n"
              "from player.playback import create_playback\n"
              "playback, notice = create_playback()\n"
              "print(type(playback).__name__)\n"
              "print(notice)\n")
    env = dict(os.environ, PYTHON_VLC_LIB_PATH=str(tmp_path / "no-libvlc.so"))
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    backend, notice = result.stdout.splitlines()[:2]
    assert backend == "QtMediaPlayback"
    assert notice.startswith("libVLC is not available") and "Qt Multimedia" in notice


def _dominant_frequency(wav_path, seconds=1.0):
    """Zero crossings over the last `seconds` of a 16-bit WAV, halved."""
    import array
    import wave

    with wave.open(str(wav_path)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        assert wav.getsampwidth() == 2
        samples = array.array("h", wav.readframes(wav.getnframes()))[::channels]
    tail = samples[-int(rate * seconds):]
    crossings = sum(1 for a, b in zip(tail, tail[1:]) if (a < 0) != (b < 0))
    return crossings / 2 / seconds


def test_double_speed_keeps_the_pitch(qtbot, tone_mp3, tmp_path, monkeypatch):
    from player.playback.vlc import EXTRA_ARGS_ENV, VlcPlayback

    # libVLC's own file output records what a listener would hear.
    heard = tmp_path / "heard.wav"
    monkeypatch.setenv(EXTRA_ARGS_ENV, f"--aout=afile --audiofile-file={heard} --audiofile-wav")
    playback = VlcPlayback()
    try:
        playback.load(str(tone_mp3))
        playback.play()
        wait_playing(qtbot, playback)
        playback.set_rate(2.0)
        qtbot.wait(300)
        start, began = playback._reported_time_ms(), time.monotonic()
        qtbot.wait(2200)
        speed = (playback._reported_time_ms() - start) / ((time.monotonic() - began) * 1000)
    finally:
        playback.close()
    assert 1.6 <= speed <= 2.4
    assert 420 <= _dominant_frequency(heard) <= 460  # the 440 Hz tone, not 880 Hz

"""Real libVLC playing real media made by ffmpeg, under Xvfb.

These assert order and state only (what holds however loaded the machine is); the
timings themselves (speed against the wall clock, seek landing while playing, the
highlight's lag) are measured by bench/sync_bench.py."""

import os
import subprocess
import sys

import pytest

from player.playback import PlaybackState
from tests.conftest import assert_clock_keeps_to_reports, ffmpeg, read_clock_until, wait_playing


def test_plays_audio_and_time_advances(qtbot, vlc_playback, tone_mp3):
    durations = []
    vlc_playback.duration_changed.connect(durations.append)
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    qtbot.waitUntil(lambda: vlc_playback._reported_time_ms() > 0, timeout=5000)
    start = vlc_playback._reported_time_ms()
    readings = read_clock_until(qtbot, vlc_playback, lambda: vlc_playback._reported_time_ms() >= start + 1000)
    assert_clock_keeps_to_reports(readings)
    assert readings[-1][0] > readings[0][0]
    assert abs(vlc_playback.duration_ms - 20_000) < 200 and durations


def test_seek_lands_within_100_ms_on_audio(qtbot, vlc_playback, tone_mp3):
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    vlc_playback.pause()
    qtbot.waitUntil(lambda: vlc_playback.state is PlaybackState.PAUSED, timeout=5000)
    for target in (12_000, 3_500, 17_250):
        vlc_playback.seek(target)
        # Paused, libVLC's own time settles where the seek landed and stays there.
        qtbot.waitUntil(lambda target=target: abs(vlc_playback._reported_time_ms() - target) <= 100, timeout=5000)
        assert abs(vlc_playback.time_ms() - target) <= 100
    # And while playing: the smooth time goes on from the target, never back to where
    # playback was (libVLC reports the old position for a moment after a seek).
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    vlc_playback.seek(6_000)
    landing = read_clock_until(qtbot, vlc_playback, lambda: 6_000 <= vlc_playback._reported_time_ms() < 7_000)
    assert all(now >= 6_000 for now, _ in landing)
    assert [now for now, _ in landing] == sorted(now for now, _ in landing)
    readings = read_clock_until(qtbot, vlc_playback, lambda: vlc_playback._reported_time_ms() >= 7_000)
    assert_clock_keeps_to_reports(readings)


def test_rate_changes_speed(qtbot, vlc_playback, tone_mp3):
    """How fast 2x really plays is heard in test_double_speed_plays_each_second_in_half_a_second...;
    here the state, and the smooth clock keeping to libVLC at 2x."""
    rates = []
    vlc_playback.rate_changed.connect(rates.append)
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    vlc_playback.set_rate(2.0)
    assert rates == [2.0] and vlc_playback.rate == 2.0
    assert vlc_playback._player.get_rate() == pytest.approx(2.0)
    # From libVLC's first report at the new rate on, the clock extrapolates at 2x from it.
    start = vlc_playback._reported_time_ms()
    qtbot.waitUntil(lambda: vlc_playback._reported_time_ms() != start, timeout=5000)
    readings = read_clock_until(qtbot, vlc_playback, lambda: vlc_playback._reported_time_ms() >= start + 1500)
    assert_clock_keeps_to_reports(readings, rate=2.0)


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
    assert vlc_playback.time_ms() == 0  # from the start, not stuck at the end
    wait_playing(qtbot, vlc_playback)
    qtbot.waitUntil(lambda: 0 < vlc_playback._reported_time_ms() < 19_500, timeout=5000)
    first = vlc_playback._reported_time_ms()
    qtbot.waitUntil(lambda: vlc_playback._reported_time_ms() > first, timeout=5000)  # and it plays on


def test_play_while_paused_at_the_very_end_starts_again(qtbot, vlc_playback, tone_mp3):
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    vlc_playback.pause()
    qtbot.waitUntil(lambda: vlc_playback.state is PlaybackState.PAUSED, timeout=5000)
    vlc_playback.seek(19_990)   # the last moment: libVLC alone would end at once
    qtbot.waitUntil(lambda: vlc_playback._reported_time_ms() >= 19_900, timeout=5000)
    vlc_playback.toggle_play()   # Space
    assert vlc_playback.time_ms() == 0   # from the start
    wait_playing(qtbot, vlc_playback)
    qtbot.waitUntil(lambda: 0 < vlc_playback._reported_time_ms() < 19_500, timeout=5000)
    first = vlc_playback._reported_time_ms()
    qtbot.waitUntil(lambda: vlc_playback._reported_time_ms() > first, timeout=5000)   # and it plays on
    assert vlc_playback.state is PlaybackState.PLAYING


def test_qt_multimedia_fallback_plays(qtbot, tone_mp3):
    from player.playback.qtmedia import QtMediaPlayback

    playback = QtMediaPlayback()
    try:
        playback.load(str(tone_mp3))
        playback.play()
        wait_playing(qtbot, playback)
        qtbot.waitUntil(lambda: playback._reported_time_ms() > 0, timeout=5000)
        start = playback._reported_time_ms()
        readings = read_clock_until(qtbot, playback, lambda: playback._reported_time_ms() >= start + 400)
        assert_clock_keeps_to_reports(readings)
        playback.seek(10_000)
        assert playback.time_ms() >= 10_000
        qtbot.waitUntil(lambda: playback._reported_time_ms() >= 10_000, timeout=5000)
        assert playback.time_ms() >= 10_000
    finally:
        playback.close()


def test_qt_multimedia_says_once_when_the_machine_has_no_sound_device(qtbot, tone_mp3, video_mp4):
    from PySide6.QtMultimedia import QMediaDevices

    from player.playback.qtmedia import QtMediaPlayback

    playback = QtMediaPlayback()
    notices = []
    playback.notice.connect(notices.append)
    try:
        for media in (tone_mp3, video_mp4):
            playback.load(str(media))
        playback.play()
        wait_playing(qtbot, playback)  # it plays on, with or without sound
    finally:
        playback.close()
    if QMediaDevices.audioOutputs():
        assert notices == []
    else:  # as on the test machines
        assert notices == ["No sound: the audio device could not be opened (Qt Multimedia finds no "
                           "audio output). The lecture plays on without it."]


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


def _tones_heard(wav_path, window_s=0.025):
    """What a listener hears of a lecture of low and high tones, as runs of
    (mean frequency in Hz, seconds): each 25 ms window of a 16-bit WAV measured by its
    zero crossings and called low or high (or silent); blends where one tone gives way
    to the next, shorter than 0.1 s, are left out."""
    import array
    import wave

    with wave.open(str(wav_path)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        assert wav.getsampwidth() == 2
        samples = array.array("h", wav.readframes(wav.getnframes()))[::channels]
    size = int(rate * window_s)
    runs = []  # [kind, [frequencies of its windows]]
    for at in range(0, len(samples) - size, size):
        window = samples[at:at + size]
        crossings = sum(1 for a, b in zip(window, window[1:]) if (a < 0) != (b < 0))
        frequency = crossings / 2 / window_s
        kind = "silent" if max(map(abs, window)) < 1000 else "low" if frequency < 425 else "high"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(frequency)
        else:
            runs.append([kind, [frequency]])
    kept = []
    for kind, frequencies in runs:
        if len(frequencies) * window_s < 0.1:
            continue
        if kept and kept[-1][0] == kind:
            kept[-1][1].extend(frequencies)
        else:
            kept.append([kind, frequencies])
    return [(sum(f) / len(f), round(len(f) * window_s, 3)) for _, f in kept]


def test_double_speed_plays_each_second_in_half_a_second_at_the_same_pitch(qtbot, tmp_path, monkeypatch):
    """Measured in what libVLC plays, not against the wall clock: a lecture of one-second
    tones, 300 and 600 Hz in turn, heard at 2x is half-second tones of the same pitches."""
    from player.playback.vlc import EXTRA_ARGS_ENV, VlcPlayback

    steps = tmp_path / "steps.mp3"
    inputs = [arg for i in range(12) for arg in ("-f", "lavfi", "-i", f"sine=frequency={(300, 600)[i % 2]}:duration=1")]
    ffmpeg(*inputs, "-filter_complex", "".join(f"[{i}:a]" for i in range(12)) + "concat=n=12:v=0:a=1",
           "-c:a", "libmp3lame", "-b:a", "64k", str(steps))
    # libVLC's own file output records what a listener would hear.
    heard = tmp_path / "heard.wav"
    monkeypatch.setenv(EXTRA_ARGS_ENV, f"--aout=afile --audiofile-file={heard} --audiofile-wav")
    playback = VlcPlayback()
    try:
        playback.load(str(steps))
        playback.play()
        wait_playing(qtbot, playback)
        qtbot.waitUntil(lambda: playback._reported_time_ms() >= 500, timeout=5000)
        playback.set_rate(2.0)
        qtbot.waitUntil(lambda: playback._reported_time_ms() >= 8_000, timeout=20_000)
    finally:
        playback.close()
    runs = _tones_heard(heard)
    # The last whole tones (the final one is cut off by the close), all played at 2x.
    last_whole = runs[-4:-1]
    assert [seconds for _, seconds in last_whole] == pytest.approx([0.5] * 3, abs=0.06), runs
    pitches = sorted(frequency for frequency, _ in last_whole)
    assert pitches[0] == pytest.approx(300, rel=0.07) and pitches[-1] == pytest.approx(600, rel=0.07), runs


# Plays a file with libVLC in a process of its own until 3 s of it have played, printing
# each notice; logging is left unconfigured, so whatever reaches stderr is what a bare
# process would show in its terminal.
_NO_SOUND_SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
app = QCoreApplication([])
from player.playback.vlc import VlcPlayback
playback = VlcPlayback()
playback.notice.connect(lambda text: print("NOTICE", text, flush=True))
playback.error.connect(lambda text: print("ERROR", text, flush=True))
playback.load(sys.argv[1])
playback.play()
def check():
    if playback.time_ms() >= 3000:
        print("PLAYED", flush=True)
        app.quit()
poll = QTimer(interval=50, timeout=check)
poll.start()
QTimer.singleShot(60_000, app.quit)  # a safety net only: the test checks that it played
app.exec()
playback.close()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ALSA is Linux's")
@pytest.mark.parametrize("fixture", ["tone_mp3", "video_mp4"])
def test_a_sound_device_that_cannot_open_is_said_once_and_stderr_stays_quiet(request, fixture):
    media = request.getfixturevalue(fixture)
    # An ALSA device that is nowhere, so it fails on a machine with sound too. On video
    # libVLC retries the device twenty times a second, and alsa-lib printed eight lines
    # to stderr each time: 100,000 lines in ten minutes.
    env = dict(os.environ, TRANSCRIPT_PLAYER_VLC_ARGS="--aout=alsa --alsa-audio-device=nonexistent")
    result = subprocess.run([sys.executable, "-c", _NO_SOUND_SCRIPT, str(media)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout.splitlines()
    assert "PLAYED" in out, result.stdout  # the lecture played on without sound
    notices = [line for line in out if line.startswith("NOTICE")]
    assert len(notices) == 1, out
    assert notices[0].startswith("NOTICE No sound: the audio device could not be opened (")
    assert '"nonexistent"' in notices[0]
    errors = result.stderr.splitlines()
    assert not [line for line in errors if line.startswith("ALSA lib")], errors[:10]
    # libVLC's errors reach stderr through logging's last resort: each once, whatever
    # the number of retries.
    assert len(errors) == len(set(errors)) and len(errors) < 30, errors

"""What start-up leaves for later: python-vlc and the libVLC instance until media is opened,
sqlite-utils (numpy behind it) until the library needs migrating, the download, export and
reel code until asked for. And what it still does: the demo opens and plays."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from player.core.library import Library
from player.playback import PlaybackState
from tests.conftest import wait_playing

# Heavy modules the window must open without.
DEFERRED = ["vlc", "numpy", "sqlite_utils", "urllib.request", "ssl", "http.client",
            "player.core.reel", "player.core.exports", "player.ui.reel_dialog", "player.core.transcription",
            "pysubs2", "logging.handlers",
            # Telling an SRT from the other formats needs none of the XML or ASS readers.
            "player.core.formats.ttml", "player.core.formats.elan", "player.core.formats.ass",
            "xml.etree.ElementTree",
            # Needed later or never: libVLC's helpers, the About box, word-level edits.
            "ctypes.util", "subprocess", "secrets", "platform", "difflib"]


def modules_after(code: str, *args: str, env: dict | None = None) -> dict:
    """Runs code in a fresh interpreter and returns which of DEFERRED it imported (and what
    else the code printed last, as a dict literal)."""
    script = textwrap.dedent(code) + textwrap.dedent(f"""
        import sys
        extra = globals().get("extra", {{}})
        print({{**{{name: name in sys.modules for name in {DEFERRED!r}}}, **extra}})
    """)
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120,
                            env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own dict literal


def test_importing_the_window_and_playback_imports_none_of_the_heavy_modules():
    seen = modules_after("import player.app, player.ui.main_window, player.playback.vlc")
    assert [name for name in DEFERRED if seen[name]] == []


def test_launch_with_a_transcript_loads_it_without_libvlc_or_numpy(tmp_path):
    """The real start-up (run_app) of a learner's second launch: an existing library, a
    transcript, no media. Once the transcript is in, python-vlc was never imported."""
    from tests.conftest import TONE_CUES, write_srt

    transcript = write_srt(tmp_path / "talk.srt", TONE_CUES)
    library = tmp_path / "library.sqlite"
    Library.open(library).close()   # made (and migrated) by an earlier launch
    code = """
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from player.app import run_app
        from player.ui.main_window import MainWindow

        app = QApplication(sys.argv[:1])
        extra = {}

        def report():
            windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
            if not windows or windows[0].transcript is None:
                QTimer.singleShot(10, report)
                return
            window = windows[0]
            extra.update(lines=len(window.transcript), started=window.playback.started,
                         backend=window.playback.name, checked=window.annotations.library.integrity_checked,
                         title=window.windowTitle())
            window.close()   # as the learner closes it: the app quits with its last window

        QTimer.singleShot(0, report)
        run_app(None, sys.argv[1], sys.argv[2])
    """
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    seen = modules_after(code, str(transcript), str(library), env=env)
    assert seen["lines"] == 10 and seen["title"].startswith("talk")
    assert seen["backend"] == "libVLC" and seen["started"] is False
    assert seen["checked"] is False   # closed cleanly last time: its pages are not all read
    assert [name for name in DEFERRED if seen[name]] == []
    # Closing the window closed the library: no -wal left, so the next start skips the check too.
    assert not library.with_name("library.sqlite-wal").exists()
    with Library.open(library) as again:
        assert again.integrity_checked is False


def test_libvlc_starts_with_the_first_media_and_plays_into_the_window(qtbot, window, video_mp4):
    playback = window.playback
    surface = window.video_pane.video_surface
    assert playback.started is False and playback._instance is None   # the window is up without it
    assert playback.version.startswith("3.")   # About can still name it
    window.open_media(str(video_mp4))
    assert playback.started is False   # open_media did not wait for libVLC: it starts on a thread
    qtbot.waitUntil(lambda: playback.started, timeout=10_000)
    wait_playing(qtbot, playback)
    qtbot.waitUntil(lambda: playback.has_video, timeout=10_000)
    # The surface made before libVLC was handed to the player made later.
    assert playback._player.get_xwindow() == int(surface.winId())
    assert window.video_pane.currentWidget() is surface
    start = playback._reported_time_ms()
    qtbot.waitUntil(lambda: playback._reported_time_ms() > start, timeout=10_000)


def test_a_speed_set_before_libvlc_starts_is_kept(qtbot, vlc_playback, tone_mp3):
    # (The volume is applied on each load as before; libVLC here has no sound device to keep it.)
    vlc_playback.set_rate(1.5)
    assert vlc_playback.started is False
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    wait_playing(qtbot, vlc_playback)
    assert vlc_playback._player.get_rate() == 1.5 and vlc_playback.rate == 1.5


def test_play_and_seek_asked_while_libvlc_starts_are_done_once_it_has(qtbot, vlc_playback, tone_mp3):
    states = []
    vlc_playback.state_changed.connect(states.append)
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    vlc_playback.seek(12_000)
    assert vlc_playback.started is False   # all three asked before libVLC was there
    wait_playing(qtbot, vlc_playback)
    assert states[0] is PlaybackState.LOADING and PlaybackState.PLAYING in states
    # Played from 12 s: reaching it from the start would take 12 s of playing.
    qtbot.waitUntil(lambda: vlc_playback._reported_time_ms() >= 12_000, timeout=8_000)


def test_a_playback_closed_while_libvlc_starts_never_plays(qtbot, vlc_playback, tone_mp3):
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    vlc_playback.close()
    # Closing waited for the instance being made and released it: the process may end now.
    assert not vlc_playback._start_thread.is_alive() and vlc_playback._made is None
    qtbot.waitUntil(lambda: not vlc_playback._starting, timeout=10_000)   # its report arrived, and was ignored
    assert vlc_playback.started is False and vlc_playback._player is None
    assert vlc_playback.state is PlaybackState.LOADING
    vlc_playback.load(str(tone_mp3))   # and a closed playback starts nothing again
    assert vlc_playback._starting is False


def test_libvlc_failing_to_start_is_said_in_one_line_naming_the_media(qtbot, monkeypatch, tone_mp3):
    from player.playback.vlc import EXTRA_ARGS_ENV, VlcPlayback

    monkeypatch.setenv(EXTRA_ARGS_ENV, "--no-such-libvlc-option")   # libvlc_new refuses to start
    playback = VlcPlayback()   # libVLC itself loads: the window is built with it
    errors = []
    playback.error.connect(errors.append)
    try:
        playback.load(str(tone_mp3))
        playback.play()
        qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
        assert errors == ["“tone lecture.mp3” cannot play: libVLC could not start (are its plugins installed?)."]
        assert playback.state is PlaybackState.ERROR and playback.started is False
    finally:
        playback.close()


def test_a_closed_playback_never_starts_libvlc(qtbot, vlc_playback, tone_mp3):
    vlc_playback.close()
    vlc_playback.load(str(tone_mp3))
    vlc_playback.play()
    assert vlc_playback.started is False and vlc_playback._starting is False


def test_the_demo_opens_and_plays(tmp_path):
    """`transcript-player --demo` as the learner starts it (isolated settings and library)."""
    code = """
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from player.cli import main
        from player.playback import PlaybackState
        from player.ui.main_window import MainWindow

        app = QApplication(sys.argv[:1])
        extra = {}

        def report():
            windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
            window = windows[0] if windows else None
            if window is None or window.transcript is None or window.playback.time_ms() < 500:
                QTimer.singleShot(20, report)
                return
            extra.update(lines=len(window.transcript), media=window.media_path,
                         playing=window.playback.state is PlaybackState.PLAYING, started=window.playback.started)
            app.quit()

        QTimer.singleShot(0, report)
        QTimer.singleShot(60_000, app.quit)   # a safety net: the test checks what was reported
        main(["--demo", "--library", sys.argv[1]])
    """
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    seen = modules_after(code, str(tmp_path / "library.sqlite"), env=env)
    from player.cli.window import DEMO_MEDIA

    assert seen.get("lines", 0) > 0 and seen["media"] == str(DEMO_MEDIA), seen
    assert seen["playing"] is True and seen["started"] is True


def test_the_study_tools_come_after_the_first_paint_or_at_first_use(qtbot, settings, library_path):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    unshown = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(unshown)
    assert unshown._study_tools is None and "loop_line" not in unshown.actions_by_name
    assert unshown.repeating is not None   # first use builds them all, at once
    assert "loop_line" in unshown.actions_by_name and "dictation" in unshown.actions_by_name

    shown = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(shown)
    assert shown._study_tools is None
    shown.show()
    qtbot.waitUntil(lambda: shown._study_tools is not None, timeout=10_000)   # once it has painted
    assert [a.objectName() for a in shown.study_menu.actions() if a.objectName()][:2] == ["dictation",
                                                                                         "dictation_mistakes"]


def test_the_transcript_named_at_launch_is_read_from_the_first_moment(qtbot, window, tmp_path):
    """run_app starts reading the transcript before Qt and the window are made; the window
    takes that reading instead of reading the file again."""
    from player.app import EarlyRead
    from player.core.formats import TranscriptError
    from tests.conftest import TONE_CUES, write_srt

    path = write_srt(tmp_path / "talk.srt", TONE_CUES)
    early = EarlyRead(str(path), None)
    assert len(early.result()) == len(TONE_CUES)
    path.unlink()   # read already: the window must not need the file again
    window.open_transcript(str(path), early_read=early)
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=10_000)
    assert [s.text for s in window.transcript] == [text for _start, _end, text in TONE_CUES]

    broken = tmp_path / "broken.srt"
    broken.write_text("1\n00:00:01,000 --> nonsense\nWords\n", encoding="utf-8")
    failing = EarlyRead(str(broken), None)
    with pytest.raises(TranscriptError, match="broken.srt"):
        failing.result()   # what reading raised, for the window's one-line message

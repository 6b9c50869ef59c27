"""Shared fixtures: real media made with the bundled ffmpeg, transcripts to match."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from hypothesis import HealthCheck, settings

# Examples are judged by what they find, never by how fast a loaded machine makes them.
settings.register_profile("any-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("any-machine")

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "tests" / "data" / "seeds"  # copies of the project's seed set (README there)
WHISPER_SEED = SEEDS / "003_98d2fe73ddf5816f.txt"
DEMO_DIR = REPO / "resources" / "sample"


def ffmpeg(*args: str) -> None:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def tone_mp3(media_dir) -> Path:
    """20 s of a 440 Hz tone: an audio-only lecture."""
    path = media_dir / "tone lecture.mp3"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=20", "-c:a", "libmp3lame", "-b:a", "64k",
           str(path))
    return path


@pytest.fixture(scope="session")
def video_mp4(media_dir) -> Path:
    """12 s of test pattern with a tone: a video lecture, keyframe every second."""
    path = media_dir / "pattern.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=12",
           "-f", "lavfi", "-i", "sine=frequency=330:duration=12",
           "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(path))
    return path


@pytest.fixture(scope="session")
def not_media(media_dir) -> Path:
    """Text dressed up as a video."""
    path = media_dir / "broken.mp4"
    path.write_bytes(b"this is not a video at all\n" * 200)
    return path


def write_srt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    from player.core.timecode import format_timecode

    blocks = []
    for number, (start, end, text) in enumerate(cues, start=1):
        blocks.append(f"{number}\n{format_timecode(int(start * 1000), ',')} --> "
                      f"{format_timecode(int(end * 1000), ',')}\n{text}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


# One line every two seconds over the 20 s tone.
TONE_CUES = [(i * 2.0, i * 2.0 + 2.0, f"Line {i} of the tone lecture.") for i in range(10)]


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def vlc_playback(qtbot):
    from player.playback.vlc import VlcPlayback

    playback = VlcPlayback()
    yield playback
    playback.close()


@pytest.fixture
def library_path(tmp_path):
    return tmp_path / "library.sqlite"


@pytest.fixture
def window(qtbot, settings, library_path):
    """The real main window with real libVLC and a library file of its own, shown on
    the (Xvfb) display."""
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    main_window = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(main_window)  # closed at teardown, which releases libVLC
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()  # Xvfb has no window manager to give focus
    qtbot.waitUntil(main_window.isActiveWindow)
    return main_window


def wait_playing(qtbot, playback, timeout=10_000):
    from player.playback import PlaybackState

    qtbot.waitUntil(lambda: playback.state is PlaybackState.PLAYING, timeout=timeout)


def read_clock_until(qtbot, playback, until, timeout=20_000):
    """(smooth time, the backend's own report read just after it), every 10 ms on the
    GUI thread, until `until()` holds."""
    from PySide6.QtCore import QTimer

    readings = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: readings.append((playback.time_ms(), playback._reported_time_ms())))
    timer.start()
    try:
        qtbot.waitUntil(until, timeout=timeout)
    finally:
        timer.stop()
    return readings


def assert_clock_keeps_to_reports(readings, rate=1.0):
    """What holds on any machine, however loaded, for (smooth time, report read just after)
    pairs taken while playing with no seek: the smooth time never goes backwards, is never
    behind a report read before it, and never runs ahead of the report read with it by
    more than the clock may extrapolate."""
    from player.core.clock import MAX_EXTRAPOLATION_MS

    assert len(readings) >= 2
    for (before, report_before), (now, _) in zip(readings, readings[1:]):
        assert before <= now, readings
        assert now >= report_before, readings
    for now, report in readings:
        assert now <= report + MAX_EXTRAPOLATION_MS * rate, readings


class ModalAnswer:
    """A modal dialog runs its own event loop and blocks the test until it closes:
    answer the next visible `kind` from inside that loop as soon as it is up (polled,
    never a guess at how long it takes to appear). `dialogs` holds it once answered."""

    def __init__(self, kind, answer) -> None:
        from PySide6.QtCore import QTimer

        self.dialogs = []
        self._kind, self._answer = kind, answer
        self._timer = QTimer(interval=10)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        from PySide6.QtWidgets import QApplication

        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, self._kind) and dialog.isVisible():
            self._timer.stop()
            self.dialogs.append(dialog)
            self._answer(dialog)


def assert_one_line_error(result, *words) -> None:
    """A command that failed as a user must see it: exit 2 and one line on stderr (no
    traceback) holding each of `words`. `result` is a CompletedProcess or (code, stderr)."""
    code, err = (result.returncode, result.stderr) if hasattr(result, "returncode") else result
    assert code == 2, (code, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def open_playing_lecture(qtbot, window, media) -> None:
    """Open `media` in the window, wait for its transcript, lecture and playback, then pause."""
    window.open_media(str(media))
    qtbot.waitUntil(lambda: window.transcript is not None and window.annotations.lecture is not None,
                    timeout=10_000)
    wait_playing(qtbot, window.playback)
    window.playback.pause()

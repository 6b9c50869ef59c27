"""Shared fixtures: real media made with the bundled ffmpeg, transcripts to match."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest

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

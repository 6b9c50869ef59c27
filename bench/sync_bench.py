"""Playback timings against the wall clock, measured here rather than asserted in tests
(a loaded machine would fail them): how far the highlight lags a line's start, how fast
libVLC and Qt Multimedia advance at 1x and 2x, where a seek lands.

    python -m bench.sync_bench          (needs a display: run under xvfb-run)

Prints `ROW {json}` lines; `python -m bench` shows them in its table (probe
"playback_sync").
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.probes import row  # noqa: E402


def tone(folder: Path, seconds: int = 20) -> Path:
    import imageio_ffmpeg

    path = folder / "tone lecture.mp3"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi",
                    "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "libmp3lame", "-b:a", "64k",
                    str(path)], check=True)
    return path


def spin(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)


def wait_until(app, condition, timeout_s: float = 30.0) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.002)


def highlight_lag(app, media: Path) -> None:
    """Lines every 0.5 s; the true media time is fitted to libVLC's reports (exact at
    the moment each one changes), sampled every 5 ms; each highlight change is placed
    on that line."""
    from PySide6.QtCore import QTimer

    from player.playback import PlaybackState

    from player.core.formats.writers import to_srt
    from player.core.transcript import Segment, Transcript

    from PySide6.QtCore import QSettings

    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    lines = Transcript([Segment(i * 500, i * 500 + 500, f"half-second line {i}") for i in range(40)])
    media.with_suffix(".srt").write_text(to_srt(lines), encoding="utf-8")
    settings = QSettings(str(media.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(VlcPlayback(), settings, library_path=media.with_suffix(".sqlite"))
    window.show()
    window.open_media(str(media))
    player = window.playback
    wait_until(app, lambda: window.transcript is not None and player.state is PlaybackState.PLAYING)
    reports, changes, last = [], [], [None]

    def sample():
        reported = player._reported_time_ms()
        if reported != last[0]:
            last[0] = reported
            reports.append((time.monotonic(), reported))

    sampler = QTimer(interval=5)
    sampler.timeout.connect(sample)
    window.sync.current_segment_changed.connect(lambda line: changes.append((time.monotonic(), line)))
    window.seek(2_000)
    spin(app, 0.7)  # let the seek settle before measuring
    reports.clear(), changes.clear()
    sampler.start()
    spin(app, 4.0)
    sampler.stop()
    walls, medias = [w for w, _ in reports[1:]], [m for _, m in reports[1:]]
    slope, intercept = statistics.linear_regression(walls, medias)
    lags = [slope * wall + intercept - line * 500 for wall, line in changes if line is not None]
    row("sync: highlight lag after the line's start", f"{statistics.median(lags):.0f} ms", "0-50 ms",
        f"median of {len(lags)} changes, range {min(lags):.0f}..{max(lags):.0f} ms; libVLC {slope / 1000:.3f}x")
    window.close()


def report_speed(app, playback, seconds: float) -> float:
    """Media time per wall second, fitted to the backend's reports where they change
    (a coarse report is exact at that moment)."""
    changes, last = [], None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        reported = playback._reported_time_ms()
        if reported != last:
            last = reported
            changes.append((time.monotonic(), reported))
        time.sleep(0.002)
    slope, _ = statistics.linear_regression([w for w, _ in changes[1:]], [m for _, m in changes[1:]])
    return slope / 1000


def backend_speed(app, playback, media: Path, label: str) -> None:
    from player.playback import PlaybackState

    playback.load(str(media))
    playback.play()
    wait_until(app, lambda: playback.state is PlaybackState.PLAYING and playback._reported_time_ms() > 0)
    for rate in (1.0, 2.0):
        playback.set_rate(rate)
        spin(app, 0.3)
        row(f"{label}: media time per wall second at {rate:g}x", f"{report_speed(app, playback, 3.0):.2f}x",
            f"{rate:g}x", "fitted to 3 s of its reports")
    playback.set_rate(1.0)


def seek_landing(app, playback) -> None:
    from player.playback import PlaybackState

    playback.pause()
    wait_until(app, lambda: playback.state is PlaybackState.PAUSED)
    errors = []
    for target in (12_000, 3_500, 17_250):
        playback.seek(target)
        spin(app, 0.4)
        errors.append(abs(playback._reported_time_ms() - target))
    row("libVLC: paused seek lands from the target", f"{max(errors)} ms", "<= 100 ms", "worst of 3, 0.4 s after")
    playback.play()
    wait_until(app, lambda: playback.state is PlaybackState.PLAYING)
    playback.seek(6_000)
    began = time.monotonic()
    spin(app, 0.7)
    wall = 6_000 + (time.monotonic() - began) * 1000
    row("libVLC: smooth time 0.7 s after a seek while playing", f"{playback.time_ms() - wall:+.0f} ms",
        "-300..+50 ms", "against the wall clock from the seek")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from player.playback.qtmedia import QtMediaPlayback
    from player.playback.vlc import VlcPlayback

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        media = tone(Path(folder))
        highlight_lag(app, media)
        vlc = VlcPlayback()
        backend_speed(app, vlc, media, "libVLC")
        seek_landing(app, vlc)
        vlc.close()
        qt = QtMediaPlayback()
        backend_speed(app, qt, media, "Qt Multimedia")
        qt.close()


if __name__ == "__main__":
    main()

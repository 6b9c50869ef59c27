"""Loops and shadowing against libVLC's own time, in the real window: where a line loop
really leaves its line and where playback really starts again after the jump back, in
ms and in frames of a 30 fps video; where shadowing really pauses and how long.

    python -m bench.loop_bench          (needs a display: run under xvfb-run)

libVLC reports its time coarsely (every 250 ms on video) but each change of the report
is exact at the moment it changes. Within one time round the loop the media advances at
the rate, so the true media time at any wall time is fitted to that round's report
changes: the fitted time at the jump is where the loop really ended, the fitted time
at the previous jump is where playback really resumed.

Prints `ROW {json}` lines; `python -m bench` shows them in its table (probe "loops").
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
from bench.sync_bench import spin, wait_until  # noqa: E402

FPS = 30
FRAME_MS = 1000 / FPS
ROUNDS = 24
# Lines of 1.3 s to 2.1 s, a loop round each, so the ends fall anywhere between reports.
LINES = [(2000 + i * 2500, 2000 + i * 2500 + 1300 + (i * 170) % 800) for i in range(6)]


def video(folder: Path, seconds: int = 20) -> Path:
    """30 fps test pattern with a tone, a keyframe every 2 s (seeks decode up to 59 frames)."""
    import imageio_ffmpeg

    path = folder / "loop lecture.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc=size=640x360:rate={FPS}:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-g", str(2 * FPS), "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-shortest", str(path)], check=True)
    return path


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Recorder:
    """libVLC's report changes and the window's decisions, with their wall times."""

    def __init__(self, window) -> None:
        from PySide6.QtCore import QTimer

        self.window = window
        self.reports: list[tuple[float, int]] = []
        self.decisions: list[tuple[float, object]] = []
        self._last = None
        self._sampler = QTimer(interval=2)
        self._sampler.timeout.connect(self._sample)
        repeating = window.repeating
        carry_out = repeating._carry_out

        def recorded(decision) -> None:
            self.decisions.append((time.monotonic(), decision))
            carry_out(decision)

        repeating._carry_out = recorded

    def _sample(self) -> None:
        reported = self.window.playback._reported_time_ms()
        if reported != self._last:
            self._last = reported
            self.reports.append((time.monotonic(), reported))

    def start(self) -> None:
        self.reports.clear(), self.decisions.clear()
        self._sampler.start()

    def stop(self) -> None:
        self._sampler.stop()

    def fitted_at(self, begin: float, end: float, settle_s: float = 0.3) -> float | None:
        """The media time at wall time `begin`, fitted (at 1x) to the report changes
        between `begin` + settle and `end`; None with fewer than two."""
        offsets = [media - (wall - begin) * 1000 for wall, media in self.reports if begin + settle_s <= wall < end]
        return statistics.median(offsets) if len(offsets) >= 2 else None


def loop_boundaries(app, window, recorder: Recorder, precise: bool = True) -> None:
    """Line loops round lines of several lengths: the loop's true end against the line's
    end, and the true restart against its start. `precise` False: the window's 20 ms
    tick alone decides, without the precise timer (for comparison)."""
    repeating = window.repeating
    boundary = repeating._boundary
    if not precise:
        boundary.aim = lambda now_ms, boundary_ms: None
    end_errors, start_errors = [], []
    per_line = ROUNDS // len(LINES) + 1
    for start, end in LINES:
        window.seek(start + 300)
        spin(app, 0.4)
        window.repeating.set_line_loop(True)
        recorder.start()
        wait_until(app, lambda: window.repeating.repeater.count >= per_line, 60)
        spin(app, 0.1)
        recorder.stop()
        window.repeating.set_line_loop(False)
        jumps = [wall for wall, decision in recorder.decisions if decision.seek_ms == start]
        for before, after in zip(jumps, jumps[1:]):
            resumed = recorder.fitted_at(before, after)
            if resumed is None:
                continue
            start_errors.append(resumed - start)
            end_errors.append(resumed + (after - before) * 1000 - end)
    if not precise:
        del boundary.aim   # the class's own again
    median, p95 = percentiles([abs(e) for e in end_errors])
    if not precise:
        row("loop: ... with the 20 ms tick alone (no precise timer)", f"{median:.0f} ms median, {p95:.0f} ms p95",
            "", f"{median / FRAME_MS:.2f} / {p95 / FRAME_MS:.2f} frames; {len(end_errors)} rounds")
        return
    row("loop: where the loop really ends, from the line's end", f"{median:.0f} ms median, {p95:.0f} ms p95",
        "<= 1 frame (33 ms) median",
        f"{median / FRAME_MS:.2f} / {p95 / FRAME_MS:.2f} frames at {FPS} fps; {len(end_errors)} rounds; "
        f"signed median {statistics.median(end_errors):+.0f} ms")
    median, p95 = percentiles([abs(e) for e in start_errors])
    row("loop: the line's start plays again after the jump by", f"{median:.0f} ms median, {p95:.0f} ms p95", "",
        f"signed median {statistics.median(start_errors):+.0f} ms: libVLC's seek takes this long (decoding "
        f"from the keyframe up to 2 s before); it lands on the start itself (next row)")


def seek_landing(app, window) -> None:
    """Where a seek to each line's start lands, paused (libVLC's report once settled): the
    position half of the restart above, without the time the seek takes."""
    from player.playback import PlaybackState

    window.playback.pause()
    wait_until(app, lambda: window.playback.state is PlaybackState.PAUSED)
    errors = []
    for start, _end in LINES * 3:
        window.seek(start + 900)
        spin(app, 0.3)
        window.seek(start)
        spin(app, 0.4)
        errors.append(window.playback._reported_time_ms() - start)
    median, p95 = percentiles([abs(e) for e in errors])
    row("loop: a seek to a line's start lands (paused, libVLC's report)", f"{median:.0f} ms median, {p95:.0f} ms p95",
        "<= 1 frame (33 ms) median", f"{len(errors)} seeks; {median / FRAME_MS:.2f} / {p95 / FRAME_MS:.2f} frames")
    window.playback.play()
    wait_until(app, lambda: window.playback.state is PlaybackState.PLAYING)


def shadowing(app, window, recorder: Recorder) -> None:
    """Shadowing across the lines: where it really pauses against each line's end, and
    how long it stays paused (decision to playing again) against the pause wanted."""
    from player.playback import PlaybackState

    playing_again: list[float] = []
    window.playback.state_changed.connect(
        lambda state: playing_again.append(time.monotonic()) if state is PlaybackState.PLAYING else None)
    window.seek(LINES[0][0] - 700)
    spin(app, 0.2)
    recorder.start()
    started = time.monotonic()
    window.repeating.set_shadowing(True)
    wait_until(app, lambda: len(recorder.decisions) >= len(LINES) and window.repeating.waiting is None, 120)
    spin(app, 0.5)
    recorder.stop()
    window.repeating.set_shadowing(False)
    where, length = [], []
    for (decided, decision), (_start, end) in zip(recorder.decisions, LINES):
        began = max([w for w in playing_again if w < decided] + [started])   # playing since
        fitted = recorder.fitted_at(began, decided)
        if fitted is not None:
            where.append(fitted + (decided - began) * 1000 - end)
        resumed = [w for w in playing_again if w > decided]
        if resumed:
            length.append((resumed[0] - decided) * 1000 - decision.pause_ms)
    if where:
        median, p95 = percentiles([abs(e) for e in where])
        row("shadowing: where it really pauses, from the line's end", f"{median:.0f} ms median, {p95:.0f} ms p95",
            "<= 1 frame (33 ms) median", f"{len(where)} lines; signed median {statistics.median(where):+.0f} ms")
    median, p95 = percentiles([abs(e) for e in length])
    row("shadowing: pause length, from the pause wanted", f"{median:.0f} ms median, {p95:.0f} ms p95",
        "<= 50 ms median", f"{len(length)} pauses, decision to libVLC playing again; "
        f"signed median {statistics.median(length):+.0f} ms")


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from player.core.formats.writers import to_srt
    from player.core.transcript import Segment, Transcript
    from player.playback import PlaybackState
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        media = video(Path(folder))
        lines = Transcript([Segment(start, end, f"line {i}") for i, (start, end) in enumerate(LINES)])
        media.with_suffix(".srt").write_text(to_srt(lines), encoding="utf-8")
        settings = QSettings(str(media.with_suffix(".ini")), QSettings.Format.IniFormat)
        window = MainWindow(VlcPlayback(), settings, library_path=media.with_suffix(".sqlite"))
        window.show()
        window.open_media(str(media))
        wait_until(app, lambda: window.transcript is not None and window.playback.state is PlaybackState.PLAYING
                   and window.annotations.lecture is not None)
        recorder = Recorder(window)
        loop_boundaries(app, window, recorder)
        loop_boundaries(app, window, recorder, precise=False)
        seek_landing(app, window)
        shadowing(app, window, recorder)
        window.close()


if __name__ == "__main__":
    main()

"""One benchmark per call, printed as `ROW {json}` lines for bench/__main__.py."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds" / "003_98d2fe73ddf5816f.txt"


def row(figure: str, value: str, target: str = "", note: str = "") -> None:
    print("ROW " + json.dumps({"figure": figure, "value": value, "target": target, "note": note}), flush=True)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def big_transcript(lines: int):
    from player.core.transcript import Segment, Transcript

    words = "so the model learns a representation of language from raw text and then".split()
    segments = []
    for i in range(lines):
        n = 4 + i % 9
        segments.append(Segment(i * 2000, i * 2000 + 2000, " ".join(words[(i + k) % len(words)] for k in range(n))))
    return Transcript(segments)


def make_window():
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(os.devnull, QSettings.Format.IniFormat)
    window = MainWindow(VlcPlayback(), settings)
    window.show()
    app.processEvents()
    return app, window


def wait_for(app, condition, timeout_s=60.0) -> float:
    began = time.perf_counter()
    while not condition():
        if time.perf_counter() - began > timeout_s:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - began


def layout_done(view) -> bool:
    model = view.model()
    last = model.index(model.rowCount() - 1)
    return view.visualRect(last).isValid()


def probe_startup() -> None:
    """From process start to libVLC's first video output on the demo lecture."""
    runs = []
    for _ in range(3):
        import subprocess

        began = time.time()
        out = subprocess.run([sys.executable, "-m", "bench.probes", "_startup_child"], capture_output=True,
                             text=True, timeout=120).stdout
        marks = dict(line.split()[1:3] for line in out.splitlines() if line.startswith("MARK "))
        runs.append({k: (float(v) - began) * 1000 for k, v in marks.items()})
    for key, label in (("window", "start-up: window shown"), ("frame", "start-up: first video frame")):
        values = [r[key] for r in runs if key in r]
        if values:
            row(label, f"{statistics.median(values):.0f} ms", "", f"median of {len(values)} cold-ish starts")


def _startup_child() -> None:
    from PySide6.QtWidgets import QApplication

    from player.cli import DEMO_MEDIA
    from player.playback.vlc import VlcPlayback  # noqa: F401  (imported as the app does)

    app, window = make_window()
    print(f"MARK window {time.time()}", flush=True)
    frames = []
    window.playback.has_video_changed.connect(lambda has: has and frames.append(time.time()))
    window.playback._vlc_event.connect(lambda kind, value: kind == "vout" and frames.append(time.time()))
    window.open_media(str(DEMO_MEDIA))
    wait_for(app, lambda: any(True for _ in frames) and window.playback._player.has_vout() > 0, 30)
    print(f"MARK frame {time.time()}", flush=True)
    window.close()
    QApplication.processEvents()


def probe_open_seed() -> None:
    from player.core.formats import load

    times = []
    for _ in range(20):
        began = time.perf_counter()
        load(SEED)
        times.append((time.perf_counter() - began) * 1000)
    row("open seed (1,568 cues): parse", f"{statistics.median(times):.1f} ms", "", "median of 20, off the GUI thread")
    app, window = make_window()
    began = time.perf_counter()
    window.open_transcript(str(SEED))
    wait_for(app, lambda: window.transcript is not None)
    shown = time.perf_counter() - began
    wait_for(app, lambda: layout_done(window.transcript_view))
    laid_out = time.perf_counter() - began
    row("open seed: file to lines on screen", f"{shown * 1000:.0f} ms")
    row("open seed: every row laid out", f"{laid_out * 1000:.0f} ms", "", "batched; the window stays live")
    window.close()


def probe_sync_tick() -> None:
    transcript = big_transcript(100_000)
    times_ms = [t * 37 % transcript.end_ms for t in range(200_000)]
    lookups = []
    for chunk in range(0, len(times_ms), 1000):
        began = time.perf_counter()
        for t in times_ms[chunk:chunk + 1000]:
            transcript.segment_near(t)
        lookups.append((time.perf_counter() - began) / 1000 * 1000)
    row("sync: line lookup, 100k lines", f"{statistics.median(lookups) * 1000:.2f} µs",
        "< 50 µs", "median; bisect over start times")

    app, window = make_window()
    window.transcript_view.set_transcript(transcript)
    window.sync.set_transcript(transcript)
    wait_for(app, lambda: layout_done(window.transcript_view), 120)
    view = window.transcript_view
    ticks = []
    # The line changes on every measured tick, as at a line boundary: the worst case.
    for i in range(2000):
        now_ms = 40_000_000 + i * 2000
        began = time.perf_counter()
        row_index = transcript.segment_near(now_ms)
        window.transport.show_time(now_ms)
        view.set_current_row(row_index)
        app.processEvents()  # includes the repaint of the two rows and the scroll
        ticks.append((time.perf_counter() - began) * 1000)
    row("sync: tick with view update, 100k lines", f"{statistics.median(ticks):.2f} ms", "< 2 ms",
        f"median; p95 {statistics.quantiles(ticks, n=20)[-1]:.2f} ms; line changes every tick")
    window.close()


def probe_memory() -> None:
    app, window = make_window()
    for _ in range(20):
        app.processEvents()
    baseline = rss_mb()
    transcript = big_transcript(100_000)
    window._on_transcript_loaded(transcript)
    wait_for(app, lambda: layout_done(window.transcript_view), 120)
    for _ in range(20):
        app.processEvents()
    loaded = rss_mb()
    row("memory: 100k lines above an empty window", f"{loaded - baseline:.0f} MB", "< 150 MB",
        f"RSS {baseline:.0f} -> {loaded:.0f} MB")
    window.close()


def _write_big_srt(path: Path, cues: int) -> None:
    from player.core.timecode import format_timecode

    with open(path, "w", encoding="utf-8") as out:
        for i in range(cues):
            start = i * 2000
            out.write(f"{i + 1}\n{format_timecode(start, ',')} --> {format_timecode(start + 1900, ',')}\n"
                      f"cue number {i} says something about language models\nand a second line\n\n")


def _write_big_dataset(path: Path, rows: int) -> None:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["video_id", "title", "text", "start_timestamp", "end_timestamp", "start_second",
                         "end_second", "url", "thumbnail"])
        for i in range(rows):
            video = "BnpB3GrpsfM" if i % 2 == 0 else "1sJuWg5dULg"
            start = (i // 2) * 30
            stamp = lambda s: f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"  # noqa: E731
            writer.writerow([video, "L11 Language Models", f"row {i} text about unsupervised learning " * 4,
                             stamp(start), stamp(start + 30), start, start + 30,
                             f"https://www.youtube.com/watch?v={video}&t={start}s", ""])


def _timed(work, repeat: int = 3) -> tuple[float, float]:
    """Median seconds and peak traced memory (MB) of a call."""
    import gc
    import tracemalloc

    times = []
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    gc.collect()
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return statistics.median(times), peak


def probe_parse() -> None:
    import tempfile

    import pysubs2

    from player.core.formats import LoadOptions, load

    with tempfile.TemporaryDirectory() as folder:
        srt = Path(folder) / "big.srt"
        _write_big_srt(srt, 100_000)
        ours, ours_peak = _timed(lambda: load(srt))
        theirs, theirs_peak = _timed(lambda: pysubs2.load(str(srt)))
        row("parse 100k-cue SRT", f"{ours * 1000:.0f} ms", "", f"peak {ours_peak:.0f} MB traced")
        row("parse 100k-cue SRT: pysubs2 alone", f"{theirs * 1000:.0f} ms", "", f"peak {theirs_peak:.0f} MB traced")
        row("parse 100k-cue SRT: ours / pysubs2", f"{ours / theirs:.2f}x", "<= 1.5x", "same file, same run")
        dataset = Path(folder) / "big.csv"
        _write_big_dataset(dataset, 100_000)
        try:
            took, peak = _timed(lambda: load(dataset, options=LoadOptions(video_id="BnpB3GrpsfM")))
            row("parse 100k-row dataset CSV (one video chosen)", f"{took * 1000:.0f} ms", "",
                f"peak {peak:.0f} MB traced")
        except Exception as error:  # the dataset reader may not exist yet
            row("parse 100k-row dataset CSV", "n/a", "", str(error)[:80])


def probe_open_large() -> None:
    """The window stays responsive while a 100k-cue file loads: the longest gap
    between 5 ms timer ticks on the GUI thread during the load."""
    import tempfile

    from PySide6.QtCore import QTimer

    with tempfile.TemporaryDirectory() as folder:
        srt = Path(folder) / "big.srt"
        _write_big_srt(srt, 100_000)
        app, window = make_window()
        gaps, last = [], [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer(interval=5)
        timer.timeout.connect(tick)
        timer.start()
        began = time.perf_counter()
        window.open_transcript(str(srt))
        wait_for(app, lambda: window.transcript is not None, 120)
        loaded = time.perf_counter() - began
        wait_for(app, lambda: layout_done(window.transcript_view), 120)
        laid_out = time.perf_counter() - began
        timer.stop()
        row("open 100k-cue SRT in the window: lines shown", f"{loaded * 1000:.0f} ms")
        row("open 100k-cue SRT: every row laid out", f"{laid_out * 1000:.0f} ms", "", "batched layout")
        row("open 100k-cue SRT: longest GUI stall", f"{max(gaps) * 1000:.0f} ms", "< 100 ms",
            f"median tick gap {statistics.median(gaps) * 1000:.1f} ms")
        window.close()


if __name__ == "__main__":
    globals()["probe_" + sys.argv[1] if not sys.argv[1].startswith("_") else sys.argv[1]]()

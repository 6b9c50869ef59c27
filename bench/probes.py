"""One benchmark per call, printed as `ROW {json}` lines for bench/__main__.py."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "data" / "seeds" / "003_98d2fe73ddf5816f.txt"


def row(figure: str, value: str, target: str = "", note: str = "") -> None:
    print("ROW " + json.dumps({"figure": figure, "value": value, "target": target, "note": note}), flush=True)


def data(name: str, **figures) -> None:
    """The raw figures of a bench as one `DATA {json}` line, for bench/issue15.py to read
    (the bench's own table stays as it was)."""
    print("DATA " + json.dumps({"name": name, **figures}), flush=True)


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
    # A settings file of its own: QSettings saves by renaming a temporary file over its
    # path, which as root would replace /dev/null itself with a regular file.
    settings_dir = tempfile.mkdtemp(prefix="bench-settings-")
    settings = QSettings(os.path.join(settings_dir, "settings.ini"), QSettings.Format.IniFormat)
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
    end_ms = transcript.end_ms   # once: it scans every line
    times_ms = [t * 37 % end_ms for t in range(200_000)]
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


# ----- the library (issue 4) -------------------------------------------------------------

# Lecture-like words. Function words come first, in roughly their spoken frequency order;
# content words are stems with their inflections, shuffled into the Zipf ranks; rare
# technical names form the tail. About 3,000 distinct words in all.
_FUNCTION_WORDS = """the and of to a is that in we it this you so for on be are with as can have what if
not at or do one by all but just from they will there an about which how here now some these our get
like going then let me see right more okay two when would know think its because each very other same
into only also want look out time up use well need way actually i say thing things first where make has
was been go them their new different whole kind point number case take work give example really much
basically set over between any those could should something every many another back three find his her
she he my your why yes good mean lot little bit end start put write question part problem idea sort fact
course again still most even down next after before through without""".split()
_STEMS = """learn model train network neural layer weight gradient descent loss function optimize parameter
vector matrix token embed attend transform encode decode predict classify cluster sample distribute
probability estimate infer regress linear kernel feature represent language word sentence document image
pixel convolve pool recur sequence memory state hide output input activate normalize batch epoch iterate
converge regularize overfit generalize validate test evaluate measure metric accuracy precision recall
score rank search retrieve index query graph node edge tree path walk random variable variance bias
expect entropy inform signal noise compress code channel capacity theorem prove lemma assume define
derive compute calculate integrate differentiate solve equate approximate bound limit series sum product
factor prime divide multiply add subtract algebra geometry space dimension project rotate scale shift
translate align compare contrast reason logic argue claim support evidence observe experiment theory
physics energy force mass velocity accelerate momentum field charge current voltage resist wave
frequency phase amplitude quantum particle atom molecule bond react cell gene protein evolve select
species population economy market price cost demand supply trade invest risk return history century war
politic govern society culture philosophy ethic moral mind conscious perceive behave psychology brain
neuron system design build program software compile execute runtime loop array list stack queue hash
table pointer object class method interface module library package deploy server client request respond
protocol secure encrypt key store database transact lock thread process schedule cache latency
throughput benchmark profile debug error exception fail recover""".split()
_SUFFIXES = ("", "s", "ing", "ed", "er", "ation", "al", "ly", "ive", "ment")
_RARE = """softmax backpropagation hessian jacobian lagrangian eigenvalue eigenvector fourier laplace markov
bayesian gaussian bernoulli poisson dirichlet kullback leibler bellman heisenberg schrodinger maxwell
boltzmann hamiltonian riemann cauchy lipschitz banach hilbert noether turing church godel shannon
nyquist viterbi dijkstra kruskal huffman lempel ziv rivest shamir adleman diffie hellman paxos raft
lamport byzantine keynes ricardo pareto nash walras hayek hobbes locke kant hegel nietzsche descartes
spinoza darwin mendel crick watson pavlov skinner piaget chomsky saussure wittgenstein""".split()
# Words and forms a lecturer says that a tokenizer splits: hyphens and apostrophes.
_SPLIT_FORMS = ["state-of-the-art", "trade-off", "don't", "it's", "we're", "let's", "so-called",
                "real-world", "end-to-end", "that's", "can't", "well-known"]


def _lecture_vocabulary() -> list[str]:
    import random

    forms = list(dict.fromkeys(stem + suffix for stem in _STEMS for suffix in _SUFFIXES))
    random.Random(7).shuffle(forms)
    return list(dict.fromkeys(_FUNCTION_WORDS + forms + _RARE))


def _lecture_transcript(rnd, vocabulary: list[str], cum_weights: list[float], segments: int):
    """A lecture: Zipf-distributed words with a topic of its own (a few dozen content words
    said far more often than elsewhere), 8-12 words a line, some punctuation and split forms."""
    from player.core.transcript import Segment, Transcript

    topic = rnd.sample(vocabulary[len(_FUNCTION_WORDS):], 40)
    lengths = [rnd.randint(8, 12) for _ in range(segments)]
    words = rnd.choices(vocabulary, cum_weights=cum_weights, k=sum(lengths))
    lines, at, clock = [], 0, 0
    for length in lengths:
        line = words[at:at + length]
        at += length
        for k in range(length):
            roll = rnd.random()
            if roll < 0.15:
                line[k] = rnd.choice(topic)
            elif roll < 0.16:
                line[k] = rnd.choice(_SPLIT_FORMS)
        line[0] = line[0].capitalize()
        text = " ".join(line) + rnd.choice((".", ".", ".", ",", "?"))
        duration = 1500 + length * 300 + rnd.randint(0, 800)
        lines.append(Segment(clock, clock + duration, text))
        clock += duration + rnd.randint(0, 400)
    return Transcript(lines, title=" ".join(topic[:3]).title()), topic


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    import itertools

    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


def _build_library(folder: Path, lectures: int, segments: int, seed: int = 1):
    """A library of `lectures` fake media files, each with a `segments`-line transcript.
    Returns the open Library, the lecture ids, and the seconds spent generating the text
    and importing it (separately)."""
    import random

    from player.core.library import Library

    rnd = random.Random(seed)
    vocabulary = _lecture_vocabulary()
    cum_weights = _zipf_weights(len(vocabulary))
    media = folder / "media"
    media.mkdir(exist_ok=True)
    library = Library.open(folder / "library.sqlite")
    ids, generating, importing = [], 0.0, 0.0
    for index in range(lectures):
        began = time.perf_counter()
        transcript, _topic = _lecture_transcript(rnd, vocabulary, cum_weights, segments)
        path = media / f"lecture-{index:04d}.mp4"
        path.write_bytes(f"fake media file {index} {seed}\n".encode() * 8)  # distinct fingerprints
        generated = time.perf_counter()
        ids.append(library.import_lecture(path, transcript).id)
        generating += generated - began
        importing += time.perf_counter() - generated
    return library, ids, generating, importing


def _file_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists()) / 1e6


def _ms_summary(times_ms: list[float]) -> tuple[float, float]:
    """Median and p95 of a list of milliseconds."""
    return statistics.median(times_ms), statistics.quantiles(times_ms, n=20)[-1]


def probe_library_search() -> None:
    """The worst queries on 1M lines, before and after issue 15: bench/search_bench.py."""
    from bench.search_bench import main

    main([])


def probe_library_import() -> None:
    import random
    import tempfile

    from player.core.library import Library

    lectures, segments, lines, repeat = 1000, 1000, 4000, 7
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        library, ids, _generating, _importing = _build_library(folder, lectures, segments)
        rnd = random.Random(99)
        vocabulary = _lecture_vocabulary()
        cum_weights = _zipf_weights(len(vocabulary))
        direct, as_window = [], []
        for attempt in range(2 * repeat):
            transcript, _topic = _lecture_transcript(rnd, vocabulary, cum_weights, lines)
            media = folder / "media" / f"new-{attempt}.mp4"
            media.write_bytes(f"new lecture {attempt}\n".encode() * 8)
            if attempt % 2 == 0:
                began = time.perf_counter()
                library.import_lecture(media, transcript)
                direct.append((time.perf_counter() - began) * 1000)
            else:
                # As the window does it (annotations._import): a worker opens its own
                # connection, skipping the integrity check the window's connection made.
                began = time.perf_counter()
                with Library.open(library.path, check_integrity=False) as worker:
                    worker.import_lecture(media, transcript)
                as_window.append((time.perf_counter() - began) * 1000)
        total = lectures * segments + repeat * 2 * lines
        row(f"library import: {lines:,}-line transcript", f"{statistics.median(direct):.0f} ms", "< 300 ms",
            f"median of {repeat}, each a new lecture; max {max(direct):.0f} ms; into a library of "
            f"{lectures} lectures / ~{total // 1000}k segments, {_file_mb(library.path):.0f} MB")
        row(f"library import: {lines:,} lines as the window does it", f"{statistics.median(as_window):.0f} ms",
            "", f"median of {repeat}: a second connection (no integrity check) + import, in the worker")
        library.close()


def probe_library_highlight() -> None:
    import random
    import tempfile

    lectures, segments, calls = 1000, 1000, 500
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        library, ids, _generating, _importing = _build_library(folder, lectures, segments)
        rnd = random.Random(5)
        end_ms = library.lecture(ids[0]).duration_ms

        def some_range() -> tuple[int, int]:
            start = rnd.randrange(0, end_ms - 20_000)
            return start, start + rnd.randint(2_000, 20_000)

        for lecture_id in ids:  # a library in use: a few highlights in every lecture
            for _ in range(5):
                library.add_highlight(lecture_id, *some_range(), color=rnd.randint(1, 5))
        times = []
        for _ in range(calls):
            lecture_id = rnd.choice(ids)
            start, end = some_range()
            began = time.perf_counter()
            library.add_highlight(lecture_id, start, end, color=rnd.randint(1, 5))
            times.append((time.perf_counter() - began) * 1000)
        median, p95 = _ms_summary(times)
        row("library highlight: add_highlight to committed", f"{median:.2f} ms", "< 10 ms",
            f"median of {calls}; {lectures} lectures, {len(ids) * 5 + calls} highlights; the key press "
            f"adds µs in the GUI, but see the next row")
        row("library highlight: p95", f"{p95:.2f} ms", "", f"max {max(times):.1f} ms")

        # The window's AddHighlight command also reloads every highlight of the lecture
        # (LectureAnnotations.reload_highlights): measure the pair as the lecture fills up.
        lecture_id = ids[-1]
        with_reload = []
        for _ in range(200):
            began = time.perf_counter()
            library.add_highlight(lecture_id, *some_range(), color=1)
            library.highlights(lecture=lecture_id)
            with_reload.append((time.perf_counter() - began) * 1000)
        row("library highlight + reload of the lecture's highlights", f"{statistics.median(with_reload):.1f} ms",
            "", f"as AddHighlight.redo does it; 1st {with_reload[0]:.1f} ms, 200th {with_reload[-1]:.1f} ms "
                "(grows with the lecture's highlights, more for those late in the lecture)")
        library.close()


def probe_highlight_keypress() -> None:
    """H pressed in the real window on the 1,568-line seed: to the library's commit, and to
    the window fully updated (transcript, Highlights tab, timeline)."""
    import tempfile

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    import player.core.library.library as library_module

    with tempfile.TemporaryDirectory() as folder:
        app, window = make_window()
        window.annotations.open_library(Path(folder) / "library.sqlite")
        from player.cli import DEMO_MEDIA

        window.open_media(str(DEMO_MEDIA), transcript_path=str(SEED), autoplay=False)
        wait_for(app, lambda: window.annotations.lecture is not None and window.transcript is not None)
        window.activateWindow()  # window shortcuts need the active window (Xvfb has no manager)
        wait_for(app, window.isActiveWindow)
        commits = []
        original = library_module.Library.add_highlight

        def timed_add(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            commits.append(time.perf_counter())
            return result

        library_module.Library.add_highlight = timed_add
        view = window.transcript_view
        to_commit, to_updated = [], []
        for i in range(200):
            view.clearSelection()
            view.selectionModel().select(view.model().index(i * 7), view.selectionModel().SelectionFlag.Select)
            began = time.perf_counter()
            QTest.keyClick(view, Qt.Key.Key_H)
            to_updated.append((time.perf_counter() - began) * 1000)
            to_commit.append((commits[-1] - began) * 1000)
        library_module.Library.add_highlight = original
        row("highlight: key press to committed", f"{statistics.median(to_commit):.2f} ms", "< 10 ms",
            f"median of 200 H presses in the window; p95 {statistics.quantiles(to_commit, n=20)[-1]:.2f} ms")
        row("highlight: key press to window updated", f"{statistics.median(to_updated):.1f} ms", "",
            f"transcript, tab and timeline redrawn; the 200th {to_updated[-1]:.1f} ms")
        window.close()


def probe_fingerprint() -> None:
    """A lecture's fingerprint reads only the file's ends (tests check that; this times it)."""
    import tempfile

    from player.core.library import fingerprint

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.mp4"
        with path.open("wb") as out:
            out.truncate(300 * 1024 * 1024)  # sparse: 300 MB, written instantly
        times = []
        for _ in range(20):
            began = time.perf_counter()
            fingerprint(path)
            times.append((time.perf_counter() - began) * 1000)
    row("library: fingerprint of a 300 MB file", f"{statistics.median(times):.2f} ms", "< 500 ms", "median of 20")


def probe_playback_sync() -> None:
    from bench.sync_bench import main

    main()


def probe_loops() -> None:
    from bench.loop_bench import main

    main()


if __name__ == "__main__":
    globals()["probe_" + sys.argv[1] if not sys.argv[1].startswith("_") else sys.argv[1]]()

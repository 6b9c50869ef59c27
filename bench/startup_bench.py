"""Launch to transcript loaded, measured from outside the process, against Gaupol in the same run.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m bench.startup_bench [--runs 5]

Each row (the seed transcript, 10,000 and 100,000 lines) is printed against its anchor, Gaupol
opening the same SRT, measured in the same run: the launches are interleaved (ours, Gaupol, ours,
...), so a machine that gets busier part-way slows both alike. The target column is issue 15's.

Prerequisites: a display, xdotool (Debian `xdotool`), and for the anchor Gaupol (`apt-get install -y gaupol`;
without it the table says so and the run goes on).

"Loaded" is seen from outside: the window's title becomes "<transcript name> — Transcript Player" (Gaupol:
its title names the file). The app sets that title in the same call that hands the rows to the view, so the
figure is launch to window titled with the model set; the rows are painted on the next turn of the event loop
(the in-process phases below show how long that turn takes). The X window list is polled every 10 ms with
xdotool, so figures carry up to ~15 ms of polling error (the same for both apps).

Every run uses a throw-away library, settings and data folder, so the learner's own are never touched.
Peak RSS is VmHWM from /proc/PID/status, read after the window is titled and the rows had a second to lay out.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.probes import data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "seeds" / "003_98d2fe73ddf5816f.txt"
POLL_S = 0.010
SETTLE_S = 1.0
# Issue 15's targets, seconds from launch to loaded: (under, and under Gaupol too).
TARGETS = {"seed": (0.5, True), 10_000: (None, True), 100_000: (1.0, False)}


# --- inputs -------------------------------------------------------------------------------
def make_srts(folder: Path) -> list[tuple[str, Path, int]]:
    """The seed converted to SRT, then 10,000 and 100,000 lines made from its text."""
    from player.core.formats import load
    from player.core.formats.writers import to_srt
    from player.core.transcript import Segment, Transcript

    seed = load(str(SEED))
    # Named by what they are, so the window titles are distinct and easy to match.
    files = [("seed", folder / f"{SEED.stem}.srt", seed)]
    texts = [segment.text for segment in seed.segments] or ["line"]
    for count in (10_000, 100_000):
        segments = [Segment(start_ms=i * 3000, end_ms=i * 3000 + 2500, text=texts[i % len(texts)])
                    for i in range(count)]
        files.append(("generated", folder / f"generated_{count}_lines.srt", Transcript(segments)))
    rows = []
    for label, path, transcript in files:
        path.write_text(to_srt(transcript), encoding="utf-8")
        rows.append((label, path, len(transcript.segments)))
    return rows


# --- launching and watching from outside --------------------------------------------------
def window_titled(pattern: str) -> bool:
    found = subprocess.run(["xdotool", "search", "--name", pattern], capture_output=True, text=True)
    return bool(found.stdout.strip())


def peak_rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) / 1024 if match else None


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)   # its own process group: Gaupol may start helpers
    process.wait()


def launch_once(command: list[str], pattern: str, env: dict, timeout_s: float,
                measure_rss: bool) -> tuple[float | None, float | None, str]:
    """Seconds from spawn to a window whose name matches pattern (None on timeout or exit), peak RSS."""
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        while True:
            if window_titled(pattern):
                elapsed = time.perf_counter() - began
                rss = None
                if measure_rss:
                    time.sleep(SETTLE_S)
                    rss = peak_rss_mb(process.pid)
                return elapsed, rss, ""
            if process.poll() is not None:
                lines = (process.stderr.read() or b"").decode(errors="replace").strip().splitlines()
                # Qt's "could not connect to display" comes before its list of plugins.
                said = [line for line in lines if "could not" in line.lower()] or lines[-2:]
                return None, None, "exited: " + " | ".join(said[:2])
            if time.perf_counter() - began > timeout_s:
                return None, None, f"not open after {timeout_s:.0f} s"
            time.sleep(POLL_S)
    finally:
        stop(process)


def hold_display() -> object | None:
    """A connection to the display kept open for the whole run: Xvfb resets itself when its
    last client leaves, and a launch that starts at that moment cannot connect (Qt exits with
    its list of platform plugins). Returns the connection (None without libX11)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("X11")
    if not name:
        return None
    xlib = ctypes.CDLL(name)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    return xlib.XOpenDisplay(None)


def isolated_env(home: Path) -> dict:
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        (home / name).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / name)
    env["HOME"] = str(home)
    # Bytecode as an installed app has it (this environment sets PYTHONDONTWRITEBYTECODE, which would
    # compile every player module from source on each launch), cached outside the working tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    return env


def closed_cleanly(library: Path) -> None:
    """The library as a learner's last session left it when the window was closed: the
    launches are killed, which leaves SQLite's -wal behind, and a library left open is
    checked page by page on the next start (the path after a crash, not the usual one)."""
    from player.core.library import Library

    if library.exists():
        Library.open(library).close()


def ours_command(path: Path, library: Path) -> list[str]:
    return [sys.executable, "-m", "player", "--transcript", str(path), "--library", str(library)]


def measure_interleaved(pairs: list[tuple[list[str], str, bool, Callable[[], None]]], env: dict, runs: int,
                        timeouts: list[float]) -> list[dict]:
    """Each command `runs` times, taking turns (a, b, a, b, ...). pairs: (command, window
    pattern, measure RSS, what to do before each launch). A command that times out once is
    not launched again; one that exits is counted and launched again next turn."""
    results = [{"times": [], "rss": [], "note": "", "failed": 0} for _ in pairs]
    for _ in range(runs):
        for (command, pattern, measure_rss, prepare), result, timeout_s in zip(pairs, results, timeouts):
            if result["note"].startswith("not open"):
                continue
            prepare()
            elapsed, peak, note = launch_once(command, pattern, env, timeout_s, measure_rss)
            if elapsed is None:
                result["note"] = note
                result["failed"] += 1
                continue
            result["times"].append(elapsed)
            if peak is not None:
                result["rss"].append(peak)
    return results


def target_text(label: str, lines: int) -> str:
    under, below_gaupol = TARGETS.get("seed" if label == "seed" else lines, (None, False))
    parts = ([f"< {under:.1f} s"] if under else []) + (["< Gaupol"] if below_gaupol else [])
    return " and ".join(parts) or "-"


def target_met(label: str, lines: int, ours: list[float], theirs: list[float]) -> str:
    under, below_gaupol = TARGETS.get("seed" if label == "seed" else lines, (None, False))
    if not ours:
        return "-"
    median = statistics.median(ours)
    met = (under is None or median < under) and (
        not below_gaupol or not theirs or median < statistics.median(theirs))
    return "yes" if met else "no"


# --- where the time goes (inside the process) ---------------------------------------------
def importtime(path: Path, library: Path, env: dict) -> list[tuple[int, int, str]]:
    """Runs the app under -X importtime until its window is titled; (cumulative us, self us, module)."""
    command = [sys.executable, "-X", "importtime", *ours_command(path, library)[1:]]
    closed_cleanly(library)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log,
                                   start_new_session=True)
        began = time.perf_counter()
        while not window_titled(re.escape(path.stem) + " — ") and process.poll() is None \
                and time.perf_counter() - began < 60:
            time.sleep(POLL_S)
        stop(process)
        log.seek(0)
        text = log.read().decode(errors="replace")
    rows = []
    for line in text.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (.*)$", line)
        if match:
            rows.append((int(match.group(2)), int(match.group(1)), match.group(3).rstrip()))
    return rows


def phases_child(path: str, library: str, profiled: bool) -> None:
    """Mirrors player.app.run_app step by step (kept in step with it by hand), printing when each step
    ended; profiled: instead a cProfile of the whole start-up to every row laid out (it slows
    Python-heavy steps such as the row layout several-fold, so its marks are not printed)."""
    import cProfile
    import pstats

    began = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def mark(name: str) -> None:
        marks.append((name, (time.perf_counter() - began) * 1000))

    profile = cProfile.Profile()
    if profiled:
        profile.enable()
    from player.app import APP_NAME, prepare_qt_platform
    from player.logs import setup_logging

    prepare_qt_platform()
    setup_logging()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    mark("import PySide6")
    from player.playback import create_playback
    from player.ui.about import app_icon
    from player.ui.main_window import MainWindow
    mark("import player (ui, playback)")
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setWindowIcon(app_icon())
    mark("QApplication")
    playback, _notice = create_playback()
    mark("create_playback (libVLC found; its instance waits for media)")
    window = MainWindow(playback, QSettings(), _notice, library_path=Path(library))
    mark("MainWindow() (library open)")
    window.open_transcript(path)   # before show, as run_app does: read on a thread meanwhile
    window.show()
    app.processEvents()
    mark("window shown (first event turn)")
    while window.transcript is None and time.perf_counter() - began < 120:
        app.processEvents()
        time.sleep(0.001)
    mark("transcript parsed and set (title set)")
    app.processEvents()
    mark("next event turn (rows painted)")
    view = window.transcript_view
    model = view.model()
    while not view.visualRect(model.index(model.rowCount() - 1)).isValid() and time.perf_counter() - began < 120:
        app.processEvents()   # no sleep: the view lays rows out in batches from zero-delay timers
    mark("every row laid out")
    if not profiled:
        for name, at in marks:
            print(f"MARK {at:.1f} {name}")
    else:
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(r"^(?!<frozen)", 20)
        stats.print_callees(r"main_window.py:\d+\(__init__\)")
    window.close()


# --- report -------------------------------------------------------------------------------
def fmt_s(values: list[float], note: str, failed: int = 0) -> str:
    if not values:
        return note or "-"
    failures = f" ({failed} failed to start: see below)" if failed else ""
    return f"{statistics.median(values):.2f} (min {min(values):.2f}){failures}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a launch counts as not open")
    parser.add_argument("--gaupol-timeout", type=float, default=20.0,
                        help="seconds before a Gaupol launch counts as not open (it takes minutes on 100,000 lines)")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the importtime and cProfile breakdown")
    parser.add_argument("--phases", nargs=3, metavar=("SRT", "LIBRARY", "plain|profile"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases:
        phases_child(args.phases[0], args.phases[1], args.phases[2] == "profile")
        return 0
    if not os.environ.get("DISPLAY"):
        print("needs a display: run it under xvfb-run", file=sys.stderr)
        return 2
    if not shutil.which("xdotool"):
        print("needs xdotool (Debian package xdotool) to watch the window list", file=sys.stderr)
        return 2
    gaupol = shutil.which("gaupol")
    display = hold_display()   # noqa: F841 - held until the process ends
    with tempfile.TemporaryDirectory(prefix="startup_bench_") as temp:
        folder = Path(temp)
        env = isolated_env(folder / "home")
        library = folder / "library.sqlite"
        inputs = make_srts(folder)
        # One launch to create the library and warm the page cache, as a learner's second start would be.
        launch_once(ours_command(inputs[0][1], library), re.escape(inputs[0][1].stem) + " — ", env,
                    args.timeout, False)
        table = []
        for label, path, lines in inputs:
            pattern = re.escape(path.stem)
            pairs = [(ours_command(path, library), pattern + " — ", True, lambda: closed_cleanly(library))]
            if gaupol:
                pairs.append(([gaupol, str(path)], pattern, False, lambda: None))
            results = measure_interleaved(pairs, env, args.runs, [args.timeout, args.gaupol_timeout])
            ours = results[0]
            theirs = results[1] if gaupol else {"times": [], "rss": [],
                                                 "note": "not installed (apt-get install -y gaupol)"}
            if theirs["note"].startswith("not open after"):
                theirs["note"] = "over " + theirs["note"].split("after ", 1)[1]
            table.append((label, lines, ours, theirs))
            data("launch", label=label, lines=lines, runs=args.runs, ours=ours, gaupol=theirs,
                 gaupol_installed=bool(gaupol))
            print(f"measured {path.name}", file=sys.stderr, flush=True)

        print(f"\nLaunch to window titled with the transcript (model set; rows paint on the next event turn), "
              f"seconds, median (min) of {args.runs}, ours and Gaupol interleaved:")
        header = ("transcript", "ours", "Gaupol", "ours/Gaupol", "target", "met", "ours peak RSS")
        lines_out = []
        for label, lines, ours, theirs in table:
            ratio = (f"{statistics.median(ours['times']) / statistics.median(theirs['times']):.2f}"
                     if ours["times"] and theirs["times"] else "-")
            rss = f"{statistics.median(ours['rss']):.0f} MB" if ours["rss"] else "-"
            lines_out.append((f"{label}, {lines:,} lines", fmt_s(ours["times"], ours["note"], ours.get("failed", 0)),
                              fmt_s(theirs["times"], theirs["note"], theirs.get("failed", 0)), ratio,
                              target_text(label, lines),
                              target_met(label, lines, ours["times"], theirs["times"]), rss))
        widths = [max(len(r[i]) for r in [header, *lines_out]) for i in range(len(header))]
        for r in [header, tuple("-" * w for w in widths), *lines_out]:
            print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
        for label, lines, ours, theirs in table:
            for who, result in (("ours", ours), ("Gaupol", theirs)):
                if result.get("failed") and result["times"]:
                    print(f"  {label}, {lines:,} lines, {who}: {result['failed']} launch(es) failed: {result['note']}")

        if args.no_breakdown:
            return 0
        seed_path = inputs[0][1]
        print("\n-X importtime, seed transcript, top 10 by cumulative time (nesting shown by indent):")
        rows = sorted(importtime(seed_path, library, env), reverse=True)[:10]
        for cumulative, own, module in rows:
            print(f"  {cumulative / 1000:8.1f} ms cumulative  {own / 1000:7.1f} ms self  {module}")
        bare = []
        for _ in range(args.runs):
            began = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
            bare.append(time.perf_counter() - began)
        print(f"\nInterpreter start-up alone (python -c pass): {statistics.median(bare) * 1000:.0f} ms median")
        print("\n-X importtime, top 10 by self time:")
        for cumulative, own, module in sorted(rows_all := importtime(seed_path, library, env),
                                              key=lambda r: r[1], reverse=True)[:10]:
            print(f"  {own / 1000:8.1f} ms self  {cumulative / 1000:8.1f} ms cumulative  {module.strip()}")
        print(f"  ({len(rows_all)} modules imported before the window is titled)")
        for (label, path, _lines), mode in ((inputs[0], "plain"), (inputs[-1], "plain"), (inputs[0], "profile"),
                                            (inputs[-1], "profile")):
            what = "phases, ms after the interpreter is up" if mode == "plain" else "cProfile to every row laid out"
            print(f"\nIn-process {what}: {label} ({path.name}):")
            closed_cleanly(library)
            child = subprocess.run([sys.executable, "-m", "bench.startup_bench", "--phases", str(path),
                                    str(library), mode], env=env, capture_output=True, text=True, timeout=300)
            previous = 0.0
            profile_lines = []
            for line in child.stdout.splitlines():
                if line.startswith("MARK "):
                    _, at, name = line.split(" ", 2)
                    print(f"  {float(at):8.1f} ms  (+{float(at) - previous:7.1f})  {name}")
                    previous = float(at)
                else:
                    profile_lines.append(line)
            if child.returncode != 0:
                print("  failed: " + " | ".join(child.stderr.strip().splitlines()[-3:]))
            print("\n".join("    " + line for line in profile_lines if line.strip()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

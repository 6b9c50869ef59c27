"""Issue 15's table, every row against its anchor measured in the same run.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m bench.issue15 [--quick] [--only reel,launch]

Runs bench/reel_bench.py, bench/search_bench.py, bench/startup_bench.py and bench/parse_bench.py
one after the other, each in its own process (so neither memory figures nor CPU mix), reads the
`DATA {json}` line each prints beside its own table, and prints one table: row, ours, anchor,
ours/anchor, target, met. Each bench's full output is kept in a folder named at the end.

--quick: a 10-minute lecture for the reel rows instead of 60 minutes, 2 launches of each app
instead of 5, and Gaupol given 20 s instead of 60 s to open 100,000 lines: about 10 minutes once
the lecture and the library are made. The search rows (1M lines) and the parse rows (200 MB) are
the same either way; the search library is built once into /tmp/issue15-search-library and reused.

The launch rows need a display and xdotool; Gaupol is their anchor (Debian: apt-get install
gaupol xdotool). Without Gaupol the rows say so and the run goes on.

Exits 1 when a row misses its target (or could not be measured), 0 when every row is met.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.search_bench import QUERIES, _p95  # noqa: E402

SEARCH_LIBRARY = Path(tempfile.gettempdir()) / "issue15-search-library"
INSTALL_HINT = "apt-get install gaupol xdotool"
STEPS = ("reel", "search", "launch", "parse")


def bench_arguments(step: str, quick: bool) -> list[str]:
    """The module and its arguments for one step of the run."""
    if step == "reel":
        return ["bench.reel_bench", "--minutes", "10" if quick else "60", "--skip-slow", "--check"]
    if step == "search":
        return ["bench.search_bench", "--keep", str(SEARCH_LIBRARY)]
    if step == "launch":
        return ["bench.startup_bench", "--runs", "2" if quick else "5", "--gaupol-timeout", "20" if quick else "60",
                "--no-breakdown"]
    return ["bench.parse_bench"]   # the 200 MB SRT takes under a minute: the same in --quick


def run_bench(step: str, quick: bool, logs: Path) -> tuple[list[dict], str]:
    """A bench in its own process: (its DATA records, "" or why it gave none)."""
    command = [sys.executable, "-m", *bench_arguments(step, quick)]
    print(f"issue15: {' '.join(command[2:])} ...", file=sys.stderr, flush=True)
    began = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    took = time.perf_counter() - began
    log = logs / f"{step}.txt"
    log.write_text(f"$ {' '.join(command)}\n# exit {result.returncode}, {took:.0f} s\n\n{result.stdout}\n"
                   f"--- stderr ---\n{result.stderr}", encoding="utf-8")
    print(f"issue15: {step} done in {took:.0f} s (output: {log})", file=sys.stderr, flush=True)
    records = [json.loads(line[len("DATA "):]) for line in result.stdout.splitlines() if line.startswith("DATA ")]
    if result.returncode != 0 or not records:
        said = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()[-1]
        return records, f"{step} bench failed (exit {result.returncode}): {said[:120]}"
    return records, ""


def ratio(ours_s: float, anchor_s: float) -> str:
    """ours/anchor in time, and what it means."""
    value = ours_s / anchor_s
    meaning = f"{1 / value:.1f}x faster" if value < 1 else f"{value:.1f}x slower"
    return f"{value:.2f} ({meaning})" if value >= 0.1 else f"{value:.2g} ({meaning})"


def verdict(met: bool, why: str = "") -> str:
    return "yes" if met else f"no{': ' + why if why else ''}"


def failed_rows(works: list[tuple[str, str]], reason: str) -> list[dict]:
    return [{"work": work, "ours": reason, "anchor": "", "ratio": "", "target": target, "met": "-"}
            for work, target in works]


# --- each bench's records as the rows ---------------------------------------------------
REEL_WORKS = [("accurate reel, 20 cuts of 15 s, {m}-min 720p30 H.264 (keyframe every 5 s)",
               ">= 30x realtime, frame-exact"),
              ("fast reel, same cuts", ">= 150x realtime")]


def reel_rows(records: list[dict], notes: list[str]) -> list[dict]:
    reel = records[0]
    seconds = reel["reel_s"]
    accurate, hand = reel["accurate"], reel["accurate_anchor"]
    fast, copies = reel["fast"], reel["fast_anchor"]

    def speed(wall: float) -> str:
        return f"{wall:.1f} s = {seconds / wall:.1f}x realtime"

    length_ok = abs(accurate["duration_ms"] - accurate["planned_ms"]) <= 1000 / 30
    frames_ok = accurate["frames"] is not None and "MISMATCH" not in accurate["frames"]
    fast_enough = seconds / accurate["wall_s"] >= 30
    why = "; ".join(([] if fast_enough else [f"{seconds / accurate['wall_s']:.1f}x < 30x"])
                    + ([] if length_ok else ["length off by more than a frame"])
                    + ([] if frames_ok else [f"frames: {accurate['frames']}"]))
    notes.append(f"accurate reel: {accurate['method']}"
                 + (f" (fell back: {accurate['fallback']})" if accurate["fallback"] else "")
                 + f"; {seconds:.1f} s of reel, length {accurate['duration_ms'] / 1000:.3f} s "
                   f"(plan {accurate['planned_ms'] / 1000:.3f} s); first/last frames: {accurate['frames']}; "
                   f"ffmpeg CPU {accurate['cpu_s']:.1f} s, anchor {hand['cpu_s']:.1f} s")
    notes.append(f"fast reel: {fast['stated_ms'] / 1000:.3f} s stated, {fast['real_ms'] / 1000:.3f} s in the file "
                 f"(cuts start at keyframes); ffmpeg CPU {fast['cpu_s']:.1f} s, anchor {copies['cpu_s']:.1f} s")
    (accurate_work, accurate_target), (fast_work, fast_target) = REEL_WORKS
    return [
        {"work": accurate_work.format(m=reel["minutes"]), "ours": speed(accurate["wall_s"]),
         "anchor": "one hand-written ffmpeg re-encode: " + speed(hand["wall_s"]),
         "ratio": ratio(accurate["wall_s"], hand["wall_s"]), "target": accurate_target,
         "met": verdict(fast_enough and length_ok and frames_ok, why)},
        {"work": fast_work, "ours": speed(fast["wall_s"]),
         "anchor": "20 stream copies + concat by hand: " + speed(copies["wall_s"]),
         "ratio": ratio(fast["wall_s"], copies["wall_s"]), "target": fast_target,
         "met": verdict(seconds / fast["wall_s"] >= 150, f"{seconds / fast['wall_s']:.0f}x < 150x")},
    ]


SEARCH_WORKS = [('library search, 1,000 lectures / 1M lines, "the": p95', "p95 < 50 ms"),
                ("library search, 1M lines, the {n} worst queries: slowest query's p95", "p95 < 50 ms for any query"),
                ("library search, 1M lines: first results in the search window, p95", "< 20 ms")]


def search_rows(records: list[dict], notes: list[str]) -> list[dict]:
    queries = records[0]["queries"]
    the = queries["the"]
    worst = max(queries, key=lambda query: _p95(queries[query]["times_ms"]))
    worst_before = max(queries, key=lambda query: _p95(queries[query]["before_times_ms"]))
    worst_p95 = _p95(queries[worst]["times_ms"])
    window = _p95([t for q in queries.values() for t in q["window_times_ms"]])
    pooled = _p95([t for q in queries.values() for t in q["times_ms"]])
    pooled_before = _p95([t for q in queries.values() for t in q["before_times_ms"]])
    cold = max(queries, key=lambda query: queries[query]["first_ms"])
    runs = len(the["times_ms"])
    notes.append(f"search: p95 of {runs} runs a query after a first one (before: "
                 f"{len(the['before_times_ms'])}); all {len(queries)} pooled: p95 {pooled:.1f} ms, before "
                 f"{pooled_before:.0f} ms; slowest first run {queries[cold]['first_ms']:.1f} ms ({cold!r}); "
                 f"window = own connection + search + every lecture's title")
    (the_work, the_target), (worst_work, worst_target), (window_work, window_target) = SEARCH_WORKS
    the_p95, the_before = _p95(the["times_ms"]), _p95(the["before_times_ms"])
    before_worst = _p95(queries[worst_before]["before_times_ms"])
    return [
        {"work": the_work, "ours": f"{the_p95:.1f} ms", "anchor": f"the old query path: {the_before:.0f} ms",
         "ratio": ratio(the_p95, the_before), "target": the_target, "met": verdict(the_p95 < 50)},
        {"work": worst_work.format(n=len(queries)), "ours": f"{worst_p95:.1f} ms ({worst[:30]!r})",
         "anchor": f"the old query path: {before_worst:.0f} ms ({worst_before[:30]!r})",
         "ratio": ratio(worst_p95, before_worst), "target": worst_target, "met": verdict(worst_p95 < 50)},
        {"work": window_work, "ours": f"{window:.1f} ms", "anchor": "-", "ratio": "-",
         "target": window_target, "met": verdict(window < 20)},
    ]


LAUNCH_WORKS = [("launch to transcript loaded, {n:,} lines", "< 0.5 s and below Gaupol's"),
                ("launch to transcript loaded, {n:,} lines", "< 1.0 s")]


def launch_rows(records: list[dict], notes: list[str]) -> list[dict]:
    by_label = {("seed" if r["label"] == "seed" else r["lines"]): r for r in records}
    rows = []
    for key, (work, target), under in (("seed", LAUNCH_WORKS[0], 0.5), (100_000, LAUNCH_WORKS[1], 1.0)):
        record = by_label.get(key)
        if record is None:
            rows += failed_rows([(work.format(n=1_568 if key == "seed" else key), target)], "not measured")
            continue
        ours, theirs = record["ours"]["times"], record["gaupol"]["times"]
        median = statistics.median(ours) if ours else None
        row = {"work": work.format(n=record["lines"]), "target": target,
               "ours": f"{median:.2f} s (min {min(ours):.2f}, {len(ours)} runs)" if ours else record["ours"]["note"]}
        if not record["gaupol_installed"]:
            row["anchor"], row["ratio"] = f"Gaupol not installed ({INSTALL_HINT})", "-"
        elif theirs:
            row["anchor"] = f"Gaupol: {statistics.median(theirs):.2f} s (min {min(theirs):.2f}, {len(theirs)} runs)"
            row["ratio"] = ratio(median, statistics.median(theirs)) if ours else "-"
        else:
            note = record["gaupol"]["note"]   # "over 60 s" when it timed out
            timed_out = re.fullmatch(r"over (\d+) s", note)
            row["anchor"] = f"Gaupol: not open after {timed_out[1]} s" if timed_out else f"Gaupol: {note}"
            row["ratio"] = f"< {median / int(timed_out[1]):.2g}" if timed_out and ours else "-"
        below_gaupol = key != "seed" or not theirs or (ours and median < statistics.median(theirs))
        reasons = []
        if median is None:
            reasons.append("did not open")
        else:
            if median >= under:
                reasons.append(f"{median:.2f} s >= {under} s")
            if not below_gaupol:
                reasons.append("not below Gaupol's")
        row["met"] = verdict(not reasons, "; ".join(reasons))
        if key == "seed" and not record["gaupol_installed"]:
            row["met"] += " (Gaupol's part not checked)"
        rows.append(row)
        if record["ours"]["rss"]:
            rss = statistics.median(record["ours"]["rss"])
            notes.append(f"launch, {record['lines']:,} lines: our peak RSS {rss:.0f} MB")
    middle = by_label.get(10_000)
    if middle and middle["ours"]["times"]:
        theirs = middle["gaupol"]["times"]
        ours = statistics.median(middle["ours"]["times"])
        notes.append(f"launch, 10,000 lines (not in the issue's table): ours {ours:.2f} s"
                     + (f", Gaupol {statistics.median(theirs):.2f} s" if theirs else
                        f", Gaupol {middle['gaupol']['note'] or '-'}"))
    return rows


PARSE_WORKS = [("parse a {mb:,.0f} MB SRT ({cues:,} cues): time", "< 20 s"),
               ("parse a {mb:,.0f} MB SRT ({cues:,} cues): peak RSS", "< 500 MB")]


def parse_rows(records: list[dict], notes: list[str]) -> list[dict]:
    big = max(records, key=lambda r: r["cues"])
    before = big["before"]
    label = {"mb": big["size_mb"], "cues": big["cues"]}
    (time_work, time_target), (rss_work, rss_target) = PARSE_WORKS
    notes.append(f"parse: each reader in a fresh process; time is load() alone, peak RSS the whole process; "
                 f"{big['cues_read']:,} cues read")
    return [
        {"work": time_work.format(**label), "ours": f"{big['seconds']:.1f} s",
         "anchor": f"the reader before: {before['seconds']:.1f} s" if before else "the reader before: not run",
         "ratio": ratio(big["seconds"], before["seconds"]) if before else "-",
         "target": time_target, "met": verdict(big["seconds"] < 20)},
        {"work": rss_work.format(**label), "ours": f"{big['peak_mb']:,.0f} MB",
         "anchor": f"the reader before: {before['peak_mb']:,.0f} MB" if before else "the reader before: not run",
         "ratio": ratio(big["peak_mb"], before["peak_mb"]).replace("faster", "less").replace("slower", "more")
         if before else "-", "target": rss_target, "met": verdict(big["peak_mb"] < 500)},
    ]


ROWS = {"reel": reel_rows, "search": search_rows, "launch": launch_rows, "parse": parse_rows}


def placeholder_works(step: str, quick: bool) -> list[tuple[str, str]]:
    """The rows a step would have given, for when it could not run."""
    if step == "reel":
        return [(REEL_WORKS[0][0].format(m=10 if quick else 60), REEL_WORKS[0][1]), REEL_WORKS[1]]
    if step == "search":
        return [(work.format(n=sum(map(len, QUERIES.values()))), target) for work, target in SEARCH_WORKS]
    if step == "launch":
        return [(LAUNCH_WORKS[0][0].format(n=1_568), LAUNCH_WORKS[0][1]),
                (LAUNCH_WORKS[1][0].format(n=100_000), LAUNCH_WORKS[1][1])]
    return [(work.format(mb=20 if quick else 200, cues=180_000 if quick else 1_800_000), target)
            for work, target in PARSE_WORKS]


def cannot_run(step: str, quick: bool) -> str:
    """Why a step cannot run on this machine, or ""."""
    if step == "launch":
        if not os.environ.get("DISPLAY"):
            return 'needs a display: run under xvfb-run -a -s "-screen 0 1280x800x24"'
        if not shutil.which("xdotool"):
            return f"xdotool not installed ({INSTALL_HINT})"
    if step == "reel":
        minutes = 10 if quick else 60
        lecture = Path(tempfile.gettempdir()) / f"reel-bench-{minutes}min-720p30-k5.mp4"
        need = minutes * 20e6   # the lecture is ~6 MB a minute; room for it and the reels
        free = shutil.disk_usage(tempfile.gettempdir()).free
        if not lecture.is_file() and free < need:
            return (f"{tempfile.gettempdir()} has {free / 1e9:.1f} GB free, "
                    f"the {minutes}-min lecture needs ~{need / 1e9:.1f} GB")
    return ""


def print_table(rows: list[dict]) -> None:
    header = {"work": "row", "ours": "ours", "anchor": "anchor (same run)", "ratio": "ours/anchor",
              "target": "target", "met": "met"}
    keys = list(header)
    widths = [max(len(str(r[k])) for r in [header, *rows]) for k in keys]
    print("  ".join(header[k].ljust(w) for k, w in zip(keys, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(r[k]).ljust(w) for k, w in zip(keys, widths)).rstrip())


def uptime() -> str:
    with open("/proc/loadavg") as loadavg:
        one, five, fifteen = loadavg.read().split()[:3]
    return f"load average {one}, {five}, {fifteen} on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.issue15", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="10-minute lecture, 2 launches, Gaupol 20 s, 20 MB SRT: a few minutes")
    parser.add_argument("--only", default=",".join(STEPS),
                        help=f"comma-separated steps to run, of {','.join(STEPS)} (default: all)")
    args = parser.parse_args(argv)
    steps = [step.strip() for step in args.only.split(",") if step.strip()]
    unknown = [step for step in steps if step not in STEPS]
    if unknown:
        parser.error(f"unknown step {unknown[0]!r}: choose from {', '.join(STEPS)}")
    logs = Path(tempfile.mkdtemp(prefix="issue15-"))
    try:
        head = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %s"], capture_output=True,
                              text=True).stdout.strip()
    except OSError:   # no git: the commit is left out
        head = ""
    started, load_before = time.strftime("%Y-%m-%d %H:%M:%S %Z"), uptime()
    began = time.perf_counter()
    rows, notes = [], []
    for step in steps:
        reason = cannot_run(step, args.quick)
        records = []
        if not reason:
            records, reason = run_bench(step, args.quick, logs)
        if records:
            try:
                rows += ROWS[step](records, notes)
            except (KeyError, TypeError, ValueError, ZeroDivisionError, statistics.StatisticsError) as error:
                reason = f"{step}: unexpected figures ({type(error).__name__}: {error}); see {logs / step}.txt"
                rows += failed_rows(placeholder_works(step, args.quick), reason)
            if reason:
                notes.append(reason)
        else:
            rows += failed_rows(placeholder_works(step, args.quick), reason)
    print(f"\nIssue 15, {'quick' if args.quick else 'full'} run, started {started}, took "
          f"{(time.perf_counter() - began) / 60:.1f} min")
    print(f"commit {head or '?'}")
    print(f"machine: {uptime()} at the end ({load_before} at the start); wall times, the machine may be shared\n")
    print_table(rows)
    if notes:
        print()
        for note in notes:
            print(f"- {note}")
    print(f"\nEach bench's own output: {logs}")
    return 0 if all(row["met"] == "yes" for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

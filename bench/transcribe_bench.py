"""Local transcription: speed, first segment, memory and accuracy per model; prints a table.

    python -m bench.transcribe_bench [--model NAME|FOLDER ...] [--long-minutes 10] [--direct]

Each model runs through the app's own path (TranscriptionJob: worker process, ffmpeg
decoding, streaming) on:
- the demo lecture (resources/sample/lecture.mp4, 85 s of espeak-ng reading the seed
  transcript): word error rate against that text (resources/sample/lecture.txt),
  numbers, punctuation and case normalised;
- a long lecture: the demo's sound repeated to --long-minutes (made once in /tmp): the
  realtime factor and the first segment on a lecture of a realistic length;
- the same long lecture through the command line (`transcript-player transcribe`, path
  "cli"), as a learner runs it: each line written to a library as it is heard. Its first
  segment is the time from starting the command to the first line readable in the library
  (polled by another connection every 20 ms); its WER is against the seed text repeated.

--direct adds, for comparison, faster-whisper called in one process on the whole demo
(PyAV decoding, no windows): the set-up the issue's anchor figures were measured with.
CPU s is the CPU time of the worker and its ffmpeg (both cores), which other work on the
machine does not inflate as it does the wall-clock figures.
Targets (issue 16): >= 10x realtime, first segment < 5 s, WER <= 0.12 on the demo.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from player.core.formats import load  # noqa: E402
from player.core.reel import ffmpeg_exe  # noqa: E402
from player.core.transcription import TranscriptionJob, installed_models  # noqa: E402
from player.core.transcription.accuracy import word_error_rate  # noqa: E402
from player.core.transcription.models import resolve_model  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "resources" / "sample"
TARGET_RTF, TARGET_FIRST_S, TARGET_WER = 10.0, 5.0, 0.12


def reference_text() -> str:
    return " ".join(segment.text for segment in load(DEMO / "lecture.txt").segments if not segment.is_non_speech)


def long_lecture(minutes: float) -> Path:
    """The demo's sound repeated to about `minutes` (whole repetitions), cached in /tmp."""
    repeats = max(1, round(minutes * 60 / 85.2))
    path = Path(tempfile.gettempdir()) / f"transcribe-bench-{repeats}x-demo.m4a"
    if not path.is_file():
        listing = path.with_suffix(".txt")
        listing.write_text("".join(f"file '{DEMO / 'lecture.mp4'}'\n" for _ in range(repeats)))
        part = path.with_suffix(".part.m4a")
        subprocess.run([ffmpeg_exe(), "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0",
                        "-i", str(listing), "-vn", "-c:a", "copy", str(part)], check=True)
        part.rename(path)
        listing.unlink()
    return path


def children_cpu_s() -> float:
    """CPU seconds used by this process's finished children (the worker and its ffmpeg):
    unlike the wall clock, not inflated when other work shares the machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def through_the_app(media: Path, model: str) -> dict:
    cpu = children_cpu_s()
    result = TranscriptionJob(media, model).run()
    text = " ".join(segment.text for segment in result.segments)
    duration = result.duration_s or result.end_s
    return {"rtf": duration / result.elapsed_s, "first": result.first_segment_s, "rss": result.peak_rss_mb,
            "text": text, "elapsed": result.elapsed_s, "duration": duration, "segments": len(result.segments),
            "cpu": children_cpu_s() - cpu}


def through_the_cli(media: Path, model: str, reference: str) -> dict:
    """`transcript-player transcribe MEDIA` into a fresh library, timed from the command's start."""
    cpu = children_cpu_s()
    with tempfile.TemporaryDirectory(prefix="transcribe-bench-") as folder:
        library = Path(folder) / "library.sqlite"
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "player", "transcribe", str(media), "--model", model,
                                    "--library", str(library), "--quiet"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        first = None
        while process.poll() is None:
            if first is None and lines_in(library):
                first = time.monotonic() - started
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        _, stderr = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"transcribe failed: {stderr.strip()}")
        with sqlite3.connect(library) as conn:
            texts = [text for text, in conn.execute("SELECT text FROM segments ORDER BY position")]
            duration = conn.execute("SELECT duration_ms FROM media").fetchone()[0] / 1000
    repeats = max(1, round(duration / 85.26))
    text = " ".join(texts)
    return {"rtf": duration / elapsed, "first": first, "rss": None, "text": text, "elapsed": elapsed,
            "duration": duration, "segments": len(texts), "cpu": children_cpu_s() - cpu,
            "wer": word_error_rate(" ".join([reference] * repeats), text)}


def lines_in(library: Path) -> int:
    """How many lines another process has saved so far (0 before the library exists)."""
    if not library.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{library}?mode=ro", uri=True, timeout=0.1) as conn:
            return conn.execute("SELECT count(*) FROM segments").fetchone()[0]
    except sqlite3.Error:   # not created yet, or migrating
        return 0


DIRECT = r"""
import json, resource, sys, time
started = time.monotonic()
from faster_whisper import WhisperModel
model = WhisperModel(sys.argv[1], device="cpu", compute_type="int8")
segments, info = model.transcribe(sys.argv[2], vad_filter=True, word_timestamps=True)
first, texts = None, []
for segment in segments:
    first = first if first is not None else time.monotonic() - started
    texts.append(segment.text)
print(json.dumps({"elapsed": time.monotonic() - started, "first": first, "duration": info.duration,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "text": " ".join(texts)}))
"""


def direct(media: Path, model_path: Path) -> dict:
    cpu = children_cpu_s()
    done = subprocess.run([sys.executable, "-c", DIRECT, str(model_path), str(media)], capture_output=True,
                          text=True, check=True)
    row = json.loads(done.stdout.splitlines()[-1])
    return {**row, "rtf": row["duration"] / row["elapsed"], "cpu": children_cpu_s() - cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="a model name or folder (default: every installed one)")
    parser.add_argument("--long-minutes", type=float, default=10.0)
    parser.add_argument("--direct", action="store_true", help="also faster-whisper in one process, for comparison")
    args = parser.parse_args()
    models = args.model or [model.name for model in installed_models()]
    reference = reference_text()
    long_media = long_lecture(args.long_minutes)

    rows = []
    for model in models:
        name = resolve_model(model).name
        demo = through_the_app(DEMO / "lecture.mp4", model)
        rows.append((name, "app", "demo 85 s", demo, word_error_rate(reference, demo["text"])))
        if args.direct:
            started = time.monotonic()
            row = direct(DEMO / "lecture.mp4", resolve_model(model).path)
            row["elapsed"] = time.monotonic() - started   # the process's start-up included, as for the app
            row["rtf"] = row["duration"] / row["elapsed"]
            rows.append((name, "direct", "demo 85 s", row, word_error_rate(reference, row["text"])))
        long = through_the_app(long_media, model)
        rows.append((name, "app", f"long {long['duration'] / 60:.1f} min", long, None))
        cli = through_the_cli(long_media, model, reference)
        rows.append((name, "cli", f"long {cli['duration'] / 60:.1f} min", cli, cli["wer"]))

    header = (f"{'model':<16} {'path':<7} {'media':<15} {'x realtime':>10} {'CPU s':>6} {'first seg':>9} "
              f"{'peak RSS':>9} {'WER':>6}")
    print(header)
    print("-" * len(header))
    for name, path, media, row, wer in rows:
        first = f"{row['first']:.2f} s" if row.get("first") is not None else "-"
        rss = f"{row['rss']} MB" if row.get("rss") is not None else "-"
        print(f"{name:<16} {path:<7} {media:<15} {row['rtf']:>9.1f}x {row['cpu']:>6.1f} {first:>9} {rss:>9} "
              f"{'' if wer is None else f'{wer:.3f}':>6}")
    print(f"\ntargets: >= {TARGET_RTF:.0f}x realtime, first segment < {TARGET_FIRST_S:.0f} s, "
          f"WER <= {TARGET_WER} on the demo (tiny.en)")
    print("cli: the command line into a library; its first segment is the first line readable in the library, "
          "its peak RSS is the app row's (the same worker)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

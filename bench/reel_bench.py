"""Reel export speed on a 60-minute 720p lecture with 20 highlights; prints a table.

    python -m bench.reel_bench [--minutes 60]

Fast mode (stream copy) is measured in x-realtime of the reel (target >= 100x); accurate
mode against one hand-written ffmpeg command making the same cuts in one run (target
ratio <= 1.1). The lecture is made once and cached in /tmp (a few minutes the first time).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from player.core.reel import ReelJob, ReelOptions, ffmpeg_exe, plan_cuts  # noqa: E402
from player.core.transcript import Segment, Transcript  # noqa: E402


def lecture(minutes: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"reel-bench-{minutes}min-720p.mp4"
    if not path.is_file():
        print(f"making {path} (once)...", file=sys.stderr)
        part = path.with_suffix(".part.mp4")
        subprocess.run([ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
                        "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={minutes * 60}",
                        "-f", "lavfi", "-i", f"sine=frequency=440:duration={minutes * 60}",
                        "-c:v", "libx264", "-preset", "ultrafast", "-g", "100", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-b:a", "96k", "-shortest", str(part)], check=True)
        part.rename(path)
    return path


def highlights(minutes: int, count: int = 20):
    step = minutes * 60_000 // count
    return [SimpleNamespace(id=i + 1, start_ms=i * step + step // 3,
                            end_ms=i * step + step // 3 + 20_000 + 1000 * (i % 5),
                            note=f"Point {i + 1}", text="", tags=()) for i in range(count)]


def transcript(minutes: int) -> Transcript:
    """A line every 3 s, with the braces and backslashes captions must draw as written."""
    return Transcript([Segment(i * 3000, i * 3000 + 3000, f"Line {i}: {{\\an8}} costs 50% \\N more")
                       for i in range(minutes * 20)])


def hand_written(media: Path, cuts, out: Path) -> list[str]:
    args = [ffmpeg_exe(), "-nostdin", "-v", "error", "-y"]
    for cut in cuts:
        args += ["-ss", f"{cut.start_ms / 1000:.3f}", "-t", f"{cut.duration_ms / 1000:.3f}", "-i", str(media)]
    streams = "".join(f"[{i}:v:0][{i}:a:0]" for i in range(len(cuts)))
    args += ["-filter_complex", f"{streams}concat=n={len(cuts)}:v=1:a=1[v][a]", "-map", "[v]", "-map", "[a]",
             "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", str(out)]
    return args


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60)
    args = parser.parse_args()
    media = lecture(args.minutes)
    cuts = plan_cuts(highlights(args.minutes), 500, args.minutes * 60_000)
    reel_s = sum(c.duration_ms for c in cuts) / 1000
    with tempfile.TemporaryDirectory(prefix="reel-bench-") as folder:
        folder = Path(folder)
        fast = timed(lambda: ReelJob(media, cuts, folder / "fast.mp4", ReelOptions(mode="fast")).run())
        accurate = timed(lambda: ReelJob(media, cuts, folder / "accurate.mp4").run())
        dressed = timed(lambda: ReelJob(media, cuts, folder / "dressed.mp4",
                                        ReelOptions(captions=True, title_cards=True),
                                        transcript=transcript(args.minutes),
                                        highlights={h.id: h for h in highlights(args.minutes)}).run())
        hand = timed(lambda: subprocess.run(hand_written(media, cuts, folder / "hand.mp4"), check=True,
                                            stdin=subprocess.DEVNULL))
    rows = [
        ("lecture", f"{args.minutes} min 1280x720 25 fps, keyframe every 4 s", "", ""),
        ("reel", f"{len(cuts)} cuts, {reel_s:.1f} s", "", ""),
        ("fast mode", f"{fast:.2f} s = {reel_s / fast:.0f}x realtime", ">= 100x",
         "ok" if reel_s / fast >= 100 else "MISSED"),
        ("accurate mode", f"{accurate:.2f} s = {reel_s / accurate:.1f}x realtime", "", ""),
        ("accurate + captions + cards", f"{dressed:.2f} s = {reel_s / dressed:.1f}x realtime", "", ""),
        ("hand-written ffmpeg", f"{hand:.2f} s", "", ""),
        ("accurate / hand-written", f"{accurate / hand:.2f}", "<= 1.1", "ok" if accurate / hand <= 1.1 else "MISSED"),
    ]
    widths = [max(len(str(row[i])) for row in rows + [("figure", "value", "target", "")]) for i in range(4)]
    for row in [("figure", "value", "target", "")] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())

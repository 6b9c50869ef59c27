"""Reel export speed on a 60-minute 720p30 lecture (a keyframe every 5 s) with 20 cuts of
15 s; prints a table, every row measured in the same run.

    python -m bench.reel_bench [--minutes 60] [--repeat 1] [--skip-slow] [--check]

Rows: accurate mode (smart cut) against one hand-written full re-encode of the same cuts
(target >= 30x realtime), the old accurate path (every frame re-encoded) for before and
after, captions + title cards (always a full re-encode), fast mode against 20 hand-written
stream copies + a concat (target >= 150x), and fast mode's real length against the plan;
--check compares each cut's first and last frame in the smart-cut reel with the source's.
The anchor encodes the sound at the source's bitrate, as smart cut does (96k here).
Each figure is wall time (best of --repeat) and the CPU seconds of the ffmpeg processes it
ran: the machine may be shared, and CPU seconds do not grow with someone else's load. The
lecture is made once and cached in /tmp (several minutes the first time).
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.probes import data  # noqa: E402
from player.core import smartcut  # noqa: E402
from player.core.reel import ReelJob, ReelOptions, ffmpeg_exe, plan_cuts, probe  # noqa: E402
from player.core.transcript import Segment, Transcript  # noqa: E402


def lecture(minutes: int) -> Path:
    """A lecture-like 720p30 H.264 (High, 3 B-frames, a keyframe every 5 s exactly): a "slide"
    that changes every 4 s with a moving speaker inset, and a tone. Made once, kept in /tmp."""
    path = Path(tempfile.gettempdir()) / f"reel-bench-{minutes}min-720p30-k5.mp4"
    if not path.is_file():
        print(f"making {path} (once, several minutes)...", file=sys.stderr)
        part = path.with_suffix(".part.mp4")
        seconds = minutes * 60
        picture = (f"testsrc2=size=1280x720:rate=1/4,fps=30,format=yuv420p[slide];"
                   f"testsrc2=size=320x180:rate=30[speaker];"
                   f"[slide][speaker]overlay=W-w-16:H-h-16,trim=duration={seconds}")
        subprocess.run([ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
                        "-f", "lavfi", "-i", picture,
                        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                        "-c:v", "libx264", "-preset", "superfast", "-g", "150", "-keyint_min", "150",
                        "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-b:a", "96k", "-shortest", str(part)], check=True)
        part.rename(path)
    return path


def highlights(minutes: int, count: int = 20):
    """`count` highlights of 14 s (15 s cuts once padded by 0.5 s), spread over the lecture,
    each at another place in its GOP so that heads and tails of every length are cut."""
    step = minutes * 60_000 // count
    return [SimpleNamespace(id=i + 1, start_ms=i * step + step // 3 + (i * 1700) % 5000,
                            end_ms=i * step + step // 3 + (i * 1700) % 5000 + 14_000,
                            note=f"Point {i + 1}", text="", tags=()) for i in range(count)]


def transcript(minutes: int) -> Transcript:
    """A line every 3 s, with the braces and backslashes captions must draw as written."""
    return Transcript([Segment(i * 3000, i * 3000 + 3000, f"Line {i}: {{\\an8}} costs 50% \\N more")
                       for i in range(minutes * 20)])


def hand_written(media: Path, cuts, out: Path, audio_kbps: int) -> list[str]:
    """The anchor: one ffmpeg re-encoding the same cuts (what accurate mode did before)."""
    args = [ffmpeg_exe(), "-nostdin", "-v", "error", "-y"]
    for cut in cuts:
        args += ["-ss", f"{cut.start_ms / 1000:.3f}", "-t", f"{cut.duration_ms / 1000:.3f}", "-i", str(media)]
    streams = "".join(f"[{i}:v:0][{i}:a:0]" for i in range(len(cuts)))
    args += ["-filter_complex", f"{streams}concat=n={len(cuts)}:v=1:a=1[v][a]", "-map", "[v]", "-map", "[a]",
             "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-b:a", f"{audio_kbps}k", "-movflags", "+faststart", str(out)]
    return args


def hand_copies(media: Path, cuts, folder: Path, out: Path) -> None:
    """The fast anchor: one stream copy per cut, then the concat demuxer, by hand."""
    listing = folder / "hand-segments.txt"
    lines = ["ffconcat version 1.0"]
    for number, cut in enumerate(cuts):
        segment = folder / f"hand-segment{number}.mkv"
        subprocess.run([ffmpeg_exe(), "-nostdin", "-v", "error", "-y", "-ss", f"{cut.start_ms / 1000:.3f}",
                        "-i", str(media), "-t", f"{cut.duration_ms / 1000:.3f}", "-map", "0:v:0", "-map", "0:a:0",
                        "-c", "copy", "-avoid_negative_ts", "make_zero", str(segment)], check=True,
                       stdin=subprocess.DEVNULL)
        lines.append(f"file '{segment}'")
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run([ffmpeg_exe(), "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-c", "copy", "-movflags", "+faststart", str(out)], check=True, stdin=subprocess.DEVNULL)


def gray_frames(path: Path, first: int, count: int, fps: int = 30) -> list[bytes]:
    """Frames first .. first + count - 1 of a file on a `fps` grid, 8-bit gray."""
    start = max(0.0, (first - 0.5) / fps)   # the first frame shown at or after it is `first`
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-ss", f"{start:.4f}", "-i", str(path),
                          "-frames:v", str(count), "-fps_mode", "passthrough", "-f", "rawvideo",
                          "-pix_fmt", "gray", "-"],
                         capture_output=True, check=True).stdout
    size = len(raw) // count
    return [raw[n * size:(n + 1) * size] for n in range(count)]


def psnr(a: bytes, b: bytes) -> float:
    error = sum((x - y) ** 2 for x, y in zip(a[::7], b[::7])) / len(a[::7])   # every 7th pixel
    return float("inf") if error == 0 else 10 * math.log10(255 ** 2 / error)


def check_cut_frames(media: Path, reel: Path, cuts) -> str:
    """Each cut's first and last frame in the reel against the source's: the same frame
    (closer to it than to its neighbours), and by how much a re-encoded one differs."""
    frames = smartcut.cut_frames(smartcut.Grid(Fraction(0), Fraction(1, 30), 10 ** 9),
                                 [(c.start_ms, c.end_ms) for c in cuts])
    position, worst, exact, wrong = 0, float("inf"), 0, []
    for first, end in frames:
        for reel_frame, source_frame in ((position, first), (position + end - first - 1, end - 1)):
            ours = gray_frames(reel, reel_frame, 1)[0]
            before, same, after = gray_frames(media, source_frame - 1, 3)
            score = psnr(ours, same)
            exact += score == float("inf")
            worst = min(worst, score)
            if score <= max(psnr(ours, before), psnr(ours, after)):
                wrong.append(reel_frame)
        position += end - first
    if wrong:
        return f"MISMATCH at reel frames {wrong}"
    return f"{2 * len(frames)} checked, {exact} identical, the others >= {worst:.1f} dB PSNR"


def measured(work, repeat: int):
    """(best wall seconds, CPU seconds of the children in that run, what work returned)."""
    best = None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        value = work()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if best is None or wall < best[0]:
            best = (wall, cpu, value)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each row; the best is shown")
    parser.add_argument("--skip-slow", action="store_true", help="leave out the old accurate path and captions")
    parser.add_argument("--check", action="store_true",
                        help="compare each cut's first and last frame in the smart-cut reel with the source's")
    args = parser.parse_args()
    media = lecture(args.minutes)
    cuts = plan_cuts(highlights(args.minutes), 500, args.minutes * 60_000)
    reel_s = sum(c.duration_ms for c in cuts) / 1000
    audio_kbps = smartcut.audio_bitrate(probe(media).probe_text)
    rows = [("lecture", f"{args.minutes} min 1280x720 30 fps H.264 High (3 B-frames), keyframe every 5 s", "", ""),
            ("reel", f"{len(cuts)} cuts, {reel_s:.1f} s planned", "", "")]

    def speed(name, wall, cpu, target=None, anchor=None):
        ratio = reel_s / wall
        text = f"{wall:.2f} s = {ratio:.1f}x realtime, {cpu:.1f} CPU s"
        if anchor is not None:
            text += f"; {anchor / wall:.2f}x the anchor's speed"
        verdict = "" if target is None else ("ok" if ratio >= target else "MISSED")
        rows.append((name, text, f">= {target}x" if target else "", verdict))

    with tempfile.TemporaryDirectory(prefix="reel-bench-") as folder:
        folder = Path(folder)
        smart, smart_cpu, result = measured(lambda: ReelJob(media, cuts, folder / "accurate.mp4", force=True).run(),
                                            args.repeat)
        hand, hand_cpu, _ = measured(lambda: subprocess.run(
            hand_written(media, cuts, folder / "hand.mp4", audio_kbps), check=True, stdin=subprocess.DEVNULL),
            args.repeat)
        speed(f"accurate mode ({result.method})", smart, smart_cpu, 30, hand)
        if result.fallback_reason:
            rows.append(("  fell back because", result.fallback_reason, "", ""))
        rows.append(("  length", f"{result.duration_ms / 1000:.3f} s (plan {result.planned_ms / 1000:.3f} s)",
                     "within a frame", "ok" if abs(result.duration_ms - result.planned_ms) <= 1000 / 30 else "MISSED"))
        verdict = None
        if args.check:
            verdict = check_cut_frames(media, result.output, cuts)
            rows.append(("  first/last frames", verdict, "the source's", "MISSED" if "MISMATCH" in verdict else "ok"))
        speed("anchor: hand-written re-encode", hand, hand_cpu)
        if not args.skip_slow:
            old, old_cpu, _ = measured(lambda: ReelJob(media, cuts, folder / "old.mp4", ReelOptions(smart_cut=False),
                                                       force=True).run(), args.repeat)
            speed("accurate, every frame re-encoded", old, old_cpu, anchor=hand)
            dressed, dressed_cpu, _ = measured(lambda: ReelJob(
                media, cuts, folder / "dressed.mp4", ReelOptions(captions=True, title_cards=True),
                transcript=transcript(args.minutes), highlights={h.id: h for h in highlights(args.minutes)},
                force=True).run(), args.repeat)
            speed("accurate + captions + cards", dressed, dressed_cpu, anchor=hand)
        fast, fast_cpu, fast_result = measured(lambda: ReelJob(media, cuts, folder / "fast.mp4",
                                                               ReelOptions(mode="fast"), force=True).run(), args.repeat)
        copies, copies_cpu, _ = measured(lambda: hand_copies(media, cuts, folder, folder / "hand-fast.mp4"),
                                         args.repeat)
        speed("fast mode (stream copy)", fast, fast_cpu, 150, copies)
        real = probe(fast_result.output).duration_ms or 0
        rows.append(("  length", f"{fast_result.duration_ms / 1000:.3f} s stated, {real / 1000:.3f} s in the file, "
                     f"plan {fast_result.planned_ms / 1000:.3f} s (cuts start at keyframes)", "stated = real",
                     "ok" if abs(real - fast_result.duration_ms) <= 100 else "MISSED"))
        speed("anchor: 20 copies + concat by hand", copies, copies_cpu)
        data("reel", minutes=args.minutes, cuts=len(cuts), reel_s=reel_s,
             accurate={"wall_s": smart, "cpu_s": smart_cpu, "method": result.method,
                       "fallback": result.fallback_reason or "", "duration_ms": result.duration_ms,
                       "planned_ms": result.planned_ms, "frames": verdict},
             accurate_anchor={"wall_s": hand, "cpu_s": hand_cpu},
             fast={"wall_s": fast, "cpu_s": fast_cpu, "stated_ms": fast_result.duration_ms, "real_ms": real},
             fast_anchor={"wall_s": copies, "cpu_s": copies_cpu})
    header = ("figure", "value", "target", "")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(4)]
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())

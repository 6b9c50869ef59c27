#!/usr/bin/env python3
"""Regenerate the bundled demo lecture in ``resources/sample/``.

The demo is built from the opening of a whisper.cpp transcript of a public
CS224N lecture on pre-training (the "seed").  The script writes:

* ``lecture.txt``  - the first cues of the seed, copied verbatim (same
  whisper.cpp ``[HH:MM:SS.mmm --> HH:MM:SS.mmm]   text`` lines);
* ``lecture.mp4``  - a small H.264/AAC video of the same length: one slide per
  cue showing the sentence being spoken, with espeak-ng speech placed at each
  cue's start time so the audio stays in sync with the transcript;
* ``README.md``    - a short note on what the demo is and how it was made.

Run it from anywhere::

    .venv/bin/python scripts/make_sample.py [--seed PATH] [--cut SECONDS]

Requirements: PySide6 and imageio-ffmpeg (in the project venv) and the
``espeak-ng`` command (Debian package ``espeak-ng``).
"""

from __future__ import annotations

import argparse
import array
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

# Must be set before any QGuiApplication exists: we only render off-screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import imageio_ffmpeg  # noqa: E402
from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QImage,
    QPainter,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = REPO_ROOT / "tests" / "data" / "seeds" / "003_98d2fe73ddf5816f.txt"
DEFAULT_OUT_DIR = REPO_ROOT / "resources" / "sample"

# Keep every cue ending at or before this many seconds.  With the CS224N seed
# the last kept cue is "and interviews, and intellectual curiosity." (ends
# 85.24 s): the sentence boundary nearest to ~95 s (the next cues run on
# mid-sentence until 106.6 s), so the demo does not stop mid-thought.
DEFAULT_CUT_SECONDS = 86.0

LECTURE_TITLE = "CS224N \u00b7 Lecture 9: Pretraining"

# Video: small frame, low frame rate, a keyframe every 2 s so seeking in the
# player stays snappy.
WIDTH, HEIGHT = 854, 480
FPS = 10
KEYFRAME_INTERVAL = 2 * FPS

# Speech synthesis.
ESPEAK_VOICE = "en-us"
ESPEAK_WORDS_PER_MINUTE = 165
SLOT_FILL = 0.95          # sped-up speech may use at most 95 % of its slot
MAX_ATEMPO_STEP = 2.0     # atempo is only guaranteed to accept 0.5..2.0 per instance
SILENCE_THRESHOLD = 300   # |sample| below this counts as silence when trimming

# Slide colours.
BACKGROUND = QColor("#10233f")
ACCENT = QColor("#4f8fd6")
TITLE_COLOUR = QColor("#9fb8d8")
TEXT_COLOUR = QColor("#f2f5fa")
MARKER_COLOUR = QColor("#6d83a3")
FONT_FAMILY = "DejaVu Sans"

CUE_LINE = re.compile(
    r"^\[(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)\]\s*(.*)$"
)
# Whole-cue non-speech markers such as "[AUDIO OUT]", "[BLANK_AUDIO]", "(laughs)".
NON_SPEECH = re.compile(r"\[[^\]]*\]|\([^)]*\)")


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float    # seconds
    text: str
    line: str     # the original seed line, copied verbatim into lecture.txt

    @property
    def spoken_text(self) -> str:
        """The text to synthesize: the cue minus any non-speech markers."""
        return " ".join(NON_SPEECH.sub(" ", self.text).split())


# --------------------------------------------------------------------------
# Transcript
# --------------------------------------------------------------------------

def parse_seed(path: Path) -> list[Cue]:
    """Parse every whisper.cpp cue line in *path*; other lines are ignored."""
    cues = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = CUE_LINE.match(line)
        if not match:
            continue
        h1, m1, s1, ms1, h2, m2, s2, ms2, text = match.groups()
        start = int(h1) * 3600 + int(m1) * 60 + int(s1) + int(ms1) / 1000
        end = int(h2) * 3600 + int(m2) * 60 + int(s2) + int(ms2) / 1000
        cues.append(Cue(start, end, text.strip(), line.rstrip()))
    return cues


def opening_cues(cues: list[Cue], cut_seconds: float) -> list[Cue]:
    """The leading run of cues that all end at or before *cut_seconds*."""
    kept = []
    for cue in cues:
        if cue.end > cut_seconds:
            break
        kept.append(cue)
    return kept


def write_readme(cues: list[Cue], path: Path) -> None:
    text = f"""# Sample lecture

Demo media bundled with Transcript Player: the first {cues[-1].end:.0f} seconds
({len(cues)} cues) of a Stanford CS224N lecture on pre-training.

- `lecture.txt` - the opening cues of a whisper.cpp transcript of the public
  CS224N lecture (`tests/data/seeds/003_98d2fe73ddf5816f.txt`), copied verbatim.
- `lecture.mp4` - a generated stand-in for the lecture video: one slide per cue
  showing the sentence, with the text read aloud by espeak-ng at each cue's
  start time (sped up where needed), so audio and transcript stay in sync.
  H.264 {WIDTH}x{HEIGHT} @ {FPS} fps, AAC mono.

Both files (and this README) are generated; do not edit them by hand.
Regenerate with (needs the Debian package `espeak-ng`):

    .venv/bin/python scripts/make_sample.py
"""
    path.write_text(text, encoding="utf-8", newline="\n")


def write_transcript(cues: list[Cue], path: Path) -> None:
    # whisper.cpp output starts with an empty line; keep that so the file is
    # byte-for-byte a prefix of the seed's format.
    lines = [""] + [cue.line for cue in cues]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------
# Audio
# --------------------------------------------------------------------------

def require_espeak() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        print(
            "error: espeak-ng not found. Install it with:  sudo apt-get install espeak-ng",
            file=sys.stderr,
        )
        sys.exit(2)
    return exe


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run *cmd*, raising with its stderr on failure."""
    result = subprocess.run(cmd, capture_output=True, **kwargs)
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace") if result.stderr else ""
        raise RuntimeError(f"command failed ({result.returncode}): {cmd[0]}\n{stderr}")
    return result


def read_wav(path: Path) -> tuple[array.array, int]:
    """Mono 16-bit samples and sample rate of *path*."""
    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise RuntimeError(f"{path}: expected mono 16-bit audio")
        samples = array.array("h", wav.readframes(wav.getnframes()))
        if sys.byteorder == "big":
            samples.byteswap()  # WAV data is little-endian
        return samples, wav.getframerate()


def write_wav(path: Path, samples: array.array, rate: int) -> None:
    data = array.array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(data.tobytes())


def trim_silence(samples: array.array) -> array.array:
    """Drop espeak-ng's leading/trailing silence so clips fit short cues."""
    loud = [i for i, s in enumerate(samples) if abs(s) >= SILENCE_THRESHOLD]
    if not loud:
        return array.array("h")
    return samples[loud[0]:loud[-1] + 1]


def synthesize(espeak: str, text: str, wav_path: Path) -> tuple[array.array, int]:
    # Text goes through stdin so a cue starting with "-" is never an option.
    run(
        [espeak, "-v", ESPEAK_VOICE, "-s", str(ESPEAK_WORDS_PER_MINUTE),
         "-w", str(wav_path), "--stdin"],
        input=text.encode("utf-8"),
    )
    samples, rate = read_wav(wav_path)
    return trim_silence(samples), rate


def atempo_chain(factor: float) -> str:
    """An ffmpeg filter speeding audio up by *factor*, one step per 2x."""
    steps = []
    while factor > MAX_ATEMPO_STEP:
        steps.append(MAX_ATEMPO_STEP)
        factor /= MAX_ATEMPO_STEP
    steps.append(factor)
    return ",".join(f"atempo={step:.6f}" for step in steps)


def speed_up(ffmpeg: str, samples: array.array, rate: int, factor: float,
             work: Path) -> array.array:
    src, dst = work / "slow.wav", work / "fast.wav"
    write_wav(src, samples, rate)
    run([ffmpeg, "-y", "-loglevel", "error", "-i", str(src),
         "-af", atempo_chain(factor), "-ac", "1", "-ar", str(rate),
         "-c:a", "pcm_s16le", str(dst)])
    fast, _ = read_wav(dst)
    return fast


def cue_slots(cues: list[Cue]) -> list[float]:
    """Seconds each cue may speak for: until the next cue starts (or it ends)."""
    slots = []
    for cue, following in zip(cues, cues[1:] + [None]):
        slot_end = following.start if following else cue.end
        slots.append(max(slot_end - cue.start, 0.0))
    return slots


def build_speech_track(cues: list[Cue], total_seconds: float, espeak: str,
                       ffmpeg: str, work: Path) -> tuple[Path, list[float]]:
    """Synthesize every spoken cue into one mono WAV; return it and speed-ups."""
    track: array.array | None = None
    rate = 0
    speedups = []
    for index, (cue, slot) in enumerate(zip(cues, cue_slots(cues))):
        text = cue.spoken_text
        if not text or slot <= 0:
            continue  # non-speech marker: leave silence
        clip, clip_rate = synthesize(espeak, text, work / f"cue{index:03d}.wav")
        if track is None:
            rate = clip_rate
            track = array.array("h", bytes(2 * round(total_seconds * rate)))
        elif clip_rate != rate:
            raise RuntimeError("espeak-ng changed sample rate between cues")

        budget = int(slot * SLOT_FILL * rate)
        if len(clip) > budget:
            factor = len(clip) / budget
            clip = speed_up(ffmpeg, clip, rate, factor, work)
            speedups.append(factor)

        # Never spill into the next cue (atempo can overshoot by a few ms).
        start = round(cue.start * rate)
        clip = clip[: max(0, min(int(slot * rate), len(track) - start))]
        track[start:start + len(clip)] = clip

    if track is None:
        raise RuntimeError("no spoken cues: nothing to synthesize")
    speech = work / "speech.wav"
    write_wav(speech, track, rate)
    return speech, speedups


# --------------------------------------------------------------------------
# Video
# --------------------------------------------------------------------------

def format_clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def largest_fitting_font(text: str, box: QRect, flags: int, italic: bool) -> QFont:
    """The biggest font (down to a floor) whose wrapped text fits in *box*."""
    font = QFont(FONT_FAMILY)
    font.setItalic(italic)
    for size in range(40, 17, -2):
        font.setPixelSize(size)
        needed = QFontMetrics(font).boundingRect(box, flags, text)
        if needed.width() <= box.width() and needed.height() <= box.height():
            break
    return font


def render_slide(cue: Cue, clock: str) -> QImage:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = 36

    # Lecture title, small, top left, with an accent rule under it.
    title_font = QFont(FONT_FAMILY)
    title_font.setPixelSize(18)
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(TITLE_COLOUR)
    painter.drawText(QRect(margin, 22, WIDTH - 2 * margin, 28),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     LECTURE_TITLE)
    painter.fillRect(QRect(margin, 56, 72, 3), ACCENT)

    # The sentence being spoken, large and centred; markers dimmed and italic.
    is_marker = not cue.spoken_text
    box = QRect(margin + 24, 80, WIDTH - 2 * (margin + 24), HEIGHT - 160)
    flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    painter.setFont(largest_fitting_font(cue.text, box, flags, italic=is_marker))
    painter.setPen(MARKER_COLOUR if is_marker else TEXT_COLOUR)
    painter.drawText(box, flags, cue.text)

    # Running clock, small, bottom right.
    clock_font = QFont(FONT_FAMILY)
    clock_font.setPixelSize(16)
    painter.setFont(clock_font)
    painter.setPen(TITLE_COLOUR)
    painter.drawText(QRect(margin, HEIGHT - 48, WIDTH - 2 * margin, 24),
                     int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                     clock)
    painter.end()
    return image


def cue_at(cues: list[Cue], seconds: float) -> Cue:
    """The cue on screen at *seconds*: the last one that has started."""
    current = cues[0]
    for cue in cues:
        if cue.start <= seconds:
            current = cue
        else:
            break
    return current


def encode_video(cues: list[Cue], total_seconds: float, speech: Path,
                 ffmpeg: str, output: Path, work: Path) -> None:
    """Pipe raw slide frames into ffmpeg and mux them with the speech track."""
    frame_count = max(1, round(total_seconds * FPS))
    log_path = work / "ffmpeg.log"
    cmd = [
        ffmpeg, "-y", "-loglevel", "error",
        "-f", "rawvideo", "-pix_fmt", "bgra",  # QImage RGB32 in memory on little-endian
        "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "-",
        "-i", str(speech),
        "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "veryslow", "-tune", "stillimage",
        "-crf", "26", "-pix_fmt", "yuv420p",
        "-g", str(KEYFRAME_INTERVAL), "-keyint_min", str(KEYFRAME_INTERVAL),
        "-c:a", "aac", "-b:a", "48k", "-ac", "1",
        # Reproducible output: no encoder strings or timestamps in the file.
        "-map_metadata", "-1", "-fflags", "+bitexact",
        # The player shows the container's title as the lecture's title.
        "-metadata", f"title={LECTURE_TITLE}",
        "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart",
        str(output),
    ]
    if sys.byteorder != "little":
        raise RuntimeError("frame piping assumes a little-endian machine")

    cache: dict[tuple[float, str], bytes] = {}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=log)
        assert proc.stdin is not None
        try:
            for frame in range(frame_count):
                seconds = frame / FPS
                cue, clock = cue_at(cues, seconds), format_clock(seconds)
                key = (cue.start, clock)
                if key not in cache:
                    # A slide only changes with the cue or the clock second.
                    cache.clear()
                    # Keep the QImage alive while copying: constBits() is a
                    # view that does not own the pixel buffer.
                    slide = render_slide(cue, clock)
                    cache[key] = bytes(slide.constBits())
                proc.stdin.write(cache[key])
        except BrokenPipeError:
            pass  # ffmpeg died; its log explains why
        finally:
            proc.stdin.close()
            returncode = proc.wait()
    if returncode != 0:
        raise RuntimeError("ffmpeg encoding failed:\n" + log_path.read_text(errors="replace"))


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED,
                        help="whisper.cpp transcript to take the opening cues from")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR,
                        help="where to write lecture.txt, lecture.mp4 and README.md")
    parser.add_argument("--cut", type=float, default=DEFAULT_CUT_SECONDS,
                        help="keep cues ending at or before this many seconds")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    espeak = require_espeak()
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()

    seed = args.seed.resolve()
    if not seed.is_file():
        print(f"error: seed transcript not found: {seed}", file=sys.stderr)
        return 2
    cues = opening_cues(parse_seed(seed), args.cut)
    if not cues:
        print(f"error: no cues end before {args.cut} s in {seed}", file=sys.stderr)
        return 2
    total_seconds = cues[-1].end

    app = QGuiApplication.instance() or QGuiApplication([])  # fonts need an app
    out_dir = args.out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="make_sample_") as tmp:
        work = Path(tmp)
        speech, speedups = build_speech_track(cues, total_seconds, espeak, ffmpeg, work)
        # Encode into the temp dir, then move, so a failed run never leaves a
        # truncated lecture.mp4 behind.
        video_tmp = work / "lecture.mp4"
        encode_video(cues, total_seconds, speech, ffmpeg, video_tmp, work)
        shutil.move(str(video_tmp), out_dir / "lecture.mp4")
    write_transcript(cues, out_dir / "lecture.txt")
    write_readme(cues, out_dir / "README.md")
    del app

    print(f"seed:      {seed}")
    print(f"cues:      {len(cues)} (cut after {total_seconds:.3f} s: {cues[-1].text!r})")
    if speedups:
        print(f"speed-ups: {len(speedups)} cues, max x{max(speedups):.2f}")
    for name in ("lecture.txt", "lecture.mp4", "README.md"):
        path = out_dir / name
        print(f"wrote:     {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Highlight reels: plan the cuts (pad, merge, title), build the ffmpeg command lines and
run them with progress, cancel, chapters, captions and a sidecar transcript. No Qt here:
a GUI runs `ReelJob.run()` on a worker thread and calls `cancel()` from its own.

Accurate mode (default) is frame-exact. For an H.264/HEVC video it smart-cuts
(player/core/smartcut.py): only the partial GOPs at each cut's ends are re-encoded, the
whole GOPs between are copied, and the result is verified before it lands. When smart cut
cannot match the source (another codec, a variable frame rate, interlacing, open GOPs) or
the reel draws on the picture (captions, title cards), or its verification fails, it falls
back to the full re-encode: one ffmpeg process with one `-ss S -t D -i FILE` input per cut,
joined by the concat filter; `ReelResult.method` and `fallback_reason` say which and why.

Fast mode copies the streams (no re-encode): each cut starts at the keyframe at or before
its start, so it may begin up to one keyframe interval (typically 2-10 s) early; the result
states the real length and the chapters start where each cut really starts in the reel.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections import deque
from contextlib import ExitStack
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable, Mapping, Sequence

from player.core.formats.writers import one_line, to_ass, to_srt, to_vtt
from player.core.processes import popen_child, run_child
from player.core.safe_files import atomic_output, check_output
from player.core.selection import select_highlights  # noqa: F401  (the reel command's import)
from player.core import smartcut
from player.core.spans import merge_spans
from player.core.timecode import format_clock
from player.core.transcript import Segment, Transcript

DEFAULT_PAD_MS = 500
TITLE_WORDS = 8
TITLE_MAX_CHARS = 80
VIDEO_SUFFIXES = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska"}
AUDIO_SUFFIXES = {".m4a": "ipod", ".mp3": "mp3"}
# Smart cut shares the re-encoding among this many ffmpeg processes: the concat filter
# decodes its inputs one after another, so one process keeps about one core busy.
ENCODERS = max(1, min(4, os.cpu_count() or 2))


class ReelError(Exception):
    """The reel could not be made; the message says why (with ffmpeg's last lines)."""


class ReelCancelled(ReelError):
    """cancel() was called; nothing was left behind."""


# ----- planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cut:
    """A stretch of the lecture that goes into the reel, as one chapter."""

    start_ms: int
    end_ms: int
    title: str
    highlight_ids: tuple[int, ...] = ()

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


def chapter_title(highlight) -> str:
    """The note's first line, else the first ~8 words it covers, else its time."""
    note = (getattr(highlight, "note", None) or "").strip()
    if note:
        title = " ".join(note.splitlines()[0].split())
    else:
        words = (getattr(highlight, "text", "") or "").split()
        title = " ".join(words[:TITLE_WORDS]) + (" …" if len(words) > TITLE_WORDS else "")
    if not title:
        return f"Highlight at {format_clock(highlight.start_ms)}"
    return title if len(title) <= TITLE_MAX_CHARS else title[:TITLE_MAX_CHARS - 1].rstrip() + "…"


def _merged_title(titles: list[str]) -> str:
    distinct = list(dict.fromkeys(titles))
    if len(distinct) <= 2:
        return " / ".join(distinct)
    return f"{distinct[0]} / {distinct[1]} (+{len(distinct) - 2} more)"


def plan_cuts(highlights: Sequence, pad_ms: int = DEFAULT_PAD_MS, duration_ms: int | None = None,
              order: str = "time") -> list[Cut]:
    """Padded cuts, clamped to [0, duration]; overlapping or touching cuts become one.

    order="time": cuts in time order. order="given": in the order of the highlights given,
    a merged cut taking the place of its first member.
    """
    if order not in ("time", "given"):
        raise ValueError(f"order must be 'time' or 'given', not {order!r}")
    pad_ms = max(0, int(pad_ms))
    padded = []   # (start, end, position, highlight)
    for position, h in enumerate(highlights):
        start = max(0, h.start_ms - pad_ms)
        end = h.end_ms + pad_ms
        if duration_ms is not None:
            end = min(end, duration_ms)
        if end <= start:
            continue  # the highlight lies beyond the end of the media
        padded.append((start, end, position, h))
    groups = merge_spans(padded, lambda item: (item[0], item[1]))
    if order == "given":
        groups.sort(key=lambda group: min(member[2] for member in group.members))
    cuts = []
    for group in groups:
        in_time = sorted(group.members, key=lambda m: (m[3].start_ms, m[2]))
        cuts.append(Cut(group.start_ms, group.end_ms, _merged_title([chapter_title(m[3]) for m in in_time]),
                        tuple(m[3].id for m in in_time)))
    return cuts


# ----- title cards ---------------------------------------------------------------------

# Advance widths in ems, rounded up from DejaVu Sans (fontconfig's usual "Sans", and one of
# the wider ones): an estimate that errs wide, so that a line never runs out of the frame.
_WIDE_GLYPHS = frozenset("mwMW@%…—½¼¾©®")


def _em_width(char: str) -> float:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F") or char in _WIDE_GLYPHS or ord(char) > 0xFFFF:
        return 1.0
    if char.isupper() or char in "#&":
        return 0.8
    return 0.65


def text_width_em(text: str) -> float:
    """An upper estimate of how wide `text` is drawn, in ems (multiples of the font size)."""
    return sum(_em_width(char) for char in text)


def wrap_to_width(text: str, max_em: float, max_lines: int) -> list[str]:
    """Words on lines of at most `max_em`; a word longer than a line is broken; beyond
    `max_lines` the last line ends with an ellipsis."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width_em(candidate) <= max_em:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:   # the word alone, broken where it must be
            if line and text_width_em(line + char) > max_em:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    if len(lines) <= max_lines:
        return lines
    if max_lines <= 0:
        return []
    kept = lines[:max_lines]
    last = kept[-1]
    while last and text_width_em(last + "…") > max_em:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return kept


@dataclass(frozen=True)
class CardLayout:
    """How a title card's text fits a frame: font size, line spacing, and how many lines of
    how many ems fit inside the margins."""

    font_px: int
    spacing_px: int
    max_em: float
    max_lines: int

    MARGIN = 0.06      # of the width, each side; and of the height, top and bottom
    MOST_LINES = 8

    @classmethod
    def for_frame(cls, width: int, height: int) -> "CardLayout":
        font = max(12, height // 18)
        spacing = max(4, font // 3)
        max_em = width * (1 - 2 * cls.MARGIN) / font
        fit = int((height * (1 - 2 * cls.MARGIN) + spacing) // (font + spacing))
        return cls(font, spacing, max_em, max(2, min(cls.MOST_LINES, fit)))

    def lines(self, title: str, tags: str, times: str) -> list[str]:
        """The title, its tags (two lines at most) and the times, wrapped to fit; the title
        gives way first when there is no room."""
        tag_lines = wrap_to_width(tags, self.max_em, min(2, self.max_lines - 2)) if tags else []
        title_lines = wrap_to_width(one_line(title), self.max_em, self.max_lines - 1 - len(tag_lines))
        return title_lines + tag_lines + wrap_to_width(times, self.max_em, 1)


# ----- probing ---------------------------------------------------------------------------


def ffmpeg_exe() -> str:
    """The ffmpeg to run: $IMAGEIO_FFMPEG_EXE if set (imageio-ffmpeg honours it), else bundled."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class MediaInfo:
    duration_ms: int | None
    has_video: bool
    has_audio: bool
    width: int = 0
    height: int = 0
    fps: float = 25.0
    video_codec: str = ""
    audio_codec: str = ""
    probe_text: str = field(default="", repr=False, compare=False)   # what ffmpeg said


_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_STREAM = re.compile(r"Stream #\d+:\d+.*?: (Video|Audio): (\w+)(.*)")
_SIZE = re.compile(r", (\d{2,5})x(\d{2,5})")
_FPS = re.compile(r", ([\d.]+) (?:fps|tbr)")


def parse_probe(stderr: str) -> MediaInfo:
    """What `ffmpeg -i FILE` says about a file (it has no ffprobe): duration and streams.
    Cover art in an MP3 or M4A ("attached pic") is not a video."""
    duration = None
    match = _DURATION.search(stderr)
    if match:
        hours, minutes, seconds = match.groups()
        duration = round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)
    video = audio = None
    for kind, codec, rest in _STREAM.findall(stderr):
        if kind == "Video" and video is None and "attached pic" not in rest:
            video = (codec, rest)
        elif kind == "Audio" and audio is None:
            audio = codec
    width = height = 0
    fps = 25.0
    if video:
        size = _SIZE.search(video[1])
        if size:
            width, height = int(size.group(1)), int(size.group(2))
        rate = _FPS.search(video[1])
        if rate:
            fps = float(rate.group(1))
    return MediaInfo(duration, video is not None, audio is not None, width, height, fps,
                     video[0] if video else "", audio or "", stderr)


def probe(path: str | Path, ffmpeg: str | None = None) -> MediaInfo:
    path = Path(path)
    if not path.is_file():
        raise ReelError(f"no such media file: {path}")
    exe = ffmpeg or ffmpeg_exe()
    try:
        result = run_child([exe, "-hide_banner", "-nostdin", "-i", str(path.absolute())],
                           capture_output=True, text=True, errors="replace", timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ReelError(f"cannot run ffmpeg ({exe}): {getattr(error, 'strerror', None) or error}") from None
    info = parse_probe(result.stderr)
    if not (info.has_video or info.has_audio):
        tail = "\n".join(result.stderr.strip().splitlines()[-3:])
        raise ReelError(f"{path}: not a video or audio file ffmpeg can read\n{tail}")
    return info


# ----- chapters, captions, sidecar -------------------------------------------------------


def escape_ffmetadata(text: str) -> str:
    """ffmetadata escapes '=', ';', '#', '\\' and newlines with a backslash."""
    return re.sub(r"([=;#\\\n])", r"\\\1", text)


def ffmetadata(chapters: Sequence[tuple[int, int, str]], title: str | None = None) -> str:
    lines = [";FFMETADATA1"]
    if title:
        lines.append(f"title={escape_ffmetadata(title)}")
    for start, end, name in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}",
                  f"title={escape_ffmetadata(name)}"]
    return "\n".join(lines) + "\n"


def retime_transcript(transcript: Transcript, cuts: Sequence[Cut], offsets_ms: Sequence[int]) -> Transcript:
    """The transcript lines heard in the reel, clipped to each cut and moved to reel time;
    offsets_ms[i] is where cut i's media starts in the reel."""
    segments = []
    for cut, offset in zip(cuts, offsets_ms):
        for s in transcript.segments:
            if s.end_ms <= cut.start_ms or s.start_ms >= cut.end_ms:
                continue
            start = max(s.start_ms, cut.start_ms) - cut.start_ms + offset
            end = min(s.end_ms, cut.end_ms) - cut.start_ms + offset
            if end - start >= 1:
                segments.append(Segment(start, end, s.text, s.speaker))
    return Transcript(segments, title=transcript.title)


def escape_filter_value(value: str) -> str:
    """A value inside a filtergraph: escaped for the option parser, then for the graph."""
    value = re.sub(r"([\\':])", r"\\\1", value)
    return re.sub(r"([\\'\[\],;])", r"\\\1", value)


# ----- running ---------------------------------------------------------------------------


@dataclass
class ReelOptions:
    mode: str = "accurate"          # or "fast"
    chapters: bool = True
    captions: bool = False          # burn the retimed transcript into the picture
    title_cards: bool = False       # a short card with the note and tags before each cut
    card_ms: int = 2000
    sidecar: str | None = None      # "srt" or "vtt": the reel's transcript beside it
    crf: int = 20
    preset: str = "veryfast"
    title: str | None = None        # the reel's title tag
    smart_cut: bool = True          # accurate mode re-encodes only the partial GOPs when it can


METHOD_SMART_CUT = "smart cut"        # partial GOPs re-encoded, whole GOPs copied
METHOD_REENCODE = "re-encode"         # every frame re-encoded
METHOD_STREAM_COPY = "stream copy"    # fast mode


@dataclass(frozen=True)
class ReelResult:
    output: Path
    duration_ms: int                  # the reel's real length
    chapters: tuple[tuple[int, int, str], ...]
    sidecar: Path | None = None
    command: tuple[str, ...] = ()
    method: str = METHOD_REENCODE
    fallback_reason: str | None = None   # why accurate mode did not smart-cut (None if it did)
    planned_ms: int = 0               # the cuts' planned total (cards included)


ProgressCallback = Callable[[float, "float | None"], None]


def _progress_ms(line: str) -> int | None:
    key, _, value = line.strip().partition("=")
    if key in ("out_time_us", "out_time_ms") and value.strip().lstrip("-").isdigit():
        return max(0, int(value)) // 1000   # both are microseconds (out_time_ms is misnamed)
    return None


def output_is_audio(output: Path) -> bool:
    return output.suffix.lower() in AUDIO_SUFFIXES


@dataclass
class ReelJob:
    """One reel to make. run() blocks (call it on a worker thread); cancel() from any thread.

    on_progress(fraction 0..1, seconds_left or None) is called from the thread running run(),
    and so is on_notice(line), with a line for a person (why smart cut fell back).
    """

    media_path: Path
    cuts: list[Cut]
    output_path: Path
    options: ReelOptions = field(default_factory=ReelOptions)
    transcript: Transcript | None = None
    on_progress: ProgressCallback | None = None
    on_notice: Callable[[str], None] | None = None
    ffmpeg: str | None = None
    highlights: dict = field(default_factory=dict)   # id -> Highlight, for title cards
    # The learner's files, never written (the media is always among them), e.g. Library.owned_paths().
    protected: Mapping[Path, str] = field(default_factory=dict)
    force: bool = False                               # replace an existing output (and sidecar)

    def __post_init__(self) -> None:
        self.media_path = Path(self.media_path)
        self.output_path = Path(self.output_path)
        self._cancel = threading.Event()
        self._children: list[_Child] = []   # the ffmpeg processes running now
        self._started = 0.0
        self._reported = 0.0
        self.info: MediaInfo | None = None

    # -- control

    def cancel(self) -> None:
        """Stop the work; run() then raises ReelCancelled after removing what it made.
        Safe from a signal handler on the thread running run(): it takes no lock."""
        self._cancel.set()
        for child in list(self._children):
            _terminate(child.process)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- the work

    def run(self) -> ReelResult:
        """Make the reel (and its sidecar). Before any work, the output and the sidecar are
        checked with safe_files.check_output, which raises OutputRefused (OutputIsProtected,
        OutputExists) for one of the learner's files or, without `force`, an existing file.
        Then ReelCancelled after cancel(), ReelError for anything else. Both files are
        written beside their targets and renamed into place only when all went well: a
        failure or a cancel leaves nothing behind and any old file whole."""
        if not self.cuts:
            raise ReelError("nothing to export: no highlights chosen")
        options = self.options
        if options.mode not in ("accurate", "fast"):
            raise ReelError(f"mode must be 'accurate' or 'fast', not {options.mode!r}")
        output, sidecar = self._checked_outputs()
        folder = output.parent
        if not os.access(folder, os.W_OK):
            raise ReelError(f"cannot write {output}: the folder {folder} is not writable")
        ffmpeg = self.ffmpeg or ffmpeg_exe()
        info = self.info = probe(self.media_path, ffmpeg)
        audio_out = output_is_audio(output)
        if not audio_out and output.suffix.lower() not in VIDEO_SUFFIXES:
            raise ReelError(f"cannot write {output.name}: use .mp4 (video), .m4a or .mp3 (audio)")
        if not info.has_video and not audio_out:
            raise ReelError(f"{self.media_path.name} has no picture: write the reel as .m4a or .mp3")
        if audio_out and not info.has_audio:
            raise ReelError(f"{self.media_path.name} has no sound to write to {output.name}")
        video = info.has_video and not audio_out
        if options.mode == "fast" and (options.captions or options.title_cards):
            raise ReelError("captions and title cards need accurate mode (they re-encode the picture)")
        if options.mode == "fast" and audio_out and not _copyable_audio(info.audio_codec, output):
            raise ReelError(f"fast mode copies the sound as it is ({info.audio_codec}), which "
                            f"{output.suffix} cannot hold: use accurate mode or another extension")

        tmp_dir = Path(tempfile.mkdtemp(prefix="reel-"))
        self._started = time.monotonic()
        try:
            with ExitStack() as landing:
                # Leaving this block renames the sidecar, then the reel, into place; an
                # exception inside it removes both temporary files instead.
                part = landing.enter_context(atomic_output(output))
                sidecar_part = landing.enter_context(atomic_output(sidecar)) if sidecar else None
                method, reason, offsets = METHOD_REENCODE, None, None
                if options.mode == "fast":
                    chapters, command = self._fast(ffmpeg, info, video, part, tmp_dir)
                    method = METHOD_STREAM_COPY
                else:
                    reason = self._smart_cut_refusal(video, info)
                    if reason is None:
                        try:
                            chapters, offsets, command = self._smart(ffmpeg, info, part, tmp_dir)
                            method = METHOD_SMART_CUT
                        except (smartcut.Unsupported, ReelError) as error:
                            if isinstance(error, ReelCancelled) or str(error).startswith("no space left"):
                                raise
                            reason = _first_line(error)
                    if method != METHOD_SMART_CUT:
                        if reason and video and options.smart_cut:
                            self._notice(f"smart cut not possible ({reason}): re-encoding the whole reel")
                        chapters, command = self._accurate(ffmpeg, info, video, part, tmp_dir)
                if sidecar_part is not None:
                    self._write_sidecar(chapters, sidecar_part, offsets)
                self._check_cancel()
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise ReelError(_no_space(Path(error.filename).parent if error.filename else folder)) from None
            raise
        finally:
            shutil.rmtree(tmp_dir, ignore_errors=True)
        self._report(1.0)
        planned = sum(cut.duration_ms for cut in self.cuts) + self._card_ms(video) * len(self.cuts)
        return ReelResult(output, chapters[-1][1] if chapters else 0, tuple(chapters), sidecar, tuple(command),
                          method, reason if video and options.mode == "accurate" else None, planned)

    def _notice(self, line: str) -> None:
        if self.on_notice is not None:
            self.on_notice(line)

    def _checked_outputs(self) -> tuple[Path, Path | None]:
        """The reel's path and its sidecar's (None without one), through check_output."""
        protected = {self.media_path: "the lecture's media", **self.protected}
        output = check_output(self.output_path, protected=protected, force=self.force)
        sidecar = None
        if self.options.sidecar and self.transcript is not None:
            sidecar = check_output(output.with_suffix("." + self.options.sidecar), protected=protected,
                                   force=self.force)
        return output, sidecar

    # -- accurate: one process, concat filter

    def _card_ms(self, video: bool) -> int:
        return self.options.card_ms if self.options.title_cards and video else 0

    def _layout(self, video: bool) -> tuple[list[tuple[int, int, str]], list[int]]:
        """Chapters (start, end, title) in reel time, and where each cut's media starts."""
        chapters, offsets, t = [], [], 0
        card = self._card_ms(video)
        for cut in self.cuts:
            offsets.append(t + card)
            chapters.append((t, t + card + cut.duration_ms, cut.title))
            t += card + cut.duration_ms
        return chapters, offsets

    def build_accurate_command(self, ffmpeg: str, info: MediaInfo, video: bool, part: Path,
                               tmp_dir: Path, output_format: str | None = None) -> list[str]:
        options = self.options
        chapters, offsets = self._layout(video)
        media = str(self.media_path.absolute())
        args = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-nostats", "-stats_period", "0.25", "-progress", "pipe:1"]
        card = self._card_ms(video)
        streams: list[str] = []
        index = 0
        graph: list[str] = []
        audio = info.has_audio
        for number, cut in enumerate(self.cuts):
            if card:
                text_file = tmp_dir / f"card{number}.txt"
                _write_text(text_file, "\n".join(self._card_lines(cut, info)))
                size = f"{info.width}x{info.height}"
                layout = CardLayout.for_frame(info.width, info.height)
                args += ["-f", "lavfi", "-t", f"{card / 1000:.3f}", "-i",
                         f"color=c=0x202020:s={size}:r={info.fps:g}"]
                # expansion=none: the note is drawn as written, never read as %{...} or \ escapes.
                graph.append(f"[{index}:v]drawtext=expansion=none:"
                             f"textfile={escape_filter_value(str(text_file))}:"
                             f"fontcolor=white:fontsize={layout.font_px}:line_spacing={layout.spacing_px}:"
                             f"x=(w-tw)/2:y=(h-th)/2,setsar=1,format=yuv420p[card{number}v]")
                streams.append(f"[card{number}v]")
                index += 1
                if audio:
                    args += ["-f", "lavfi", "-t", f"{card / 1000:.3f}", "-i",
                             "anullsrc=r=48000:cl=stereo"]
                    streams.append(f"[{index}:a]")
                    index += 1
            args += ["-ss", f"{cut.start_ms / 1000:.3f}", "-t", f"{cut.duration_ms / 1000:.3f}", "-i", media]
            if video:
                graph.append(f"[{index}:v:0]setsar=1,format=yuv420p[cut{number}v]")
                streams.append(f"[cut{number}v]")
            if audio:
                streams.append(f"[{index}:a:0]")
            index += 1
        segments = len(self.cuts) * (2 if card else 1)
        v, a = int(video), int(audio)
        graph.append("".join(streams) + f"concat=n={segments}:v={v}:a={a}"
                     + ("[v]" if video else "") + ("[a]" if audio else ""))
        if video and options.captions and self.transcript is not None:
            # ASS written here, drawn by libass as written (see to_ass), rather than SRT that
            # ffmpeg converts to ASS, where "{\an8}" or "\N" in the words become tags.
            captions = tmp_dir / "captions.ass"
            retimed = retime_transcript(self.transcript, self.cuts, offsets)
            _write_text(captions, to_ass(retimed, info.width, info.height))
            graph.append(f"[v]ass=filename={escape_filter_value(str(captions))}[vc]")
            video_label = "[vc]"
        else:
            video_label = "[v]"
        meta_input, meta_maps = self._metadata_args(chapters, tmp_dir, index)
        args += meta_input + ["-filter_complex", ";".join(graph)]
        if video:
            args += ["-map", video_label]
        if audio:
            args += ["-map", "[a]"]
        args += meta_maps
        if video:
            args += ["-c:v", "libx264", "-preset", options.preset, "-crf", str(options.crf),
                     "-pix_fmt", "yuv420p"]
        suffix = self.output_path.suffix.lower()
        if audio:
            args += ["-c:a", "libmp3lame", "-q:a", "2"] if suffix == ".mp3" else ["-c:a", "aac", "-b:a", "160k"]
        return args + self._output_args(part, output_format)

    def _metadata_args(self, chapters, tmp_dir: Path, index: int) -> tuple[list[str], list[str]]:
        """The chapters file as input number `index`, and the output options that use it."""
        if not self.options.chapters:
            return [], ["-map_chapters", "-1"]
        meta = tmp_dir / "chapters.txt"
        _write_text(meta, ffmetadata(chapters, self.options.title))
        return (["-f", "ffmetadata", "-i", str(meta)],
                ["-map_metadata", str(index), "-map_chapters", str(index)])

    def _output_args(self, part: Path, output_format: str | None) -> list[str]:
        suffix = self.output_path.suffix.lower()
        fmt = output_format or VIDEO_SUFFIXES.get(suffix) or AUDIO_SUFFIXES[suffix]
        args = []
        if fmt in ("mp4", "mov", "ipod"):
            args += ["-movflags", "+faststart"]
        if fmt == "mp3":
            args += ["-id3v2_version", "3", "-write_id3v1", "1"]
        return args + ["-f", fmt, str(part)]

    def _card_lines(self, cut: Cut, info: MediaInfo) -> list[str]:
        tags: list[str] = []
        for highlight_id in cut.highlight_ids:
            highlight = self.highlights.get(highlight_id)
            for tag in getattr(highlight, "tags", ()) or ():
                if tag not in tags:
                    tags.append(tag)
        layout = CardLayout.for_frame(info.width, info.height)
        return layout.lines(cut.title, "  ".join(f"#{one_line(t)}" for t in tags),
                            f"{format_clock(cut.start_ms)} - {format_clock(cut.end_ms)}")

    def _accurate(self, ffmpeg, info, video, part, tmp_dir):
        args = self.build_accurate_command(ffmpeg, info, video, part, tmp_dir)
        chapters, _ = self._layout(video)
        total = chapters[-1][1]
        # After a smart cut that gave up, the bar goes on from where it was.
        self._run(args, part, total, (self._reported, 1.0))
        return chapters, args

    # -- accurate by smart cut: re-encode the partial GOPs only (see smartcut.py)

    def _smart_cut_refusal(self, video: bool, info: MediaInfo) -> str | None:
        """Why this reel cannot be smart-cut before looking at its packets, or None."""
        if not video:
            return "no picture in the reel"
        if not self.options.smart_cut:
            return "smart cut turned off"
        if self.options.title_cards:
            return "title cards requested (they are drawn into the picture)"
        if self.options.captions:
            return "burned captions requested (they are drawn into the picture)"
        if info.video_codec not in smartcut.SUPPORTED_CODECS:
            return f"the video is {info.video_codec or 'of an unknown codec'}; smart cut matches H.264 and HEVC"
        return None

    def _parameter_sets(self, ffmpeg: str, path: Path) -> dict[str, dict[str, int]]:
        """The first SPS/PPS of the file's video, read by ffmpeg's trace_headers."""
        self._check_cancel()
        try:
            result = run_child([ffmpeg, "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-c", "copy",
                                "-bsf:v", "trace_headers", "-frames:v", "1", "-f", "null", "-"],
                               capture_output=True, text=True, errors="replace", timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ReelError(f"cannot run ffmpeg ({ffmpeg}): {getattr(error, 'strerror', None) or error}") from None
        return smartcut.parse_parameter_sets(result.stderr)

    def _smart(self, ffmpeg: str, info: MediaInfo, part: Path, tmp_dir: Path):
        """The reel by smart cut, verified; smartcut.Unsupported or ReelError if it cannot be."""
        work = tmp_dir / "smart"
        work.mkdir()
        media = str(self.media_path.absolute())
        cut_times = [(cut.start_ms, cut.end_ms) for cut in self.cuts]
        audio = work / "audio.m4a" if info.has_audio else None
        codec = (["-c:a", "libmp3lame", "-q:a", "2"] if self.output_path.suffix.lower() == ".mp3" else
                 ["-c:a", "aac", "-b:a", f"{smartcut.audio_bitrate(info.probe_text)}k"])
        # The sound needs only the frame grid: it starts on the grid ffmpeg's probe suggests
        # while the packets are read (a core is idle then), and is kept if they confirm it.
        early, early_spans = None, None
        grid = smartcut.nominal_grid(info.probe_text, info.duration_ms) if audio is not None else None
        if grid is not None:
            early_spans = grid.spans(smartcut.cut_frames(grid, cut_times))
            early = self._spawn(smartcut.audio_command(ffmpeg, media, early_spans, audio, codec, progress=False))
        try:
            # 1. The source's packets (a demux, no decoding) and parameter sets.
            listing = work / "source.framecrc"
            self._run([*self._ffmpeg_head(ffmpeg), *smartcut.source_scan_args(media, str(listing))],
                      listing, info.duration_ms or 1, (0.0, 0.1))
            source = smartcut.analyse_source(smartcut.parse_framehash(_read_text(listing)), info.video_codec)
            source.parameters = self._parameter_sets(ffmpeg, self.media_path.absolute())
            smartcut.check_stream(source, info.probe_text)
            frames = smartcut.cut_frames(source.grid, cut_times)
            plan = smartcut.plan_parts(source, frames)
            smartcut.check_copies(source, plan)
            if smartcut.display_rotation(info.probe_text) is not None and not plan.copied():
                raise smartcut.Unsupported("the video has a display matrix and no copied frame to check it on")
            reel_ms = int(plan.frames * source.frame_seconds * 1000)
            # 2. Copy the whole GOPs, re-encode the rest (several processes: the concat filter
            # decodes one input at a time), cut and encode the sound: all at once, in waves of
            # as many re-encoding processes as cores when a reel has very many cuts.
            groups = smartcut.encode_groups(source, plan, ENCODERS)
            waves: list[list[tuple[int, list[str]]]] = []
            for group, share in enumerate(groups):
                if group % ENCODERS == 0:
                    waves.append([])
                share_ms = int(sum(plan.encoded()[n].frames for n in share) * source.frame_seconds * 1000)
                # One thread each for the decoders and the encoder: the processes share the cores.
                waves[-1].append((share_ms, smartcut.encode_command(ffmpeg, media, source, plan, share, group,
                                                                    self.options.crf, work, progress=not waves[-1],
                                                                    threads=1 if len(groups) > 1 else 0)))
            if not waves:
                waves.append([])
            if early is not None and source.spans(frames) != early_spans:
                self._abandon(early)   # the packets tell another grid: cut the sound again
                early = None
            if audio is not None and early is None:
                waves[0].append((reel_ms, smartcut.audio_command(ffmpeg, media, source.spans(frames), audio, codec,
                                                                 progress=not waves[0])))
            copied = list(range(len(plan.copied())))
            for number, start in enumerate(range(0, len(copied), smartcut.MOST_INPUTS)):
                batch = copied[start:start + smartcut.MOST_INPUTS]
                wave = waves[min(number, len(waves) - 1)]
                batch_ms = int(sum(plan.copied()[n].frames for n in batch) * source.frame_seconds * 1000)
                wave.append((batch_ms, smartcut.copy_command(ffmpeg, media, source, plan, batch, work,
                                                             progress=not wave)))
            total = sum(length for wave in waves for length, _ in wave) or 1
            done = 0
            for wave in waves:
                if not wave:
                    continue
                (length, main), *alongside = wave
                weight = sum(each for each, _ in wave)
                low, high = 0.1 + 0.75 * done / total, 0.1 + 0.75 * (done + weight) / total
                self._run(main, work, length, (low, high), [command for _, command in alongside])
                done += weight
            if early is not None:
                self._wait(early, work)
            if plan.encoded():
                smartcut.compare_parameters(source, self._parameter_sets(ffmpeg, smartcut.encoded_file(work, 0, 0)))
        finally:
            if early is not None:
                self._abandon(early)
        # 3. Join the parts at their exact lengths; mux picture, sound and chapters.
        files = smartcut.part_files(plan, groups, work)
        parts_list = work / "parts.ffconcat"
        _write_text(parts_list, smartcut.concat_list(source, plan, files))
        chapters, offsets, position = [], [], Fraction(0)
        for cut, (first, end) in zip(self.cuts, frames):
            start_ms = round(position * 1000)
            position += (end - first) * source.frame_seconds
            chapters.append((start_ms, round(position * 1000), cut.title))
            offsets.append(start_ms)
        args = self._ffmpeg_head(ffmpeg)
        rotation = smartcut.display_rotation(info.probe_text)
        if rotation is not None:
            args += ["-display_rotation:v:0", f"{rotation:g}"]   # the source's, on the joined parts
        args += ["-f", "concat", "-safe", "0", "-i", str(parts_list)]
        inputs = 1
        if audio is not None:
            args += ["-i", str(audio)]
            inputs += 1
        meta_input, meta_maps = self._metadata_args(chapters, tmp_dir, inputs)
        args += meta_input + ["-map", "0:v:0"] + (["-map", "1:a:0"] if audio is not None else []) + meta_maps
        args += ["-c", "copy", "-bsf:v", smartcut.retime_filter(source)]
        fmt = VIDEO_SUFFIXES[self.output_path.suffix.lower()]
        if fmt in ("mp4", "mov") and source.time_base.numerator == 1:
            args += ["-video_track_timescale", str(source.time_base.denominator)]   # the source's time base
        args += self._output_args(part, None)
        self._run(args, part, reel_ms, (0.85, 0.93))
        # 4. Check the reel before it lands.
        scan, idr = work / "reel.framemd5", work / "reel-idr.framecrc"
        self._run([*self._ffmpeg_head(ffmpeg), *smartcut.reel_scan_args(info.video_codec, str(part), str(scan),
                                                                         str(idr))], scan, reel_ms, (0.93, 0.99))
        if rotation is not None:
            self._check_orientation(ffmpeg, source, plan, part)
        copied = [smartcut.parse_framehash(_read_text(work / f"copied{n:04d}.md5")) for n in range(len(plan.copied()))]
        smartcut.verify_reel(source, plan, smartcut.parse_framehash(_read_text(scan)), copied, audio is not None,
                             smartcut.parse_framehash(_read_text(idr)), sum(cut.duration_ms for cut in self.cuts))
        return chapters, offsets, args

    def _check_orientation(self, ffmpeg: str, source: "smartcut.SourceVideo", plan: "smartcut.Plan",
                           reel: Path) -> None:
        """A copied frame, decoded and turned by its display matrix, is the same in the reel
        and in the source (the matrix is read back only as a rotation: a mirror would not be)."""
        position = 0
        for piece in plan.parts:
            if piece.kind == "copy":
                break
            position += piece.frames
        half = source.frame_seconds / 2
        hashes = []
        for path, at in ((self.media_path.absolute(), source.seconds(piece.first)), (reel, position * 2 * half)):
            self._check_cancel()
            result = run_child([ffmpeg, "-v", "error", "-nostdin", "-ss", smartcut.seconds_text(max(0, at - half)),
                                "-i", str(path), "-map", "0:v:0", "-frames:v", "1", "-f", "framemd5", "-"],
                               capture_output=True, text=True, errors="replace", timeout=60)
            hashes.append([line.split(",")[-1].strip() for line in result.stdout.splitlines()
                           if line and not line.startswith("#")])
        if not hashes[0] or hashes[0] != hashes[1]:
            raise smartcut.Unsupported("verification failed: the reel's picture is not turned as the source's "
                                       "(a mirrored video?)")

    @staticmethod
    def _ffmpeg_head(ffmpeg: str) -> list[str]:
        return [ffmpeg, "-hide_banner", "-nostdin", "-y", "-nostats", "-stats_period", "0.25", "-progress", "pipe:1"]

    # -- fast: stream copy per cut, then the concat demuxer

    def _fast(self, ffmpeg, info, video, part, tmp_dir):
        """Every cut copied by one ffmpeg (one input per cut, one segment and one packet list
        per input; one ffmpeg per MOST_INPUTS cuts), joined by the concat demuxer at the
        lengths the packet lists give, so that the result and the chapters state the reel's
        real length: each cut starts at the keyframe at or before its start, up to one
        keyframe interval early."""
        media = str(self.media_path.absolute())
        audio = info.has_audio
        # MPEG-TS keeps the picture's timestamps exact (90 kHz); Matroska (1 ms) holds any sound.
        fmt = "mpegts" if video and info.audio_codec in ("", "aac", "mp3") else "matroska"
        total_in = sum(cut.duration_ms for cut in self.cuts)
        segments, listings, done = [], [], 0
        # One ffmpeg per MOST_INPUTS cuts (each input holds the source's index).
        for batch_start in range(0, len(self.cuts), smartcut.MOST_INPUTS):
            batch = self.cuts[batch_start:batch_start + smartcut.MOST_INPUTS]
            args, outputs = self._ffmpeg_head(ffmpeg), []
            for index, cut in enumerate(batch):
                number = batch_start + index
                segment = tmp_dir / f"segment{number:04d}.{'ts' if fmt == 'mpegts' else 'mkv'}"
                listing = tmp_dir / f"segment{number:04d}.framecrc"
                args += ["-ss", f"{cut.start_ms / 1000:.3f}", "-t", f"{cut.duration_ms / 1000:.3f}", "-i", media]
                maps = (["-map", f"{index}:v:0"] if video else []) + (["-map", f"{index}:a:0"] if audio else [])
                common = [*maps, "-c", "copy", "-avoid_negative_ts", "make_zero", "-map_chapters", "-1"]
                outputs += [*common, "-f", fmt, str(segment), *common, "-f", "framecrc", str(listing)]
                segments.append(segment)
                listings.append(listing)
            length = sum(cut.duration_ms for cut in batch)
            self._run(args + outputs, tmp_dir, length,
                      (0.6 * done / total_in, 0.6 * (done + length) / total_in))
            done += length
        durations = [_segment_seconds(smartcut.parse_framehash(_read_text(listing))) for listing in listings]
        script, position = ["ffconcat version 1.0"], Fraction(0)
        chapters = []
        for segment, cut, length in zip(segments, self.cuts, durations):
            start_us = round(position * 1_000_000)
            position += length
            quoted = str(segment).replace("'", "'\\''")
            script += [f"file '{quoted}'", f"duration {round(position * 1_000_000) - start_us}us"]
            chapters.append((round(start_us / 1000), round(position * 1000), cut.title))
        concat = tmp_dir / "segments.ffconcat"
        _write_text(concat, "\n".join(script) + "\n")
        args = [*self._ffmpeg_head(ffmpeg), "-f", "concat", "-safe", "0", "-i", str(concat)]
        if self.options.chapters:
            meta = tmp_dir / "chapters.txt"
            _write_text(meta, ffmetadata(chapters, self.options.title))
            args += ["-f", "ffmetadata", "-i", str(meta), "-map_metadata", "1", "-map_chapters", "1"]
        else:
            args += ["-map_chapters", "-1"]
        args += ["-map", "0", "-c", "copy", *self._output_args(part, None)]
        self._run(args, part, round(position * 1000), (0.6, 1.0))
        return chapters, args

    # -- one ffmpeg process with progress and cancel

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise ReelCancelled("cancelled: no file was written")

    def _report(self, fraction: float) -> None:
        fraction = min(1.0, max(self._reported, fraction))   # never backwards
        self._reported = fraction
        if self.on_progress is None:
            return
        elapsed = time.monotonic() - self._started
        left = elapsed * (1 - fraction) / fraction if fraction >= 0.01 else None
        self.on_progress(fraction, left)

    def _run(self, args: list[str], writing: Path, length_ms: int, span: tuple[float, float],
             alongside: Sequence[list[str]] = ()) -> None:
        """Run ffmpeg writing the file `writing`, which will be `length_ms` long; its progress
        moves the bar across `span` (fractions of the whole job). The commands `alongside`
        run at the same time (they use the other core) and must succeed too."""
        children = []
        try:
            for command in alongside:
                children.append(self._spawn(command))
            main = self._spawn(args, progress=True)
            children.insert(0, main)
            length_ms = max(1, length_ms)
            low, high = span
            for line in main.process.stdout:
                ms = _progress_ms(line)
                if ms is not None:
                    self._report(low + (high - low) * min(ms, length_ms) / length_ms)
            for child in children:
                self._wait(child, writing)
        finally:
            for child in children:
                self._abandon(child)   # a callback that raised, Ctrl-C, a failure: none goes on

    def _spawn(self, args: list[str], progress: bool = False) -> "_Child":
        """Start ffmpeg (its stderr kept for a failure's message); cancel() ends it."""
        self._check_cancel()
        try:
            process = popen_child(args, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE if progress else subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, errors="replace", bufsize=1)
        except OSError as error:
            raise ReelError(f"cannot run ffmpeg ({args[0]}): {error.strerror}") from None
        child = _Child(process, deque(maxlen=20))
        self._children.append(child)
        # cancel() sets the flag before it looks at the children: one of the two sees the other.
        if self._cancel.is_set():
            _terminate(process)

        def drain() -> None:
            for line in process.stderr:
                if line.strip():
                    child.stderr_tail.append(line.rstrip())

        child.reader = threading.Thread(target=drain, daemon=True)
        child.reader.start()
        return child

    def _wait(self, child: "_Child", writing: Path) -> None:
        """Wait for a child to end; ReelCancelled after cancel(), ReelError if it failed."""
        code = child.process.wait()
        child.reader.join(timeout=5)
        if child in self._children:
            self._children.remove(child)
        self._check_cancel()
        if code != 0:
            tail = child.stderr_tail
            said = "\n".join(tail) or f"exit status {code}"
            if any("No space left on device" in line for line in tail):
                # The reason first, ffmpeg's words after it for whoever wants them.
                raise ReelError(f"{_no_space(writing.parent)}\nffmpeg said:\n{said}")
            raise ReelError(f"ffmpeg failed (exit status {code}):\n{said}")

    def _abandon(self, child: "_Child") -> None:
        """End a child that is no longer wanted (nothing if it has ended) and reap it."""
        if child.process.poll() is None:
            child.process.kill()
        child.process.wait()
        if child.reader is not None:
            child.reader.join(timeout=5)
        if child in self._children:
            self._children.remove(child)

    def _write_sidecar(self, chapters, part: Path, offsets: list[int] | None = None) -> None:
        # A chapter is its card (or, in fast mode, the lead-in from the keyframe) then the cut.
        if offsets is None:
            offsets = [max(start, end - cut.duration_ms) for (start, end, _), cut in zip(chapters, self.cuts)]
        retimed = retime_transcript(self.transcript, self.cuts, offsets)
        _write_text(part, to_vtt(retimed) if self.options.sidecar == "vtt" else to_srt(retimed))


@dataclass(eq=False)
class _Child:
    """An ffmpeg process of a reel, and the last lines it wrote to stderr."""

    process: subprocess.Popen
    stderr_tail: deque
    reader: threading.Thread | None = None


def _no_space(folder: Path) -> str:
    return f"no space left on device: {folder} is full (free some space there or choose another folder)"


def _write_text(path: Path, text: str) -> None:
    """Write a file of ours (chapters, captions, the sidecar); a full disk is named as such."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise ReelError(_no_space(path.parent)) from None
        raise


def _segment_seconds(packets: "smartcut.PacketList") -> Fraction:
    """How long a copied segment plays: from its first packet shown to the end of its
    last, over all its streams."""
    starts, ends = [], []
    for stream, base in packets.time_base.items():
        mine = [p for p in packets.packets if p.stream == stream and p.pts != smartcut.NOPTS]
        if mine:
            starts.append(min(p.pts for p in mine) * base)
            ends.append(max(p.pts + p.duration for p in mine) * base)
    return max(ends) - min(starts) if starts else Fraction(0)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ReelError(f"cannot read {path}: {error.strerror}") from None


def _first_line(error: Exception) -> str:
    """One line for a person: the message's first line, and ffmpeg's last when it has one."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    return lines[0] if len(lines) == 1 else f"{lines[0].rstrip(':')}: {lines[-1]}"


def _terminate(process: subprocess.Popen) -> None:
    try:
        process.terminate()
    except OSError:
        pass   # it has just ended


def _copyable_audio(codec: str, output: Path) -> bool:
    suffix = output.suffix.lower()
    if suffix == ".mp3":
        return codec == "mp3"
    return codec in ("aac", "alac", "mp3")

"""Smart cut: frame-exact reels that re-encode only the frames that must be.

A cut rarely starts or ends on a keyframe. Its *head*, from its first frame to the first
keyframe in it, needs new pictures (they refer to pictures before the cut); from that
keyframe on the source's packets are copied as they are: the whole GOPs, and on into the
last GOP as far as its packets, in decode order, show exactly the frames before the cut's
end (`SourceVideo.decodable_end`: a picture only refers to pictures decoded before it, so
such a prefix decodes as shown). What is left, the *tail*, is at most the few B-frames of a
P-frame (nothing without B-frames), and is re-encoded too. The steps (reel.py runs them):

1. `source_scan_args`: one `ffmpeg -f framecrc` pass over the video packets (a demux, no
   decoding) lists every packet's dts, pts and keyframe flag. `analyse_source` gets the
   frame grid (a variable frame rate is refused), the reorder depth (the dts delay) and
   the keyframes a copy may start at: closed GOPs, no picture after one in decode order
   shown before it (an open GOP is refused). trace_headers reads the SPS/PPS, and
   `check_stream` refuses what cannot be matched (another codec, interlacing, a profile or
   reorder depth x264/x265 cannot make).
2. `cut_frames` puts each cut on the frame grid, rounding on the running total so that the
   reel is within half a frame of the planned length; `plan_parts` splits each cut into
   head, copy and tail parts.
3. Re-encoding (`encode_command`, two processes sharing the parts: the concat filter decodes
   its inputs one after another, so one process keeps one core busy): the parts decoded from
   the keyframe before them, trimmed to their frames, joined into one stream with an IDR
   forced at each part's first frame, encoded with the source's profile, level, pixel
   format, size, SAR, colour tags (they come with the decoded frames), 8x8 transform and
   reorder depth, and split by the segment muxer into one MPEG-TS per part (parameter sets
   in-band at every IDR). Copying (`copy_command`): each copied range to MPEG-TS
   (h264_mp4toannexb: parameter sets in-band at every keyframe), with the md5 of the packets
   it took. The sound (`audio_command`): each cut trimmed to its span of the picture, joined
   and encoded once, so no join clicks; it starts on the grid ffmpeg's probe suggests while
   the packets are still being read, and is kept if they confirm it.
4. The concat demuxer joins the parts, each at its exact length (`concat_list`), and one
   stream copy muxes picture, sound and chapters; `retime_filter` gives the joined parts
   one decode timeline and the source's time base.
5. `verify_reel` reads the reel back (`reel_scan_args`): frame count, one frame per frame
   duration and one packet decoded per frame (none missing or repeated), the copies' packets
   the source's (timestamps and md5), every part starting on an IDR picture, the sound as
   long as the picture, the whole within a frame of the plan; `compare_parameters` checks
   the new pictures' SPS against the source's.

Anything this cannot match raises `Unsupported` (the reel then falls back to a full
re-encode and says why); nothing here writes the reel itself, which reel.py lands with
atomic_output.

The re-encoded parts are short (the heads average half a keyframe interval, the tails a
few frames), so they use x264's `ultrafast` preset at the reel's CRF, with deblocking
on and CAVLC. CRF aims at a quality and the preset trades encoding time for bits, so at
the same CRF the quality is at least the full re-encode's `veryfast` (on 20 s of the
bench's lecture: PSNR 58.8 dB against 49.2 dB) in less than half the encoding time
(1.25 s against 2.68 s); the price is size (3.5 MB against 1.2 MB), paid only on those
few seconds.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Sequence

SLIVER_PRESET = "ultrafast"
SUPPORTED_CODECS = ("h264", "hevc")
# The NAL units a join adds or changes, left out when copied packets are compared with the
# source's: parameter sets and access unit delimiters; for HEVC also prefix SEI, which
# hevc_mp4toannexb copies from the hvcC box (x265 keeps its settings there) to each keyframe.
_JOIN_NALS = {"h264": "7|8|9", "hevc": "32|33|34|35|39"}
_H264_PROFILES = {66: "baseline", 77: "main", 100: "high", 110: "high10", 122: "high422", 244: "high444"}
_HEVC_PROFILES = {1: "main", 2: "main10"}
NOPTS = -0x8000000000000000


class Unsupported(Exception):
    """Smart cut cannot make this reel exactly; str() says why, in a few words."""


# ----- reading ffmpeg's packet lists -----------------------------------------------------


@dataclass(frozen=True)
class Packet:
    stream: int
    dts: int
    pts: int
    duration: int
    size: int
    hash: str
    key: bool


@dataclass
class PacketList:
    packets: list[Packet]
    time_base: dict[int, Fraction]


_TB = re.compile(r"#tb (\d+): (\d+)/(\d+)")


def parse_framehash(text: str) -> PacketList:
    """framecrc / framemd5 output: '#tb' lines, then one line per packet
    'stream, dts, pts, duration, size, hash[, F=0xN]' (F= only when not a plain keyframe)."""
    packets, bases = [], {}
    for line in text.splitlines():
        if line.startswith("#"):
            match = _TB.match(line)
            if match:
                bases[int(match.group(1))] = Fraction(int(match.group(2)), int(match.group(3)))
            continue
        fields = line.split(",")
        if len(fields) < 6:
            continue
        key = len(fields) == 6 or not fields[6].strip().startswith("F=") or bool(int(fields[6].strip()[2:], 16) & 1)
        packets.append(Packet(int(fields[0]), int(fields[1]), int(fields[2]), int(fields[3]), int(fields[4]),
                              fields[5].strip(), key))
    return PacketList(packets, bases)


_TRACE = re.compile(r"^\[trace_headers @ [^\]]*\]\s+\d+\s+(\w+(?:\[\d+\])*)\s+[01]+\s+=\s+(-?\d+)\s*$")


def parse_parameter_sets(trace: str) -> dict[str, dict[str, int]]:
    """trace_headers' log: the first SPS and PPS (and VPS) fields, by name."""
    sets: dict[str, dict[str, int]] = {}
    current = None
    for line in trace.splitlines():
        if "trace_headers" not in line:
            continue
        text = line.split("]", 1)[-1].strip()
        if text.endswith("Parameter Set"):
            kind = "".join(word[0] for word in text.split())   # "SPS", "PPS", "VPS"
            current = None if kind in sets else sets.setdefault(kind, {})
            continue
        if text.startswith("Packet:") or not text[:1].isdigit():
            current = None
            continue
        match = _TRACE.match(line.strip())
        if match and current is not None:
            current.setdefault(match.group(1), int(match.group(2)))
    return sets


# ----- the source ------------------------------------------------------------------------


@dataclass
class SourceVideo:
    """The source's video stream as smart cut sees it: frames on a grid, and where it may cut."""

    codec: str
    time_base: Fraction
    frame_ticks: Fraction                 # one frame, in time_base units
    frame_pts: list[int]                  # display order
    decode_pts: list[int]                 # decode order
    decode_index: dict[int, int]          # pts -> position in decode order
    frame_index: dict[int, int]           # pts -> frame number
    reorder: int                          # dts delay, in frames
    clean_keys: list[int]                 # frame numbers a copy may start at (closed GOPs)
    sync_keys: list[int]                  # frame numbers a decoder may start at
    parameters: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        return len(self.frame_pts)

    @property
    def frame_seconds(self) -> Fraction:
        return self.frame_ticks * self.time_base

    def seconds(self, frame: int) -> Fraction:
        """When frame number `frame` is shown (frames past the end continue the grid)."""
        if frame < self.frames:
            return self.frame_pts[frame] * self.time_base
        return (self.frame_pts[-1] + (frame - self.frames + 1) * self.frame_ticks) * self.time_base

    def decodable_end(self, key: int, end: int) -> int:
        """The furthest frame `stop` <= `end` such that the packets from keyframe `key` on, in
        decode order, show exactly the frames [key, stop): a GOP cut short there decodes as
        shown (a picture only refers to pictures decoded before it). Without reordering that
        is `end`; with B-frames, the last P-frame before `end` whose B-frames are in."""
        start = self.decode_index[self.frame_pts[key]]
        stop, highest = key, -1
        for count, pts in enumerate(self.decode_pts[start:start + max(0, end - key)], 1):
            highest = max(highest, self.frame_index[pts])
            if highest == key + count - 1:
                stop = key + count
        return stop

    @property
    def grid(self) -> "Grid":
        return Grid(self.frame_pts[0] * self.time_base, self.frame_seconds, self.frames)

    def spans(self, frames: Sequence[tuple[int, int]]) -> list[tuple[Fraction, Fraction]]:
        """Each cut's [start, stop) in seconds, from the times of its first frame and of the
        frame after its last."""
        return [(self.seconds(first), self.seconds(end)) for first, end in frames if end > first]


@dataclass(frozen=True)
class Grid:
    """Frame times: frame n is shown at origin + n * frame seconds."""

    origin: Fraction
    frame: Fraction
    frames: int

    def frame_at(self, ms: float) -> int:
        """The frame shown nearest to `ms` (for a cut boundary)."""
        return max(0, min(self.frames, round((Fraction(ms) / 1000 - self.origin) / self.frame)))

    def spans(self, frames: Sequence[tuple[int, int]]) -> list[tuple[Fraction, Fraction]]:
        return [(self.origin + first * self.frame, self.origin + end * self.frame)
                for first, end in frames if end > first]


_NTSC = {"23.98": 24, "23.976": 24, "29.97": 30, "47.95": 48, "59.94": 60, "119.88": 120}
_RATE = re.compile(r"Video: .*?, (\d+(?:\.\d+)?) fps")
_START = re.compile(r"Duration: .*?, start: (-?\d+\.\d+)")


def nominal_grid(probe_text: str, duration_ms: int | None) -> Grid | None:
    """The frame grid `ffmpeg -i` suggests (its frame rate, a start at 0), before any packet
    is read; None when it suggests none. Only a guess: the packets decide."""
    rate, start = _RATE.search(probe_text), _START.search(probe_text)
    if not rate or not start or float(start.group(1)) != 0 or not duration_ms:
        return None
    text = rate.group(1)
    fps = Fraction(_NTSC[text] * 1000, 1001) if text in _NTSC else Fraction(text).limit_denominator(1000)
    if fps <= 0:
        return None
    return Grid(Fraction(0), 1 / fps, int(duration_ms * fps / 1000))


def describe_frame_rate(frame_seconds: Fraction) -> str:
    rate = 1 / frame_seconds
    return f"{float(rate):.3f}".rstrip("0").rstrip(".") + " fps"


def analyse_source(packets: PacketList, codec: str, stream: int = 0) -> SourceVideo:
    """The frame grid, reorder depth and clean keyframes of a video stream's packets;
    Unsupported for a variable frame rate or timestamps a cut cannot rely on."""
    video = [p for p in packets.packets if p.stream == stream]
    if len(video) < 2:
        raise Unsupported("the video has fewer than two frames")
    if any(p.pts == NOPTS or p.dts == NOPTS for p in video):
        raise Unsupported("the video has packets without timestamps")
    time_base = packets.time_base.get(stream)
    if not time_base:
        raise Unsupported("the video's time base is unknown")
    shown = sorted(p.pts for p in video)
    if len(set(shown)) != len(shown):
        raise Unsupported("two frames share a timestamp")
    span, intervals = shown[-1] - shown[0], len(shown) - 1
    ticks = Fraction(span, intervals)
    # A constant frame rate: every frame within a quarter frame of its place on the grid
    # (containers with a coarse time base, e.g. 1/1000 at 30 fps, round to the tick).
    # In whole numbers: |pts - first - n * span / intervals| <= span / intervals / 4.
    first = shown[0]
    for number, pts in enumerate(shown):
        if 4 * abs((pts - first) * intervals - number * span) > span:
            raise Unsupported(f"variable frame rate (frame {number} at {float(pts * time_base):.3f} s "
                              f"is off the {describe_frame_rate(ticks * time_base)} grid)")
    decode_pts = [p.pts for p in video]
    reorder = round((video[0].pts - video[0].dts) / ticks)
    index_of = {pts: number for number, pts in enumerate(shown)}
    # A keyframe is clean when no packet after it (in decode order) is shown before it:
    # no leading pictures that refer to the GOP before (an open GOP).
    later_min = [0] * len(video)
    smallest = None
    for position in range(len(video) - 1, -1, -1):
        later_min[position] = smallest if smallest is not None else video[position].pts + 1
        smallest = video[position].pts if smallest is None else min(smallest, video[position].pts)
    sync, clean = [], []
    for position, packet in enumerate(video):
        if packet.key:
            sync.append(index_of[packet.pts])
            if later_min[position] > packet.pts:
                clean.append(index_of[packet.pts])
    if not sync or sync[0] != 0:
        raise Unsupported("the video does not start with a keyframe")
    if len(clean) < len(sync):
        open_at = sorted(set(sync) - set(clean))[0]
        raise Unsupported(f"open GOPs (the keyframe at {float(shown[open_at] * time_base):.3f} s "
                          f"has pictures shown before it that refer to the GOP before)")
    return SourceVideo(codec, time_base, ticks, shown, decode_pts, {pts: n for n, pts in enumerate(decode_pts)},
                       index_of, reorder, sorted(clean), sorted(sync))


_VIDEO_LINE = re.compile(r"Stream #\d+:\d+.*?: Video: (.*)")
_ROTATION = re.compile(r"(?:Display Matrix|displaymatrix): rotation of (-?\d+(?:\.\d+)?) degrees")


def display_rotation(probe_text: str) -> float | None:
    """The rotation (degrees, counter-clockwise) the first video stream's display matrix asks
    for, as ffmpeg describes the stream; None without a display matrix. ffmpeg names only
    the rotation (a mirrored picture reads as turned by 180), so the reel's orientation is
    checked on a decoded frame (reel.py)."""
    video = re.search(r"Stream #\d+:\d+.*?: Video: (?!.*attached pic).*?(?=\n\s*Stream #|\Z)", probe_text, re.S)
    match = _ROTATION.search(video.group(0)) if video else None
    return float(match.group(1)) if match else None


def check_stream(source: SourceVideo, probe_text: str) -> None:
    """What the SPS and ffmpeg's stream line say, against what smart cut can match."""
    if source.codec not in SUPPORTED_CODECS:
        raise Unsupported(f"the video is {source.codec or 'of an unknown codec'}; smart cut matches H.264 and HEVC")
    line = next((m.group(1) for m in _VIDEO_LINE.finditer(probe_text) if "attached pic" not in m.group(1)), "")
    if re.search(r"\b(top first|bottom first|top coded first|bottom coded first)\b", line):
        raise Unsupported("the video is interlaced")
    sps = source.parameters.get("SPS", {})
    if not sps:
        raise Unsupported("the video's sequence parameter set could not be read")
    if source.codec == "h264":
        if sps.get("frame_mbs_only_flag", 1) == 0:
            raise Unsupported("the video is interlaced (field or MBAFF coding)")
        if sps.get("profile_idc") not in _H264_PROFILES:
            raise Unsupported(f"H.264 profile {sps.get('profile_idc')} cannot be matched")
        if source.reorder > 2:
            raise Unsupported(f"a reorder depth of {source.reorder} frames cannot be matched")
    else:
        if sps.get("general_profile_idc") not in _HEVC_PROFILES:
            raise Unsupported(f"HEVC profile {sps.get('general_profile_idc')} cannot be matched")
        if sps.get("field_seq_flag", 0):
            raise Unsupported("the video is interlaced (field sequence)")
        if source.reorder > 3:
            raise Unsupported(f"a reorder depth of {source.reorder} frames cannot be matched")
    if source.reorder < 0:
        raise Unsupported("the video's decode timestamps run ahead of its presentation")


# ----- planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """Frames [first, end) of the source, in reel order: re-encoded ('encode') or copied."""

    kind: str
    first: int
    end: int
    cut: int

    @property
    def frames(self) -> int:
        return self.end - self.first


@dataclass
class Plan:
    parts: list[Part]
    cut_frames: list[tuple[int, int]]     # each cut's [first, end) source frames

    @property
    def frames(self) -> int:
        return sum(end - first for first, end in self.cut_frames)

    def encoded(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "encode"]

    def copied(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "copy"]


def cut_frames(grid: Grid, cuts: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each cut (start_ms, end_ms) as frames [first, end): the first frame is the one
    nearest the cut's start, the length follows the cumulative plan, so the reel's total
    stays within half a frame of the planned total however many cuts it has."""
    frame_ms = grid.frame * 1000
    result, planned = [], Fraction(0)
    for start_ms, end_ms in cuts:
        first = grid.frame_at(start_ms)
        count = round((planned + (end_ms - start_ms)) / frame_ms) - round(planned / frame_ms)
        planned += end_ms - start_ms
        result.append((first, max(first, min(grid.frames, first + count))))   # an empty cut stays empty
    return result


def plan_parts(source: SourceVideo, frames: Sequence[tuple[int, int]]) -> Plan:
    """Head, copy and tail parts for each cut: re-encode from the cut's first frame to the
    first clean keyframe in it (the head), copy from there on, re-encode what is left (the
    tail). The copy runs over the whole GOPs and on into the last one as far as its packets
    in decode order show exactly the frames before the cut's end (see decodable_end): a
    B-frame GOP cut short after a P-frame decodes as shown, so the tail is at most the few
    frames of a P-frame's B-frames (none without B-frames), not the rest of the GOP."""
    parts: list[Part] = []
    keys = source.clean_keys
    for number, (first, end) in enumerate(frames):
        position = bisect_left(keys, first)
        head_key = keys[position] if position < len(keys) else None
        if head_key is None or head_key >= end:
            _append(parts, "encode", first, end, number)   # no keyframe inside: one part
            continue
        tail_key = keys[bisect_right(keys, end) - 1]
        stop = source.decodable_end(tail_key, end)
        _append(parts, "encode", first, head_key, number)
        _append(parts, "copy", head_key, stop, number)
        _append(parts, "encode", stop, end, number)
    return Plan(parts, list(frames))


def _append(parts: list[Part], kind: str, first: int, end: int, cut: int) -> None:
    if end > first:
        parts.append(Part(kind, first, end, cut))


def check_copies(source: SourceVideo, plan: Plan) -> None:
    """Each copied range is a run of packets in decode order that shows exactly its frames."""
    for part in plan.copied():
        start = source.decode_index[source.frame_pts[part.first]]
        run = source.decode_pts[start:start + part.frames]
        wanted = source.frame_pts[part.first:part.end]
        if sorted(run) != wanted:
            raise Unsupported(f"the GOP at {float(source.seconds(part.first)):.3f} s is not closed")


# ----- commands --------------------------------------------------------------------------


def seconds_text(value: Fraction | float) -> str:
    """Seconds to the microsecond, rounded down (ffmpeg reads times in microseconds)."""
    micro = Fraction(value) * 1_000_000
    whole = micro.numerator // micro.denominator
    return f"{'-' if whole < 0 else ''}{abs(whole) // 1_000_000}.{abs(whole) % 1_000_000:06d}"


def encoder_args(source: SourceVideo, crf: int, preset: str = SLIVER_PRESET, threads: int = 0) -> list[str]:
    """An encoder set up to make pictures that join the source's: same profile and level,
    8x8 transform (H.264), the same reorder depth (B-frames), closed GOPs; size, pixel
    format, SAR and colour tags come with the decoded frames."""
    sps = source.parameters.get("SPS", {})
    pps = source.parameters.get("PPS", {})
    if source.codec == "h264":
        profile = _H264_PROFILES[sps["profile_idc"]]
        level = sps.get("level_idc", 0)
        b_frames = {0: "bframes=0", 1: "bframes=2:b-pyramid=none", 2: "bframes=3:b-pyramid=normal"}[source.reorder]
        # CAVLC (cabac=0): a fifth less encoding time than CABAC for ~10% more bits; every
        # profile allows it, and each part carries its own PPS. The 8x8 transform follows the
        # source's, which keeps x264's profile (High uses it, Main cannot).
        params = [b_frames, "cabac=0", f"8x8dct={pps.get('transform_8x8_mode_flag', 0)}", "deblock=1",
                  "open-gop=0", "scenecut=0", "keyint=100000", "min-keyint=1"]
        if threads:
            params.append(f"threads={threads}")
        args = ["-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-profile:v", profile,
                "-x264-params", ":".join(params), "-forced-idr", "1"]
        if level:
            args += ["-level:v", f"{level / 10:.1f}" if level != 9 else "1b"]
        return args
    profile = _HEVC_PROFILES[sps["general_profile_idc"]]
    b_frames = {0: "bframes=0", 1: "bframes=2:b-pyramid=0", 2: "bframes=3:b-pyramid=1",
                3: "bframes=4:b-pyramid=1"}[source.reorder]
    params = [b_frames, "open-gop=0", "scenecut=0", "keyint=100000", "min-keyint=1", "log-level=error",
              "repeat-headers=1"]
    if threads:
        params.append(f"pools={threads}")
    return ["-c:v", "libx265", "-preset", preset, "-crf", str(crf), "-profile:v", profile,
            "-x265-params", ":".join(params), "-forced-idr", "1"]


# Input options: the demuxer skips the other streams' packets instead of reading them.
_VIDEO_ONLY = ("-an", "-sn", "-dn")


def _head(ffmpeg: str, progress: bool) -> list[str]:
    head = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-nostats"]
    if progress:
        head += ["-stats_period", "0.25", "-progress", "pipe:1"]
    return head + ["-copyts"]


def decode_start(source: SourceVideo, part: Part) -> int:
    """The keyframe a decoder starts at to show the part's first frame."""
    return source.sync_keys[bisect_left(source.sync_keys, part.first + 1) - 1]


# Inputs one ffmpeg opens at most: each holds the source's index and a decoder (about
# 12 MB for an hour of 720p). A reel of many cuts runs its processes in waves.
MOST_INPUTS = 40


def encode_groups(source: SourceVideo, plan: Plan, groups: int) -> list[list[int]]:
    """The re-encoded parts (their numbers among plan.encoded()) shared among at least
    `groups` ffmpeg processes, more if one would open more than MOST_INPUTS inputs, about
    the same decoding and encoding work in each."""
    groups = max(groups, -(-len(plan.encoded()) // MOST_INPUTS))
    work = [0] * groups
    shares: list[list[int]] = [[] for _ in range(groups)]
    for number, part in enumerate(plan.encoded()):
        lightest = work.index(min(work))
        shares[lightest].append(number)
        work[lightest] += (part.end - decode_start(source, part)) + 2 * part.frames
    return [share for share in shares if share]


def encoded_file(out_dir: Path, group: int, position: int) -> Path:
    return out_dir / f"encoded{group}-{position:04d}.ts"


def encode_command(ffmpeg: str, media: str, source: SourceVideo, plan: Plan, share: Sequence[int], group: int,
                   crf: int, out_dir: Path, progress: bool = True, threads: int = 0) -> list[str]:
    """One ffmpeg: the re-encoded parts in `share` as one closed-GOP stream (an IDR forced
    at each part's first frame), split by the segment muxer into one MPEG-TS per part."""
    args = _head(ffmpeg, progress)
    graph, labels = [], []
    half = source.frame_seconds / 2
    encoded = plan.encoded()
    parts = [encoded[number] for number in share]
    for number, part in enumerate(parts):
        # Decode from the keyframe at or before the part (a seek lands on the keyframe at or
        # before the target; half a frame past it is never the next one), keep exactly its
        # frames: trim by time half a frame either side of them.
        # -noautorotate: the pictures stay as coded, like the copied ones; the reel keeps the
        # source's display matrix instead (reel.py).
        args += ["-seek_timestamp", "1", "-noaccurate_seek", "-noautorotate", "-threads", "1", *_VIDEO_ONLY,
                 "-ss", seconds_text(source.seconds(decode_start(source, part)) + half), "-i", media]
        graph.append(f"[{number}:v:0]trim=start={seconds_text(source.seconds(part.first) - half)}:"
                     f"end={seconds_text(source.seconds(part.end) - half)},setpts=PTS-STARTPTS[e{number}]")
        labels.append(f"[e{number}]")
    frame = source.frame_seconds
    graph.append("".join(labels) + f"concat=n={len(parts)}:v=1:a=0,"
                 f"setpts=N*{frame.numerator}/{frame.denominator}/TB[v]")
    starts, total = [], 0
    for part in parts:
        starts.append(total)
        total += part.frames
    keyframes = "+".join(f"eq(n,{n})" for n in starts)
    args += ["-filter_complex", ";".join(graph), "-map", "[v]", *encoder_args(source, crf, threads=threads),
             "-force_key_frames", f"expr:{keyframes}", "-f", "segment", "-segment_format", "mpegts"]
    if len(starts) > 1:
        args += ["-segment_frames", ",".join(str(n) for n in starts[1:])]
    return args + [str(out_dir / f"encoded{group}-%04d.ts")]


_AUDIO_RATE = re.compile(r"Audio: .*?(\d+) kb/s")


def audio_bitrate(probe_text: str, most: int = 160) -> int:
    """The AAC bitrate (kb/s) for the reel's sound: the source's, rounded up to a multiple
    of 16, between 64 and `most`. Encoding above the source's rate buys no quality (the
    source is the best it can sound) and costs time: the AAC encoder's work grows with it."""
    match = _AUDIO_RATE.search(probe_text)
    if not match:
        return most
    rate = -(-int(match.group(1)) // 16) * 16
    return max(64, min(most, rate))


def audio_command(ffmpeg: str, media: str, spans: Sequence[tuple[Fraction, Fraction]], audio: Path,
                  codec: Sequence[str], progress: bool = True) -> list[str]:
    """One ffmpeg: the reel's sound, each cut trimmed to its span of the picture (`spans`,
    seconds on the video's frame grid), joined by the concat filter and encoded once (no join
    between two encodings, so no click)."""
    args = _head(ffmpeg, progress)
    graph, labels = [], []
    for number, (start, stop) in enumerate(spans):
        # -vn -sn -dn: the demuxer skips the other streams' packets instead of reading them.
        args += ["-seek_timestamp", "1", "-vn", "-sn", "-dn", "-ss", seconds_text(max(Fraction(0), start - 1)),
                 "-i", media]
        graph.append(f"[{len(labels)}:a:0]atrim=start={seconds_text(start)}:end={seconds_text(stop)},"
                     f"asetpts=PTS-STARTPTS[a{number}]")
        labels.append(f"[a{number}]")
    graph.append("".join(labels) + f"concat=n={len(labels)}:v=0:a=1[a]")
    return args + ["-filter_complex", ";".join(graph), "-map", "[a]", *codec, "-f", "mp4", str(audio)]


def copy_command(ffmpeg: str, media: str, source: SourceVideo, plan: Plan, numbers: Sequence[int], out_dir: Path,
                 progress: bool = True) -> list[str]:
    """One ffmpeg: the copied ranges `numbers` (among plan.copied()) each to
    out_dir/copied%04d.ts (parameter sets in-band at every keyframe), and the hashes of the
    packets it copied to copied%04d.md5."""
    args = _head(ffmpeg, progress)
    outputs = []
    to_annexb = "h264_mp4toannexb" if source.codec == "h264" else "hevc_mp4toannexb"
    copied = plan.copied()
    for index, number in enumerate(numbers):
        part = copied[number]
        # The copy starts at the first packet shown at or after `start`, a microsecond before
        # the keyframe (so rounding cannot skip it): wherever the demuxer's seek lands (some
        # land a keyframe or more early), what comes before is dropped.
        start = seconds_text(source.seconds(part.first) - Fraction(1, 1_000_000))
        args += ["-seek_timestamp", "1", *_VIDEO_ONLY, "-ss", start, "-i", media]
        copy = ["-map", f"{index}:v:0", "-c:v", "copy", "-copypriorss", "0", "-frames:v", str(part.frames)]
        outputs += [*copy, "-bsf:v", to_annexb, "-f", "mpegts", str(out_dir / f"copied{number:04d}.ts"),
                    *copy, "-bsf:v", f"filter_units=remove_types={_JOIN_NALS[source.codec]}",
                    "-f", "framemd5", str(out_dir / f"copied{number:04d}.md5")]
    return args + outputs


def part_files(plan: Plan, groups: Sequence[Sequence[int]], out_dir: Path) -> list[Path]:
    """Where each part of the plan was written, in reel order."""
    where = {number: encoded_file(out_dir, group, position)
             for group, share in enumerate(groups) for position, number in enumerate(share)}
    files, encoded, copied = [], 0, 0
    for part in plan.parts:
        if part.kind == "encode":
            files.append(where[encoded])
            encoded += 1
        else:
            files.append(out_dir / f"copied{copied:04d}.ts")
            copied += 1
    return files


def concat_list(source: SourceVideo, plan: Plan, files: Sequence[Path]) -> str:
    """The concat demuxer's script: each part with its exact length. Lengths are in whole
    microseconds, rounded on the running total so that no error builds up."""
    lines = ["ffconcat version 1.0"]
    frames = 0
    frame_us = source.frame_seconds * 1_000_000
    for part, path in zip(plan.parts, files):
        start = round(frames * frame_us)
        frames += part.frames
        quoted = str(path).replace("'", "'\\''")
        lines += [f"file '{quoted}'", f"duration {round(frames * frame_us) - start}us"]
    return "\n".join(lines) + "\n"


def retime_filter(source: SourceVideo) -> str:
    """The bitstream filter that gives the joined parts one decode timeline: packet n (in
    decode order) decoded at (n - reorder) frames, as in the source. Each part's encoder or
    copy starts its own; x264 drops the reorder delay from a part too short for B-frames,
    which would leave a hole in the dts (and a frame shown too long). The concat demuxer's
    time base is MPEG-TS's 1/90000; times are snapped to the frame grid when a frame is a
    whole number of ticks there (every common rate but 24000/1001)."""
    ticks = source.frame_seconds * 90000
    if ticks.denominator == 1:
        step = int(ticks)
        return f"setts=pts=round(PTS/{step})*{step}:dts=(N-{source.reorder})*{step}:duration={step}"
    # pts given as it is: left out, setts would take the dts expression's value for it too.
    return f"setts=pts=PTS:dts=round((N-{source.reorder})*{float(ticks)!r})"


def source_scan_args(path: str, output: str) -> list[str]:
    """Arguments (after ffmpeg) listing the video packets of `path` with their flags."""
    return [*_VIDEO_ONLY, "-i", path, "-map", "0:v:0", "-c", "copy", "-f", "framecrc", output]


_RANDOM_ACCESS_NALS = {"h264": "5", "hevc": "16|17|18|19|20|21"}   # IDR slices; HEVC's IRAP pictures


def reel_scan_args(codec: str, path: str, hashes: str, random_access: str) -> list[str]:
    """Arguments (after ffmpeg) listing the reel's packets twice: `hashes` gets every packet's
    md5 with the join's NAL units left out (and the audio packets); `random_access` only the
    packets that hold an IDR picture (all others come out empty and are dropped)."""
    return ["-i", path, "-map", "0:v:0", "-map", "0:a?", "-c", "copy",
            "-bsf:v", f"filter_units=remove_types={_JOIN_NALS[codec]}", "-f", "framemd5", hashes,
            "-map", "0:v:0", "-c", "copy", "-bsf:v", f"filter_units=pass_types={_RANDOM_ACCESS_NALS[codec]}",
            "-f", "framecrc", random_access]


# ----- checking the result -----------------------------------------------------------------


_MATCHED_FIELDS = {
    "h264": ("profile_idc", "level_idc", "chroma_format_idc", "bit_depth_luma_minus8", "bit_depth_chroma_minus8",
             "pic_width_in_mbs_minus1", "pic_height_in_map_units_minus1", "frame_crop_left_offset",
             "frame_crop_right_offset", "frame_crop_top_offset", "frame_crop_bottom_offset",
             "frame_mbs_only_flag", "aspect_ratio_idc", "sar_width", "sar_height", "video_full_range_flag",
             "colour_primaries", "transfer_characteristics", "matrix_coefficients", "max_num_reorder_frames"),
    "hevc": ("general_profile_idc", "chroma_format_idc", "bit_depth_luma_minus8", "bit_depth_chroma_minus8",
             "pic_width_in_luma_samples", "pic_height_in_luma_samples", "conf_win_left_offset",
             "conf_win_right_offset", "conf_win_top_offset", "conf_win_bottom_offset",
             "aspect_ratio_idc", "sar_width", "sar_height", "video_full_range_flag", "colour_primaries",
             "transfer_characteristics", "matrix_coefficients"),
}


def compare_parameters(source: SourceVideo, encoded: dict[str, dict[str, int]]) -> None:
    """The new pictures' SPS against the source's, on the fields a player cares about."""
    ours, theirs = source.parameters.get("SPS", {}), encoded.get("SPS", {})
    if not theirs:
        raise Unsupported("verification failed: the re-encoded parts' SPS could not be read")
    for name in _MATCHED_FIELDS[source.codec]:
        # A field one side leaves out takes its default; only fields both state are compared,
        # except the ones that decide how pictures are shaped.
        if name in ours and name in theirs and ours[name] != theirs[name]:
            raise Unsupported(f"verification failed: the re-encoded parts' {name} is {theirs[name]}, "
                              f"the source's {ours[name]}")


def verify_reel(source: SourceVideo, plan: Plan, reel: PacketList, copied_hashes: Sequence[PacketList],
                has_audio: bool, random_access: PacketList | None = None, planned_ms: int | None = None) -> None:
    """Unsupported('verification failed: ...') unless the reel is what the plan says: its
    frames on the grid, decoded one a frame, the copied packets the source's, every part
    starting on an IDR picture (`random_access`: the reel's packets that hold one), the sound
    as long as the picture and the whole within a frame of `planned_ms`."""
    video = [p for p in reel.packets if p.stream == 0]
    tb = reel.time_base.get(0)
    if tb is None:
        raise Unsupported("verification failed: the reel has no video")
    if len(video) != plan.frames:
        raise Unsupported(f"verification failed: the reel has {len(video)} frames, the plan {plan.frames}")
    shown = sorted(p.pts for p in video)
    frame = source.frame_seconds
    first = shown[0] * tb
    for number, pts in enumerate(shown):
        if abs(pts * tb - first - number * frame) > frame / 4:
            raise Unsupported(f"verification failed: frame {number} of the reel is at {float(pts * tb):.3f} s, "
                              f"not {float(first + number * frame):.3f} s")
    if abs(first) > frame / 4:
        raise Unsupported(f"verification failed: the reel starts at {float(first):.3f} s")
    # One decode timeline: a packet decoded every frame, each before it is shown.
    for number, packet in enumerate(video):
        if abs((packet.dts - video[0].dts) * tb - number * frame) > frame / 4 or packet.dts > packet.pts:
            raise Unsupported(f"verification failed: packet {number} of the reel is decoded at "
                              f"{float(packet.dts * tb):.3f} s")
    if planned_ms is not None and abs(len(video) * frame * 1000 - planned_ms) > frame * 1000:
        raise Unsupported(f"verification failed: the reel lasts {float(len(video) * frame):.3f} s, "
                          f"the plan {planned_ms / 1000:.3f} s")
    if random_access is not None:
        starts = sorted(p.pts for p in random_access.packets if p.stream == 0)
        position = 0
        for part in plan.parts:
            at = shown[position]
            nearest = min(starts, key=lambda pts: abs(pts - at), default=None)
            if nearest is None or abs(nearest - at) * tb > frame / 4:
                raise Unsupported(f"verification failed: the part from {float(source.seconds(part.first)):.3f} s "
                                  f"does not start on an IDR picture")
            position += part.frames
    # Copied packets: the copy took the source's packets of its frames (their timestamps), and
    # in decode order the reel's packets of each copied range are those packets.
    position = 0
    copies = iter(copied_hashes)
    for part in plan.parts:
        if part.kind == "copy":
            expected = [p for p in next(copies).packets if p.stream == 0]
            if sorted(p.pts for p in expected) != source.frame_pts[part.first:part.end]:
                raise Unsupported(f"verification failed: the copy meant to start at "
                                  f"{float(source.seconds(part.first)):.3f} s took other packets")
            got = video[position:position + part.frames]
            if len(expected) != part.frames or [(p.size, p.hash) for p in got] != [(p.size, p.hash) for p in expected]:
                raise Unsupported(f"verification failed: the packets copied from "
                                  f"{float(source.seconds(part.first)):.3f} s differ from the source's")
        position += part.frames
    if has_audio:
        audio = [p for p in reel.packets if p.stream == 1]
        atb = reel.time_base.get(1)
        if not audio or atb is None:
            raise Unsupported("verification failed: the reel has no sound")
        audio_end = max(p.pts + p.duration for p in audio) * atb
        video_end = len(video) * frame
        if abs(audio_end - video_end) > max(frame, Fraction(1, 20)):
            raise Unsupported(f"verification failed: the sound lasts {float(audio_end):.3f} s, "
                              f"the picture {float(video_end):.3f} s")

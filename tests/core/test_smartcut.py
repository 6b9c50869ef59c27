"""Smart cut: accurate reels that re-encode only the partial GOPs at each cut's ends.

Real ffmpeg on small generated lectures. The reel is decoded frame by frame and compared
with the same frames decoded from the source: the copied GOPs must be identical, the
re-encoded frames close (PSNR) and closer to their own source frame than to its neighbours
(so a frame off by one fails).
"""

from __future__ import annotations

import re
from fractions import Fraction
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from player.core import smartcut
from player.core.reel import Cut, ReelJob, ReelOptions, probe
from player.core.smartcut import Packet, PacketList, Unsupported

FPS = 25
SIZE = (192, 144)
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
PSNR_FLOOR = 32.0   # dB, a re-encoded frame against its source frame (CRF 20)


def run_ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-v", "error", "-y", *args], check=True)


def make_lecture(path: Path, seconds: int, keyframe_s: int, codec: list[str]) -> Path:
    """testsrc2 (moving, so that neighbouring frames differ) and a tone; a keyframe exactly
    every `keyframe_s` seconds."""
    gop = FPS * keyframe_s
    run_ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={SIZE[0]}x{SIZE[1]}:rate={FPS}:duration={seconds}",
               "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
               *codec, "-g", str(gop), "-keyint_min", str(gop), "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-shortest", str(path))
    return path


def x264(*params: str) -> list[str]:
    return ["-c:v", "libx264", "-preset", "veryfast", "-sc_threshold", "0",
            "-x264-params", ":".join(["open-gop=0", *params])]


SOURCES = {
    # name: (seconds, keyframe interval, codec options)
    "k2-bframes": (12, 2, x264()),
    "k2-no-bframes": (12, 2, x264("bframes=0")),
    "k10-bframes": (24, 10, x264()),
    "k10-no-bframes": (24, 10, x264("bframes=0")),
    "k2-bframes-no-pyramid": (12, 2, x264("b-pyramid=none")),
}


@pytest.fixture(scope="module")
def lectures(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("smart cut media")
    return {name: make_lecture(folder / f"{name}.mp4", seconds, keyframe_s, codec)
            for name, (seconds, keyframe_s, codec) in SOURCES.items()}


def gray_frames(path: Path) -> np.ndarray:
    raw = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "rawvideo",
                          "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, SIZE[1], SIZE[0])


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255 ** 2 / mse)


def frames_of(cuts: list[tuple[int, int]]) -> list[int]:
    """The source frame numbers the reel shows, for cuts given in frames."""
    return [n for first, end in cuts for n in range(first, end)]


def compare(source: Path, reel: Path, cuts: list[tuple[int, int]]) -> tuple[int, int]:
    """Every frame of the reel against the source frame it should be: (identical, re-encoded)."""
    theirs, ours = gray_frames(source), gray_frames(reel)
    wanted = frames_of(cuts)
    assert len(ours) == len(wanted), f"{len(ours)} frames in the reel, {len(wanted)} wanted"
    identical = 0
    for position, number in enumerate(wanted):
        if np.array_equal(ours[position], theirs[number]):
            identical += 1
            continue
        score = psnr(ours[position], theirs[number])
        assert score >= PSNR_FLOOR, f"reel frame {position} (source frame {number}): PSNR {score:.1f} dB"
        for neighbour in (number - 1, number + 1):
            if 0 <= neighbour < len(theirs):
                assert psnr(ours[position], theirs[neighbour]) < score, \
                    f"reel frame {position} looks more like source frame {neighbour} than {number}"
    return identical, len(wanted) - identical


def reel_of(media: Path, out: Path, cuts_in_frames: list[tuple[int, int]], **options):
    """A smart-cut reel of cuts given in frames (times on the frame grid: no rounding)."""
    cuts = [Cut(first * 1000 // FPS, end * 1000 // FPS, f"cut {n}") for n, (first, end) in enumerate(cuts_in_frames)]
    notices = []
    result = ReelJob(media, cuts, out, ReelOptions(**options), on_notice=notices.append).run()
    return result, notices


# Cuts in frames, for 2 s keyframes (every 50 frames): a head, a copied GOP and a tail; one
# that starts on a keyframe and ends inside its GOP; one that ends on a keyframe.
CUTS_K2 = [(33, 117), (150, 190), (210, 250), (60, 150)]
# For 10 s keyframes (every 250 frames): a cut inside one GOP, then head + copy + tail.
CUTS_K10 = [(100, 300), (240, 560)]


@pytest.mark.parametrize("name", ["k2-bframes", "k2-no-bframes", "k2-bframes-no-pyramid"])
def test_every_frame_of_a_short_reel_is_the_sources(lectures, tmp_path, name):
    out = tmp_path / "reel.mp4"
    result, notices = reel_of(lectures[name], out, CUTS_K2)
    assert (result.method, result.fallback_reason, notices) == ("smart cut", None, [])
    identical, _ = compare(lectures[name], out, CUTS_K2)
    # The whole GOPs [50, 100) and [100, 150) are copied, not re-encoded.
    assert identical >= 100
    assert result.duration_ms == len(frames_of(CUTS_K2)) * 1000 // FPS
    assert [start for start, _, _ in result.chapters] == [0, 3360, 4960, 6560]


@pytest.mark.parametrize("name", ["k10-bframes", "k10-no-bframes"])
def test_ten_second_keyframes(lectures, tmp_path, name):
    out = tmp_path / "reel.mp4"
    result, _ = reel_of(lectures[name], out, CUTS_K10)
    assert result.method == "smart cut"
    identical, encoded = compare(lectures[name], out, CUTS_K10)
    # Copied: from the keyframe at 250 to each cut's end, but for the B-frames of the last
    # P-frame before it (see test_plans); new: the heads [100, 250) and [240, 250).
    if name == "k10-bframes":
        assert identical >= (300 - 250 - 4) + (560 - 250 - 4) and encoded >= 150 + 10
    else:
        assert (identical, encoded) == ((300 - 250) + (560 - 250), 150 + 10)


def test_a_cut_boundary_off_the_frame_grid_is_rounded_and_the_total_kept(lectures, tmp_path):
    # 25 fps: a frame every 40 ms. 1.30 s rounds to frame 32 (half-way, to even) or 33; the
    # lengths follow the running plan so the total is within half a frame.
    cuts = [Cut(1310, 4690, "a"), Cut(5130, 8890, "b"), Cut(9000, 9150, "c")]
    out = tmp_path / "reel.mp4"
    result = ReelJob(lectures["k2-bframes"], cuts, out).run()
    assert result.method == "smart cut"
    planned = sum(cut.duration_ms for cut in cuts)
    assert abs(result.duration_ms - planned) <= 1000 / FPS / 2
    compare(lectures["k2-bframes"], out, [(33, 117), (128, 222), (225, 229)])


def test_the_sound_is_continuous_and_as_long_as_the_picture(lectures, tmp_path):
    out = tmp_path / "reel.mp4"
    result, _ = reel_of(lectures["k2-bframes"], out, CUTS_K2)
    samples = np.frombuffer(subprocess.run(
        [FFMPEG, "-v", "error", "-i", str(out), "-map", "0:a:0", "-f", "s16le", "-ac", "1", "-ar", "48000", "-"],
        capture_output=True, check=True).stdout, np.int16)
    assert abs(len(samples) / 48000 - result.duration_ms / 1000) <= 1 / FPS
    # The tone never drops out at a join (two encodings joined leave a gap of silence: the
    # encoder's priming): no run of near-silence longer than a millisecond after the start.
    quiet = np.abs(samples[2400:-2400]) < 300
    longest, run = 0, 0
    for is_quiet in quiet:
        run = run + 1 if is_quiet else 0
        longest = max(longest, run)
    assert longest < 48


def test_chapters_sidecar_and_stream_description_match(lectures, tmp_path):
    from tests.core.test_reel import read_chapters

    out = tmp_path / "reel.mp4"
    result, _ = reel_of(lectures["k2-bframes"], out, CUTS_K2)
    assert read_chapters(out) == [(s, e, t) for s, e, t in result.chapters]
    source, reel = probe(lectures["k2-bframes"]), probe(out)
    assert (reel.video_codec, reel.width, reel.height, reel.fps) == (source.video_codec, source.width,
                                                                    source.height, source.fps)
    described = re.compile(r"Video: (h264 \(\w+\)).*?(yuv\w+).*?(\d+x\d+ \[SAR [\d:]+ DAR [\d:]+\]).*?(\d+ tbn)")
    assert described.search(reel.probe_text).groups() == described.search(source.probe_text).groups()


def test_hevc_closed_gops(tmp_path):
    media = make_lecture(tmp_path / "hevc.mp4", 8, 2, ["-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1",
                                                         "-x265-params", "open-gop=0:log-level=error"])
    out = tmp_path / "reel.mp4"
    result, notices = reel_of(media, out, [(33, 117), (140, 190)])
    assert (result.method, notices) == ("smart cut", [])
    identical, _ = compare(media, out, [(33, 117), (140, 190)])
    assert identical >= 50


# ----- falling back to the full re-encode, and saying why ---------------------------------


def fallback(media: Path, out: Path, **options) -> tuple[str, list[str]]:
    result, notices = reel_of(media, out, [(10, 40), (60, 90)], **options)
    assert result.method == "re-encode"
    assert abs(result.duration_ms - 2400) <= 40 and probe(out).video_codec == "h264"
    assert notices == [f"smart cut not possible ({result.fallback_reason}): re-encoding the whole reel"]
    return result.fallback_reason, notices


@pytest.mark.parametrize("codec,container,named", [
    (["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"], "webm", "vp9"),
    (["-c:v", "mpeg4"], "mp4", "mpeg4"),
])
def test_another_codec_falls_back(tmp_path, codec, container, named):
    media = tmp_path / f"lecture.{container}"
    run_ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=192x144:rate={FPS}:duration=5", "-f", "lavfi", "-i", "sine=d=5",
               *codec, "-shortest", str(media))
    reason, _ = fallback(media, tmp_path / "reel.mp4")
    assert named in reason and "H.264 and HEVC" in reason


def test_title_cards_and_captions_fall_back(lectures, tmp_path):
    reason, _ = fallback(lectures["k2-bframes"], tmp_path / "cards.mp4", title_cards=False, captions=True)
    assert reason.startswith("burned captions requested")
    result = ReelJob(lectures["k2-bframes"], [Cut(400, 1600, "x")], tmp_path / "titled.mp4",
                     ReelOptions(title_cards=True, card_ms=400)).run()
    assert result.method == "re-encode" and result.fallback_reason.startswith("title cards requested")


def test_a_variable_frame_rate_falls_back(tmp_path):
    media = tmp_path / "vfr.mp4"
    # Every seventh frame dropped, the others keep their times: gaps on the grid.
    run_ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=192x144:rate={FPS}:duration=5",
               "-vf", "select='not(eq(mod(n\\,7)\\,3))'", "-fps_mode", "passthrough",
               "-c:v", "libx264", "-preset", "veryfast", str(media))
    reason, _ = fallback(media, tmp_path / "reel.mp4")
    assert reason.startswith("variable frame rate")


@pytest.mark.parametrize("codec", [
    ["-c:v", "libx264", "-preset", "veryfast", "-sc_threshold", "0", "-x264-params", "open-gop=1"],
    ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"],   # x265's default
])
def test_open_gops_fall_back(tmp_path, codec):
    media = make_lecture(tmp_path / "open.mp4", 8, 2, codec)
    reason, _ = fallback(media, tmp_path / "reel.mp4")
    assert reason.startswith("open GOPs")


def test_interlaced_falls_back(tmp_path):
    media = make_lecture(tmp_path / "interlaced.mp4", 5, 1, ["-c:v", "libx264", "-preset", "veryfast",
                                                              "-flags", "+ildct+ilme", "-x264-params", "tff=1"])
    reason, _ = fallback(media, tmp_path / "reel.mp4")
    assert "interlaced" in reason


def test_smart_cut_off_on_request(lectures, tmp_path):
    result = ReelJob(lectures["k2-bframes"], [Cut(400, 1600, "x")], tmp_path / "reel.mp4",
                     ReelOptions(smart_cut=False)).run()
    assert (result.method, result.fallback_reason) == ("re-encode", "smart cut turned off")


# ----- the checks themselves, on packet lists ------------------------------------------------


def source_of(frames: int, gop: int, reorder: int = 0) -> smartcut.SourceVideo:
    """A 25 fps source in 1/12800 (512 ticks a frame), keyframes every `gop` frames. With
    `reorder`, each P-frame every 4 frames is decoded before the 3 B-frames shown before it
    (I P B b b P B b b ...), as x264 does with a B-pyramid."""
    order = []
    for start in range(0, frames, gop):
        end = min(frames, start + gop)
        order.append(start)
        group = start + 1
        while group < end:
            last = min(end - 1, group + 3) if reorder else group
            order += [last] + [n for n in range(group, last)]
            group = last + 1
    packets = [Packet(0, (position - reorder) * 512, n * 512, 512, 100, f"h{n}", n % gop == 0)
               for position, n in enumerate(order)]
    return smartcut.analyse_source(PacketList(packets, {0: Fraction(1, 12800)}), "h264")


def reel_packets(pts_list, hashes, audio_end_s: float | None = 1.0) -> PacketList:
    packets = [Packet(0, pts - 1024, pts, 512, 100, h, False) for pts, h in zip(pts_list, hashes)]
    if audio_end_s is not None:
        packets.append(Packet(1, 0, 0, round(audio_end_s * 48000), 10, "a", True))
    return PacketList(packets, {0: Fraction(1, 12800), 1: Fraction(1, 48000)})


def test_verification_catches_a_missing_or_repeated_frame_and_a_changed_packet():
    source = source_of(100, 25)
    plan = smartcut.plan_parts(source, [(10, 35)])   # encode [10, 25), copy [25, 35): no reordering
    assert [(p.kind, p.first, p.end) for p in plan.parts] == [("encode", 10, 25), ("copy", 25, 35)]
    copied = [PacketList([Packet(0, n * 512, n * 512, 512, 100, f"h{n}", False) for n in range(25, 35)],
                         {0: Fraction(1, 12800)})]
    good = [f"x{n}" for n in range(15)] + [f"h{n}" for n in range(25, 35)]
    grid = [n * 512 for n in range(25)]
    smartcut.verify_reel(source, plan, reel_packets(grid, good), copied, True)
    with pytest.raises(Unsupported, match="24 frames, the plan 25"):
        smartcut.verify_reel(source, plan, reel_packets(grid[:-1], good[:-1]), copied, True)
    with pytest.raises(Unsupported, match="frame 5 of the reel is at"):
        repeated = grid[:5] + [grid[4] + 1] + [pts + 512 for pts in grid[5:-1]]
        smartcut.verify_reel(source, plan, reel_packets(repeated, good), copied, True)
    with pytest.raises(Unsupported, match="copied from 1.000 s differ"):
        smartcut.verify_reel(source, plan, reel_packets(grid, good[:20] + ["changed"] + good[21:]), copied, True)
    with pytest.raises(Unsupported, match="the sound lasts 0.800 s"):
        smartcut.verify_reel(source, plan, reel_packets(grid, good, 0.8), copied, True)
    # A copy that took the packets of other frames (a seek that landed elsewhere) is caught
    # even though the reel holds exactly what it copied.
    elsewhere = [PacketList([Packet(0, n * 512, n * 512, 512, 100, f"h{n}", False) for n in range(0, 10)],
                            {0: Fraction(1, 12800)})]
    moved = good[:15] + [f"h{n}" for n in range(10)]
    with pytest.raises(Unsupported, match="the copy meant to start at 1.000 s took other packets"):
        smartcut.verify_reel(source, plan, reel_packets(grid, moved), elsewhere, True)
    # Every part starts on an IDR picture: the re-encoded head at 0, the copy at 15 frames.
    idr = PacketList([Packet(0, 0, pts, 512, 1, "", True) for pts in (0, 15 * 512)], {0: Fraction(1, 12800)})
    smartcut.verify_reel(source, plan, reel_packets(grid, good), copied, True, idr, 1000)
    no_idr = PacketList([Packet(0, 0, 0, 512, 1, "", True)], {0: Fraction(1, 12800)})
    with pytest.raises(Unsupported, match="the part from 1.000 s does not start on an IDR picture"):
        smartcut.verify_reel(source, plan, reel_packets(grid, good), copied, True, no_idr)
    with pytest.raises(Unsupported, match="the reel lasts 1.000 s, the plan 1.100 s"):
        smartcut.verify_reel(source, plan, reel_packets(grid, good), copied, True, idr, 1100)


def test_plans():
    source = source_of(300, 50, reorder=2)
    assert source.reorder == 2 and source.clean_keys == [0, 50, 100, 150, 200, 250]
    # Keyframe 100's packets in decode order: 100, 104 102 101 103, 108 106 105 107, ...
    # Cut short after 116's B-frames they show 100..116; one more packet (120) does not.
    assert source.decodable_end(100, 119) == 117 and source.decodable_end(100, 117) == 117
    assert source.decodable_end(100, 104) == 101
    parts = smartcut.plan_parts(source, [(33, 119), (150, 190), (60, 150), (120, 130)]).parts
    assert [(p.kind, p.first, p.end, p.cut) for p in parts] == [
        ("encode", 33, 50, 0), ("copy", 50, 117, 0), ("encode", 117, 119, 0),   # head, copy, tail
        ("copy", 150, 187, 1), ("encode", 187, 190, 1),                         # starts on a keyframe
        ("encode", 60, 100, 2), ("copy", 100, 150, 2),                          # ends on a keyframe
        ("encode", 120, 130, 3)]                                                # no keyframe inside
    no_reorder = source_of(300, 50)
    assert [(p.kind, p.first, p.end) for p in smartcut.plan_parts(no_reorder, [(33, 117)]).parts] == [
        ("encode", 33, 50), ("copy", 50, 117)]


def test_cut_frames_keep_the_running_total():
    source = source_of(1000, 50)
    frames = smartcut.cut_frames(source.grid, [(1310, 4690), (5130, 8890), (9000, 9150)])
    assert frames == [(33, 117), (128, 222), (225, 229)]
    assert abs(sum(end - first for first, end in frames) * 40 - (3380 + 3760 + 150)) <= 20


def test_analysis_of_timestamps():
    with pytest.raises(Unsupported, match="variable frame rate"):
        packets = [Packet(0, n * 512, n * 512 + (300 if n == 7 else 0), 512, 1, "", n == 0) for n in range(20)]
        smartcut.analyse_source(PacketList(packets, {0: Fraction(1, 12800)}), "h264")
    # A coarse time base (1/1000 at 30 fps: 33, 34, 33 ms) is still a constant rate.
    coarse = [Packet(0, round(n * 1000 / 30), round(n * 1000 / 30), 33, 1, "", n % 30 == 0) for n in range(90)]
    source = smartcut.analyse_source(PacketList(coarse, {0: Fraction(1, 1000)}), "h264")
    assert source.clean_keys == [0, 30, 60] and source.reorder == 0
    # A keyframe whose GOP shows pictures before it (leading B-frames) is an open GOP.
    order = [(0, 0, True), (1, 3, False), (2, 1, False), (3, 2, False), (4, 6, True), (5, 4, False), (6, 5, False)]
    packets = [Packet(0, d * 512 - 512, p * 512, 512, 1, "", k) for d, p, k in order]
    with pytest.raises(Unsupported, match="open GOPs"):
        smartcut.analyse_source(PacketList(packets, {0: Fraction(1, 12800)}), "h264")


def test_parse_framehash_and_parameter_sets():
    listing = smartcut.parse_framehash("#tb 0: 1/15360\n#tb 1: 1/44100\n"
                                       "0,      -1024,          0,      512,    31060, 0xb210194c\n"
                                       "0,       -512,       2048,      512,     2650, 0xd729181f, F=0x0\n"
                                       "1,          0,          0,     1024,      200, 0x00000001\n")
    assert listing.time_base == {0: Fraction(1, 15360), 1: Fraction(1, 44100)}
    assert [(p.stream, p.dts, p.pts, p.key) for p in listing.packets] == [(0, -1024, 0, True), (0, -512, 2048, False),
                                                                          (1, 0, 0, True)]
    trace = ("[trace_headers @ 0x1] Sequence Parameter Set\n"
             "[trace_headers @ 0x1] 8           profile_idc                                          01100100 = 100\n"
             "[trace_headers @ 0x1] 24          level_idc                                            00001101 = 13\n"
             "[trace_headers @ 0x1] Picture Parameter Set\n"
             "[trace_headers @ 0x1] 10          entropy_coding_mode_flag                                    1 = 1\n"
             "[trace_headers @ 0x1] 18          pic_init_qp_minus26                                     00111 = -3\n")
    assert smartcut.parse_parameter_sets(trace) == {"SPS": {"profile_idc": 100, "level_idc": 13},
                                                    "PPS": {"entropy_coding_mode_flag": 1, "pic_init_qp_minus26": -3}}


def test_cancel_during_a_smart_cut_leaves_nothing_and_does_not_fall_back(lectures, tmp_path):
    from player.core.reel import ReelCancelled

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    notices, seen = [], []

    def cancel_at_first_report(fraction, left):
        seen.append(fraction)
        job.cancel()

    job = ReelJob(lectures["k2-bframes"], [Cut(1320, 4680, "a")], out_dir / "reel.mp4", ReelOptions(sidecar="srt"),
                  on_progress=cancel_at_first_report, on_notice=notices.append)
    with pytest.raises(ReelCancelled):
        job.run()
    assert seen and notices == [] and list(out_dir.iterdir()) == []


def test_a_matroska_source_with_a_millisecond_time_base(tmp_path):
    # 30 fps in 1/1000: frames 33 and 34 ms apart. The grid ffmpeg's probe suggests (1/30 s)
    # is not where the frames are: the sound started on it early is cut again on the real one.
    media = tmp_path / "lecture.mkv"
    run_ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={SIZE[0]}x{SIZE[1]}:rate=30:duration=8",
               "-f", "lavfi", "-i", "sine=frequency=440:duration=8", *x264(), "-g", "60", "-keyint_min", "60",
               "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(media))
    out = tmp_path / "reel.mp4"
    cuts = [Cut(500, 6500, "a"), Cut(6800, 7900, "b")]
    result = ReelJob(media, cuts, out).run()
    assert (result.method, result.fallback_reason) == ("smart cut", None)
    identical, _ = compare(media, out, [(15, 195), (204, 237)])
    assert identical >= 120   # the GOPs [60, 120) and [120, 180)
    samples = subprocess.run([FFMPEG, "-v", "error", "-i", str(out), "-map", "0:a:0", "-f", "s16le", "-ac", "1",
                              "-ar", "48000", "-"], capture_output=True, check=True).stdout
    assert abs(len(samples) / 2 / 48000 - result.duration_ms / 1000) <= 1 / 30


@pytest.mark.parametrize("suffix", [".mkv", ".mov"])
def test_a_silent_lecture_into_other_containers(lectures, tmp_path, suffix):
    silent = tmp_path / "silent.mp4"
    run_ffmpeg("-i", str(lectures["k2-bframes"]), "-map", "0:v", "-c", "copy", str(silent))
    out = tmp_path / f"reel{suffix}"
    result, _ = reel_of(silent, out, CUTS_K2[:1])
    assert result.method == "smart cut" and not probe(out).has_audio
    identical, _ = compare(silent, out, CUTS_K2[:1])
    assert identical >= 50


def test_a_rotated_lecture_keeps_its_display_matrix(lectures, tmp_path):
    # A phone's portrait video: coded landscape, a display matrix turns it. The new pictures
    # are made as coded (not turned, or they would not join the copied ones) and the reel
    # carries the source's matrix.
    rotated = tmp_path / "portrait.mp4"
    run_ffmpeg("-display_rotation", "90", "-i", str(lectures["k2-bframes"]), "-c", "copy", str(rotated))
    out = tmp_path / "reel.mp4"
    result, _ = reel_of(rotated, out, CUTS_K2[:1])
    assert result.method == "smart cut"
    assert "rotation of 90.00 degrees" in probe(out).probe_text and f"{SIZE[0]}x{SIZE[1]}" in probe(out).probe_text
    # Decoded (and so turned) both alike: frame for frame the source's.
    turned = [np.rot90(frame) for frame in gray_frames(rotated)]
    ours = subprocess.run([FFMPEG, "-v", "error", "-i", str(out), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                          capture_output=True, check=True).stdout
    ours = np.frombuffer(ours, np.uint8).reshape(-1, SIZE[0], SIZE[1])
    theirs = np.frombuffer(subprocess.run([FFMPEG, "-v", "error", "-i", str(rotated), "-f", "rawvideo",
                                           "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout,
                           np.uint8).reshape(-1, SIZE[0], SIZE[1])
    assert len(turned) == len(theirs)
    wanted = frames_of(CUTS_K2[:1])
    assert len(ours) == len(wanted)
    assert all(psnr(ours[n], theirs[source]) >= PSNR_FLOOR for n, source in enumerate(wanted))


def test_a_mirrored_lecture_falls_back(lectures, tmp_path):
    mirrored = tmp_path / "mirrored.mp4"
    run_ffmpeg("-display_hflip", "-i", str(lectures["k2-bframes"]), "-c", "copy", str(mirrored))
    # ffmpeg reads the mirror back as a turn by 180: the reel's decoded frame shows it.
    result, notices = reel_of(mirrored, tmp_path / "reel.mp4", CUTS_K2[:1])
    assert result.method == "re-encode" and "not turned as the source's" in result.fallback_reason
    assert len(notices) == 1
    # Without a copied frame to check the turn on, it is not smart-cut at all.
    reason, _ = fallback(mirrored, tmp_path / "short.mp4")
    assert reason == "the video has a display matrix and no copied frame to check it on"


def test_new_pictures_of_another_size_fail_the_check():
    source = source_of(100, 25)
    source.parameters = {"SPS": {"profile_idc": 100, "pic_width_in_mbs_minus1": 19}}
    smartcut.compare_parameters(source, {"SPS": {"profile_idc": 100, "pic_width_in_mbs_minus1": 19}})
    with pytest.raises(Unsupported, match="pic_width_in_mbs_minus1 is 14, the source's 19"):
        smartcut.compare_parameters(source, {"SPS": {"profile_idc": 100, "pic_width_in_mbs_minus1": 14}})


def test_a_reel_of_many_cuts_runs_its_processes_in_waves(tmp_path):
    # 60 cuts, each a head, a copy and a tail: 120 parts to re-encode, more than
    # MOST_INPUTS for two processes, and 60 copies, more than one process opens.
    media = make_lecture(tmp_path / "long.mp4", 124, 1, x264())
    cuts = [(50 * n + 10, 50 * n + 40) for n in range(60)]
    plan_sizes = smartcut.plan_parts(source_of(3100, 25, reorder=2), cuts)
    assert len(plan_sizes.encoded()) > 2 * smartcut.MOST_INPUTS and len(plan_sizes.copied()) > smartcut.MOST_INPUTS
    out = tmp_path / "reel.mp4"
    result, notices = reel_of(media, out, cuts)
    assert (result.method, notices) == ("smart cut", [])
    identical, _ = compare(media, out, cuts)
    assert identical >= 60 * 5

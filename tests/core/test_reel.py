"""Highlight reels: planning (pure), and real ffmpeg runs on short generated media."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from pathlib import Path
from types import SimpleNamespace

import imageio_ffmpeg
import pytest

from player.core.reel import (Cut, ReelCancelled, ReelError, ReelJob, ReelOptions, chapter_title,
                              escape_ffmetadata, ffmetadata, parse_probe, plan_cuts, probe,
                              retime_transcript, _progress_ms)
from player.core.safe_files import OutputExists, OutputIsProtected, OutputRefused
from player.core.transcript import Segment, Transcript

FPS = 25
KEYFRAME_S = 2


def run_ffmpeg(*args: str) -> None:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


def make_video(path: Path, seconds: int = 30, size: str = "320x240") -> Path:
    """testsrc2 + sine, a keyframe exactly every 2 s."""
    run_ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={FPS}:duration={seconds}",
               "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
               "-c:v", "libx264", "-preset", "ultrafast", "-g", str(FPS * KEYFRAME_S),
               "-keyint_min", str(FPS * KEYFRAME_S), "-sc_threshold", "0", "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-shortest", str(path))
    return path


def make_audio(path: Path, seconds: int = 20) -> Path:
    codec = ["-c:a", "libmp3lame", "-b:a", "64k"] if path.suffix == ".mp3" else ["-c:a", "aac", "-b:a", "64k"]
    run_ffmpeg("-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}", *codec, str(path))
    return path


def read_chapters(path: Path) -> list[tuple[int, int, str]]:
    """Chapters as ffmpeg reads them back, in ms."""
    text = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
                           "-f", "ffmetadata", "-"], capture_output=True, text=True, check=True).stdout
    chapters = []
    for block in text.split("[CHAPTER]")[1:]:
        fields = {}
        for line in re.split(r"(?<!\\)\n", block):
            key, _, value = line.partition("=")
            fields[key] = value
        num, den = map(int, fields["TIMEBASE"].split("/"))
        title = re.sub(r"\\(.)", r"\1", fields.get("title", ""), flags=re.S)
        chapters.append((round(int(fields["START"]) * 1000 * num / den),
                         round(int(fields["END"]) * 1000 * num / den), title))
    return chapters


def stream_seconds(path: Path, stream: str) -> float:
    """How long one stream really plays, by decoding it."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path), "-map",
                             f"0:{stream}", "-f", "null", "-"], capture_output=True, text=True)
    times = re.findall(r"time=(\d+):(\d+):([\d.]+)", result.stderr)
    h, m, s = times[-1]
    return int(h) * 3600 + int(m) * 60 + float(s)


def video_frames(path: Path) -> int:
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path), "-map",
                             "0:v:0", "-f", "null", "-"], capture_output=True, text=True)
    return int(re.findall(r"frame=\s*(\d+)", result.stderr)[-1])


def H(id, start_ms, end_ms, note=None, text="", tags=()):
    return SimpleNamespace(id=id, start_ms=start_ms, end_ms=end_ms, note=note, text=text, tags=tags)


@pytest.fixture(scope="module")
def reel_media(tmp_path_factory) -> SimpleNamespace:
    folder = tmp_path_factory.mktemp("reel media")
    return SimpleNamespace(video=make_video(folder / "lecture.mp4"),
                           m4a=make_audio(folder / "talk.m4a"), mp3=make_audio(folder / "talk.mp3"))


TRANSCRIPT = Transcript([Segment(i * 1000, i * 1000 + 1000, f"Line {i} here.") for i in range(30)])
HIGHLIGHTS = [H(1, 3000, 5000, note="Why = matters; #1\nsecond line", tags=("exam",)),
              H(2, 5500, 7000, text="one two three four five six seven eight nine ten"),
              H(3, 15300, 18000, note="Third point")]


# ----- planning ------------------------------------------------------------------------


def test_plan_pads_and_clamps_to_the_media():
    cuts = plan_cuts([H(1, 200, 1000, "a"), H(2, 9000, 9800, "b")], pad_ms=500, duration_ms=10_000)
    assert [(c.start_ms, c.end_ms) for c in cuts] == [(0, 1500), (8500, 10_000)]
    assert [c.highlight_ids for c in cuts] == [(1,), (2,)]


def test_plan_merges_overlapping_and_touching_cuts_in_time_order():
    highlights = [H(3, 10_000, 11_000, "c"), H(1, 1000, 2000, "a"), H(2, 2500, 4000, "b"),
                  H(4, 11_000, 12_000, "c"), H(5, 20_000, 21_000, "d")]
    cuts = plan_cuts(highlights, pad_ms=250, duration_ms=60_000)
    # a and b touch once padded (2250 == 2250); c and its twin overlap; d stands alone.
    assert [(c.start_ms, c.end_ms, c.highlight_ids) for c in cuts] == [
        (750, 4250, (1, 2)), (9750, 12_250, (3, 4)), (19_750, 21_250, (5,))]
    assert cuts[0].title == "a / b"
    assert cuts[1].title == "c"          # the same title is not repeated


def test_plan_keeps_a_gap_of_one_millisecond_apart():
    cuts = plan_cuts([H(1, 0, 1000, "a"), H(2, 1001, 2000, "b")], pad_ms=0)
    assert len(cuts) == 2


def test_plan_in_given_order_places_a_merged_cut_at_its_first_member():
    cuts = plan_cuts([H(5, 20_000, 21_000, "d"), H(2, 2500, 4000, "b"), H(1, 1000, 2600, "a")],
                     pad_ms=0, order="given")
    assert [c.highlight_ids for c in cuts] == [(5,), (1, 2)]


def test_plan_drops_highlights_beyond_the_end_and_rejects_unknown_order():
    assert plan_cuts([H(1, 50_000, 51_000, "x")], pad_ms=500, duration_ms=30_000) == []
    with pytest.raises(ValueError):
        plan_cuts([], order="random")


def test_chapter_titles():
    assert chapter_title(H(1, 0, 1, note="  First line \n second")) == "First line"
    assert chapter_title(H(1, 0, 1, text="one two three four five six seven eight nine")) == \
        "one two three four five six seven eight …"
    assert chapter_title(H(1, 65_000, 66_000)) == "Highlight at 1:05"
    long = chapter_title(H(1, 0, 1, note="x" * 200))
    assert len(long) <= 80 and long.endswith("…")
    merged = plan_cuts([H(i, i * 100, i * 100 + 100, f"t{i}") for i in range(5)], pad_ms=0)
    assert merged[0].title == "t0 / t1 (+3 more)"


def test_ffmetadata_escapes_special_characters():
    assert escape_ffmetadata("a=b;c#d\\e\nf") == "a\\=b\\;c\\#d\\\\e\\\nf"
    text = ffmetadata([(0, 1500, "x=y")])
    assert text.startswith(";FFMETADATA1\n")
    assert "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=x\\=y\n" in text


def test_parse_probe_tells_video_from_cover_art():
    video = parse_probe("  Duration: 00:01:02.50, start: 0.000000, bitrate: 300 kb/s\n"
                        "  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, "
                        "1280x720 [SAR 1:1 DAR 16:9], 200 kb/s, 25 fps, 25 tbr\n"
                        "  Stream #0:1[0x2](und): Audio: aac (LC), 44100 Hz, stereo, fltp\n")
    assert (video.duration_ms, video.has_video, video.has_audio, video.width, video.height, video.fps) == \
        (62_500, True, True, 1280, 720, 25.0)
    cover = parse_probe("  Duration: 00:00:20.04, start: 0.025057, bitrate: 64 kb/s\n"
                        "  Stream #0:0: Audio: mp3 (mp3float), 44100 Hz, mono, fltp, 64 kb/s\n"
                        "  Stream #0:1: Video: mjpeg (Baseline), yuvj420p, 300x300, 90k tbr (attached pic)\n")
    assert (cover.has_video, cover.has_audio, cover.audio_codec) == (False, True, "mp3")


def test_progress_lines():
    assert _progress_ms("out_time_us=1500000\n") == 1500
    assert _progress_ms("out_time_ms=2500000") == 2500   # microseconds despite its name
    assert _progress_ms("out_time_us=N/A") is None
    assert _progress_ms("progress=end") is None


def test_retime_transcript_clips_and_shifts_into_reel_time():
    cuts = [Cut(2500, 4000, "a"), Cut(10_000, 11_000, "b")]
    retimed = retime_transcript(TRANSCRIPT, cuts, [0, 1500])
    assert [(s.start_ms, s.end_ms, s.text) for s in retimed.segments] == [
        (0, 500, "Line 2 here."), (500, 1500, "Line 3 here."), (1500, 2500, "Line 10 here.")]


# ----- real ffmpeg ---------------------------------------------------------------------


def test_accurate_reel_has_exact_length_chapters_and_sidecar(reel_media, tmp_path):
    cuts = plan_cuts(HIGHLIGHTS, 500, 30_000)
    expected_ms = sum(c.duration_ms for c in cuts)
    assert expected_ms == 5000 + 3700
    seen = []
    out = tmp_path / "reel.mp4"
    result = ReelJob(reel_media.video, cuts, out, ReelOptions(sidecar="vtt"), transcript=TRANSCRIPT,
                     on_progress=lambda f, left: seen.append(f)).run()
    assert result.output == out and out.is_file()
    info = probe(out)
    assert info.has_video and info.has_audio and info.video_codec == "h264" and info.audio_codec == "aac"
    assert abs(video_frames(out) / FPS - expected_ms / 1000) <= 1 / FPS
    assert abs(stream_seconds(out, "a:0") - expected_ms / 1000) <= 1 / FPS
    chapters = read_chapters(out)
    assert [title for _, _, title in chapters] == [
        "Why = matters; #1 / one two three four five six seven eight …", "Third point"]
    # Smart cut keeps whole frames: 8.7 s at 25 fps is 217.5 frames, so the reel ends within
    # half a frame of the plan, and the chapters say where it really ends.
    assert [s for s, _, _ in chapters] == [0, 5000]
    assert abs(chapters[-1][1] - 8700) <= 1000 / FPS / 2 and chapters[-1][1] == result.duration_ms
    assert result.method == "smart cut" and result.fallback_reason is None and result.planned_ms == 8700
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    sidecar = out.with_suffix(".vtt")
    assert result.sidecar == sidecar
    vtt = sidecar.read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    assert "00:00:05.000 --> 00:00:05.200\nLine 14 here." in vtt   # cut 2 starts at 14.8 s
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reel.mp4", "reel.vtt"]


def test_fast_reel_is_within_a_keyframe_per_cut(reel_media, tmp_path):
    cuts = plan_cuts(HIGHLIGHTS, 500, 30_000)
    out = tmp_path / "fast.mp4"
    result = ReelJob(reel_media.video, cuts, out, ReelOptions(mode="fast")).run()
    expected = sum(c.duration_ms for c in cuts) / 1000
    length = probe(out).duration_ms / 1000
    assert expected - 0.1 <= length <= expected + len(cuts) * KEYFRAME_S + 0.1
    chapters = read_chapters(out)
    assert [title for _, _, title in chapters] == [c.title for c in cuts]
    assert chapters[0][0] == 0 and abs(chapters[-1][1] - result.duration_ms) <= 50
    for (start, end, _), cut in zip(chapters, cuts):
        assert cut.duration_ms - 100 <= end - start <= cut.duration_ms + KEYFRAME_S * 1000 + 100
    # The result states the real length, the chapters the real starts: each cut starts at
    # the keyframe at or before its start (2.5 s -> 2 s, 14.8 s -> 14 s) and ends at its end.
    assert (result.method, result.fallback_reason, result.planned_ms) == ("stream copy", None, 8700)
    # (Give or take a packet of sound at each end: a segment's sound starts and ends on its own packets.)
    assert [t for s, e, _ in result.chapters for t in (s, e)] == pytest.approx([0, 5500, 5500, 10_000], abs=100)
    assert abs(video_frames(out) * 1000 / FPS - result.duration_ms) <= 50
    second = result.chapters[1][0] / 1000
    assert gray_frame(out, second + 0.06) in [gray_frame(reel_media.video, 14 + (k + 0.5) / FPS) for k in range(3)]


@pytest.mark.parametrize("source,suffix,codec", [("m4a", ".m4a", "aac"), ("mp3", ".mp3", "mp3"),
                                                 ("m4a", ".mp3", "mp3")])
def test_audio_lecture_gives_audio_reel_with_chapters(reel_media, tmp_path, source, suffix, codec):
    cuts = plan_cuts([H(1, 2000, 4000, "one"), H(2, 10_000, 12_000, "two")], 500, 20_000)
    out = tmp_path / f"reel{suffix}"
    notices = []
    result = ReelJob(getattr(reel_media, source), cuts, out, on_notice=notices.append).run()
    # A sound-only reel is made as before: cut and encoded in one go, no smart cut to speak of.
    assert (result.method, result.fallback_reason, notices) == ("re-encode", None, [])
    info = probe(out)
    assert not info.has_video and info.has_audio and info.audio_codec.startswith(codec)
    assert abs(info.duration_ms - 6000) <= 100
    assert [t for _, _, t in read_chapters(out)] == ["one", "two"]


def test_audio_lecture_cannot_become_a_video(reel_media, tmp_path):
    with pytest.raises(ReelError, match="no picture"):
        ReelJob(reel_media.m4a, [Cut(0, 1000, "x")], tmp_path / "reel.mp4").run()
    assert list(tmp_path.iterdir()) == []


def test_fast_audio_reel(reel_media, tmp_path):
    out = tmp_path / "fast.mp3"
    ReelJob(reel_media.mp3, [Cut(1000, 3000, "a"), Cut(8000, 9000, "b")], out, ReelOptions(mode="fast")).run()
    assert abs(probe(out).duration_ms - 3000) <= 200
    assert [t for _, _, t in read_chapters(out)] == ["a", "b"]


def test_cancel_from_another_thread_leaves_no_file(tmp_path):
    slow = make_video(tmp_path / "big.mp4", seconds=10, size="640x360")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    started = threading.Event()
    job = ReelJob(slow, [Cut(0, 10_000, "all")], out_dir / "reel.mp4",
                  ReelOptions(preset="veryslow", crf=10, sidecar="srt", smart_cut=False), transcript=TRANSCRIPT,
                  on_progress=lambda f, left: started.set())
    outcome = {}

    def work():
        try:
            job.run()
            outcome["result"] = "finished"
        except ReelCancelled as error:
            outcome["result"] = error

    worker = threading.Thread(target=work)
    worker.start()
    assert started.wait(30), "no progress reported"
    job.cancel()
    worker.join(30)
    assert not worker.is_alive()
    assert isinstance(outcome["result"], ReelCancelled)
    assert list(out_dir.iterdir()) == []


def test_cancel_before_run_does_nothing(reel_media, tmp_path):
    job = ReelJob(reel_media.video, [Cut(0, 1000, "x")], tmp_path / "reel.mp4")
    job.cancel()
    with pytest.raises(ReelCancelled):
        job.run()
    assert list(tmp_path.iterdir()) == []


NASTY = "-odd 'quoted' \"twice\" ünïcødé, [x]; a=b #1.mp4"


def test_awkward_file_names(reel_media, tmp_path):
    folder = tmp_path / "a folder 'with' ünï"
    folder.mkdir()
    media = folder / NASTY
    shutil.copy(reel_media.video, media)
    out = folder / ("-" + NASTY)
    ReelJob(media, [Cut(1000, 2000, "a")], out, ReelOptions(sidecar="srt"), transcript=TRANSCRIPT).run()
    assert probe(out).has_video
    assert out.with_suffix(".srt").read_text(encoding="utf-8").startswith("1\n00:00:00,000 --> 00:00:01,000")


def test_missing_output_folder_is_a_clear_error(reel_media, tmp_path):
    with pytest.raises(OutputRefused, match="no such folder"):
        ReelJob(reel_media.video, [Cut(0, 1000, "x")], tmp_path / "nowhere" / "reel.mp4").run()
    assert list(tmp_path.iterdir()) == []


def test_ffmpeg_failure_reports_its_words_and_leaves_no_file(reel_media, tmp_path):
    with pytest.raises(ReelError) as caught:
        ReelJob(reel_media.video, [Cut(0, 1000, "x")], tmp_path / "reel.mp4",
                ReelOptions(preset="nonsense", smart_cut=False)).run()
    assert "ffmpeg failed" in str(caught.value) and "nonsense" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_ffmpeg_from_the_environment(reel_media, tmp_path, monkeypatch):
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(tmp_path / "no-such-ffmpeg"))
    with pytest.raises(ReelError, match="cannot run ffmpeg"):
        ReelJob(reel_media.video, [Cut(0, 1000, "x")], tmp_path / "reel.mp4").run()
    assert list(tmp_path.iterdir()) == []


def test_captions_and_title_cards(reel_media, tmp_path):
    cuts = plan_cuts(HIGHLIGHTS, 500, 30_000)
    out = tmp_path / "cards.mp4"
    result = ReelJob(reel_media.video, cuts, out,
                     ReelOptions(captions=True, title_cards=True, card_ms=1000, sidecar="srt"),
                     transcript=TRANSCRIPT, highlights={h.id: h for h in HIGHLIGHTS}).run()
    expected = sum(c.duration_ms for c in cuts) + 1000 * len(cuts)
    assert abs(video_frames(out) / FPS * 1000 - expected) <= 1000 / FPS
    assert [(s, e) for s, e, _ in read_chapters(out)] == [(0, 6000), (6000, 10_700)]
    assert result.duration_ms == expected
    # The first line heard starts after the 1 s card.
    assert "00:00:01,000 --> 00:00:01,500\nLine 2 here." in out.with_suffix(".srt").read_text(encoding="utf-8")


def test_fast_mode_refuses_captions(reel_media, tmp_path):
    with pytest.raises(ReelError, match="accurate mode"):
        ReelJob(reel_media.video, [Cut(0, 1000, "x")], tmp_path / "r.mp4",
                ReelOptions(mode="fast", captions=True), transcript=TRANSCRIPT).run()


def test_the_reel_and_its_sidecar_get_the_permissions_of_any_new_file(reel_media, tmp_path):
    import os
    import stat

    umask = os.umask(0o027)   # the test sets the umask; the reel only lets the kernel apply it
    try:
        out = tmp_path / "reel.mp4"
        ReelJob(reel_media.video, [Cut(0, 500, "x")], out, ReelOptions(sidecar="srt"), transcript=TRANSCRIPT).run()
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert stat.S_IMODE(out.with_suffix(".srt").stat().st_mode) == 0o640


# ----- never onto the learner's files, both files or neither -----------------------------


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_reel_is_never_written_onto_the_lecture_before_any_ffmpeg_work(reel_media, tmp_path):
    media = tmp_path / "lecture.mp4"
    shutil.copy(reel_media.video, media)
    before = folder_state(tmp_path)
    # No ffmpeg at all: the refusal must come before anything runs.
    job = ReelJob(media, [Cut(0, 1000, "x")], media, force=True, ffmpeg=str(tmp_path / "no-ffmpeg"))
    with pytest.raises(OutputIsProtected, match="the lecture's media"):
        job.run()
    assert folder_state(tmp_path) == before


def test_the_sidecar_is_never_written_onto_a_transcript_the_library_knows(reel_media, tmp_path):
    transcript = tmp_path / "lecture.srt"
    transcript.write_text("1\n00:00:00,000 --> 00:00:01,000\nmine\n", encoding="utf-8")
    before = folder_state(tmp_path)
    job = ReelJob(reel_media.video, [Cut(0, 1000, "x")], tmp_path / "lecture.mp4", ReelOptions(sidecar="srt"),
                  transcript=TRANSCRIPT, protected={transcript: "a transcript in your library"}, force=True)
    with pytest.raises(OutputIsProtected, match="lecture.srt: this is a transcript in your library"):
        job.run()
    assert folder_state(tmp_path) == before   # not the reel either


def test_an_existing_reel_or_sidecar_is_replaced_only_when_asked(reel_media, tmp_path):
    out = tmp_path / "reel.mp4"
    sidecar = tmp_path / "reel.vtt"
    sidecar.write_text("old sidecar", encoding="utf-8")

    def job(**extra):
        return ReelJob(reel_media.video, [Cut(0, 500, "x")], out, ReelOptions(sidecar="vtt"),
                       transcript=TRANSCRIPT, **extra)

    with pytest.raises(OutputExists, match="reel.vtt"):
        job().run()
    assert folder_state(tmp_path) == {"reel.vtt": b"old sidecar"}   # the reel was not made either
    job(force=True).run()
    assert probe(out).has_video and sidecar.read_text(encoding="utf-8").startswith("WEBVTT")
    with pytest.raises(OutputExists, match="reel.mp4"):
        job().run()


def test_a_failed_reel_leaves_the_old_files_whole(reel_media, tmp_path):
    out = tmp_path / "reel.mp4"
    out.write_bytes(b"old reel")
    out.with_suffix(".srt").write_bytes(b"old sidecar")
    before = folder_state(tmp_path)
    with pytest.raises(ReelError, match="nonsense"):
        ReelJob(reel_media.video, [Cut(0, 1000, "x")], out,
                ReelOptions(preset="nonsense", sidecar="srt", smart_cut=False), transcript=TRANSCRIPT,
                force=True).run()
    assert folder_state(tmp_path) == before


@pytest.fixture
def small_disk(tmp_path):
    """A 300 KB tmpfs: a reel does not fit on it."""
    folder = tmp_path / "small disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_is_named_first(reel_media, small_disk):
    out = small_disk / "reel.mp4"
    with pytest.raises(ReelError) as caught:
        ReelJob(reel_media.video, [Cut(0, 30_000, "all")], out, ReelOptions(crf=0, sidecar="srt"),
                transcript=TRANSCRIPT).run()
    first, *details = str(caught.value).splitlines()
    assert first.startswith("no space left on device") and str(small_disk) in first
    assert any("No space left on device" in line for line in details)   # ffmpeg's words after
    assert list(small_disk.iterdir()) == []


# ----- title cards: the note drawn as written, inside the frame -------------------------


def gray_frame(video: Path, at_s: float) -> tuple[int, int, bytes]:
    """One frame of `video` as 8-bit gray pixels: (width, height, bytes row by row)."""
    info = probe(video)
    pixels = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-ss", f"{at_s:.3f}", "-i",
                             str(video), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                            capture_output=True, check=True).stdout
    assert len(pixels) == info.width * info.height
    return info.width, info.height, pixels


def ink(frame: tuple[int, int, bytes], columns: range | None = None, rows: range | None = None) -> int:
    """How many pixels are drawn (bright) in the given columns and rows (all by default)."""
    width, height, pixels = frame
    columns = columns if columns is not None else range(width)
    rows = rows if rows is not None else range(height)
    return sum(1 for y in rows for x in columns if pixels[y * width + x] > 128)


def card_frame(media: Path, folder: Path, note: str, tags=()) -> tuple[int, int, bytes]:
    """The title card a reel of one highlight with `note` starts with."""
    highlight = H(1, 1000, 2000, note=note, tags=tuple(tags))
    out = folder / f"card {len(list(folder.iterdir()))}.mp4"
    ReelJob(media, plan_cuts([highlight], 0, 30_000), out, ReelOptions(title_cards=True, card_ms=400),
            highlights={1: highlight}).run()
    return gray_frame(out, 0.1)


def title_ink(media: Path, folder: Path, note: str) -> int:
    """The ink of a card's title alone: the card's, less that of a card titled "."."""
    return ink(card_frame(media, folder, note)) - ink(card_frame(media, folder, "."))


def test_title_cards_take_percent_signs_and_backslashes_as_written(reel_media, tmp_path):
    plain = title_ink(reel_media.video, tmp_path, "rose 50 this year")
    percent = title_ink(reel_media.video, tmp_path, "rose 50% this year")   # failed the reel
    assert percent > plain
    # A backslash is drawn, not taken as an escape of the character after it.
    assert title_ink(reel_media.video, tmp_path, r"C:\new\t") > title_ink(reel_media.video, tmp_path, "C:newt")


def test_title_cards_never_evaluate_expressions(reel_media, tmp_path):
    expression = title_ink(reel_media.video, tmp_path, "%{eif:6*7:d}")
    # The same characters in an order that is no expression draw about as much ink;
    # "42", what the expression evaluates to, far less.
    same_characters = title_ink(reel_media.video, tmp_path, "d:7*6:fie{%}")
    answer = title_ink(reel_media.video, tmp_path, "42")
    assert abs(expression - same_characters) <= 0.1 * same_characters
    assert expression > 3 * answer
    clock = title_ink(reel_media.video, tmp_path, "%{localtime}")
    assert abs(clock - title_ink(reel_media.video, tmp_path, "}emitlacol{%")) <= 0.1 * clock


@pytest.mark.parametrize("note", [
    "W" * 300,
    "Supercalifragilisticexpialidociously " * 12,
    "WWWW MMMM mmmm wwww @@@@ %%%% " * 10,
    "長い文章は枠の中に収まるように折り返されます。" * 6,
])
def test_long_title_cards_stay_inside_the_frame(reel_media, tmp_path, note):
    frame = card_frame(reel_media.video, tmp_path, note, tags=[f"tag{i}-with-a-long-name" for i in range(20)])
    width, height, _ = frame
    margin = width // 25
    assert ink(frame) > 500   # something was drawn
    assert ink(frame, columns=range(width - margin, width)) == 0
    assert ink(frame, columns=range(margin)) == 0
    assert ink(frame, rows=range(height // 40)) == 0 and ink(frame, rows=range(height - height // 40, height)) == 0


def test_card_text_wraps_to_the_frame_and_ends_with_an_ellipsis():
    from player.core.reel import CardLayout, text_width_em, wrap_to_width

    assert wrap_to_width("one two three", 100, 3) == ["one two three"]
    lines = wrap_to_width("aaaa bbbb cccc dddd", text_width_em("aaaa bbbb"), 5)
    assert lines == ["aaaa bbbb", "cccc dddd"]
    broken = wrap_to_width("x" * 30, text_width_em("x" * 10), 5)
    assert broken == ["x" * 10] * 3
    capped = wrap_to_width("word " * 50, text_width_em("word word"), 2)
    assert len(capped) == 2 and capped[-1].endswith("…") and text_width_em(capped[-1]) <= text_width_em("word word")
    assert wrap_to_width("no room", 10, 0) == []
    tiny = CardLayout.for_frame(64, 36)   # room for two lines: the title and the times, no tags
    lines = tiny.lines("a title", "#tag", "0:01 - 0:02")
    assert tiny.max_lines == 2 and lines[0] == "a title" and lines[1].endswith("…") and len(lines) == 2
    layout = CardLayout.for_frame(320, 240)
    lines = layout.lines("t " * 400, "#a " * 400, "0:01 - 0:03")
    assert len(lines) == layout.max_lines and lines[-1] == "0:01 - 0:03"
    assert all(text_width_em(line) <= layout.max_em for line in lines)


# ----- burned captions: every character of the transcript as itself ---------------------


@pytest.fixture(scope="module")
def black_video(tmp_path_factory) -> Path:
    """3 s of black picture with a tone: whatever is bright in a frame was drawn on it."""
    path = tmp_path_factory.mktemp("black") / "black.mp4"
    run_ffmpeg("-f", "lavfi", "-i", f"color=c=black:s=320x240:r={FPS}:d=3", "-f", "lavfi", "-i", "sine=d=3",
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
               str(path))
    return path


def caption_frame(video: Path, folder: Path, text: str) -> tuple[int, int, bytes]:
    """A frame of a reel whose burned-in caption is `text`."""
    out = folder / f"captions {len(list(folder.iterdir()))}.mp4"
    ReelJob(video, [Cut(0, 1000, "x")], out, ReelOptions(captions=True, chapters=False),
            transcript=Transcript([Segment(0, 1000, text)])).run()
    return gray_frame(out, 0.5)


def drawn_box(frame: tuple[int, int, bytes]) -> tuple[int, int, int, int]:
    """(left, top, width, height) of what is drawn."""
    width, height, pixels = frame
    xs = [i % width for i, value in enumerate(pixels) if value > 128]
    ys = [i // width for i, value in enumerate(pixels) if value > 128]
    assert xs, "nothing was drawn"
    return min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


def test_caption_tags_in_the_words_cannot_move_a_caption(black_video, tmp_path):
    frame = caption_frame(black_video, tmp_path, r"{x\an8}TEXT")
    width, height, _ = frame
    assert ink(frame, rows=range(height // 2)) == 0      # nothing at the top
    assert ink(frame, rows=range(height // 2, height)) > 0


def test_caption_tags_in_the_words_cannot_resize_a_caption(black_video, tmp_path):
    sized = drawn_box(caption_frame(black_video, tmp_path, r"{\fs60}Hello"))
    plain = drawn_box(caption_frame(black_video, tmp_path, r"(\fs60)Hello"))
    assert abs(sized[3] - plain[3]) <= 2
    # A restyling block is drawn as its characters, not applied to the rest.
    styled = caption_frame(black_video, tmp_path, r"{ \fs60\c&H0000FF&}Hello")
    assert drawn_box(styled)[3] <= plain[3] + 2 and drawn_box(styled)[2] > plain[2]


def test_caption_braces_and_backslash_sequences_are_drawn(black_video, tmp_path):
    braced = drawn_box(caption_frame(black_video, tmp_path, "{USD}"))
    bare = drawn_box(caption_frame(black_video, tmp_path, "USD"))
    assert braced[2] > bare[2]
    # "\N" is no line break and "\h" no hard space: one line, as tall as a line without them.
    broken = drawn_box(caption_frame(black_video, tmp_path, r"one\Ntwo\hthree"))
    one_line = drawn_box(caption_frame(black_video, tmp_path, r"one\Mtwo\kthree"))
    assert abs(broken[3] - one_line[3]) <= 2 and abs(broken[2] - one_line[2]) <= 0.1 * one_line[2]


def render_ass_event(text: str, folder: Path) -> tuple[int, int, bytes]:
    """libass (ffmpeg's ass filter) drawing one event whose Text field is `text`, verbatim."""
    from player.core.formats.writers import to_ass

    ass = to_ass(Transcript([Segment(0, 1000, "PLACEHOLDER")]), 320, 240).replace("PLACEHOLDER", text)
    path = folder / f"event {len(list(folder.iterdir()))}.ass"
    path.write_text(ass, encoding="utf-8")
    pixels = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                             "color=c=black:s=320x240:d=1", "-vf", f"ass={path.name}", "-frames:v", "1",
                             "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                            capture_output=True, check=True, cwd=folder).stdout
    return 320, 240, pixels


def test_the_word_joiner_after_a_backslash_draws_nothing(tmp_path):
    # "x\y" means nothing to libass: the escaped form must draw exactly the same pixels.
    from player.core.formats.writers import escape_ass_text

    assert escape_ass_text(r"x\y") != r"x\y"
    assert render_ass_event(escape_ass_text(r"x\y"), tmp_path)[2] == render_ass_event(r"x\y", tmp_path)[2]
    assert render_ass_event(escape_ass_text("a{b}c"), tmp_path)[2] != render_ass_event("abc", tmp_path)[2]


@pytest.mark.parametrize("smart_cut", [False, True])
def test_a_progress_callback_that_raises_stops_ffmpeg_and_leaves_nothing(reel_media, tmp_path, smart_cut):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    processes = []

    def broken(fraction, left):
        processes.extend(child.process for child in job._children)
        raise RuntimeError("the progress bar is gone")

    job = ReelJob(reel_media.video, [Cut(0, 20_000, "x")], out_dir / "reel.mp4",
                  ReelOptions(preset="veryslow", smart_cut=smart_cut), on_progress=broken)
    with pytest.raises(RuntimeError, match="progress bar"):
        job.run()
    # Every ffmpeg then running (a smart cut runs several at once) was ended and reaped.
    assert processes and all(process.returncode is not None for process in processes)
    assert job._children == [] and list(out_dir.iterdir()) == []


def test_a_fast_reel_of_many_cuts(reel_media, tmp_path):
    # More cuts than one ffmpeg opens inputs for (smartcut.MOST_INPUTS): copied in batches.
    from player.core.smartcut import MOST_INPUTS

    cuts = [Cut(600 * n + 100, 600 * n + 400, f"cut {n}") for n in range(MOST_INPUTS + 5)]
    out = tmp_path / "fast.mp4"
    result = ReelJob(reel_media.video, cuts, out, ReelOptions(mode="fast")).run()
    assert [title for _, _, title in read_chapters(out)] == [cut.title for cut in cuts]
    assert abs(probe(out).duration_ms - result.duration_ms) <= 50

"""`transcript-player reel`: a real library, real media, real ffmpeg; errors as one line."""

from __future__ import annotations

import shutil

import pytest

from player.cli import main
from player.core.library import Library
from player.core.reel import probe
from player.core.transcript import Segment, Transcript
from tests.core.test_reel import make_audio, make_video, read_chapters

TRANSCRIPT = Transcript([Segment(i * 1000, i * 1000 + 1000, f"Line {i} here.") for i in range(30)])


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli reel")
    return make_video(folder / "lecture.mp4"), make_audio(folder / "talk.m4a")


@pytest.fixture
def setup(media, tmp_path):
    video, audio = media
    library_path = tmp_path / "library.sqlite"
    with Library.open(library_path) as library:
        lecture = library.import_lecture(video, TRANSCRIPT)
        library.add_highlight(lecture.id, 2000, 4000, 1, ["exam"], "Definition of a limit")
        library.add_highlight(lecture.id, 10_000, 12_000, 2, ["review"], None)
        library.add_highlight(lecture.id, 20_000, 21_000, 2, ["exam"], "Worked example")
        talk = library.import_lecture(audio)
        library.add_highlight(talk.id, 1000, 3000, 1, [], "Audio point")
    return video, audio, library_path


def run(capsys, *argv):
    code = main(["reel", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_reel_by_tag_with_chapters_and_sidecar(setup, tmp_path, capsys):
    video, _, library = setup
    out = tmp_path / "exam reel.mp4"
    code, stdout, stderr = run(capsys, video, "-o", out, "--tag", "exam", "--sidecar", "srt",
                               "--library", library)
    assert code == 0, stderr
    assert "wrote" in stdout and "2 cuts from 2 highlights" in stdout
    assert "(smart cut)" in stdout   # the method the reel was made with
    assert "100.0 %" in stderr   # progress lines (not a terminal: one every 10 %)
    assert [(s, e, t) for s, e, t in read_chapters(out)] == [
        (0, 3000, "Definition of a limit"), (3000, 5000, "Worked example")]
    assert out.with_suffix(".srt").is_file()


def test_reel_fast_by_colour(setup, tmp_path, capsys):
    video, _, library = setup
    out = tmp_path / "colour.mp4"
    code, _, stderr = run(capsys, video, "-o", out, "--color", "2", "--mode", "fast", "--pad", "0",
                          "--no-chapters", "--quiet", "--library", library)
    assert code == 0, stderr
    assert stderr == ""
    assert read_chapters(out) == []
    assert 3000 <= probe(out).duration_ms <= 3000 + 2 * 2000 + 100


def test_audio_lecture(setup, tmp_path, capsys):
    _, audio, library = setup
    out = tmp_path / "talk reel.m4a"
    code, _, stderr = run(capsys, audio, "-o", out, "--library", library, "--sidecar", "vtt")
    assert code == 0, stderr
    assert not probe(out).has_video
    assert "no transcript" in stderr and not out.with_suffix(".vtt").exists()


def test_nothing_matches(setup, tmp_path, capsys):
    video, _, library = setup
    code, _, stderr = run(capsys, video, "-o", tmp_path / "r.mp4", "--tag", "nope", "--library", library)
    assert code == 2 and "nothing to export" in stderr and "'nope'" in stderr
    assert not (tmp_path / "r.mp4").exists()


def test_media_not_in_library(setup, tmp_path, capsys):
    video, _, library = setup
    stranger = tmp_path / "other.mp4"
    shutil.copy(video, stranger)
    with open(stranger, "ab") as handle:   # different content: a different lecture
        handle.write(b"\0" * 1024)
    code, _, stderr = run(capsys, stranger, "-o", tmp_path / "r.mp4", "--library", library)
    assert code == 2 and "not in the library" in stderr


def test_missing_media_and_unwritable_output(setup, tmp_path, capsys):
    video, _, library = setup
    code, _, stderr = run(capsys, tmp_path / "gone.mp4", "-o", tmp_path / "r.mp4", "--library", library)
    assert code == 2 and "no such media file" in stderr
    code, _, stderr = run(capsys, video, "-o", tmp_path / "no dir" / "r.mp4", "--library", library)
    assert code == 2 and "no such folder" in stderr
    code, _, stderr = run(capsys, video, "-o", tmp_path / "r.avi", "--library", library, "--quiet")
    assert code == 2 and ".mp4" in stderr
    assert not any(p.suffix in (".mp4", ".avi") for p in tmp_path.iterdir())


def test_awkward_names_through_the_cli(setup, tmp_path, capsys):
    video, _, library = setup
    odd = tmp_path / "-lecture 'one' ünï.mp4"
    shutil.copy(video, odd)
    out = tmp_path / "-reel \"two\" ünï.mp4"
    code, _, stderr = run(capsys, odd, "-o", out, "--id", "1",
                          "--library", library, "--quiet")
    assert code == 0, stderr
    assert probe(out).has_video


def test_a_reel_that_cannot_be_smart_cut_says_why(setup, tmp_path, capsys):
    video, _, library = setup
    out = tmp_path / "cards.mp4"
    code, stdout, stderr = run(capsys, video, "-o", out, "--tag", "exam", "--title-cards", "--library", library)
    assert code == 0, stderr
    assert "(re-encode)" in stdout
    assert "reel: note:" in stderr and "title card" in stderr

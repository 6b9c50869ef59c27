"""`export -o` and `reel -o` never write onto what the learner owns (the lecture's media, a
transcript the library knows, the library itself), and replace an existing file only with
--force. Run as a user runs them: real processes, real media, a real library file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from player.core.library import Library
from tests.conftest import assert_one_line_error, write_srt

CUES = [(i * 1.0, i * 1.0 + 1.0, f"Line {i} of the lecture.") for i in range(12)]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "player", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def lecture(tmp_path, video_mp4):
    """lecture.mp4 with its transcript lecture.srt beside it, imported into library.sqlite3
    with one highlight."""
    media = tmp_path / "lecture.mp4"
    shutil.copy(video_mp4, media)
    srt = write_srt(tmp_path / "lecture.srt", CUES)
    library = tmp_path / "library.sqlite3"
    imported = run("import", media, "--library", library)
    assert imported.returncode == 0, imported.stderr
    added = run("highlight", "add", media, "--start", "2", "--end", "4", "--note", "the point", "--library", library)
    assert added.returncode == 0, added.stderr
    return media, srt, library


def test_export_onto_the_lecture_itself_is_refused_and_the_video_is_untouched(lecture):
    media, _srt, library = lecture
    before = digest(media)
    result = run("export", media, "--format", "md", "-o", media, "--library", library)
    assert_one_line_error(result, str(media), "the lecture's media", "never overwritten")
    assert digest(media) == before
    # --force replaces an existing file, never one of the learner's own.
    result = run("export", media, "--format", "md", "-o", media, "--library", library, "--force")
    assert_one_line_error(result, "the lecture's media")
    assert digest(media) == before


@pytest.mark.parametrize("name, what", [("library.sqlite3", "your library"), ("lecture.srt", "a transcript")])
def test_export_onto_the_library_or_the_transcript_is_refused(lecture, name, what):
    media, _srt, library = lecture
    target = media.parent / name
    before = digest(target)
    result = run("export", media, "--format", "md", "-o", target, "--library", library, "--force")
    assert_one_line_error(result, str(target), what)
    assert digest(target) == before
    with Library.open(library) as opened:
        assert [h.note for h in opened.highlights()] == ["the point"]


def test_reel_sidecar_never_replaces_the_lectures_transcript(lecture):
    media, srt, library = lecture
    before = digest(srt)
    out = media.with_suffix(".m4a")
    result = run("reel", media, "--sidecar", "srt", "-o", out, "--library", library, "--quiet")
    assert_one_line_error(result, str(srt), "a transcript in your library")
    assert digest(srt) == before
    assert not out.exists()
    result = run("reel", media, "--sidecar", "srt", "-o", out, "--library", library, "--quiet", "--force")
    assert_one_line_error(result, str(srt))
    assert digest(srt) == before and not out.exists()
    # Nothing half-made beside it either.
    assert sorted(p.name for p in media.parent.iterdir() if not p.name.startswith("library.sqlite3")) == [
        "lecture.mp4", "lecture.srt"]


def test_reel_onto_the_lecture_or_the_library_is_refused(lecture):
    media, _srt, library = lecture
    for target, what in ((media, "the lecture's media"), (library, "your library")):
        before = digest(target)
        result = run("reel", media, "-o", target, "--library", library, "--quiet", "--force")
        assert_one_line_error(result, what)
        assert digest(target) == before


def test_export_onto_an_unrelated_file_needs_force(lecture):
    media, _srt, library = lecture
    notes = media.parent / "my notes.md"
    notes.write_text("my own notes\n", encoding="utf-8")
    result = run("export", media, "-o", notes, "--library", library)
    assert_one_line_error(result, str(notes), "exists already")
    assert notes.read_text(encoding="utf-8") == "my own notes\n"
    result = run("export", media, "-o", notes, "--library", library, "--force")
    assert result.returncode == 0, result.stderr
    assert "the point" in notes.read_text(encoding="utf-8")
    assert [p.name for p in media.parent.iterdir() if p.name.endswith(".part.md")] == []


def test_reel_onto_an_unrelated_file_needs_force(lecture):
    media, _srt, library = lecture
    out = media.parent / "reel.mp4"
    out.write_bytes(b"an older reel I want to keep")
    sidecar = out.with_suffix(".vtt")
    result = run("reel", media, "-o", out, "--library", library, "--quiet")
    assert_one_line_error(result, str(out), "exists already")
    assert out.read_bytes() == b"an older reel I want to keep"
    # The sidecar is checked the same way, before any work.
    sidecar.write_text("WEBVTT\n\nmine\n", encoding="utf-8")
    out.unlink()
    result = run("reel", media, "-o", out, "--sidecar", "vtt", "--library", library, "--quiet")
    assert_one_line_error(result, str(sidecar), "exists already")
    assert not out.exists() and sidecar.read_text(encoding="utf-8") == "WEBVTT\n\nmine\n"
    out.write_bytes(b"an older reel I want to keep")
    result = run("reel", media, "-o", out, "--sidecar", "vtt", "--library", library, "--quiet", "--force")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[4:8] == b"ftyp"
    assert sidecar.read_text(encoding="utf-8").startswith("WEBVTT") and "Line 2" in sidecar.read_text(encoding="utf-8")


def test_a_hard_link_to_the_media_is_the_media(lecture):
    media, _srt, library = lecture
    alias = media.parent / "alias.md"
    os.link(media, alias)
    before = digest(media)
    result = run("export", media, "--format", "md", "-o", alias, "--library", library, "--force")
    assert_one_line_error(result, "the lecture's media")
    assert digest(media) == before

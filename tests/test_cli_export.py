"""`transcript-player export`, run as a user runs it: a real library file, real media, and
errors that are one line and leave no file behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from player.cli import main
from player.core.library import Library
from player.core.transcript import Segment, Transcript
from tests.conftest import assert_one_line_error

YOUTUBE = "https://www.youtube.com/watch?v=abc123XYZ_-"


@pytest.fixture
def library_file(tmp_path, tone_mp3):
    path = tmp_path / "library.sqlite"
    with Library.open(path) as library:
        lecture = library.import_lecture(tone_mp3, Transcript(
            [Segment(i * 2000, i * 2000 + 2000, f"Line {i}: <b>bold</b> & #{i}") for i in range(10)]))
        library.add_highlight(lecture.id, 1000, 3000, 1, ["exam"], "# note\nline two")
        library.add_highlight(lecture.id, 8000, 9000, 2, ["week 2"], None)
    return path


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def export(capsys, *args):
    code = main(["export", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("format", ["md", "csv", "json", "srt", "vtt", "apkg"])
def test_every_format_is_written(capsys, library_file, tone_mp3, out_dir, format):
    out = out_dir / f"notes.{format}"
    code, stdout, err = export(capsys, tone_mp3, "--format", format, "-o", out, "--library", library_file,
                               "--source-url", YOUTUBE)
    assert code == 0, err
    assert stdout == f"exported 2 highlights of tone lecture to {out}\n"
    assert out.stat().st_size > 0 and sorted(p.name for p in out_dir.iterdir()) == [out.name]
    if format == "md":
        assert f"]({YOUTUBE}&t=1s)" in out.read_text(encoding="utf-8")
    if format == "apkg":
        with zipfile.ZipFile(out) as archive:
            assert len(json.loads(archive.read("media"))) == 2


def test_format_from_the_extension_and_filters(capsys, library_file, tone_mp3, out_dir):
    out = out_dir / "exam.json"
    code, _stdout, err = export(capsys, tone_mp3, "-o", out, "--tag", "exam", "--library", library_file)
    assert code == 0, err
    assert [item["note"] for item in json.loads(out.read_text(encoding="utf-8"))] == ["# note\nline two"]
    code, _stdout, err = export(capsys, tone_mp3, "-o", out, "--color", "2", "--tag", "exam",
                                "--tag", "week 2", "--library", library_file, "--force")
    assert code == 0 and [item["tags"] for item in json.loads(out.read_text(encoding="utf-8"))] == [["week 2"]]


def test_nothing_to_export(capsys, library_file, tone_mp3, out_dir):
    code, _stdout, err = export(capsys, tone_mp3, "--format", "md", "-o", out_dir / "x.md", "--tag", "nope",
                                "--library", library_file)
    assert_one_line_error((code, err), "nothing to export", "nope")
    assert list(out_dir.iterdir()) == []


def test_media_not_in_the_library(capsys, library_file, video_mp4, out_dir):
    code, _stdout, err = export(capsys, video_mp4, "--format", "md", "-o", out_dir / "x.md",
                                "--library", library_file)
    assert_one_line_error((code, err), "import it first")
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("where, says", [("missing folder", "no such folder"), ("a folder", "it is a folder"),
                                         ("read-only folder", "cannot write"), ("proc", "cannot write")])
def test_output_that_cannot_be_written(capsys, library_file, tone_mp3, out_dir, where, says):
    if where == "missing folder":
        out = out_dir / "nowhere" / "x.md"
    elif where == "a folder":
        out = out_dir
    elif where == "proc":  # a folder nobody, not even root, can create files in
        if not os.path.isdir("/proc/self"):
            pytest.skip("no /proc")
        out = "/proc/self/notes.md"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        out = out_dir / "x.md"
        out_dir.chmod(0o555)
    try:
        code, _stdout, err = export(capsys, tone_mp3, "--format", "md", "-o", out, "--library", library_file)
    finally:
        out_dir.chmod(0o755)
    assert_one_line_error((code, err), says)
    assert list(out_dir.iterdir()) == []


def test_a_failed_anki_export_leaves_no_file(capsys, tmp_path, not_media, out_dir):
    library_path = tmp_path / "library.sqlite"
    with Library.open(library_path) as library:
        lecture = library.import_lecture(not_media)
        library.add_highlight(lecture.id, 0, 1000, 1, [], "a note")
    code, _stdout, err = export(capsys, not_media, "--format", "apkg", "-o", out_dir / "deck.apkg",
                                "--library", library_path)
    assert_one_line_error((code, err), "cannot cut the audio")
    assert list(out_dir.iterdir()) == []


def test_unknown_extension_and_bad_colour_are_usage_errors(capsys, library_file, tone_mp3, out_dir):
    code, _stdout, err = export(capsys, tone_mp3, "-o", out_dir / "x.docx", "--library", library_file)
    assert_one_line_error((code, err), "--format")
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(tone_mp3), "-o", str(out_dir / "x.md"), "--color", "9"])
    assert exit_info.value.code == 2 and capsys.readouterr().err.count("\n") == 1


def test_as_a_process(library_file, tone_mp3, out_dir):
    out = out_dir / "notes.vtt"
    done = subprocess.run([sys.executable, "-m", "player", "export", str(tone_mp3), "-o", str(out),
                           "--library", str(library_file)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")
    missing = subprocess.run([sys.executable, "-m", "player", "export", str(tone_mp3), "-o",
                              str(out_dir / "no" / "x.md"), "--library", str(library_file)],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def test_links_use_the_address_the_transcript_file_names(capsys, tmp_path, tone_mp3, out_dir):
    """The library keeps a transcript's web address (schema v2): the links work even after
    the dataset file it came from is gone."""
    from player.core.formats import load

    dataset = tmp_path / "dataset.csv"
    dataset.write_text("video_id,start,duration,text\nabc123XYZ_-,0.0,2.0,Hello there\n"
                       "abc123XYZ_-,62.0,2.0,General Kenobi\n", encoding="utf-8")
    library_path = tmp_path / "library.sqlite"
    with Library.open(library_path) as library:
        lecture = library.import_lecture(tone_mp3, load(dataset))
        library.add_highlight(lecture.id, 62_500, 63_000, 1, [], None)
    out = out_dir / "notes.md"
    code, _stdout, err = export(capsys, tone_mp3, "-o", out, "--library", library_path)
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert f"## [1:02–1:03]({YOUTUBE}&t=62s)" in page and "> General Kenobi" in page
    dataset.unlink()  # gone: the library still knows where the lecture lives
    code, _stdout, err = export(capsys, tone_mp3, "-o", out, "--library", library_path, "--force")
    assert code == 0 and f"## [1:02–1:03]({YOUTUBE}&t=62s)" in out.read_text(encoding="utf-8")

"""Numbers and names on the command line: out-of-range numbers, times past the lecture's end
and file names that look like options are each one line (exit 2), never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from player.core.library import Library
from tests.conftest import assert_one_line_error


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "player", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


@pytest.fixture
def lecture(tmp_path, video_mp4):
    """The 12 s test video, imported (the library does not know its length yet)."""
    media = tmp_path / "lecture.mp4"
    shutil.copy(video_mp4, media)
    library = tmp_path / "library.sqlite"
    assert run("import", media, "--library", library).returncode == 0
    return media, library


@pytest.mark.parametrize("option, value", [("--end", "1e308"), ("--end", "1e16"), ("--end", "1e15"),
                                           ("--end", "3600001"), ("--start", "1e308"), ("--end", "inf"),
                                           ("--end", "1000001:00:00"), ("--start", "-1")])
def test_times_beyond_any_lecture_are_usage_errors(lecture, option, value):
    media, library = lecture
    times = {"--start": "1", "--end": "2", option: value}
    result = run("highlight", "add", media, "--start", times["--start"], "--end", times["--end"],
                 "--library", library)
    assert_one_line_error(result, f"argument {option}: not a time: {value!r}", "0 to 1000 hours")


def test_search_limit_and_highlight_id_are_bounded(lecture):
    _media, library = lecture
    assert_one_line_error(run("search", "x", "--limit", "99999999999999999999", "--library", library),
                          "the limit must be a whole number from 0 to 1,000,000")
    assert_one_line_error(run("highlight", "remove", "99999999999999999999", "--library", library),
                          "a highlight id must be a whole number from 1 to")
    assert_one_line_error(run("highlight", "remove", "0", "--library", library), "a highlight id")
    # The largest id SQLite can hold is merely not there.
    assert_one_line_error(run("highlight", "remove", str(2**63 - 1), "--library", library),
                          f"no highlight {2**63 - 1}")


@pytest.mark.parametrize("pad", ["1e9", "61", "-1", "nan"])
def test_reel_pad_names_the_allowed_range(lecture, tmp_path, pad):
    media, library = lecture
    result = run("reel", media, "-o", tmp_path / "r.mp4", "--pad", pad, "--library", library)
    assert_one_line_error(result, f"padding must be 0 to 60 seconds, not {pad!r}")


def test_a_highlight_past_the_end_of_the_lecture_is_refused(lecture):
    media, library = lecture
    result = run("highlight", "add", media, "--start", "11", "--end", "13", "--library", library)
    assert_one_line_error(result, "the lecture is 12.0 s long", "cannot end at 13 s")
    # The length asked of ffmpeg is kept, as the window keeps it when it plays the lecture.
    with Library.open(library) as opened:
        (known,) = opened.lectures()
        assert 12_000 <= known.duration_ms < 12_100
        assert opened.highlights() == []
    inside = run("highlight", "add", media, "--start", "10", "--end", "12", "--library", library)
    assert inside.returncode == 0, inside.stderr


def test_a_length_the_library_knows_is_used_without_ffmpeg(lecture):
    media, library = lecture
    with Library.open(library) as opened:
        opened.set_duration(opened.lectures()[0].id, 5000)
    assert_one_line_error(run("highlight", "add", media, "--start", "4", "--end", "6", "--library", library),
                          "the lecture is 5.0 s long")


# Every command, with what it needs besides the stray option.
COMMANDS = [("parse",), ("formats",), ("import",), ("search",), ("highlight",), ("highlight", "add"),
            ("highlight", "list"), ("highlight", "remove"), ("reel", "-o", "r.mp4"), ("export", "-o", "x.md"), ()]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "window")
@pytest.mark.parametrize("stray", ["-rf", "--help.mp4"])
def test_an_unknown_option_is_named_with_how_to_pass_such_a_file(tmp_path, command, stray):
    result = run(*command, stray, "--library", tmp_path / "library.sqlite", cwd=tmp_path)
    if command == ("highlight",):   # before add|list|remove: no file name goes there
        assert_one_line_error(result, f"highlight: unknown option {stray!r}")
    else:
        assert_one_line_error(result, f"unknown option {stray!r}", "'--'", f" -- {stray}")
    assert "required" not in result.stderr


def test_a_file_named_like_an_option_after_double_dash(tmp_path, video_mp4):
    media = tmp_path / "--help.mp4"
    shutil.copy(video_mp4, media)
    transcript = tmp_path / "-rf.srt"
    transcript.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello there\n", encoding="utf-8")
    library = tmp_path / "library.sqlite"
    parsed = run("parse", "--", "-rf.srt", cwd=tmp_path)
    assert parsed.returncode == 0 and "Hello there" in parsed.stdout, parsed.stderr
    imported = run("import", "--library", library, "--transcript", "./-rf.srt", "--", "--help.mp4", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("imported lecture 1: --help") and "1 transcript lines" in imported.stdout
    added = run("highlight", "add", "--start", "1", "--end", "2", "--library", library, "--", "--help.mp4",
                cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    exported = run("export", "-o", "notes.md", "--library", library, "--", "--help.mp4", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "Hello there" in (tmp_path / "notes.md").read_text(encoding="utf-8")


def test_values_that_look_like_numbers_or_have_spaces_are_still_values(lecture):
    media, library = lecture
    result = run("highlight", "add", media, "--start", "1", "--end", "2", "--note", "-not an option, a note",
                 "--tag", "-5", "--library", library)
    assert result.returncode == 0, result.stderr
    assert '"note": "-not an option, a note"' in result.stdout and '"tags": ["-5"]' in result.stdout

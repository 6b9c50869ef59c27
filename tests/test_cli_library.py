"""The library commands (import, search, highlight), run as a user runs them: real processes
on a real library file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from player.cli import SUBCOMMANDS
from tests.conftest import WHISPER_SEED, assert_one_line_error


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "player", *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


def json_lines(text):
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def lecture(tmp_path):
    """A media file with the 1,568-line seed transcript beside it, and a library path."""
    media = tmp_path / "cs224n lecture.mp4"
    media.write_bytes(os.urandom(200_000))
    (tmp_path / "cs224n lecture.txt").write_bytes(WHISPER_SEED.read_bytes())
    return media, tmp_path / "library.sqlite"


def test_every_subcommand_is_in_the_help():
    help_text = run("--help").stdout
    for name in SUBCOMMANDS:
        assert f"\n  {name} " in help_text, name
    for name in SUBCOMMANDS[2:]:
        assert run(name, "--help").returncode == 0


def test_import_uses_the_transcript_beside_the_media(lecture):
    media, library = lecture
    result = run("import", str(media), "--library", str(library))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported lecture 1: cs224n lecture") and "1568 transcript lines" in result.stdout
    again = run("import", str(media), "--library", str(library))
    assert again.stdout.startswith("updated lecture 1")


def test_import_with_an_explicit_transcript_and_env_library(lecture, tmp_path):
    media, library = lecture
    srt = tmp_path / "other.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nA single line\n")
    result = run("import", str(media), "--transcript", str(srt), env={"TRANSCRIPT_PLAYER_LIBRARY": str(library)})
    assert result.returncode == 0 and "1 transcript lines" in result.stdout
    hits = json_lines(run("search", "single", env={"TRANSCRIPT_PLAYER_LIBRARY": str(library)}).stdout)
    assert hits == [{"media": str(media.resolve()), "start": 1.0, "end": 2.0, "text": "A single line",
                     "kind": "transcript"}]


def test_highlight_add_list_search_remove(lecture):
    media, library = lecture
    lib = ("--library", str(library))
    run("import", str(media), *lib)
    added = run("highlight", "add", str(media), "--start", "5.48", "--end", "0:09.52", "--color", "3",
                "--tag", "Intro", "--tag", "course", "--note", 'first "day"\nof class', *lib)
    assert added.returncode == 0, added.stderr
    (highlight,) = json_lines(added.stdout)
    assert (highlight["start"], highlight["end"], highlight["color"]) == (5.48, 9.52, 3)
    assert highlight["tags"] == ["course", "Intro"] and highlight["note"] == 'first "day"\nof class'
    assert "Welcome to CS224N." in highlight["text"]

    assert json_lines(run("highlight", "list", str(media), *lib).stdout) == [highlight]
    assert json_lines(run("highlight", "list", "--tag", "INTRO", *lib).stdout) == [highlight]
    assert run("highlight", "list", "--tag", "nothing", *lib).stdout == ""

    hits = json_lines(run("search", "welcome", *lib).stdout)
    assert {"media": str(media.resolve()), "start": 6.24, "end": 9.52, "text": "Welcome to CS224N.",
            "kind": "transcript"} in hits
    kinds = {hit["kind"] for hit in json_lines(run("search", "day", *lib).stdout)}
    assert "note" in kinds
    assert [(hit["kind"], hit["text"]) for hit in json_lines(run("search", "intro", *lib).stdout)
            if hit["kind"] != "transcript"] == [("tag", "Intro")]

    removed = run("highlight", "remove", str(highlight["id"]), *lib)
    assert removed.returncode == 0 and "removed highlight" in removed.stdout
    assert run("highlight", "list", *lib).stdout == ""


@pytest.mark.parametrize("query", ['"', "NEAR(", "a - b", "'; DROP TABLE media; --", "🎓", ""])
def test_search_survives_any_query(lecture, query):
    media, library = lecture
    run("import", str(media), "--library", str(library))
    result = run("search", query, "--library", str(library))
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_search_is_limited(lecture):
    media, library = lecture
    run("import", str(media), "--library", str(library))
    assert len(run("search", "the", "--library", str(library)).stdout.splitlines()) == 50
    assert len(run("search", "the", "--limit", "3", "--library", str(library)).stdout.splitlines()) == 3


def test_unknown_media_says_to_import_it_first(lecture):
    media, library = lecture
    result = run("highlight", "add", str(media), "--start", "1", "--end", "2", "--library", str(library))
    assert_one_line_error(result, "import it first", media.name)


@pytest.mark.parametrize("start, end, says", [("x", "2", "not a time"), ("5", "4", "must come after"),
                                              ("-1", "2", "not a time"), ("nan", "2", "not a time")])
def test_bad_times(lecture, start, end, says):
    media, library = lecture
    run("import", str(media), "--library", str(library))
    result = run("highlight", "add", str(media), "--start", start, "--end", end, "--library", str(library))
    assert_one_line_error(result, says)


def test_bad_colour_and_unknown_id(lecture):
    media, library = lecture
    run("import", str(media), "--library", str(library))
    assert_one_line_error(run("highlight", "add", str(media), "--start", "1", "--end", "2", "--color", "9",
                              "--library", str(library)), "1 to 5")
    assert_one_line_error(run("highlight", "remove", "42", "--library", str(library)), "no highlight 42")


def test_unreadable_library(lecture, tmp_path):
    media, _library = lecture
    not_a_library = tmp_path / "notes.txt"
    not_a_library.write_text("not a database\n" * 100)
    for args in (("search", "x"), ("highlight", "list"), ("import", str(media))):
        result = run(*args, "--library", str(not_a_library))
        assert_one_line_error(result, str(not_a_library))
    assert not_a_library.read_text() == "not a database\n" * 100


def test_missing_media_and_broken_transcript(lecture, tmp_path):
    media, library = lecture
    assert_one_line_error(run("import", str(tmp_path / "absent.mp4"), "--library", str(library)), "absent.mp4")
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> garbage\nText\n")
    assert_one_line_error(run("import", str(media), "--transcript", str(bad), "--library", str(library)),
                          str(bad))

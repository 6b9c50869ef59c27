"""The command line, run as a user runs it: a real process."""

import json
import subprocess
import sys

from tests.conftest import DEMO_DIR, WHISPER_SEED


def run(*args):
    return subprocess.run([sys.executable, "-m", "player", *args], capture_output=True, text=True,
                          timeout=60)


def test_parse_prints_json_lines():
    result = run("parse", str(WHISPER_SEED))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 1568
    assert rows[1] == {"start": 5.48, "end": 6.24, "text": "Hello.", "speaker": None}


def test_parse_broken_file_says_file_and_line(tmp_path):
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> garbage\nText\n")
    result = run("parse", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"{bad}:2: ")
    assert "Traceback" not in result.stderr


def test_parse_warns_for_a_skipped_cue(tmp_path):
    text = "[00:00:01.000 --> 00:00:02.000]  ok\n[00:00:02.000 --> 00:99:03.000]  bad\n"
    path = tmp_path / "w.txt"
    path.write_text(text)
    result = run("parse", str(path))
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 1
    assert f"{path}:2: skipped:" in result.stderr


def test_missing_media_exits_2_with_one_line(tmp_path):
    result = run(str(tmp_path / "absent.mp4"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "absent.mp4" in result.stderr


def test_version_and_help():
    assert run("--version").stdout.startswith("transcript-player ")
    help_text = run("--help").stdout
    assert "--demo" in help_text and "--transcript" in help_text


def test_demo_assets_are_small_and_consistent():
    media, transcript = DEMO_DIR / "lecture.mp4", DEMO_DIR / "lecture.txt"
    assert media.stat().st_size + transcript.stat().st_size < 3 * 1024 * 1024
    rows = [json.loads(line) for line in run("parse", str(transcript)).stdout.splitlines()]
    assert 60 <= rows[-1]["end"] <= 120


def test_parse_can_print_other_formats(tmp_path):
    srt = run("parse", str(WHISPER_SEED), "--to", "srt")
    assert srt.returncode == 0 and srt.stdout.startswith("1\n00:00:00,000 --> 00:00:05,480\n[AUDIO OUT]\n")
    path = tmp_path / "again.srt"
    path.write_text(srt.stdout)
    again = [json.loads(line) for line in run("parse", str(path)).stdout.splitlines()]
    assert len(again) == 1568 and again[1] == {"start": 5.48, "end": 6.24, "text": "Hello.", "speaker": None}
    markdown = run("parse", str(WHISPER_SEED), "--to", "md").stdout
    assert "**[0:05](#t=5.48)** Hello." in markdown


def test_formats_lists_every_reader():
    listed = run("formats").stdout
    for name in ("srt", "vtt", "whisper-text"):
        assert f"\n{name} " in "\n" + listed

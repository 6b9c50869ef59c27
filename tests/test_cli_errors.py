"""A bad library or transcript file ends every command with exit 2 and one line,
`FILE[:LINE]: reason`, never a traceback or a hang; the file is left as it was."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from player.cli import main
from player.cli.common import run_command
from player.core.library import Library


def run(*args, timeout=60):
    try:
        return subprocess.run([sys.executable, "-m", "player", *map(str, args)], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(map(str, args))} hung (over {timeout} s)")


def run_here(capsys, *args):
    """main() in this process (much quicker than a process per command in a matrix); the
    same wrapper runs as in a process."""
    code = main([*map(str, args)])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def assert_names_the_file(result, path, *words):
    assert result.returncode == 2, result
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"{path}:"), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def media(tmp_path, video_mp4):
    path = tmp_path / "lecture.mp4"
    shutil.copy(video_mp4, path)
    return path


def library_commands(media, out_dir):
    """Every command that opens the library, ready to run but for --library."""
    return [("import", media), ("search", "x"), ("highlight", "add", media, "--start", "1", "--end", "2"),
            ("highlight", "list"), ("highlight", "remove", "1"),
            ("reel", media, "-o", out_dir / "reel.mp4", "--quiet"), ("export", media, "-o", out_dir / "notes.md")]


def bad_library(kind, tmp_path):
    """A library path that cannot be used, and what the message says about it."""
    if kind == "text":
        path = tmp_path / "notes.txt"
        path.write_text("not a database\n" * 100)
        return path, "not"
    if kind == "stranger":
        path = tmp_path / "other.sqlite"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE mine (x)")
        conn.close()
        return path, "another program"
    if kind == "folder":
        path = tmp_path / "a folder"
        path.mkdir()
        return path, "folder"
    if kind == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
        return path, "pipe"
    return "/dev/null", "device"


@pytest.mark.parametrize("kind", ["text", "stranger", "folder", "fifo", "device"])
def test_a_bad_library_in_every_command(media, tmp_path, capsys, kind):
    library, says = bad_library(kind, tmp_path)
    before = hashlib.sha256(open(library, "rb").read()).hexdigest() if kind in ("text", "stranger") else None
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for command in library_commands(media, out_dir):
        assert_names_the_file(run_here(capsys, *command, "--library", library), library, says)
    if before:
        assert hashlib.sha256(open(library, "rb").read()).hexdigest() == before
    assert list(out_dir.iterdir()) == []


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder on a read-only mount (root writes into any read-only folder, not onto a
    read-only file system)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True)


def mount_read_only(folder):
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount a folder here: {mounted.stderr.strip()}")
    remounted = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True, text=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {remounted.stderr.strip()}")


def test_a_library_on_a_read_only_disk_in_every_command(media, tmp_path, capsys, read_only_folder):
    library = read_only_folder / "library.sqlite"
    with Library.open(library) as opened:
        lecture = opened.import_lecture(media)
        opened.add_highlight(lecture.id, 1000, 2000, 1, [], "kept")
    mount_read_only(read_only_folder)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for command in library_commands(media, out_dir):
        assert_names_the_file(run_here(capsys, *command, "--library", library), library, "read-only")
    subprocess.run(["umount", str(read_only_folder)], check=True)
    with Library.open(library) as opened:
        assert [h.note for h in opened.highlights()] == ["kept"]


def bad_transcript(kind, tmp_path):
    """A transcript path that cannot be read, and what its line starts with."""
    if kind == "fifo":
        path = tmp_path / "talk.srt"
        os.mkfifo(path)
        return path, f"{path}:"
    if kind == "folder":
        path = tmp_path / "talk.vtt"
        path.mkdir()
        return path, f"{path}:"
    if kind == "device":
        return "/dev/zero", "/dev/zero:"
    if kind == "missing":
        return tmp_path / "gone.srt", f"{tmp_path / 'gone.srt'}:"
    if kind == "binary":
        path = tmp_path / "talk.json"
        path.write_bytes(os.urandom(4096))
        return path, f"{path}:"
    path = tmp_path / "talk.srt"
    path.write_text("1\n00:00:01,000 --> garbage\nbroken\n")
    return path, f"{path}:2: "


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "missing", "binary", "broken line"])
def test_a_bad_transcript_in_parse_and_import(media, tmp_path, kind):
    transcript, starts = bad_transcript(kind, tmp_path)
    library = tmp_path / "library.sqlite"
    for command in (("parse", transcript), ("import", media, "--transcript", transcript, "--library", library)):
        result = run(*command, timeout=30)
        assert result.returncode == 2 and result.stderr.startswith(starts), result
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert not library.exists() or Library.open(library).lectures() == []


def test_an_os_error_is_the_file_and_its_reason(tmp_path, capsys):
    """Whatever a command meets on disk (a real OSError, here a missing file) is one line."""
    missing = tmp_path / "nowhere" / "file.txt"

    def command(argv):
        return len(open(argv[0], "rb").read())

    assert run_command("parse", command, [str(missing)]) == 2
    assert capsys.readouterr().err == f"{missing}: {os.strerror(errno.ENOENT)}\n"


def test_a_bug_keeps_its_traceback(capsys):
    """Only failures a user can cause are one line: a programming error is not hidden."""
    def command(argv):
        return {}["missing key"]

    with pytest.raises(KeyError):
        run_command("parse", command, [])

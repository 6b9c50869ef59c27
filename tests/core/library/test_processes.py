"""Real processes: a writer killed mid-burst loses no acknowledged edit, and two writers on
one library lose nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from player.core.library import Library

BURST = Path(__file__).with_name("burst.py")


def start_writer(library_path, media, count, label):
    return subprocess.Popen([sys.executable, str(BURST), str(library_path), str(media), str(count), label],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def go(writers):
    """Wait until every writer has opened the library, then release them together."""
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()


def check_acknowledged(library, acks):
    for line in acks:
        _ack, highlight_id, kind, *value = line.split(" ", 3)
        highlight = library.highlight(int(highlight_id))
        if kind == "tag":
            assert value[0] in highlight.tags, line
        elif kind == "note":
            assert highlight.note is not None, line  # a later note of the same highlight may follow
        elif kind == "color":
            assert 1 <= highlight.color <= 5


def test_killed_writer_keeps_every_acknowledged_edit(library_path, media):
    Library.open(library_path).close()
    writer = start_writer(library_path, media, 1000, "kill")
    go([writer])
    acks = []
    while len(acks) < 300:
        line = writer.stdout.readline()
        assert line.endswith("\n"), writer.stderr.read()
        acks.append(line.strip())
    writer.send_signal(signal.SIGKILL)
    # Lines already in the pipe were printed after their commit: they count too. A line
    # without its newline was cut by the kill, so it was not (fully) acknowledged.
    acks += [line.strip() for line in writer.stdout.read().splitlines(keepends=True)
             if line.startswith("ack") and line.endswith("\n")]
    writer.wait()
    assert writer.returncode == -signal.SIGKILL and len(acks) < 1000
    with Library.open(library_path) as library:
        assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check_acknowledged(library, acks)
        added = [line for line in acks if " add " in line + " "]
        assert len(library.highlights()) >= len(added)
        last_note = [line for line in acks if " note " in line][-1].split(" ", 3)
        assert library.highlight(int(last_note[1])).note == last_note[3]


def test_two_writers_lose_nothing(library_path, media):
    # No library yet: both processes create and migrate it at once, then write.
    writers = [start_writer(library_path, media, 400, label) for label in ("left", "right")]
    go(writers)
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_out, err) in zip(writers, outputs):
        assert writer.returncode == 0, err
    acks = [line for out, _err in outputs for line in out.splitlines() if line.startswith("ack")]
    assert len(acks) == 800
    with Library.open(library_path) as library:
        check_acknowledged(library, acks)
        assert len(library.highlights()) == 200
        # Both created tag "shared" by name at once: one tag, on every highlight.
        assert library.tag("shared").usage == 200
        assert len(library.tags()) == 1 + 2 * 100  # "shared" and each writer's own tags
        assert len(library.lectures()) == 1

"""SIGKILL the app in the middle of a burst of 1,000 annotation edits: every edit it
acknowledged is in the library, and the library opens fine."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from player.core.library import Library
from tests.core.library.test_processes import check_acknowledged

BURST = Path(__file__).with_name("app_burst.py")


def test_killing_the_app_loses_no_acknowledged_edit(tmp_path, tone_mp3):
    library_path = tmp_path / "library.sqlite"
    app = subprocess.Popen([sys.executable, str(BURST), str(library_path), str(tone_mp3), "1000"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ))
    assert app.stdout.readline().strip() == "ready"
    acks = []
    while len(acks) < 300:
        line = app.stdout.readline()
        assert line.endswith("\n")
        acks.append(line.strip())
    app.send_signal(signal.SIGKILL)
    # Lines already in the pipe were printed after their commit; a cut line was not.
    acks += [line.strip() for line in app.stdout.read().splitlines(keepends=True)
             if line.startswith("ack") and line.endswith("\n")]
    app.wait()
    assert app.returncode == -signal.SIGKILL and len(acks) < 1000
    with Library.open(library_path) as library:
        assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check_acknowledged(library, acks)

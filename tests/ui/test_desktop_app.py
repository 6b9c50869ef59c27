"""The app as the desktop starts it: its icon and desktop file name set, warnings in the
log folder, and a transcript handed over by "Open with" opened as a transcript."""

import os
import subprocess
import sys
import textwrap

from tests.conftest import TONE_CUES, write_srt

# Runs the real start-up (player.app.run_app) and reports what the window shows once the
# transcript is in.
SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from player.app import run_app
    from player.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])

    def report():
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or windows[0].transcript is None:
            QTimer.singleShot(20, report)
            return
        window = windows[0]
        sizes = sorted(size.width() for size in app.windowIcon().availableSizes())
        print(len(window.transcript), window.media_path, app.desktopFileName(), sizes, flush=True)
        app.quit()

    QTimer.singleShot(0, report)
    sys.exit(run_app(sys.argv[1], None, sys.argv[2]))
""")


def test_open_with_a_transcript_opens_it_with_the_icon_and_the_log_set_up(tmp_path):
    transcript = write_srt(tmp_path / "talk.srt", TONE_CUES)
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(transcript), str(tmp_path / "library.sqlite")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "10 None transcript-player [16, 22, 24, 32, 48, 64, 128, 256]"
    assert (tmp_path / "state" / "transcript-player" / "log" / "transcript-player.log").is_file()
    assert "WARNING" not in result.stderr.upper()

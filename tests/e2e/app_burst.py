"""The app itself making a burst of annotation edits, for the SIGKILL test (run as a script).

    python app_burst.py LIBRARY MEDIA COUNT

Opens the real main window (libVLC playback, the library, the undo stack), opens MEDIA,
then makes COUNT edits through the window's own commands (highlight, tag, note, colour),
printing "ack <highlight id> <kind> <value>" after each one returned, that is after its
transaction committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from player.playback.vlc import VlcPlayback  # noqa: E402
from player.ui.main_window import MainWindow  # noqa: E402


def main(library_path: str, media_path: str, count: int) -> None:
    app = QApplication([])
    settings = QSettings(str(Path(library_path).with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(VlcPlayback(), settings, library_path=Path(library_path))
    window.show()
    window.open_media(media_path, autoplay=False)
    annotations = window.annotations
    while annotations.lecture is None:
        app.processEvents()
    print("ready", flush=True)
    highlight_id = None
    for number in range(count):
        step = number % 4
        if step == 0:
            annotations.add_highlight(number * 10, number * 10 + 5, 1)
            highlight_id = max(h.id for h in annotations.highlights)
            ack = ("add", "")
        elif step == 1:
            annotations.add_tag(highlight_id, f"tag-{number}")
            ack = ("tag", f"tag-{number}")
        elif step == 2:
            annotations.set_note(highlight_id, f"note {number}")
            ack = ("note", f"note {number}")
        else:
            annotations.set_color(highlight_id, 1 + number % 5)
            ack = ("color", str(1 + number % 5))
        app.processEvents()
        sys.stdout.write(f"ack {highlight_id} {ack[0]} {ack[1]}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))

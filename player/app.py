"""Starting the window: Qt platform choice, settings, the playback backend."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

APP_ORGANIZATION = "TranscriptPlayer"
APP_NAME = "Transcript Player"
# The .desktop entry's name (resources/linux/): desktops match the window to its launcher by it.
DESKTOP_FILE_NAME = "transcript-player"


def is_transcript_path(path: str) -> bool:
    """A file the desktop's "Open with" hands over that is a transcript (or notes), not media."""
    from player.core.media import SIBLING_TRANSCRIPT_EXTENSIONS

    return Path(path).suffix.lower() in {extension.lower() for extension in SIBLING_TRANSCRIPT_EXTENSIONS}


class EarlyRead:
    """A transcript being read on a thread of its own; `result()` waits for it and gives
    the transcript, or raises what reading it raised."""

    def __init__(self, path: str, encoding: str | None) -> None:
        import threading

        self.path = os.path.abspath(path)
        self._done = threading.Event()
        self._result = None
        self._error: BaseException | None = None
        threading.Thread(target=self._read, args=(encoding,), name="early transcript read", daemon=True).start()

    def _read(self, encoding: str | None) -> None:
        from player.core.formats import LoadOptions, load

        try:
            self._result = load(self.path, options=LoadOptions(encoding=encoding))
        except BaseException as error:   # handed to whoever waits, as a job's failure
            self._error = error
        finally:
            self._done.set()

    def result(self):
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._result


def prepare_qt_platform() -> None:
    # libVLC draws into an X11 window id; Wayland has no per-widget window, so
    # run Qt through XWayland there.
    if sys.platform.startswith("linux") and os.environ.get("WAYLAND_DISPLAY") \
            and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "xcb"


def run_app(media: str | None, transcript: str | None, library: str | None = None,
            encoding: str | None = None) -> int:
    prepare_qt_platform()
    from player.logs import setup_logging

    setup_logging()  # before Qt starts, so its first warnings go to the log too
    # The transcript named on the command line is read from the first moment, while Qt and
    # the window are made (the window takes it as if it had read it itself).
    early = EarlyRead(transcript, encoding) if transcript and not is_transcript_path(media or "") else None
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from player.core.library import default_library_path
    from player.playback import create_playback
    from player.ui.about import app_icon
    from player.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(APP_ORGANIZATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(app_icon())
    playback, notice = create_playback()
    if notice:
        logging.getLogger(__name__).warning(notice)  # the status bar says it too
    library_path = Path(library) if library else default_library_path()
    try:
        library_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # opening the library then fails with a message that names the file
    window = MainWindow(playback, QSettings(), notice, library_path=library_path)
    window.set_transcript_encoding(encoding)   # None: guessed from each file's bytes
    # Opened before the window shows: the transcript is read and libVLC starts on threads
    # while the window is laid out and painted; what they bring arrives once it shows.
    if media and not transcript and is_transcript_path(media):
        window.open_dropped([media])  # a transcript or notes, as if dropped on the window
    elif media:
        window.open_media(media, transcript, early_read=early)
    elif transcript:
        window.open_transcript(transcript, early_read=early)
    window.show()
    if window.annotations.open_error:
        # After the lecture is open: the learner can still watch while deciding.
        QTimer.singleShot(0, window.library_actions.offer_another_library)
    return app.exec()

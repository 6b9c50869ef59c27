"""Where the window's warnings go: a rotating log file in the platform's log folder
(Help ▸ Open log folder), not the terminal, which keeps errors only.

Python's logging, Python warnings and Qt's own messages all end up in the same file.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

APP_NAME = "transcript-player"
LOG_FILENAME = "transcript-player.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handlers: list[logging.Handler] = []
_previous_qt_handler: list = []     # what qInstallMessageHandler returned, while ours is in
_log_file: Path | None = None


def default_log_dir() -> Path:
    """The platform's log folder for the app (e.g. ~/.local/state/transcript-player/log)."""
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """The folder the log is written to (the default one before `setup_logging`)."""
    return _log_file.parent if _log_file is not None else default_log_dir()


def log_file() -> Path | None:
    """The log file in use, or None when warnings go to the terminal (no folder could be written)."""
    return _log_file


def setup_logging(folder: Path | str | None = None) -> Path | None:
    """Send warnings (Python's logging and warnings, and Qt's messages) to a rotating log
    in `folder` (default: the platform's log folder) and only errors to the terminal.

    Returns the log file, or None when the folder cannot be written: then warnings stay
    on the terminal, after one line that says why. Calling it again replaces the set-up.
    """
    global _log_file
    shutdown_logging()
    folder = Path(folder) if folder is not None else default_log_dir()
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setFormatter(logging.Formatter("transcript-player: %(levelname)s: %(message)s"))
    terminal.setLevel(logging.ERROR)
    handlers: list[logging.Handler] = [terminal]
    problem = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / LOG_FILENAME, "a", encoding="utf-8"):
            pass   # can it be written? (the rotating handler opens it at the first warning)
        to_file = _LogFile(folder / LOG_FILENAME)
    except OSError as error:
        problem = f"{folder}: cannot write the log there ({error.strerror or error}); warnings go to the terminal"
        terminal.setLevel(logging.WARNING)
    else:
        to_file.setFormatter(logging.Formatter(LOG_FORMAT))
        to_file.setLevel(logging.WARNING)
        handlers.append(to_file)
        _log_file = folder / LOG_FILENAME
    root = logging.getLogger()
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    for handler in handlers:
        root.addHandler(handler)
    _handlers.extend(handlers)
    logging.captureWarnings(True)
    _install_qt_handler()
    if problem:
        logging.getLogger(__name__).warning(problem)
    return _log_file


class _LogFile(logging.Handler):
    """The rotating log, its handler made at the first record: logging.handlers (sockets,
    pickle, queues) would add milliseconds to every start-up for a log that is mostly empty."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._rotating: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._rotating is None:
            from logging.handlers import RotatingFileHandler

            try:
                self._rotating = RotatingFileHandler(self.path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS,
                                                     encoding="utf-8")
            except OSError:
                self.handleError(record)
                return
            self._rotating.setFormatter(self.formatter)
        self._rotating.emit(record)

    def close(self) -> None:
        if self._rotating is not None:
            self._rotating.close()
        super().close()


def shutdown_logging() -> None:
    """Undo `setup_logging` (closing the file): for the end of the app, and tests."""
    global _log_file
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
    if _previous_qt_handler:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(_previous_qt_handler.pop())
    logging.captureWarnings(False)
    _log_file = None


def _install_qt_handler() -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def to_log(kind, context, message: str) -> None:
        category = getattr(context, "category", None) or "default"
        name = "qt" if category == "default" else category if category.startswith("qt") else f"qt.{category}"
        logging.getLogger(name).log(levels.get(kind, logging.WARNING), "%s", message)

    _previous_qt_handler.append(qInstallMessageHandler(to_log))

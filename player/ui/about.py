"""The app on the desktop: its icon, the About box (the versions in use, as plain text to
copy into a bug report) and Help ▸ Open log folder."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon, QTextOption
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QTextEdit,
                               QVBoxLayout, QWidget)

from player import __version__, logs
from player.playback import Playback
from player.ui.jobs import ShortJob

APP_NAME = "Transcript Player"
ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
ICON_NAME = "transcript-player"
FFMPEG_PENDING = "ffmpeg: (finding out…)"
VERSIONS_WIDTH = 620  # px; a long path wraps instead of widening the box

_ffmpeg_line: str | None = None   # `ffmpeg -version` runs once per session


def app_icon() -> QIcon:
    """The app's icon at every size it was drawn at (scripts/render_icons.py)."""
    icon = QIcon()
    for png in ICONS.glob(f"hicolor/*/apps/{ICON_NAME}.png"):
        size = re.fullmatch(r"(\d+)x\1", png.parts[-3])
        if size:
            icon.addFile(str(png), QSize(int(size[1]), int(size[1])))
    return icon


def ffmpeg_version() -> str:
    """The first line of `ffmpeg -version` for the ffmpeg reels and exports use (slow: a
    process start; call it off the GUI thread)."""
    from player.core.processes import run_child
    from player.core.reel import ffmpeg_exe

    try:
        exe = ffmpeg_exe()
        result = run_child([exe, "-version"], capture_output=True, timeout=20)
    except Exception as error:  # a missing or broken binary: say so in the box
        return f"ffmpeg: not available ({error})"
    lines = result.stdout.decode("utf-8", errors="replace").splitlines()
    if not lines:
        return f"ffmpeg: no version (exit status {result.returncode})\n  {exe}"
    version = lines[0].split(" Copyright")[0]  # the rest is the same for every build
    return f"{version}\n  {exe}"


def versions_text(playback: Playback, ffmpeg_line: str | None = None) -> str:
    """What the About box lists, one part per line."""
    import PySide6

    if playback.name == "libVLC":
        engine = f"libVLC {getattr(playback, 'version', '')}".rstrip()
    else:
        engine = f"Playback: {playback.name} fallback (libVLC is not available)"
    import platform   # only for this box

    lines = [
        f"{APP_NAME} {__version__}",
        f"Qt {qVersion()} (PySide6 {PySide6.__version__})",
        engine,
        ffmpeg_line or _ffmpeg_line or FFMPEG_PENDING,
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"System: {platform.platform()}",
        f"Log folder: {logs.log_dir()}",
    ]
    return "\n".join(lines)


def open_log_folder(parent: QWidget | None = None) -> bool:
    """Show the log folder in the desktop's file manager (made first, so there is one to show)."""
    folder = logs.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the file manager then says it is missing
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    def __init__(self, playback: Playback, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"About {APP_NAME}")
        self._playback = playback
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"{APP_NAME} {__version__}")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        blurb = QLabel("Plays a lecture with its transcript beside it: follow, highlight, "
                       "search and export what matters.")
        blurb.setWordWrap(True)
        self.versions = QTextEdit()
        self.versions.setObjectName("aboutVersions")
        self.versions.setReadOnly(True)  # still selectable and copyable
        self.versions.setAcceptRichText(False)
        self.versions.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.versions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.versions.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.versions.setFixedWidth(VERSIONS_WIDTH)
        self.versions.setPlainText(versions_text(playback))
        self._fit_versions()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy versions")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_versions)
        log_button = QPushButton("Open log folder")
        buttons.addButton(log_button, QDialogButtonBox.ButtonRole.ActionRole)
        log_button.clicked.connect(lambda: open_log_folder(self))
        buttons.rejected.connect(self.reject)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(blurb)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.versions)
        layout.addWidget(buttons)
        self._ffmpeg_job = ShortJob(self)
        if _ffmpeg_line is None:
            self._ffmpeg_job.finished.connect(self._show_ffmpeg)
            self._ffmpeg_job.start(ffmpeg_version)

    @property
    def text(self) -> str:
        return self.versions.toPlainText()

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.text)

    def _show_ffmpeg(self, line: str) -> None:
        global _ffmpeg_line
        _ffmpeg_line = line
        self.versions.setPlainText(versions_text(self._playback))
        self._fit_versions()

    def _fit_versions(self) -> None:
        """Tall enough for every line, wrapped at the box's width: nothing to scroll."""
        frame = self.versions.frameWidth()
        document = self.versions.document()
        document.setTextWidth(VERSIONS_WIDTH - 2 * frame)
        self.versions.setFixedHeight(int(document.size().height()) + 2 * frame + 2)

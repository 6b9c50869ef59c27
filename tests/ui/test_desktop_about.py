"""The About box lists the versions in use as plain text; Help ▸ Open log folder opens the log folder."""

import platform

import PySide6
from PySide6.QtCore import QObject, QUrl, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QTextEdit

from player import __version__
from player.core.processes import run_child
from player.core.reel import ffmpeg_exe
from player.logs import setup_logging, shutdown_logging
from player.ui.about import AboutDialog, versions_text


def test_about_lists_the_versions_in_use_as_copyable_text(qtbot, window):
    import vlc

    window.actions_by_name["about"].trigger()
    about = window.findChild(AboutDialog)
    assert about is not None and about.isVisible()
    first_line = run_child([ffmpeg_exe(), "-version"], capture_output=True).stdout.decode().splitlines()[0]
    ffmpeg_version = first_line.split(" Copyright")[0]  # "ffmpeg version 7.0.2-static https://..."
    qtbot.waitUntil(lambda: f"{ffmpeg_version}\n  {ffmpeg_exe()}" in about.text)  # found off the GUI thread
    for expected in (f"Transcript Player {__version__}", f"Qt {qVersion()}", f"PySide6 {PySide6.__version__}",
                     f"libVLC {vlc.libvlc_get_version().decode()}", f"Python {platform.python_version()}"):
        assert expected in about.text
    assert isinstance(about.versions, QTextEdit) and about.versions.isReadOnly()
    assert not about.versions.acceptRichText()
    about.copy_button.click()
    assert QGuiApplication.clipboard().text() == about.text


def test_about_names_the_qt_multimedia_fallback(qtbot):
    from player.playback.qtmedia import QtMediaPlayback

    playback = QtMediaPlayback()
    try:
        text = versions_text(playback, ffmpeg_line="ffmpeg version X")
    finally:
        playback.close()
    assert "Qt Multimedia fallback" in text and "libVLC " not in text.replace("libVLC is not", "")


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_log_folder_opens_the_folder_the_log_is_in(qtbot, window, tmp_path):
    log = setup_logging(tmp_path / "logs")
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")  # Qt's own hook, instead of a file manager
    try:
        window.actions_by_name["open_log_folder"].trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
        shutdown_logging()
    assert [url.toLocalFile() for url in catcher.urls] == [str(log.parent)]
    assert "Open &log folder" in [a.text() for a in window.menuBar().actions()[-1].menu().actions()]

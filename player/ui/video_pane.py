"""Where the picture goes: the backend's video surface, a placeholder for audio-only
lectures, a message when the media cannot be played, or black once the lecture has ended."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from player.playback import Playback, PlaybackState


class VideoPane(QStackedWidget):
    def __init__(self, playback: Playback, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoPane")
        self.video_surface = playback.create_video_surface(self)
        self.addWidget(self.video_surface)
        self.audio_placeholder = self._message_page("audioPlaceholder", "♫", "Audio lecture")
        self.addWidget(self.audio_placeholder)
        self.message_page = self._message_page("mediaMessage", "⚠", "")
        self.addWidget(self.message_page)
        self.empty_page = self._message_page(
            "emptyPage", "▶", "Open a lecture: File ▸ Open media (Ctrl+O), or drop a file here")
        self.addWidget(self.empty_page)
        self.ended_page = QWidget()
        self.ended_page.setObjectName("endedPage")
        self.ended_page.setStyleSheet("QWidget#endedPage { background: black; }")
        self.addWidget(self.ended_page)
        self.setCurrentWidget(self.empty_page)
        self.setMinimumSize(240, 135)
        playback.state_changed.connect(self._on_state_changed)

    def _on_state_changed(self, state: PlaybackState) -> None:
        # At the end the backend leaves its last picture up, which is not the frame at the
        # playhead once a seek went past the end: black instead, until it plays again.
        if state is PlaybackState.ENDED and self.currentWidget() is self.video_surface:
            self.setCurrentWidget(self.ended_page)
        elif state in (PlaybackState.LOADING, PlaybackState.PLAYING, PlaybackState.PAUSED) \
                and self.currentWidget() is self.ended_page:
            self.setCurrentWidget(self.video_surface)

    def _message_page(self, name: str, symbol: str, text: str) -> QWidget:
        page = QWidget()
        page.setObjectName(name)
        page.setAutoFillBackground(True)
        page.setStyleSheet(f"QWidget#{name} {{ background: #1d2330; }} QLabel {{ color: #d9deea; }}")
        icon = QLabel(symbol)
        icon.setTextFormat(Qt.TextFormat.PlainText)
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 4)
        icon.setFont(big)
        caption = QLabel(text)
        caption.setObjectName(f"{name}Text")
        caption.setTextFormat(Qt.TextFormat.PlainText)  # file names are untrusted text
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption.setWordWrap(True)
        detail = QLabel("")
        detail.setObjectName(f"{name}Detail")
        detail.setTextFormat(Qt.TextFormat.PlainText)
        detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        detail.setWordWrap(True)
        detail.setStyleSheet("color: #9aa3b5;")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(icon)
        layout.addWidget(caption)
        layout.addWidget(detail)
        layout.addStretch(1)
        return page

    def _set_page_text(self, page: QWidget, text: str, detail: str = "") -> None:
        page.findChild(QLabel, f"{page.objectName()}Text").setText(text)
        page.findChild(QLabel, f"{page.objectName()}Detail").setText(detail)

    def show_video(self) -> None:
        self.setCurrentWidget(self.video_surface)

    def show_audio(self, title: str) -> None:
        self._set_page_text(self.audio_placeholder, title, "Audio lecture — the transcript follows along")
        self.setCurrentWidget(self.audio_placeholder)

    def show_message(self, text: str, detail: str = "") -> None:
        self._set_page_text(self.message_page, text, detail)
        self.setCurrentWidget(self.message_page)

    @property
    def message(self) -> str:
        return self.message_page.findChild(QLabel, "mediaMessageText").text()

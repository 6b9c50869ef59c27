"""Playback through Qt Multimedia: the fallback when libVLC cannot be loaded, so a
pip-only install still plays."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaMetaData, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QWidget

from player.playback.base import Playback, PlaybackState


class QtMediaPlayback(Playback):
    name = "Qt Multimedia"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._audio = QAudioOutput(self)
        self._player.setAudioOutput(self._audio)
        self.version = "Qt Multimedia"
        self._no_sound_said = False
        self._player.playbackStateChanged.connect(self._on_state)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.durationChanged.connect(lambda ms: self._set_duration(int(ms)))
        self._player.hasVideoChanged.connect(self._set_has_video)
        self._player.errorOccurred.connect(self._on_error)
        self._player.metaDataChanged.connect(
            lambda: self._set_title(self._player.metaData().stringValue(QMediaMetaData.Key.Title)))

    def create_video_surface(self, parent: QWidget) -> QWidget:
        surface = QVideoWidget(parent)
        self._player.setVideoOutput(surface)
        return surface

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        if state == QMediaPlayer.PlaybackState.PlayingState:
            self._set_state(PlaybackState.PLAYING)
        elif state == QMediaPlayer.PlaybackState.PausedState:
            self._set_state(PlaybackState.PAUSED)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._set_state(PlaybackState.ENDED)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._on_error(QMediaPlayer.Error.FormatError, "")

    def _on_error(self, _error: QMediaPlayer.Error, detail: str) -> None:
        name = os.path.basename(self.media_path or "")
        reason = f" ({detail})" if detail else ""
        self._fail(f"Qt Multimedia could not play “{name}”{reason}.")

    def _load(self, path: str) -> None:
        self._player.setSource(QUrl.fromLocalFile(os.path.abspath(path)))
        if not self._no_sound_said and not QMediaDevices.audioOutputs():
            self._no_sound_said = True  # the machine has none: once is enough
            self.notice.emit("No sound: the audio device could not be opened (Qt Multimedia finds no "
                             "audio output). The lecture plays on without it.")

    def _play(self) -> None:
        self._player.play()

    def _pause(self) -> None:
        self._player.pause()

    def _seek(self, ms: int) -> None:
        self._player.setPosition(int(ms))
        if self._state is PlaybackState.ENDED:
            self._player.play()

    def _set_rate(self, rate: float) -> None:
        self._player.setPlaybackRate(rate)

    def _apply_volume(self, volume: int, muted: bool) -> None:
        self._audio.setVolume(volume / 100.0)
        self._audio.setMuted(muted)

    def _reported_time_ms(self) -> int:
        return int(self._player.position())

    def close(self) -> None:
        self._player.stop()

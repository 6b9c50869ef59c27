"""Playback through libVLC 3 (python-vlc).

libVLC calls its event callbacks on its own threads, where neither libVLC nor Qt
widgets may be touched: the callbacks only emit a queued Qt signal, handled on the
GUI thread.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from player.playback.base import Playback, PlaybackState, PlaybackUnavailable

try:
    import vlc
# python-vlc signals a missing libVLC in several ways, sys.exit(1) among them when
# PYTHON_VLC_LIB_PATH points nowhere: none of them may end the app.
except (ImportError, OSError, NotImplementedError, KeyError, SystemExit) as error:
    vlc = None
    _IMPORT_ERROR = str(error) if str(error) not in ("", "1") else "libvlc could not be loaded"
else:
    _IMPORT_ERROR = ""

# Extra libVLC arguments, e.g. "--aout=pulse", for users with an odd set-up.
EXTRA_ARGS_ENV = "TRANSCRIPT_PLAYER_VLC_ARGS"


class VlcVideoSurface(QWidget):
    """A native child window that libVLC draws into; re-handed over if Qt recreates it."""

    def __init__(self, playback: "VlcPlayback", parent: QWidget) -> None:
        super().__init__(parent)
        self._playback = playback
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        # libVLC paints this window; Qt must not paint over it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setMinimumSize(160, 90)
        self._playback.set_video_window(int(self.winId()))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WinIdChange:
            self._playback.set_video_window(int(self.winId()))
        return super().event(event)

    def paintEngine(self):  # noqa: N802 - Qt's name
        return None


class VlcPlayback(Playback):
    name = "libVLC"

    # (event type name, handler name): resolved once vlc is imported.
    _EVENTS = (
        ("MediaPlayerPlaying", "playing"),
        ("MediaPlayerPaused", "paused"),
        ("MediaPlayerStopped", "stopped"),
        ("MediaPlayerEndReached", "ended"),
        ("MediaPlayerEncounteredError", "error"),
        ("MediaPlayerLengthChanged", "length"),
        ("MediaPlayerVout", "vout"),
    )

    # Carries libVLC events to the GUI thread (emitted on libVLC's threads).
    _vlc_event = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if vlc is None:
            raise PlaybackUnavailable(_IMPORT_ERROR)
        args = ["--quiet", "--no-video-title-show", "--no-sub-autodetect-file",
                "--no-snapshot-preview", "--no-osd"]
        if sys.platform.startswith("linux"):
            args.append("--no-xlib")  # Qt owns Xlib; libVLC must not init it again
        args += os.environ.get(EXTRA_ARGS_ENV, "").split()
        try:
            self._instance = vlc.Instance(args)
        except (OSError, NameError) as error:
            raise PlaybackUnavailable(str(error)) from None
        if self._instance is None:
            raise PlaybackUnavailable("libVLC could not start (are its plugins installed?)")
        self.version = vlc.libvlc_get_version().decode(errors="replace")
        self._player = self._instance.media_player_new()
        self._media = None
        self._pending_seek_ms: int | None = None
        self._vlc_event.connect(self._on_vlc_event, Qt.ConnectionType.QueuedConnection)
        self._attach_events()

    # --- events -------------------------------------------------------------
    def _attach_events(self) -> None:
        manager = self._player.event_manager()
        # python-vlc keeps only weak references: hold the callbacks ourselves.
        self._callbacks = []
        for type_name, kind in self._EVENTS:
            event_type = getattr(vlc.EventType, type_name)
            callback = self._make_callback(kind)
            self._callbacks.append((event_type, callback))
            manager.event_attach(event_type, callback)

    def _make_callback(self, kind: str):
        def on_event(event) -> None:  # runs on a libVLC thread
            value = 0
            if kind == "length":
                value = int(event.u.new_length)
            elif kind == "vout":
                value = int(event.u.new_count)
            self._vlc_event.emit(kind, value)
        return on_event

    def _on_vlc_event(self, kind: str, value: object) -> None:
        if self._player is None:
            return  # closed while the event was queued
        if kind == "playing":
            self._set_state(PlaybackState.PLAYING)
            self._set_duration(int(self._player.get_length()))
            if self._pending_seek_ms is not None:
                self._player.set_time(self._pending_seek_ms)
                self._pending_seek_ms = None
        elif kind == "paused":
            self._set_state(PlaybackState.PAUSED)
        elif kind == "stopped":
            # Our own stop() before a new load or a restart also lands here.
            if self._state is PlaybackState.PLAYING:
                self._set_state(PlaybackState.PAUSED)
        elif kind == "ended":
            self._set_state(PlaybackState.ENDED)
        elif kind == "error":
            name = os.path.basename(self.media_path or "")
            self._fail(f"libVLC could not play “{name}”: the file is damaged or in a format it cannot read.")
        elif kind == "length":
            self._set_duration(value)
        elif kind == "vout" and value > 0 and not self._has_video:
            self._set_has_video(True)
        elif kind == "parsed":
            self._on_media_parsed(value)

    def _on_media_parsed(self, media_path: str) -> None:
        if media_path != self.media_path or self._media is None:
            return
        tracks = list(self._media.tracks_get() or [])
        self._set_has_video(any(t.type == vlc.TrackType.video for t in tracks))
        self._set_duration(int(self._media.get_duration()))
        self._set_title(self._media.get_meta(vlc.Meta.Title))
        status = self._media.get_parsed_status()
        if status == vlc.MediaParsedStatus.done and not tracks:
            name = os.path.basename(media_path)
            self._fail(f"libVLC found no audio or video in “{name}”.")

    # --- the interface ------------------------------------------------------
    def set_video_window(self, window_id: int) -> None:
        if self._player is None:
            return  # closed: the window is going away
        if sys.platform.startswith("linux"):
            self._player.set_xwindow(window_id)
        elif sys.platform == "win32":
            self._player.set_hwnd(window_id)
        elif sys.platform == "darwin":
            self._player.set_nsobject(window_id)

    def create_video_surface(self, parent: QWidget) -> QWidget:
        return VlcVideoSurface(self, parent)

    def _load(self, path: str) -> None:
        self._player.stop()
        self._media = self._instance.media_new_path(path)
        self._player.set_media(self._media)
        self._has_video = False
        # Parsing finds the tracks (video or audio only) and the duration before play.
        parsed = self._media.event_manager()
        self._parsed_callback = lambda event, p=path: self._vlc_event.emit("parsed", p)
        parsed.event_attach(vlc.EventType.MediaParsedChanged, self._parsed_callback)
        self._media.parse_with_options(vlc.MediaParseFlag.local, 5000)
        self._apply_volume(self._volume, self._muted)

    def _play(self) -> None:
        if self._player.play() == -1:
            self._fail("libVLC could not start playing.")

    def _pause(self) -> None:
        self._player.set_pause(1)

    def _seek(self, ms: int) -> None:
        if self._state is PlaybackState.ENDED:
            # After the end libVLC must start the media again before it can seek.
            self._pending_seek_ms = int(ms)
            self._player.stop()
            self._player.play()
            return
        self._player.set_time(int(ms))

    def _set_rate(self, rate: float) -> None:
        self._player.set_rate(rate)  # libVLC's scaletempo keeps the pitch

    def _apply_volume(self, volume: int, muted: bool) -> None:
        self._player.audio_set_volume(volume)
        self._player.audio_set_mute(muted)

    def _reported_time_ms(self) -> int:
        return int(self._player.get_time())

    def close(self) -> None:
        player, self._player = getattr(self, "_player", None), None
        if player is None:
            return
        manager = player.event_manager()
        for event_type, _callback in self._callbacks:
            manager.event_detach(event_type)
        player.stop()
        player.release()
        if self._media is not None:
            self._media.release()
            self._media = None
        self._instance.release()
        self._state = PlaybackState.EMPTY

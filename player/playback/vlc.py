"""Playback through libVLC 3 (python-vlc).

libVLC calls its event callbacks on its own threads, where neither libVLC nor Qt
widgets may be touched: the callbacks only emit a queued Qt signal, handled on the
GUI thread.

libVLC's log goes to Python logging (its errors as warnings, at most one line per
distinct message a minute), never to the terminal; so do the errors alsa-lib prints
itself. A sound device that cannot be opened is said once, through `notice`.
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import os
import sys
import threading

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from player.core.log_throttle import Throttle
from player.playback.base import Playback, PlaybackState, PlaybackUnavailable

# python-vlc, imported by _import_vlc() when the first media is opened: importing it loads
# libVLC and declares its whole API (~40 ms), and the instance then loads the plugin cache
# (~70-160 ms), none of which the first paint needs.
vlc = None
_import_error: str | None = None   # why python-vlc could not be imported, once it was tried

# How long closing waits for libVLC's instance still being made (loading its plugins takes
# a fraction of a second): the process must not end with libVLC half started.
START_WAIT_S = 10.0

# Extra libVLC arguments, e.g. "--aout=pulse", for users with an odd set-up.
EXTRA_ARGS_ENV = "TRANSCRIPT_PLAYER_VLC_ARGS"

_log = logging.getLogger(__name__)
_throttle = Throttle()

# libVLC's log levels (libvlc_log_level) and what they become in Python's logging: its
# warnings are routine ("elst box found"), its errors worth a line.
_VLC_WARNING, _VLC_ERROR = 3, 4
_LOG_LEVELS = {_VLC_WARNING: logging.INFO, _VLC_ERROR: logging.WARNING}
# Audio output modules whose errors say why there is no sound.
_AUDIO_MODULES = frozenset({"alsa", "pulse", "vlcpulse", "oss", "jack", "sndio", "adummy", "afile", "amem",
                            "mmdevice", "wasapi", "directsound", "waveout", "auhal", "audiounit_ios"})
# What libVLC's core logs when no audio output could be started for a stream.
_AUDIO_FAILED = ("audio output failed", "failed to create audio output")


def _log_line(level: int, module: str, message: str) -> None:
    """One log line per distinct message a minute, saying how often it repeated."""
    held = _throttle.admit((module, message))
    if held is not None:
        repeats = f" (and {held} more times in the last minute)" if held else ""
        _log.log(level, "%s: %s%s", module, message, repeats)


def _import_vlc():
    """python-vlc (loading libVLC), or PlaybackUnavailable saying why not."""
    global vlc, _import_error
    if vlc is None and _import_error is None:
        try:
            import vlc as module
        # python-vlc signals a missing libVLC in several ways, sys.exit(1) among them when
        # PYTHON_VLC_LIB_PATH points nowhere: none of them may end the app.
        except (ImportError, OSError, NotImplementedError, KeyError, SystemExit) as error:
            _import_error = str(error) if str(error) not in ("", "1") else "libvlc could not be loaded"
        else:
            vlc = module
    if vlc is None:
        raise PlaybackUnavailable(_import_error)
    return vlc


def _check_libvlc() -> None:
    """Raise PlaybackUnavailable if libVLC cannot be loaded. On Linux the shared library is
    opened the way python-vlc would find it, without importing python-vlc yet; elsewhere
    (or with PYTHON_VLC_LIB_PATH set) python-vlc itself is imported."""
    if sys.platform.startswith("linux") and "PYTHON_VLC_LIB_PATH" not in os.environ \
            and importlib.util.find_spec("vlc") is not None:
        try:
            ctypes.CDLL("libvlc.so.5")
            return
        except OSError:
            pass   # python-vlc may still find another name through ldconfig
    _import_vlc()


class _VlcLog:
    """libVLC's log through a ctypes callback (libvlc_log_set), the message formatted
    with the C library's vsnprintf on the va_list as python-vlc's users do. `on_message`
    is called with (level, module, message) on libVLC's threads for warnings and errors."""

    _Callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                                 ctypes.c_char_p, ctypes.c_void_p)

    def __init__(self, instance, on_message) -> None:
        self._instance = instance
        self._on_message = on_message
        self._vsnprintf = _c_vsnprintf()
        self._get_context = ctypes.CFUNCTYPE(
            None, ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_char_p),
            ctypes.POINTER(ctypes.c_uint))(("libvlc_log_get_context", vlc.dll))
        self._set = ctypes.CFUNCTYPE(None, ctypes.c_void_p, self._Callback, ctypes.c_void_p)(
            ("libvlc_log_set", vlc.dll))
        self._unset = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(("libvlc_log_unset", vlc.dll))
        self._callback = self._Callback(self._receive)  # referenced for as long as libVLC may call it
        self._set(instance, self._callback, None)

    def _receive(self, _data, level, context, fmt, args) -> None:  # on a libVLC thread
        if level < _VLC_WARNING:
            return  # debug and info: dozens a second, never shown
        try:
            module = ctypes.c_char_p()
            self._get_context(context, ctypes.byref(module), None, None)
            if self._vsnprintf is not None:
                text = ctypes.create_string_buffer(1024)
                self._vsnprintf(text, len(text), fmt, args)
                message = text.value
            else:
                message = fmt or b""
            self._on_message(level, (module.value or b"vlc").decode(errors="replace"),
                             " ".join(message.decode(errors="replace").split()))
        except Exception:  # noqa: BLE001 - nothing may escape into libVLC's thread
            _log.exception("libVLC log message lost")

    def close(self) -> None:
        """Stop the callback (waits for one under way) before the instance goes."""
        if self._instance is not None:
            self._unset(self._instance)
            self._instance = None


def _c_vsnprintf():
    """The C library's vsnprintf, or None where it cannot be found (the raw format is
    logged then)."""
    import ctypes.util   # here, not at start-up: it brings subprocess, and runs ldconfig

    try:
        libc = ctypes.cdll.msvcrt if sys.platform == "win32" else ctypes.CDLL(ctypes.util.find_library("c"))
        function = getattr(libc, "vsnprintf", None) or libc._vsnprintf
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
    function.restype = ctypes.c_int
    return function


# alsa-lib prints its own errors to stderr ("ALSA lib pcm.c:2666:(snd_pcm_open_noupdate)
# Unknown PCM default"), eight lines at each of libVLC's retries, twenty retries a second
# with no sound card. Its handler is process-wide and varargs; a handler that reads only
# the fixed arguments is safe to hand it (the extra ones are left unread), and it is kept
# for the life of the process.
_AlsaHandler = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                ctypes.c_char_p)
_alsa_handler = None


def _quiet_alsa_lib() -> None:
    global _alsa_handler
    if _alsa_handler is not None or not sys.platform.startswith("linux"):
        return
    import ctypes.util

    name = ctypes.util.find_library("asound")
    if not name:
        return  # no alsa-lib: libVLC's alsa output cannot load either
    try:
        set_handler = ctypes.CDLL(name).snd_lib_error_set_handler
    except (OSError, AttributeError):
        return

    def on_alsa_error(file, line, function, error, fmt) -> None:
        where = f"{(file or b'').decode(errors='replace')}:{line} {(function or b'').decode(errors='replace')}"
        reason = os.strerror(-error) if error < 0 else (fmt or b"").decode(errors="replace")
        _log_line(logging.DEBUG, "alsa-lib", f"{where}: {reason}")

    _alsa_handler = _AlsaHandler(on_alsa_error)
    set_handler.argtypes = [_AlsaHandler]
    set_handler(_alsa_handler)


class VlcVideoSurface(QWidget):
    """A native child window that libVLC draws into; re-handed over if Qt recreates it."""

    def __init__(self, playback: "VlcPlayback", parent: QWidget) -> None:
        super().__init__(parent)
        self._playback = playback
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        # libVLC draws the picture in a child window of its own, sized to the picture; the
        # bars beside it, and the whole area once libVLC closes it at the end, are this
        # window's: Qt paints them black on every expose (X clips that off libVLC's window).
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
        """Checks that libVLC can be loaded (PlaybackUnavailable if not); its instance and
        player are made when the first media is loaded, on a thread (_begin_start), so neither
        the first paint nor the transcript's reading waits for libVLC's plugins."""
        super().__init__(parent)
        _check_libvlc()
        self._instance = None
        self._player = None
        self._starting = False
        self._start_thread: threading.Thread | None = None
        self._made = None   # the instance (or why not) the start thread made, until adopted or released
        # What was asked while libVLC was starting, done once it has: the media to load,
        # play, and where to seek.
        self._load_when_started: str | None = None
        self._play_when_started = False
        self._seek_when_started: int | None = None
        self._vlc_log: _VlcLog | None = None
        self._callbacks: list = []
        self._window_id: int | None = None      # the video surface, handed to the player once made
        self._closed = False
        self._audio_error: str | None = None   # the latest audio output module's error
        self._no_sound_seen = False             # set on libVLC's threads
        self._no_sound_said = False             # set on the GUI thread: the notice is given once
        self._media = None
        self._pending_seek_ms: int | None = None
        self._vlc_event.connect(self._on_vlc_event, Qt.ConnectionType.QueuedConnection)

    @property
    def version(self) -> str:
        """libVLC's version (for About), "" if it cannot be loaded."""
        try:
            return _import_vlc().libvlc_get_version().decode(errors="replace")
        except PlaybackUnavailable:
            return ""

    @property
    def started(self) -> bool:
        """Whether the libVLC instance exists (the first load starts making it)."""
        return self._instance is not None

    def _begin_start(self) -> None:
        """Make the libVLC instance on a thread (libvlc_new is thread-safe and loads the
        plugins outside the GIL); _on_started finishes on the GUI thread."""
        if self._starting:
            return
        self._starting = True
        args = ["--quiet", "--no-video-title-show", "--no-sub-autodetect-file",
                "--no-snapshot-preview", "--no-osd"]
        if sys.platform.startswith("linux"):
            args.append("--no-xlib")  # Qt owns Xlib; libVLC must not init it again
        args += os.environ.get(EXTRA_ARGS_ENV, "").split()
        _quiet_alsa_lib()

        def make_instance() -> None:
            try:
                instance = _import_vlc().Instance(args)
                result = instance if instance is not None else PlaybackUnavailable(
                    "libVLC could not start (are its plugins installed?)")
            except PlaybackUnavailable as why:
                result = why
            except (OSError, NameError) as error:
                result = PlaybackUnavailable(str(error))
            self._made = result   # close() releases it if it comes first
            try:
                self._vlc_event.emit("started", result)   # queued to the GUI thread
            except RuntimeError:
                pass   # the Qt object is gone: close() ran and released it

        self._start_thread = threading.Thread(target=make_instance, name="libVLC start", daemon=True)
        self._start_thread.start()

    def _on_started(self, result) -> None:
        """The player, with what was set or asked for meanwhile (video window, speed, the
        media, play, seek)."""
        self._starting = False
        if self._closed:
            return   # close() released it
        self._made = None   # adopted
        path, self._load_when_started = self._load_when_started, None
        if isinstance(result, PlaybackUnavailable):
            self._fail(f"“{os.path.basename(path or '')}” cannot play: {str(result).rstrip('.')}.")
            return
        self._instance = result
        self._vlc_log = _VlcLog(result, self._on_vlc_log)
        self._player = result.media_player_new()
        self._attach_events()
        if self._window_id is not None:
            self.set_video_window(self._window_id)
        if self.rate != 1.0:
            self._player.set_rate(self.rate)
        if path is None or path != self.media_path:
            return
        self._load(path)
        seek, self._seek_when_started = self._seek_when_started, None
        if self._play_when_started:
            self._pending_seek_ms = seek   # libVLC seeks once it plays
            self._play()
        elif seek is not None:
            self._seek(seek)

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

    def _on_vlc_log(self, level: int, module: str, message: str) -> None:  # on a libVLC thread
        _log_line(_LOG_LEVELS.get(level, logging.WARNING), module, message)
        if level < _VLC_ERROR:
            return
        if module in _AUDIO_MODULES:
            self._audio_error = f"{module}: {message}"
        elif module == "main" and message.lower().startswith(_AUDIO_FAILED) and not self._no_sound_seen:
            self._no_sound_seen = True  # libVLC retries many times a second: pass it on once
            self._vlc_event.emit("no_sound", self._audio_error or message)

    def _on_vlc_event(self, kind: str, value: object) -> None:
        if kind == "no_sound":
            if self._no_sound_said:
                return  # two libVLC threads passed it on at once
            self._no_sound_said = True
            reason = str(value).rstrip(".")
            self.notice.emit(f"No sound: the audio device could not be opened ({reason}). "
                             f"The lecture plays on without it.")
            return
        if kind == "started":
            self._on_started(value)
            return
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
        self._window_id = window_id
        if self._player is None:
            return  # not started yet (_on_started hands it over), or closed: the window is going away
        if sys.platform.startswith("linux"):
            self._player.set_xwindow(window_id)
        elif sys.platform == "win32":
            self._player.set_hwnd(window_id)
        elif sys.platform == "darwin":
            self._player.set_nsobject(window_id)

    def create_video_surface(self, parent: QWidget) -> QWidget:
        return VlcVideoSurface(self, parent)

    def _load(self, path: str) -> None:
        if self._closed:
            return
        if self._player is None:
            self._load_when_started = path
            self._play_when_started = False
            self._seek_when_started = None
            self._begin_start()
            return
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
        if self._player is None:
            self._play_when_started = self._starting   # else its start failed and said why
            return
        if self._player.play() == -1:
            self._fail("libVLC could not start playing.")

    def _pause(self) -> None:
        if self._player is not None:
            self._player.set_pause(1)
        self._play_when_started = False

    def _seek(self, ms: int) -> None:
        if self._player is None:
            self._seek_when_started = int(ms) if self._starting else None
            return
        if self._state is PlaybackState.ENDED:
            # After the end libVLC must start the media again before it can seek.
            self._pending_seek_ms = int(ms)
            self._player.stop()
            self._player.play()
            return
        self._player.set_time(int(ms))

    def _set_rate(self, rate: float) -> None:
        if self._player is not None:   # else _on_started sets it
            self._player.set_rate(rate)  # libVLC's scaletempo keeps the pitch

    def _apply_volume(self, volume: int, muted: bool) -> None:
        if self._player is None:
            return   # _load applies it
        self._player.audio_set_volume(volume)
        self._player.audio_set_mute(muted)

    def _reported_time_ms(self) -> int:
        return int(self._player.get_time()) if self._player is not None else 0

    def _show_captions(self, path: str | None) -> bool:
        from pathlib import Path

        if self._player is None:
            return False
        if path is None:
            self._player.video_set_spu(-1)
        else:
            # libVLC 3 cannot drop a subtitle file once added: each new file is one more
            # track, selected at once (True), which takes over from the one before.
            self._player.add_slave(vlc.MediaSlaveType.subtitle, Path(path).as_uri(), True)
        return True

    def close(self) -> None:
        self._closed = True
        if self._start_thread is not None and self._start_thread.is_alive():
            self._start_thread.join(START_WAIT_S)
        made, self._made = self._made, None
        if made is not None and not isinstance(made, Exception):
            made.release()   # made, never adopted
        player, self._player = getattr(self, "_player", None), None
        if player is None:
            return   # never started, or closed already
        manager = player.event_manager()
        for event_type, _callback in self._callbacks:
            manager.event_detach(event_type)
        player.stop()
        player.release()
        if self._media is not None:
            self._media.release()
            self._media = None
        self._vlc_log.close()
        self._instance.release()
        self._instance = None
        self._state = PlaybackState.EMPTY

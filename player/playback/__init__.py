"""Playback: one small interface, libVLC behind it, Qt Multimedia as the fallback."""

from __future__ import annotations

from PySide6.QtCore import QObject

from player.playback.base import Playback, PlaybackState, PlaybackUnavailable

__all__ = ["Playback", "PlaybackState", "PlaybackUnavailable", "create_playback"]


def create_playback(parent: QObject | None = None, prefer: str = "vlc") -> tuple[Playback, str | None]:
    """The best backend this machine has, and a one-line notice if it had to fall back."""
    if prefer == "vlc":
        try:
            from player.playback.vlc import VlcPlayback

            return VlcPlayback(parent), None
        except PlaybackUnavailable as why:
            notice = f"libVLC is not available ({why}); playing with Qt Multimedia instead."
    else:
        notice = None
    from player.playback.qtmedia import QtMediaPlayback

    return QtMediaPlayback(parent), notice

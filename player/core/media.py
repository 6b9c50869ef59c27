"""Media files: which are audio-only, and the transcript that sits beside one."""

from __future__ import annotations

from pathlib import Path

AUDIO_EXTENSIONS = frozenset({".mp3", ".m4a", ".wav", ".ogg", ".oga", ".flac", ".opus", ".aac", ".wma"})
VIDEO_EXTENSIONS = frozenset({".mp4", ".m4v", ".mkv", ".webm", ".mov", ".avi", ".mpg", ".mpeg", ".ogv", ".wmv", ".ts"})
MEDIA_EXTENSIONS = AUDIO_EXTENSIONS | VIDEO_EXTENSIONS

# Checked in this order: a hand-made subtitle file beats a plain-text dump.
SIBLING_TRANSCRIPT_EXTENSIONS = (".srt", ".vtt", ".ass", ".ssa", ".sbv", ".ttml", ".dfxp", ".json", ".tsv",
                                 ".eaf", ".TextGrid", ".txt")


def looks_audio_only(path: str | Path) -> bool:
    return Path(path).suffix.lower() in AUDIO_EXTENSIONS


def is_media_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in MEDIA_EXTENSIONS


def find_sibling_transcript(media_path: str | Path) -> Path | None:
    """The transcript with the media file's stem in the same folder, if there is one:
    `talk.mp4` finds `talk.srt`, `talk.vtt`, ... or `talk.txt`."""
    media = Path(media_path)
    for extension in SIBLING_TRANSCRIPT_EXTENSIONS:
        for candidate in (media.with_suffix(extension), media.with_suffix(extension.upper())):
            if candidate.is_file():
                return candidate
    return None

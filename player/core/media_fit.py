"""Whether a transcript fits its media: a transcript that runs far past the media's end
(the whole 78-minute lecture on a 5-minute clip) belongs to another recording, or to more
of this one, and its lines past the end can never be reached."""

from __future__ import annotations

from player.core.timecode import format_clock
from player.core.transcript import Transcript

# Some slack: captions often run a little past the end, and a duration is approximate.
OVERRUN_MIN_MS = 30_000
OVERRUN_SHARE = 0.10


def transcript_overrun(transcript: Transcript, media_duration_ms: int | None) -> str | None:
    """The sentence to show (once, in the status line) when the transcript's last spoken
    line ends well after the media does: past duration + max(30 s, 10 % of it). None when it
    fits, or while the media's duration is not known."""
    if not media_duration_ms or media_duration_ms <= 0 or not transcript.segments:
        return None
    # A closing "[BLANK_AUDIO]" is no words a learner misses.
    spoken = [segment.end_ms for segment in transcript.segments if not segment.is_non_speech]
    end_ms = max(spoken) if spoken else transcript.end_ms
    if end_ms <= media_duration_ms + max(OVERRUN_MIN_MS, OVERRUN_SHARE * media_duration_ms):
        return None
    return (f"The transcript runs to {format_clock(end_ms)} but the media is only "
            f"{format_clock(media_duration_ms)} long: it may be the transcript of another "
            f"recording, and its lines after {format_clock(media_duration_ms)} cannot be played.")

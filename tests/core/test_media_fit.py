"""A transcript far longer than its media is said so, once, in one sentence."""

from player.core.formats import load
from player.core.media_fit import transcript_overrun
from player.core.transcript import Segment, Transcript
from tests.conftest import WHISPER_SEED


def _ending_at(end_ms: int) -> Transcript:
    return Transcript([Segment(0, 1000, "first"), Segment(end_ms - 1000, end_ms, "last")])


def test_the_78_minute_transcript_on_a_5_minute_video_is_named():
    message = transcript_overrun(load(WHISPER_SEED), 5 * 60_000)
    assert message == ("The transcript runs to 1:18:41 but the media is only 5:00 long: it may be the "
                       "transcript of another recording, and its lines after 5:00 cannot be played.")


def test_a_transcript_a_little_past_the_end_is_fine():
    # Short media: 30 s of slack; long media: 10 %.
    assert transcript_overrun(_ending_at(5 * 60_000 + 30_000), 5 * 60_000) is None
    assert transcript_overrun(_ending_at(5 * 60_000 + 30_001), 5 * 60_000) is not None
    assert transcript_overrun(_ending_at(66 * 60_000), 60 * 60_000) is None
    assert transcript_overrun(_ending_at(66 * 60_000 + 1), 60 * 60_000) is not None


def test_a_shorter_transcript_or_an_unknown_duration_says_nothing():
    assert transcript_overrun(_ending_at(60_000), 5 * 60_000) is None  # the demo: a part of the media
    for unknown in (None, 0, -1):
        assert transcript_overrun(load(WHISPER_SEED), unknown) is None
    assert transcript_overrun(Transcript([]), 1000) is None


def test_a_closing_non_speech_marker_does_not_count():
    transcript = Transcript([Segment(0, 60_000, "words"), Segment(60_000, 400_000, "[BLANK_AUDIO]")])
    assert transcript_overrun(transcript, 60_000) is None

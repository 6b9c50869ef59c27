"""Writing transcripts out, and reading back what was written."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from player.core.formats import TranscriptError, load, parse_text
from player.core.formats.writers import to_markdown, to_srt, to_text, to_vtt
from player.core.transcript import Segment, Transcript
from tests.conftest import WHISPER_SEED

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "formats" / "subtitles"

MEETING = Transcript([
    Segment(4520, 7130, "Okay, let's start.", "Jane Doe"),
    Segment(7130, 10880, "Pre-training first.", "Jane Doe"),
    Segment(11240, 13020, "Slides, please?", "Omar Haddad"),
    Segment(75_480, 76_000, "Thanks."),
], title="Week 3: *Pre-training*")

# Text that a careless writer would turn into markup, a timing line or a cue break.
HOSTILE = Transcript([
    Segment(0, 1000, "a --> b & <i>c</i> {\\an8} &amp; AT&T", "A<b>&"),
    Segment(1000, 2000, "00:00:01,000 --> 00:00:02,000"),
    Segment(2000, 3000, "two\n\nparagraphs"),
    Segment(3000, 4000, "   "),
    Segment(4000, 5000, "<00:00:04.500> NOTE 42"),
])


def times_and_text(transcript):
    return [(s.start_ms, s.end_ms, s.text) for s in transcript]


def test_srt_output():
    assert to_srt(MEETING).startswith("1\n00:00:04,520 --> 00:00:07,130\nOkay, let's start.\n\n"
                                      "2\n00:00:07,130 --> 00:00:10,880\n")
    with_names = to_srt(MEETING, speakers=True)
    assert "3\n00:00:11,240 --> 00:00:13,020\nOmar Haddad: Slides, please?\n" in with_names


def test_vtt_output_with_voices():
    vtt = to_vtt(MEETING)
    assert vtt.startswith("WEBVTT\n\n"
                          "00:00:04.520 --> 00:00:07.130\n<v Jane Doe>Okay, let's start.</v>\n")
    assert "00:01:15.480 --> 00:01:16.000\nThanks.\n" in vtt
    assert [s.speaker for s in parse_text(vtt, "m.vtt")] == [s.speaker for s in MEETING]


def test_text_output():
    assert to_text(MEETING) == ("Jane Doe: Okay, let's start.\nPre-training first.\n"
                                "Omar Haddad: Slides, please?\nThanks.\n")


def test_markdown_output():
    assert to_markdown(MEETING).split("\n\n") == [
        "# Week 3: \\*Pre-training\\*",
        "**[0:04](#t=4.52)** **Jane Doe:** Okay, let's start.",
        "**[0:07](#t=7.13)** Pre-training first.",
        "**[0:11](#t=11.24)** **Omar Haddad:** Slides, please?",
        "**[1:15](#t=75.48)** Thanks.\n",
    ]


def test_markdown_links_to_the_lecture_online():
    lecture = Transcript([Segment(75_480, 76_000, "Hi.")],
                         source_url="https://www.youtube.com/watch?v=abc")
    assert "**[1:15](https://www.youtube.com/watch?v=abc&t=75s)** Hi." in to_markdown(lecture)
    lecture.source_url = "https://example.org/lecture 9 (2023).mp4"
    assert "(https://example.org/lecture%209%20%282023%29.mp4#t=75.48)" in to_markdown(lecture)


def test_markdown_escapes_markup():
    page = to_markdown(HOSTILE)
    assert "a --\\> b & \\<i\\>c\\</i\\> {\\\\an8} \\&amp; AT&T" in page
    assert "**A\\<b\\>&:**" in page


@pytest.mark.parametrize("write", [to_srt, to_vtt])
def test_hostile_text_comes_back_unchanged(write):
    written = write(HOSTILE)
    assert "\n\n\n" not in written and written.count("-->") == 4
    again = parse_text(written, "hostile")
    assert again.warnings == []
    assert times_and_text(again) == [
        (0, 1000, "a --> b & <i>c</i> {\\an8} &amp; AT&T"),
        (1000, 2000, "00:00:01,000 --> 00:00:02,000"),
        (2000, 3000, "two paragraphs"),
        (4000, 5000, "<00:00:04.500> NOTE 42"),
    ]


def test_plain_text_stays_readable_in_srt():
    # Players show SRT entities literally: escape only when the text would not survive.
    plain = Transcript([Segment(0, 1000, "R&D: if a < b and c > d"), Segment(1000, 2000, "AT&T")])
    assert "\nR&D: if a < b and c > d\n" in to_srt(plain) and "\nAT&T\n" in to_srt(plain)
    assert "R&amp;D: if a &lt; b and c &gt; d" in to_vtt(plain)


def test_empty_transcript():
    empty = Transcript([])
    written = (to_srt(empty), to_vtt(empty), to_text(empty), to_markdown(empty))
    assert written == ("", "WEBVTT\n", "", "")


ROUND_TRIP_FILES = sorted(path.name for path in SAMPLES.iterdir())


@pytest.mark.parametrize("name", ROUND_TRIP_FILES)
def test_every_sample_survives_srt_and_vtt(name):
    transcript = load(SAMPLES / name)
    assert times_and_text(parse_text(to_srt(transcript), "again.srt")) == times_and_text(transcript)
    again = parse_text(to_vtt(transcript), "again.vtt")
    assert [(s.start_ms, s.end_ms, s.text, s.speaker) for s in again] == \
           [(s.start_ms, s.end_ms, s.text, s.speaker) for s in transcript]


def test_whisper_seed_survives_srt():
    transcript = load(WHISPER_SEED)
    again = parse_text(to_srt(transcript), "seed.srt", "srt")
    assert len(again) == 1568 and again.warnings == []
    assert times_and_text(again) == times_and_text(transcript)


# Text as people type it, plus the characters that matter to SRT and VTT.
CUE_TEXT = st.text(alphabet=st.one_of(st.sampled_from("<>&;{}\\/-:#.0123456789 \n\tivbcruN"),
                                      st.characters()), max_size=40)


@settings(max_examples=150, deadline=None)
@given(cues=st.lists(st.tuples(st.integers(0, 10**8), st.integers(0, 10**6), CUE_TEXT,
                               st.none() | CUE_TEXT), max_size=8))
def test_any_text_survives_srt_and_vtt(cues):
    transcript = Transcript([Segment(start, start + length, text, speaker)
                             for start, length, text, speaker in cues])
    expected = [(s.start_ms, s.end_ms, " ".join(s.text.split()), " ".join((s.speaker or "").split()))
                for s in transcript if s.text.split()]
    for written, keeps_speakers in ((to_srt(transcript), False), (to_vtt(transcript), True)):
        if keeps_speakers:   # WebVTT has no NUL: its readers take it for U+FFFD
            expected = [(start, end, text.replace("\0", "\ufffd"), speaker.replace("\0", "\ufffd"))
                        for start, end, text, speaker in expected]
        try:
            again = parse_text(written, "again")
        except TranscriptError:
            assert not expected
            continue
        assert len(again) == len(expected)
        for segment, (start, end, text, speaker) in zip(again, expected):
            got_text, got_speaker = segment.text, segment.speaker or ""
            if not keeps_speakers:
                speaker = ""
            if got_speaker and not speaker:   # the text looked like Zoom's "Name: text"
                got_text, got_speaker = f"{got_speaker}: {got_text}", ""
            assert (segment.start_ms, segment.end_ms, got_text, got_speaker) == \
                   (start, end, text, speaker)

"""Text copied from YouTube's "Show transcript": timestamps, then what is said."""

from pathlib import Path

import pytest

from player.core.formats import TranscriptError, formats, load, parse_text
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "data"


def detected(text: str) -> str | None:
    return next((f.name for f in formats() if f.sniff(text)), None)


def test_timestamp_lines_then_text():
    path = DATA / "youtube_copy.txt"
    assert detected(path.read_text()) == "youtube-copy"
    transcript = load(path)
    assert [(s.start_ms, s.end_ms) for s in transcript][:3] == [
        (0, 3000), (3000, 6000), (6000, 9000)]
    assert transcript[0].text == "[Music]" and transcript[0].is_non_speech
    assert transcript[1].text == "hello welcome to lecture 8 of deep unsupervised learning"
    # A pause does not shorten a line: it lasts until the next one starts.
    assert (transcript[5].start_ms, transcript[5].end_ms) == (15_000, 62_000)
    last = transcript[-1]
    assert (last.start_ms, last.end_ms) == (65_000, 66_600)  # "give you exact likelihoods": 4 words
    assert transcript.warnings == []


def test_timestamp_and_text_on_one_line_past_the_hour():
    transcript = load(DATA / "youtube_copy_inline.txt")
    assert detected((DATA / "youtube_copy_inline.txt").read_text()) == "youtube-copy"
    assert [s.start_ms for s in transcript][-2:] == [3_598_000, 3_604_000]
    assert transcript[-2].end_ms == 3_604_000
    assert transcript[-1].text == "thank you"
    assert transcript[-1].end_ms - transcript[-1].start_ms == 1000  # two words: the shortest line


def test_screen_reader_labels_are_left_out():
    text = "0:00\n0 seconds\nhello there\n1:05\n1 minute, 5 seconds\ngeneral kenobi\n"
    transcript = parse_text(text, "copy.txt")
    assert [(s.start_ms, s.text) for s in transcript] == [
        (0, "hello there"), (65_000, "general kenobi")]


def test_broken_timestamps_and_empty_cues_are_named():
    text = "0:01\nfirst\n0:75\nlost with its bad time\n0:09\n0:12\nlast\n"
    transcript = parse_text(text, "copy.txt", format="youtube-copy")
    assert [s.text for s in transcript] == ["first", "last"]
    assert [line for line, _why in transcript.warnings] == [3, 5]
    with pytest.raises(TranscriptError) as caught:
        parse_text("0:99\nnothing good\n", "bad.txt", format="youtube-copy")
    assert caught.value.line == 1 and str(caught.value).startswith("bad.txt:1: ")


@pytest.mark.parametrize("text", [
    "We met at 10:30 and talked until noon.\nThen lunch.\nThen more talk.\n",
    "Agenda\n\nIntroductions, coffee, and then the first talk about transformers.\n"
    "After that a break.\n10:30\n",
    "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:04,000\nThere\n",
    "0:05\nbackwards\n0:01\ntime\n",
])
def test_prose_and_other_formats_are_not_taken(text):
    assert detected(text) != "youtube-copy"


def test_the_summary_seeds_are_not_copied_transcripts():
    for name in ("001_c3e47d3ff7ece1b1.txt", "002_a429e181e0dd89a0.txt"):
        assert detected((SEEDS / name).read_text(encoding="utf-8")) != "youtube-copy"

from player.core.formats import load
from player.core.paragraphs import SOFT_LIMIT_CHARS, group_paragraphs
from player.core.transcript import Segment, Transcript
from tests.conftest import WHISPER_SEED


def fragments(*items):
    """(start_s, end_s, text) triples into a transcript."""
    return Transcript([Segment(int(a * 1000), int(b * 1000), text) for a, b, text in items])


def test_fragments_join_into_sentences_and_break_at_pauses():
    transcript = fragments((0, 1, "Today we'll be talking"), (1, 2, "about pre-training."), (2, 3, "It matters."),
                           (5, 6, "After a pause,"), (6, 7, "a new thought."))
    paragraphs = group_paragraphs(transcript)
    assert [p.text for p in paragraphs] == ["Today we'll be talking about pre-training. It matters.",
                                            "After a pause, a new thought."]
    first = paragraphs[0]
    assert (first.first, first.last) == (0, 2)
    assert first.span_of(1) == (len("Today we'll be talking "), len("about pre-training."))
    assert first.segment_at_offset(0) == 0 and first.segment_at_offset(30) == 1 and first.segment_at_offset(50) == 2


def test_markers_and_speaker_changes_stand_apart():
    transcript = Transcript([Segment(0, 1000, "Hello there."), Segment(1000, 2000, "[Music]"),
                             Segment(2000, 3000, "Welcome.", speaker="Ann"), Segment(3000, 4000, "Thanks.", "Bo")])
    assert [(p.first, p.last) for p in group_paragraphs(transcript)] == [(0, 0), (1, 1), (2, 2), (3, 3)]


def test_unpunctuated_captions_still_break():
    transcript = fragments(*[(i, i + 1, "and so we keep talking without any punctuation at all") for i in range(200)])
    paragraphs = group_paragraphs(transcript)
    assert len(paragraphs) > 5 and max(len(p.text) for p in paragraphs) < 1000


def test_every_segment_lands_in_exactly_one_paragraph_of_the_seed():
    transcript = load(WHISPER_SEED)
    paragraphs = group_paragraphs(transcript)
    covered = [i for p in paragraphs for i in range(p.first, p.last + 1)]
    assert covered == list(range(len(transcript)))
    assert 50 < len(paragraphs) < 400
    assert sorted(len(p.text) for p in paragraphs)[len(paragraphs) // 2] <= SOFT_LIMIT_CHARS + 200

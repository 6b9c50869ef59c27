"""Lecture summary pages read into parts and linked to transcript moments."""

import pytest

from player.core.formats import TranscriptError, load
from player.core.notes import link_notes, parse_notes, read_notes
from player.core.transcript import Segment, Transcript
from tests.conftest import DEMO_DIR, SEEDS, WHISPER_SEED

NOTES_SEED = SEEDS / "002_a429e181e0dd89a0.txt"
PODCAST_NOTES = SEEDS / "001_c3e47d3ff7ece1b1.txt"


def test_summary_page_is_read_without_its_boilerplate():
    notes = read_notes(NOTES_SEED)
    assert notes.title == "Stanford CS224N NLP with Deep Learning | 2023 | Lecture 9 - Pretraining"
    assert notes.tldr.startswith("Pre-training models like BERT")
    kinds = [item.kind for item in notes.items]
    assert kinds == ["insight"] * 4 + ["answer"] * 4 + ["takeaway"] * 3
    assert notes.items[0].text.startswith("Pre-training and fine-tuning")  # emoji bullet dropped
    assert notes.items[4].question == "Why is pre-training followed by fine-tuning useful for NLP?"
    every_text = " ".join(item.text for item in notes.items)
    for boilerplate in ("Install to Summarize", "Share This Summary", "Read More", "hello welcome"):
        assert boilerplate not in every_text


def test_second_summary_with_bulleted_answers():
    notes = read_notes(PODCAST_NOTES)
    assert notes.title == "Breaking down the OG GPT Paper by Alec Radford"
    answers = [item for item in notes.items if item.kind == "answer"]
    assert all(item.question for item in answers)
    assert any(item.text.startswith("Transformers are a powerful") for item in answers)


def test_not_a_summary_is_refused_by_name(tmp_path):
    path = tmp_path / "shopping.txt"
    path.write_text("eggs\nmilk\n")
    with pytest.raises(TranscriptError, match="shopping.txt"):
        read_notes(path)


def _link_for(links, words):
    return next(link for link in links if words in link.item.text)


def test_distinctive_points_link_to_where_they_are_said():
    links = link_notes(read_notes(NOTES_SEED), load(WHISPER_SEED))
    # Checked by reading the transcript at these moments.
    expectations = {
        "BERT is a popular pre-trained model that uses masked": (39 * 60, 42 * 60),   # "a very popular NLP model"
        "span corruption": (58 * 60, 60 * 60),
        "While BERT can be used for text generation": (52 * 60, 55 * 60),
    }
    for words, (earliest, latest) in expectations.items():
        link = _link_for(links, words)
        assert link.start_ms is not None and earliest * 1000 <= link.start_ms <= latest * 1000, (words, link)


def test_notes_of_another_talk_link_almost_nothing():
    # A podcast about the GPT-1 paper against a lecture on pre-training: the same field,
    # words in common everywhere, but none of the podcast's points is said in the lecture.
    links = link_notes(read_notes(PODCAST_NOTES), load(WHISPER_SEED))
    assert len(links) == 21
    assert sum(link.start_ms is not None for link in links) <= 1


def test_the_demo_lecture_is_too_short_to_say_any_point():
    # 85 s of the lecture that the notes summarise: it says "today we'll be talking
    # about pre-training" and none of the points, which once all linked to 0:09.
    demo = load(DEMO_DIR / "lecture.txt")
    for notes in (read_notes(NOTES_SEED), read_notes(PODCAST_NOTES)):
        assert [link.start_ms for link in link_notes(notes, demo)] == [None] * len(notes.items)


def test_points_said_at_several_moments_of_the_lecture_link_nowhere():
    links = link_notes(read_notes(NOTES_SEED), load(WHISPER_SEED))
    # The lecture ends on a question about "a large amount of data for pre-training and
    # fine-tuning": words of every general point, the place of none of them.
    for words in ("Pre-training and fine-tuning have revolutionized", "Pre-training involves training",
                  "Pre-training allows models to learn general"):
        assert _link_for(links, words).start_ms is None, words


def test_an_agenda_that_names_every_point_is_not_where_they_are_said():
    lecture = load(WHISPER_SEED)
    agenda_lines = [
        "Today: BERT, the popular model with masked language modeling,",
        "span corruption in encoder-decoder models, text generation,",
        "filling in missing words, evaluation metrics like sentiment analysis,",
        "machine translation and natural language inference,",
        "fine-tuning on labeled data for specific tasks,",
        "and general language representations learned in pre-training.",
    ]
    shift = 60_000
    agenda = [Segment(i * 5000, i * 5000 + 5000, text) for i, text in enumerate(agenda_lines)]
    moved = [Segment(s.start_ms + shift, s.end_ms + shift, s.text) for s in lecture.segments]
    links = link_notes(read_notes(NOTES_SEED), Transcript(agenda + moved))
    assert all(link.start_ms is None or link.start_ms >= shift for link in links)
    for words, minute in (("span corruption", 59), ("While BERT can be used for text generation", 53)):
        start = _link_for(links, words).start_ms
        assert start is not None and abs(start - shift - minute * 60_000) < 60_000, (words, start)


def test_weak_matches_link_nothing():
    notes = read_notes(NOTES_SEED)
    cooking = Transcript([Segment(i * 3000, i * 3000 + 3000, text) for i, text in enumerate(
        ["Today we bake bread with flour, water and salt.", "Knead the dough for ten minutes.",
         "Let it rise until it doubles.", "Shape the loaf and score the top.",
         "Bake at two hundred and thirty degrees.", "Let it cool before slicing."] * 20)])
    assert all(link.start_ms is None for link in link_notes(notes, cooking))


def test_every_link_lands_inside_the_transcript():
    transcript = load(WHISPER_SEED)
    for link in link_notes(read_notes(PODCAST_NOTES), transcript):
        assert link.start_ms is None or transcript.segment_near(link.start_ms) is not None


def test_markup_in_notes_is_kept_as_text():
    notes = parse_notes("Title <b>x</b>\n\nKey Insights\n- <img src=x> & more\n", "n.txt")
    assert notes.title == "Title <b>x</b>" and notes.items[0].text == "<img src=x> & more"

"""Lecture summary pages read into parts and linked to transcript moments."""

import pytest

from player.core.formats import TranscriptError, load
from player.core.notes import link_notes, parse_notes, read_notes
from player.core.transcript import Segment, Transcript
from tests.conftest import SEEDS, WHISPER_SEED

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

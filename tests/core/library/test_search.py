"""Search: transcripts, notes and tag names, with any input a learner might type."""

from __future__ import annotations

import pytest

from player.core.library import fts_query
from player.core.library.search import MATCH_END, MATCH_START, split_marks
from tests.core.library.test_highlights import HOSTILE


@pytest.fixture
def annotated(library, lecture):
    library.add_highlight(lecture.id, 5000, 9000, 2, ["Self-attention"], "Ask about multi-head attention")
    return lecture


def test_each_hit_knows_where_and_what(library, annotated, media):
    hits = library.search("attention")
    assert {hit.kind for hit in hits} == {"transcript", "note", "tag"}
    for hit in hits:
        assert hit.media_path == str(media.resolve())
        assert hit.end_ms > hit.start_ms
        text, marked = split_marks(hit.snippet)
        assert marked and all(text[start:start + length].casefold().startswith("attention")
                              for start, length in marked)
    note = next(hit for hit in hits if hit.kind == "note")
    assert (note.start_ms, note.end_ms, note.text) == (5000, 9000, "Ask about multi-head attention")
    transcript = [hit for hit in hits if hit.kind == "transcript"]
    assert {hit.start_ms for hit in transcript} == {2000, 5000}


def test_words_are_prefixes_and_all_must_match(library, annotated):
    assert [h.text for h in library.search("transf")] == ["Today we talk about transformers and attention."]
    assert [h.text for h in library.search("attention every")] == [
        "Attention lets every word look at every other word."]
    assert library.search("attention zebra") == []


@pytest.mark.parametrize("query", [*HOSTILE, '"', "''", "-", "a-b", "NEAR", "NOT", "OR AND", "*", "^x",
                                   "col:umn", "(", ")", "", "   ", "\"attention", "attention\""])
def test_no_input_breaks_the_search(library, annotated, query):
    library.search(query)


def test_hyphenated_words_and_operators_are_plain_words(library, annotated):
    assert any(h.kind == "transcript" for h in library.search("pre-training"))
    assert library.search("NEAR attention") == []  # "near" is a word here, not an operator
    assert fts_query('say "NEAR(a' ) == '"say"* "NEAR"* "a"*'
    assert fts_query("  ,;  ") is None


def test_results_are_limited(library, lecture):
    for start in range(0, 300):
        library.add_highlight(lecture.id, start * 10, start * 10 + 5, note="attention please")
    assert len(library.search("attention")) == 50
    assert len(library.search("attention", limit=7)) == 7
    assert library.search("attention", limit=0) == []


def test_search_one_lecture(library, annotated, tmp_path):
    from tests.core.library.conftest import make_media, sample_transcript

    other = library.import_lecture(make_media(tmp_path / "o.mp4", seed=6), sample_transcript())
    assert {h.lecture_id for h in library.search("attention")} == {annotated.id, other.id}
    assert {h.lecture_id for h in library.search("attention", lecture=other.id)} == {other.id}


def test_index_follows_edits(library, lecture):
    h = library.add_highlight(lecture.id, 0, 10, tags=["zebra"], note="giraffe")
    library.set_note(h.id, "okapi")
    library.rename_tag("zebra", "lion")
    assert library.search("giraffe") == [] and library.search("zebra") == []
    assert [x.kind for x in library.search("okapi")] == ["note"]
    assert [x.kind for x in library.search("lion")] == ["tag"]
    library.remove_highlight(h.id)
    assert library.search("okapi") == [] and library.search("lion") == []


def test_matches_are_marked_apart_from_brackets_in_the_text(library, lecture):
    library.add_highlight(lecture.id, 5000, 9000, 1, [], "[AUDIO OUT] then attention [sic]")
    (hit,) = [hit for hit in library.search("attention") if hit.kind == "note"]
    assert hit.snippet == f"[AUDIO OUT] then {MATCH_START}attention{MATCH_END} [sic]"
    assert split_marks(hit.snippet) == ("[AUDIO OUT] then attention [sic]", [(17, 9)])


def test_split_marks_keeps_the_text_and_finds_each_mark():
    assert split_marks("plain") == ("plain", [])
    assert split_marks(f"{MATCH_START}a{MATCH_END} b {MATCH_START}cd{MATCH_END}") == ("a b cd", [(0, 1), (4, 2)])
    assert split_marks(f"{MATCH_START}{MATCH_END}x{MATCH_END}") == ("x", [])   # empty or unopened marks

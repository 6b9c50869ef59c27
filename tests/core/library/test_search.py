"""Search: transcripts, notes and tag names, with any input a learner might type, as quick
for the commonest words as for the rarest."""

from __future__ import annotations

import pytest

from player.core.library import Library, fts_query, schema
from player.core.library.search import COMMON_LINES, MATCH_END, MATCH_START, search, split_marks
from player.core.transcript import Segment, Transcript
from tests.core.library.conftest import make_media
from tests.core.library.test_highlights import HOSTILE
from tests.core.library.test_schema import _library_at


@pytest.fixture
def annotated(library, lecture):
    library.add_highlight(lecture.id, 5000, 9000, 2, ["Self-attention"], "Ask about multi-head attention")
    return lecture


def _lecture(library, tmp_path, texts: list[str], seed: int):
    """A lecture whose line n says texts[n], from n s to n s + 0.9 s."""
    transcript = Transcript([Segment(n * 1000, n * 1000 + 900, text) for n, text in enumerate(texts)])
    return library.import_lecture(make_media(tmp_path / f"lecture {seed}.mp4", seed=seed), transcript)


def _texts(hits) -> list[str]:
    return [hit.text for hit in hits]


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


def test_only_the_last_word_is_a_prefix_and_all_must_match(library, annotated):
    assert _texts(library.search("transf")) == ["Today we talk about transformers and attention."]
    assert _texts(library.search("attention transf")) == ["Today we talk about transformers and attention."]
    assert library.search("transf attention") == []   # "transf" is no word, and only the last is a prefix
    assert _texts(library.search("attention every")) == ["Attention lets every word look at every other word."]
    assert library.search("attention zebra") == []


def test_a_last_word_shorter_than_three_letters_matches_whole(library, lecture):
    # "at" is a word of two lines; as a prefix it would also find every "attention".
    assert {hit.start_ms for hit in library.search("at")} == {5000, 9000}
    assert {hit.start_ms for hit in library.search("att")} == {2000, 5000}   # three letters: a prefix
    assert library.search("w") == []                                         # no word "w"


def test_a_last_word_followed_by_a_space_or_a_quote_is_finished(library, lecture):
    assert len(library.search("atten")) == 2
    assert library.search("atten ") == [] and library.search('"atten"') == []
    assert fts_query("neural netw") == '"neural" "netw"*' and fts_query("neural netw ") == '"neural" "netw"'


def test_quoted_words_are_a_phrase_and_an_unclosed_quote_is_being_typed(library, tmp_path):
    _lecture(library, tmp_path, ["We use span corruption here.", "The span of the corruption is short."], seed=3)
    assert _texts(library.search('"span corruption"')) == ["We use span corruption here."]
    assert len(library.search("span corruption")) == 2          # without quotes the words may be apart
    assert _texts(library.search('"span corr')) == ["We use span corruption here."]
    assert library.search('"span corr"') == []                  # closed: "corr" is a whole word
    assert fts_query('"span corruption" masking') == '"span corruption" "masking"*'


def test_words_joined_by_punctuation_must_be_in_a_row(library, tmp_path):
    _lecture(library, tmp_path, ["I don't know.", "Don Quixote took a t-test.", "It is state-of-the-art.",
                                 "The art of the state."], seed=3)
    assert fts_query("don't") == '"don t"'     # "t" is one letter: whole, not every word starting with t
    assert _texts(library.search("don't")) == ["I don't know."]
    assert _texts(library.search("state-of-the-art")) == ["It is state-of-the-art."]
    assert _texts(library.search("pre-training state-of-the")) == []


@pytest.mark.parametrize("common_lines", [COMMON_LINES, 0])
@pytest.mark.parametrize("query", [*HOSTILE, '"', "''", "-", "a-b", "NEAR", "NOT", "OR AND", "*", "^x",
                                   "col:umn", "(", ")", "", "   ", "\"attention", "attention\"", "NEAR(",
                                   "text:attention", "attention*", '"" "', "x" * 10_000, "the " * 500])
def test_no_input_breaks_the_search(library, annotated, query, common_lines):
    assert isinstance(search(library.conn, query, common_lines=common_lines), list)


def test_fts_syntax_in_the_input_is_just_words(library, tmp_path):
    _lecture(library, tmp_path, ["Sit near the door or the window.", "The text of the door."], seed=3)
    assert fts_query('say "NEAR(a') == '"say" "NEAR a"'
    assert fts_query('NEAR( * - OR col:') == '"NEAR" "OR" "col"'
    assert fts_query('NEAR( " - OR col:') == '"NEAR" "OR col"'      # an unclosed quote: a phrase
    assert fts_query("  ,;  ") is None and fts_query('* " - ^') is None
    sit = ["Sit near the door or the window."]
    assert _texts(library.search("NEAR(")) == sit                      # no NEAR group: the word "near"
    assert _texts(library.search("door OR nothing")) == []             # OR is a word, and no line has "nothing"
    assert _texts(library.search("door OR")) == sit
    assert _texts(library.search("-window")) == sit                    # not "lines without window"
    assert _texts(library.search("^sit")) == sit
    assert library.search("text:window") == []   # no column filter: "text" then "window" in a row
    assert library.search("*") == library.search('"') == library.search("-") == []


def test_results_are_limited(library, lecture):
    for start in range(0, 300):
        library.add_highlight(lecture.id, start * 10, start * 10 + 5, note="attention please")
    assert len(library.search("attention")) == 50
    assert len(library.search("attention", limit=7)) == 7
    assert library.search("attention", limit=0) == []


def test_search_one_lecture(library, annotated, tmp_path):
    from tests.core.library.conftest import sample_transcript

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


def test_a_corrected_line_is_found_by_its_new_words_only(library, lecture):
    line = library.transcript_lines(lecture.id)[3]
    library.edit_line_text(line.id, "Questions about the okapi at the end, please.")
    assert [(hit.kind, hit.start_ms) for hit in library.search("okapi")] == [("transcript", 9000)]
    assert [(hit.kind, hit.start_ms) for hit in library.search("the oka")] == [("transcript", 9000)]
    library.edit_line_text(line.id, "Questions at the very end.")
    assert library.search("okapi") == [] and len(library.search("very end")) == 1


def test_matches_are_marked_apart_from_brackets_in_the_text(library, lecture):
    library.add_highlight(lecture.id, 5000, 9000, 1, [], "[AUDIO OUT] then attention [sic]")
    (hit,) = [hit for hit in library.search("attention") if hit.kind == "note"]
    assert hit.snippet == f"[AUDIO OUT] then {MATCH_START}attention{MATCH_END} [sic]"
    assert split_marks(hit.snippet) == ("[AUDIO OUT] then attention [sic]", [(17, 9)])


def test_split_marks_keeps_the_text_and_finds_each_mark():
    assert split_marks("plain") == ("plain", [])
    assert split_marks(f"{MATCH_START}a{MATCH_END} b {MATCH_START}cd{MATCH_END}") == ("a b cd", [(0, 1), (4, 2)])
    assert split_marks(f"{MATCH_START}{MATCH_END}x{MATCH_END}") == ("x", [])   # empty or unopened marks


# ----- common words: the first page without ranking every match ----------------------

def _bm25_order(library, query: str) -> list[str]:
    """Every matching line ranked by FTS5's bm25 over the whole query: what search did
    before, at any cost."""
    return [text for (text,) in library.conn.execute(
        "SELECT s.text FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid "
        "WHERE segments_fts MATCH ? ORDER BY rank", (fts_query(query),))]


def test_the_best_line_for_a_rare_word_is_first_among_common_ones(library, tmp_path):
    texts = [f"the line number {n} says the same thing as the one before" for n in range(200)]
    texts[150] = "the zebra and the zebra"                       # twice in a short line: the best
    texts[10] = "the zebra crossing is one of the things we see on the road"
    texts[120] = "the zebra grazes"
    _lecture(library, tmp_path, texts, seed=3)
    best_first = ["the zebra and the zebra", "the zebra grazes",
                  "the zebra crossing is one of the things we see on the road"]
    assert _bm25_order(library, "the zebra") == best_first
    # "the" is in 200 lines: above 20 it only filters, and zebra's three lines are ranked.
    for common_lines in (20, COMMON_LINES):
        hits = search(library.conn, "the zebra", common_lines=common_lines)
        assert _texts(hits) == best_first, common_lines
        assert split_marks(hits[0].snippet)[1] == [(0, 3), (4, 5), (14, 3), (18, 5)]   # "the" marked too
    assert _texts(search(library.conn, "the zebra grazes", common_lines=20)) == ["the zebra grazes"]


def test_common_words_alone_give_the_newest_matching_lines(library, tmp_path):
    older = _lecture(library, tmp_path, [f"the older line {n}" for n in range(100)], seed=3)
    newer = _lecture(library, tmp_path, [f"the newer line {n}" if n % 2 else f"no article {n}"
                                         for n in range(100)], seed=4)
    hits = search(library.conn, "the", limit=10, common_lines=20)
    # All match, the page is full, and they are the last ten lines of the newest lecture
    # with the word, newest first.
    assert [hit.lecture_id for hit in hits] == [newer.id] * 10
    assert [hit.start_ms for hit in hits] == [n * 1000 for n in range(99, 80, -2)]
    assert all(split_marks(hit.snippet)[1] == [(0, 3)] for hit in hits)
    # Every word must still match; several common words together are still common.
    hits = search(library.conn, "the older line", limit=5, common_lines=20)
    assert [hit.start_ms for hit in hits] == [n * 1000 for n in range(99, 94, -1)]
    assert {hit.lecture_id for hit in hits} == {older.id}
    # A page across lectures: the newer lecture's lines, then the older one's.
    hits = search(library.conn, "line", limit=55, common_lines=20)
    assert [hit.lecture_id for hit in hits] == [newer.id] * 50 + [older.id] * 5
    # Beyond the first page: everything, once, when a limit asks for it.
    assert len(search(library.conn, "the", limit=1000, common_lines=20)) == 150
    assert len(search(library.conn, "lin", limit=1000, common_lines=20)) == 150


def test_one_lectures_common_words_stay_in_it_when_its_lines_are_far_apart(library, tmp_path):
    first = _lecture(library, tmp_path, [f"the first lecture, part {n}, and the lecture goes on" for n in range(30)],
                     seed=3)
    second = _lecture(library, tmp_path, [f"the second lecture says {n}" for n in range(30)], seed=4)
    # A split gives the first lecture a line whose id is past every line of the second.
    split = library.split_line(library.transcript_lines(first.id)[4].id, len("the first lecture, part 4,"))
    assert split.after[1].id > max(line.id for line in library.transcript_lines(second.id))
    for common_lines in (5, COMMON_LINES):
        hits = search(library.conn, "the lec", lecture_id=first.id, limit=100, common_lines=common_lines)
        assert {hit.lecture_id for hit in hits} == {first.id} and len(hits) == 31
        assert split.after[1].text in _texts(hits)
    assert search(library.conn, "the", lecture_id=second.id + 1, common_lines=5) == []


def test_a_pasted_paragraph_is_searched_by_its_longest_words(library, tmp_path):
    _lecture(library, tmp_path, ["so the model learns a representation of language from raw text and then"] * 3
             + ["the model learns"] * 40, seed=3)
    query = "so the model learns a representation of language from raw text and then"
    assert len(search(library.conn, query, common_lines=10)) == 3


# ----- v6: the transcripts' index holds word beginnings -------------------------------

@pytest.mark.parametrize("version", range(0, schema.LATEST))
def test_every_older_library_gets_the_prefix_index_with_every_line(tmp_path, version):
    path = tmp_path / "library.sqlite"
    _library_at(path, version)
    with Library.open(path) as library:
        sql = library.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'segments_fts'").fetchone()[0]
        assert "prefix='3 4'" in sql
        # The index agrees with the lines it indexes (FTS5 checks it against segments).
        library.conn.execute("INSERT INTO segments_fts (segments_fts, rank) VALUES ('integrity-check', 1)")
        if version:
            assert [hit.start_ms for hit in library.search("atte") if hit.kind == "transcript"] == [2000, 5000]
            assert [hit.kind for hit in library.search("exa")] == ["tag"]       # notes and tags as before
            assert [hit.kind for hit in library.search("keep")] == ["note"]


def test_lecture_titles_name_only_the_lectures_asked_for(tmp_path):
    from player.core.library import Library
    from player.core.transcript import Segment, Transcript

    with Library.open(tmp_path / "library.sqlite") as library:
        ids = []
        for name in ("first", "second"):
            media = tmp_path / f"{name}.mp3"
            media.write_bytes(name.encode() * 100)
            ids.append(library.import_lecture(media, Transcript([Segment(0, 1000, name)])).id)
        assert library.lecture_titles() == {ids[0]: "first", ids[1]: "second"}
        assert library.lecture_titles([ids[1], 2**70]) == {ids[1]: "second"}
        assert library.lecture_titles([]) == {}

"""Corrections of a transcript: each one transaction returning a TranscriptEdit whose inverse
undoes it; the original kept beside and restorable; search, highlights' words and exports
read the corrected text; highlights keep their moments through splits and merges."""

from __future__ import annotations

import pytest

from player.core import exports
from player.core.library import StaleEdit, TranscriptEdit
from player.core.formats import load
from player.core.transcript import Segment, Transcript, Word
from tests.core.library.conftest import make_media, sample_transcript

ORIGINAL = [s.text for s in sample_transcript().segments]


def texts(library, lecture_id) -> list[str]:
    return [segment.text for segment in library.transcript(lecture_id).segments]


def line_ids(library, lecture_id) -> list[int]:
    return [line.id for line in library.transcript_lines(lecture_id)]


def assert_in_step(library, lecture_id) -> None:
    """The stored positions and the player's transcript agree line for line."""
    lines = library.transcript_lines(lecture_id)
    segments = library.transcript(lecture_id).segments
    assert [line.position for line in lines] == list(range(len(lines)))
    assert [line.to_segment() for line in lines] == segments


def undo(library, edit: TranscriptEdit) -> TranscriptEdit:
    return library.apply_transcript_edit(edit.inverse())


@pytest.fixture
def timed(library, tmp_path):
    """A lecture whose lines have word times (as Whisper JSON or YouTube captions give)."""
    words = (Word(1000, 1400, "Attention"), Word(1400, 1700, "is"), Word(1700, 2000, "all"),
             Word(2600, 2900, "you"), Word(2900, 3400, "need."))
    transcript = Transcript([Segment(1000, 3400, "Attention is all you need.", words=words),
                             Segment(4000, 6000, "Then we pre-train.")])
    return library.import_lecture(make_media(tmp_path / "timed.mp4", seed=5), transcript)


def test_a_corrected_word_is_what_search_highlights_and_exports_see(library, lecture):
    highlight = library.add_highlight(lecture.id, 2500, 4000, 2, ["exam"], "key point")
    second = line_ids(library, lecture.id)[1]
    edit = library.edit_line_text(second, "Today we talk about transformers and self-supervision.")
    assert (edit.kind, [line.id for line in edit.before], [line.id for line in edit.after]) == ("text", [second],
                                                                                               [second])
    assert edit.before[0].text == ORIGINAL[1] and edit.after[0].position == 1
    assert texts(library, lecture.id)[1].endswith("self-supervision.")
    assert [s.text for s in library.original_transcript(lecture.id).segments] == ORIGINAL
    assert library.transcription_state(lecture.id).corrected
    # The search index holds the current text only: the old word is found only where it
    # is still said (line 3), the new one in line 2.
    assert [hit.text for hit in library.search("supervision")] == [texts(library, lecture.id)[1]]
    assert [hit.start_ms for hit in library.search("attention")] == [5000]
    # A highlight's words, and every export made from the library, are the corrected ones.
    assert "self-supervision" in library.highlight(highlight.id).text
    study = exports.collect(library, lecture.id)
    assert "self-supervision" in exports.to_markdown(study) and "self-supervision" in exports.to_highlight_srt(study)
    assert study.transcript.segments[1].text.endswith("self-supervision.")

    undone = undo(library, edit)
    assert texts(library, lecture.id) == ORIGINAL and undone.after[0].text == ORIGINAL[1]
    assert not library.transcription_state(lecture.id).corrected   # the original again: no correction left
    assert library.db["original_segments"].count == 0
    assert library.search("supervision") == [] and len(library.search("attention")) == 2
    library.apply_transcript_edit(edit)   # redo
    assert texts(library, lecture.id)[1].endswith("self-supervision.")
    assert_in_step(library, lecture.id)


def test_restore_original_returns_the_corrections_and_can_be_undone(library, lecture):
    ids = line_ids(library, lecture.id)
    library.edit_line_text(ids[0], "Welcome to the lecture on pretraining.")
    library.split_line(ids[2], len("Attention lets every word"))
    library.set_speaker(ids[3], "Prof. Manning")
    corrected = texts(library, lecture.id)
    assert len(corrected) == 5

    restored = library.restore_original(lecture.id)
    assert restored.kind == "restore_original"
    assert [line.text for line in restored.before] == corrected
    assert texts(library, lecture.id) == ORIGINAL and line_ids(library, lecture.id) == ids
    state = library.transcription_state(lecture.id)
    assert not state.corrected and library.db["original_segments"].count == 0
    assert library.search("pretraining") == [] and library.search("pre-training")
    with pytest.raises(ValueError, match="no corrections"):
        library.restore_original(lecture.id)

    undo(library, restored)
    assert texts(library, lecture.id) == corrected
    assert library.transcription_state(lecture.id).corrected
    assert [s.text for s in library.original_transcript(lecture.id).segments] == ORIGINAL
    assert library.search("pretraining") and library.transcript_lines(lecture.id)[4].speaker == "Prof. Manning"
    assert_in_step(library, lecture.id)


def test_split_at_a_word_boundary_takes_the_times_of_the_words(library, timed):
    first = line_ids(library, timed.id)[0]
    edit = library.split_line(first, len("Attention is all "))
    left, right = edit.after
    assert (left.id, left.text, left.start_ms, left.end_ms) == (first, "Attention is all", 1000, 2000)
    assert (right.text, right.start_ms, right.end_ms, right.position) == ("you need.", 2600, 3400, 1)
    assert [w.text for w in left.words] == ["Attention", "is", "all"] and right.words[0].start_ms == 2600
    assert texts(library, timed.id) == ["Attention is all", "you need.", "Then we pre-train."]
    assert_in_step(library, timed.id)
    undo(library, edit)
    assert texts(library, timed.id) == ["Attention is all you need.", "Then we pre-train."]
    assert line_ids(library, timed.id)[0] == first and not library.transcription_state(timed.id).corrected


def test_split_inside_a_word_divides_that_words_time(library, timed):
    first = line_ids(library, timed.id)[0]
    left, right = library.split_line(first, len("Attention is all you ne")).after
    assert (left.text, right.text) == ("Attention is all you ne", "ed.")
    assert left.end_ms == right.start_ms == 2900 + round(500 * 2 / 5)


def test_split_without_word_times_goes_by_the_characters(library, lecture):
    last = line_ids(library, lecture.id)[3]   # 9000-12000 "Questions at the end, please."
    left, right = library.split_line(last, len("Questions at the end,")).after
    text = ORIGINAL[3]
    at = 9000 + round(3000 * len("Questions at the end,") / len(text))
    assert (left.text, left.end_ms, right.text, right.start_ms) == ("Questions at the end,", at, "please.", at)
    for offset in (0, len(text), 9 + 1000):
        with pytest.raises(ValueError, match="nothing to split off"):
            library.split_line(left.id, offset)


def test_highlights_keep_their_moments_through_split_and_merge(library, lecture):
    ids = line_ids(library, lecture.id)
    # A highlight over the end of line 2 (2000-5000: "Today we talk about transformers and attention.").
    late = library.add_highlight(lecture.id, 4000, 4900, 1)
    early = library.add_highlight(lecture.id, 2000, 2400, 3)
    split = library.split_line(ids[1], len("Today we talk about"))
    assert library.highlight(late.id).text == "transformers and attention."
    assert library.highlight(early.id).text == "Today we talk about"
    assert (library.highlight(late.id).start_ms, library.highlight(late.id).end_ms) == (4000, 4900)
    merged = library.merge_with_next(ids[1])
    assert [line.id for line in merged.before] == [ids[1], split.after[1].id]
    assert [line.id for line in merged.after] == [ids[1]]
    assert library.highlight(late.id).text == library.highlight(early.id).text == ORIGINAL[1]
    assert texts(library, lecture.id) == ORIGINAL and not library.transcription_state(lecture.id).corrected
    undo(library, merged)
    assert library.highlight(late.id).text == "transformers and attention."
    assert_in_step(library, lecture.id)


def test_merge_joins_text_times_and_words(library, timed):
    first, second = line_ids(library, timed.id)
    edit = library.merge_with_next(first)
    (line,) = edit.after
    assert (line.id, line.text, line.start_ms, line.end_ms) == (first, "Attention is all you need. Then we pre-train.",
                                                               1000, 6000)
    assert line.words == ()   # the second line had no word times: none is better than half
    with pytest.raises(ValueError, match="no line after it"):
        library.merge_with_next(first)
    undo(library, edit)
    assert line_ids(library, timed.id) == [first, second]
    assert library.transcript_line(first).words[4].text == "need."


def test_a_corrected_word_keeps_the_time_of_the_word_it_replaces(library, timed):
    first = line_ids(library, timed.id)[0]
    line = library.edit_line_text(first, "Attention is all we need!").after[0]
    assert [(w.text, w.start_ms, w.end_ms) for w in line.words] == [
        ("Attention", 1000, 1400), ("is", 1400, 1700), ("all", 1700, 2000), ("we", 2600, 2900),
        ("need!", 2900, 3400)]
    with pytest.raises(ValueError, match="needs words"):
        library.edit_line_text(first, "   ")


def test_line_times_stay_between_the_neighbours(library, lecture):
    ids = line_ids(library, lecture.id)   # 0-2000, 2000-5000, 5000-9000, 9000-12000
    moved = library.set_line_times(ids[1], 2500, 4500)
    assert (moved.after[0].start_ms, moved.after[0].end_ms, moved.clamped) == (2500, 4500, False)
    pushed = library.set_line_times(ids[1], 1500, 6000)
    assert (pushed.after[0].start_ms, pushed.after[0].end_ms, pushed.clamped) == (2000, 5000, True)
    with pytest.raises(ValueError, match="no room"):
        library.set_line_times(ids[2], 12_500, 13_000)   # past the next line's end: nothing left
    with pytest.raises(ValueError, match="end after it starts"):
        library.set_line_times(ids[2], 6000, 6000)
    undo(library, pushed)
    undo(library, moved)
    assert not library.transcription_state(lecture.id).corrected
    assert_in_step(library, lecture.id)


def test_shift_moves_every_line_and_stops_at_zero(library, timed):
    edit = library.shift_transcript(timed.id, -1500)
    assert [(line.start_ms, line.end_ms) for line in edit.after] == [(0, 1900), (2500, 4500)]
    assert [(w.start_ms, w.end_ms) for w in edit.after[0].words][:2] == [(0, 0), (0, 200)]
    later = library.shift_transcript(timed.id, 250)
    assert library.transcript(timed.id).segments[1].start_ms == 2750
    undo(library, later)
    undo(library, edit)
    assert library.transcript(timed.id).segments[0].start_ms == 1000
    assert not library.transcription_state(timed.id).corrected
    with pytest.raises(ValueError, match="not 0"):
        library.shift_transcript(timed.id, 0)


def test_speakers_are_named_and_renamed_everywhere(library, lecture):
    ids = line_ids(library, lecture.id)
    for segment_id in (ids[0], ids[2]):
        library.set_speaker(segment_id, "  Speaker   1 ")
    library.set_speaker(ids[1], "Student")
    assert library.speakers(lecture.id) == ["Speaker 1", "Student"]
    renamed = library.rename_speaker(lecture.id, "Speaker 1", "Prof. Manning")
    assert [line.id for line in renamed.after] == [ids[0], ids[2]]
    assert [s.speaker for s in library.transcript(lecture.id).segments] == ["Prof. Manning", "Student",
                                                                           "Prof. Manning", None]
    with pytest.raises(ValueError, match="no line"):
        library.rename_speaker(lecture.id, "Nobody", "X")
    undo(library, renamed)
    assert library.speakers(lecture.id) == ["Speaker 1", "Student"]


def test_an_edit_whose_lines_changed_since_is_refused_whole(library, lecture):
    first = line_ids(library, lecture.id)[0]
    edit = library.edit_line_text(first, "Welcome, everyone.")
    library.edit_line_text(first, "Welcome, all.")
    with pytest.raises(StaleEdit, match="has changed since"):
        undo(library, edit)
    assert texts(library, lecture.id)[0] == "Welcome, all."
    with pytest.raises(KeyError):
        library.edit_line_text(10**9, "x")


def test_a_removed_line_id_is_never_given_to_another_line(library, tmp_path):
    """Undo puts a merged-away line back under its id: that id must still be free, even
    after the transcription has added lines since."""
    lecture = library.import_lecture(make_media(tmp_path / "heard.m4a", seed=6))
    library.begin_transcription(lecture.id, "tiny.en")
    library.append_transcribed(lecture.id, [Segment(0, 1000, "One."), Segment(1000, 2000, "Two.")], 2000)
    first, last = line_ids(library, lecture.id)
    merged = library.merge_with_next(first)   # removes the line with the highest id
    (added,) = library.append_transcribed(lecture.id, [Segment(2000, 3000, "Three.")], 3000)
    assert added.id > last
    undo(library, merged)
    assert texts(library, lecture.id) == ["One.", "Two.", "Three."]
    # Lines heard after the first correction are part of the original too.
    assert [s.text for s in library.original_transcript(lecture.id).segments] == ["One.", "Two.", "Three."]
    with pytest.raises(ValueError, match="being transcribed"):
        library.shift_transcript(lecture.id, 100)


def test_a_reel_sidecar_carries_the_corrected_words(tone_mp3, tmp_path, capsys):
    """`reel --sidecar` reads the transcript through library.transcript (captions too)."""
    from player.cli import main
    from player.core.library import Library
    from tests.conftest import TONE_CUES

    library_path = tmp_path / "reel library.sqlite"
    transcript = Transcript([Segment(round(s * 1000), round(e * 1000), text) for s, e, text in TONE_CUES])
    with Library.open(library_path) as library:
        lecture = library.import_lecture(tone_mp3, transcript)
        library.add_highlight(lecture.id, 2000, 4000, 1)
        line = library.transcript_lines(lecture.id)[1]
        library.edit_line_text(line.id, "Line one, corrected by the learner.")
    out = tmp_path / "reel.m4a"
    code = main(["reel", str(tone_mp3), "-o", str(out), "--sidecar", "srt", "--pad", "0", "--quiet",
                 "--library", str(library_path)])
    assert code == 0, capsys.readouterr().err
    assert [s.text for s in load(out.with_suffix(".srt")).segments] == ["Line one, corrected by the learner."]


def test_word_times_edited_by_hand_into_nonsense_read_as_none(library, timed):
    """The file is the learner's to edit in any SQLite tool: a broken words value costs
    that line its word times, never the transcript."""
    first = line_ids(library, timed.id)[0]
    with library.conn:
        library.conn.execute("UPDATE segments SET words = '[{\"start_ms\": \"soon\"}' WHERE id = ?", (first,))
    assert library.transcript(timed.id).segments[0].words == ()
    left, right = library.split_line(first, len("Attention is all")).after   # by the characters, then
    assert (left.text, right.text) == ("Attention is all", "you need.")

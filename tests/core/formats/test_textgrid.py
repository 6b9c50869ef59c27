"""Praat TextGrids: long and short text, UTF-16, tiers to choose from."""

from pathlib import Path

import pytest

from player.core.formats import (ChoiceNeeded, LoadOptions, TranscriptError, formats, load,
                                 parse_text)

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "data"
LONG = DATA / "lecture_long.TextGrid"
SHORT = DATA / "lecture_short.TextGrid"
SENTENCES = [(5480, 6240, "Hello."), (6240, 9520, "Welcome to CS224N."),
             (9520, 12440, 'Today we\'ll be talking about "pre-training",'),
             (12900, 20160, "which is another exciting topic on the road to modern natural "
                            "language processing.")]


def spans(transcript):
    return [(s.start_ms, s.end_ms, s.text) for s in transcript]


def test_long_format_with_two_interval_tiers_asks_which():
    assert next(f.name for f in formats() if f.sniff(LONG.read_text())) == "textgrid"
    with pytest.raises(ChoiceNeeded) as caught:
        load(LONG)
    assert caught.value.kind == "tier"
    assert caught.value.choices == [("sentences", "4 intervals with text"),
                                    ("words", "4 intervals with text")]
    sentences = load(LONG, options=LoadOptions(tier="sentences"))
    assert spans(sentences) == SENTENCES and sentences.warnings == []
    assert spans(load(LONG, options=LoadOptions(tier="words")))[0] == (5480, 6240, "hello")


def test_short_format_one_interval_tier_needs_no_choice():
    transcript = load(SHORT)  # its point tier does not count
    assert spans(transcript) == SENTENCES


def test_utf16_as_praat_saves_non_ascii_text(tmp_path):
    text = LONG.read_text().replace("Hello.", "Grüß Gott, naïve café")
    path = tmp_path / "utf16.TextGrid"
    path.write_bytes("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    transcript = load(path, options=LoadOptions(tier="sentences"))
    assert transcript[0].text == "Grüß Gott, naïve café"


def test_a_point_tier_or_an_unknown_tier_is_refused_by_name():
    with pytest.raises(TranscriptError, match="points in time"):
        load(LONG, options=LoadOptions(tier="events"))
    with pytest.raises(TranscriptError) as caught:
        load(LONG, options=LoadOptions(tier="phones"))
    assert "sentences, words" in str(caught.value)


def test_a_lost_line_skips_one_interval_with_its_line():
    lines = SHORT.read_text().split("\n")
    broken_at = lines.index('"Hello."') - 1         # the end time of "Hello."
    del lines[broken_at]
    transcript = parse_text("\n".join(lines), "lost.TextGrid")
    assert [s.text for s in transcript] == [text for _start, _end, text in SENTENCES[1:]]
    assert transcript.warnings[0][0] == broken_at   # the line before it, where the run breaks


def test_intervals_that_run_backwards_are_named():
    text = LONG.read_text().replace("xmax = 6.24 ", "xmax = 5 ", 1)
    transcript = parse_text(text, "back.TextGrid", options=LoadOptions(tier="sentences"))
    line = text.split("\n").index("            xmax = 5 ")
    assert len(transcript) == 3
    assert transcript.warnings == [(line, "the interval ends before it starts")]


def test_a_file_cut_inside_a_text_keeps_what_it_has():
    text = SHORT.read_text()
    cut = text[:text.index("road to modern")]
    transcript = parse_text(cut, "cut.TextGrid")
    assert transcript[-1].text == "which is another exciting topic on the"
    assert transcript.warnings == [(len(cut.split("\n")), transcript.warnings[0][1])]
    assert "closing quote" in transcript.warnings[0][1]


def test_unreadable_textgrids_name_the_file_and_line():
    with pytest.raises(TranscriptError) as caught:
        parse_text('File type = "ooTextFile"\nObject class = "TextGrid"\n\n0\n1\n<exists>\n1\n'
                   '"IntervalTier"\n"x"\n0\n1\n1\n0\n-1\n"backwards"\n', "bad.TextGrid")
    assert str(caught.value) == "bad.TextGrid:13: not a time: -1"
    with pytest.raises(TranscriptError, match="not a Praat TextGrid"):
        parse_text('File type = "ooTextFile"\nObject class = "Sound"\n', "s.TextGrid",
                   format="textgrid")
    with pytest.raises(TranscriptError, match="no interval tier"):
        parse_text('File type = "ooTextFile"\nObject class = "TextGrid"\n0\n1\n<absent>\n',
                   "e.TextGrid")

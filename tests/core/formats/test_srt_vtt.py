"""SubRip and WebVTT as learners get them: YouTube automatic captions, Teams and Zoom
recordings, hand-styled files, and the ways such files break."""

from pathlib import Path

import pytest

from player.core.formats import TranscriptError, load, parse_text
from player.core.transcript import Word

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "formats" / "subtitles"


def lines_of(transcript):
    return [(s.start_ms, s.end_ms, s.text) for s in transcript]


# --- YouTube automatic captions ---------------------------------------------------

def test_youtube_rolling_captions_give_each_line_once():
    transcript = load(SAMPLES / "youtube_auto.en.vtt")
    assert transcript.warnings == []
    assert lines_of(transcript)[:4] == [
        (0, 4990, "[Music]"),
        (5000, 6420, "hello welcome to cs224n"),
        (6430, 8730, "today we'll be talking about pre-training"),
        (8740, 11680, "which is another exciting topic on the"),
    ]
    texts = [s.text for s in transcript]
    assert len(texts) == len(set(texts)) == 11
    assert texts[-1] == "we'll leave q&a for the end >> yes"


def test_youtube_word_timings_become_words():
    transcript = load(SAMPLES / "youtube_auto.en.vtt")
    first = transcript[1]
    assert first.words == (Word(5000, 5320, "hello"), Word(5320, 5640, "welcome"),
                           Word(5640, 5960, "to"), Word(5960, 6420, "cs224n"))
    for segment in transcript:
        if segment.words:
            assert " ".join(w.text for w in segment.words) == segment.text
            assert segment.words[0].start_ms == segment.start_ms
            assert segment.words[-1].end_ms == segment.end_ms
            assert all(a.end_ms == b.start_ms for a, b in zip(segment.words, segment.words[1:]))
    assert transcript[0].words == ()  # [Music] has no word timings


def test_rolling_captions_keep_a_new_plain_line():
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000 align:start position:0%\n \n"
            "one<00:00:01.500><c> two</c>\n\n"
            "00:00:02.000 --> 00:00:03.000 align:start position:0%\none two\n[Applause]\n\n"
            "00:00:03.000 --> 00:00:04.000\n[Applause]\nthree<00:00:03.500><c> four</c>\n")
    assert lines_of(parse_text(text, "r.vtt")) == [
        (1000, 2000, "one two"), (2000, 3000, "[Applause]"), (3000, 4000, "three four")]


def test_word_timings_out_of_order_are_kept_inside_the_cue():
    text = ("WEBVTT\n\n00:00:02.000 --> 00:00:03.000\n"
            "a<00:00:09.000><c> b</c><00:00:01.000><c> c</c>\n")
    words = parse_text(text, "w.vtt")[0].words
    assert [(w.start_ms, w.end_ms) for w in words] == [(2000, 3000), (3000, 3000), (3000, 3000)]


# --- Teams and Zoom ---------------------------------------------------------------

def test_teams_voice_tags_and_uuid_cue_ids():
    transcript = load(SAMPLES / "teams.vtt")
    assert transcript.warnings == []
    jane, omar = "Jane Doe", "Omar Haddad"
    assert [s.speaker for s in transcript] == [jane, jane, omar, omar, jane]
    assert transcript[3].text == "The link didn't work & the screen is blank."
    assert transcript[4].text.endswith("slide one is the overview, slide two the masked "
                                       "language model.")


def test_classic_teams_loose_timestamps():
    transcript = load(SAMPLES / "teams_classic.vtt")
    assert [(s.start_ms, s.end_ms, s.speaker) for s in transcript] == [
        (0, 4520, "Jane Doe"), (4520, 7130, "Omar Haddad"), (7130, 12500, "Jane Doe")]


def test_zoom_names_become_speakers():
    transcript = load(SAMPLES / "zoom.vtt")
    sam, priya = "Sam Lee", "Priya Shah"
    assert [s.speaker for s in transcript] == [sam, priya, sam, priya, sam]
    assert transcript[2].text.startswith("Good. Today is about fine-tuning: we start")


def test_a_glossary_is_not_taken_for_speakers():
    glossary = [("Token", "a piece of text"), ("Embedding", "a vector for a token"),
                ("Attention", "weights over tokens")]
    text = "".join(f"{i}\n00:00:0{i},000 --> 00:00:0{i},900\n{term}: {meaning}\n\n"
                   for i, (term, meaning) in enumerate(glossary, start=1))
    transcript = parse_text(text, "g.srt")
    assert [s.speaker for s in transcript] == [None, None, None]
    assert transcript[0].text == "Token: a piece of text"


def test_several_voices_in_one_cue():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Ready?</v>\n<v Ben>Yes.</v>\n"
    segment = parse_text(text, "v.vtt")[0]
    assert (segment.speaker, segment.text) == ("Ann", "Ready? Ben: Yes.")


# --- Markup and entities ----------------------------------------------------------

def test_srt_markup_is_removed_and_entities_decoded():
    texts = [s.text for s in load(SAMPLES / "lecture.srt")]
    assert texts[1] == "Welcome to CS224N."                       # {\an8} and <b>
    assert texts[2] == "Today we'll be talking about pre-training,"  # <i> over two lines
    assert texts[3].endswith("to modern natural language processing.")  # <font color=...>
    assert texts[4] == "OK. Q&A is at the end \u2014 don't worry."
    assert texts[6] == "Thumbs up, some side, thumbs down."          # &nbsp; and {\i1}


def test_text_that_only_looks_like_markup_survives():
    assert load(SAMPLES / "lecture.srt")[5].text == "If a < b and c > d, then a is smaller."
    text = "1\n00:00:01,000 --> 00:00:02,000\nx<y, a <= b, {not an override}, 3 > 2 & done\n"
    assert parse_text(text, "t.srt")[0].text == "x<y, a <= b, {not an override}, 3 > 2 & done"


def test_vtt_classes_ruby_lang_and_header_blocks():
    transcript = load(SAMPLES / "styled.vtt")
    assert transcript.warnings == []   # STYLE, NOTE and REGION blocks are no cues
    assert lines_of(transcript) == [
        (1000, 4000, "Welcome to the lecture."),
        (4000, 7500, "\u6f22\u5b57 means Chinese characters."),
        (7500, 9000, "Is 3 < 5? Yes, and 5 > 3."),
        (9000, 11000, "Attention, please! Student: What is a transformer?"),
        (11000, 13000, "A bold claim: x <= y."),
    ]
    assert transcript[3].speaker == "Professor Ng"


@pytest.mark.parametrize("raw, plain", [
    ("<i>a</i> <b>b</b> <u>c</u> <s>d</s>", "a b c d"),
    ('<font color="#ff0000" size=3>red</font>', "red"),
    ("<FONT COLOR=red>loud</FONT>", "loud"),
    ("line<br>break<br/>here", "line break here"),
    (r"{\an8}{\pos(10,20)\c&H00FF00&}top", "top"),
    ("{b}bold{/b}", "bold"),
    ("&amp; &#39; &lt;tag&gt; &quot;q&quot; &#x41;", "& ' <tag> \"q\" A"),
    ("a\u00a0b", "a b"),
])
def test_markup_cases(raw, plain):
    assert parse_text(f"1\n00:00:01,000 --> 00:00:02,000\n{raw}\n", "m.srt")[0].text == plain


# --- Layout quirks ----------------------------------------------------------------

def test_cue_identifiers_of_any_shape():
    text = ("WEBVTT\n\nintro\n00:01.000 --> 00:02.000\nA\n\n"
            "3f1c5a2b-8d2e-4c1a-9a8e-1b2c3d4e5f60/12-0\n00:02.000 --> 00:03.000\nB\n\n"
            "42\n00:03.000 --> 00:04.000\nC\n")
    assert [s.text for s in parse_text(text, "ids.vtt")] == ["A", "B", "C"]


def test_missing_blank_lines_and_space_only_separators():
    text = ("1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:02,000 --> 00:00:03,000\nTwo\n   \n"
            "3\n00:00:03,000 --> 00:00:04,000\nThree\n")
    transcript = parse_text(text, "tight.srt")
    assert lines_of(transcript) == [(1000, 2000, "One"), (2000, 3000, "Two"), (3000, 4000, "Three")]
    assert transcript.warnings == []


def test_timing_variants():
    text = ("1\n0:0:4.520 --> 0:0:5.5\na\n\n2\n00:05.000 --> 00:06.000 X1:40 X2:600\nb\n\n"
            "3\n01:00:00,000-->01:00:01,000\nc\n")
    assert lines_of(parse_text(text, "t.srt")) == [(4520, 5500, "a"), (5000, 6000, "b"),
                                                  (3_600_000, 3_601_000, "c")]


def test_a_cue_with_no_text_is_left_out():
    text = "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n<i></i>\n\n" \
           "3\n00:00:05,000 --> 00:00:06,000\nSpoken\n"
    transcript = parse_text(text, "e.srt")
    assert lines_of(transcript) == [(5000, 6000, "Spoken")] and transcript.warnings == []


# --- Broken cues: skipped and named -----------------------------------------------

def test_broken_cues_are_named_by_line():
    text = ("1\n00:00:01,000 --> 00:00:02,000\nGood\n\n"
            "2\n00:00:03,000 --> 00:00:02,000\nBackwards\n\n"    # line 6
            "3\n00:00:04,000 --> 00:61:00,000\nOut of range\n\n"  # line 10
            "stray text\nwith no timing\n\n"                      # line 13
            "5\n00:00:07,000 --> 00:00:08,000\nAlso good\n")
    transcript = parse_text(text, "b.srt")
    assert [s.text for s in transcript] == ["Good", "Also good"]
    assert transcript.warnings == [
        (6, "the cue ends before it starts"),
        (10, "'00:61:00,000' is not a time (minutes and seconds go up to 59)"),
        (13, "a block with no 'start --> end' line"),
    ]


GOOD = "1\n00:00:01,000 --> 00:00:02,000\nGood\n\n"
AFTER = "\n\n3\n00:00:05,000 --> 00:00:06,000\nAlso good\n"


@pytest.mark.parametrize("timing, reason", [
    ("00:00:zz,000 --> 00:00:04,000", "'00:00:zz,000' is not a time"),
    ("00:00:03,000 --> 00:00:zz,000", "'00:00:zz,000' is not a time"),
    ("00:00:03,000 --> 00:60:04,000", "'00:60:04,000' is not a time (minutes and seconds go up to 59)"),
    ("00:00:03,000 --> ", "the timing line has no end time"),
    (" --> 00:00:04,000", "the timing line has no start time"),
    ("00:00:03,000 -> 00:00:04,000", "'00:00:03,000 -> 00:00:04,000' is not a timing line: it needs 'start --> end'"),
    ("00:00:03,000 - 00:00:04,000", "'00:00:03,000 - 00:00:04,000' is not a timing line: it needs 'start --> end'"),
])
def test_a_broken_timing_is_named_by_its_own_line_and_quoted(timing, reason):
    """Line 5 is the cue's number, line 6 its timing: the warning names line 6."""
    transcript = parse_text(f"{GOOD}2\n{timing}\nBroken{AFTER}", "b.srt")
    assert [s.text for s in transcript] == ["Good", "Also good"]
    assert transcript.warnings == [(6, reason)]


@pytest.mark.parametrize("suffix", ["srt", "vtt"])
def test_a_broken_timing_right_after_a_cue_is_named_not_read_as_its_text(suffix):
    header = "WEBVTT\n\n" if suffix == "vtt" else ""
    shift = 2 if suffix == "vtt" else 0
    text = f"{header}1\n00:00:01.000 --> 00:00:02.000\nGood\n2\n00:00:zz.000 --> 00:00:04.000\nBroken{AFTER}"
    transcript = parse_text(text, f"b.{suffix}")
    assert lines_of(transcript) == [(1000, 2000, "Good"), (5000, 6000, "Also good")]
    assert transcript.warnings == [(5 + shift, "'00:00:zz.000' is not a time")]


def test_a_file_of_broken_timings_is_refused_naming_the_timing_line(tmp_path):
    path = tmp_path / "all_bad.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:zz,000\nText\n\n2\n00:00:02,000 -> 00:00:03,000\nMore\n")
    with pytest.raises(TranscriptError) as refused:
        load(path, format="srt")
    assert str(refused.value) == f"{path}:2: '00:00:zz,000' is not a time"


@pytest.mark.parametrize("text, line", [
    ("WEBVTT\n\n00:00:01.000 --> soon\nText\n", 3),
    ("WEBVTT\n\nNOTE only notes\n\n00:00:05.000 --> 00:00:04.000\nBackwards\n", 5),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i></i>\n", 3),
])
def test_a_vtt_with_no_good_cue_names_the_first_bad_line(tmp_path, text, line):
    path = tmp_path / "bad.vtt"
    path.write_text(text)
    with pytest.raises(TranscriptError) as caught:
        load(path)
    assert caught.value.line == line and str(caught.value).startswith(f"{path}:{line}: ")


def test_vtt_header_only_is_refused():
    with pytest.raises(TranscriptError, match="no cue found"):
        parse_text("WEBVTT\nKind: captions\n", "h.vtt")


# --- Markup the formats do not define, and WebVTT's own parsing rules ------------------

@pytest.mark.parametrize("raw, plain", [
    ("<bold>strong</bold> words", "strong words"),                 # a tag SRT does not define
    ("<x>odd</x> <I>fine</I >", "odd fine"),                     # unknown; a stray space
    ('<span class="a">in</span > <yellow>out</yellow>', "in out"),
    (r"first\Nsecond\hthird", "first second third"),              # ASS breaks left in SRT
    ("a < b and c > d, <= and >= too", "a < b and c > d, <= and >= too"),
    ("mail <ann@example.org> now", "mail <ann@example.org> now"),  # no closing tag: text
])
def test_unknown_and_misspelt_markup_goes_and_text_stays(raw, plain):
    assert parse_text(f"1\n00:00:01,000 --> 00:00:02,000\n{raw}\n", "m.srt")[0].text == plain


@pytest.mark.parametrize("raw", ["<c.yellow >Hi</c >", "<c . yellow>Hi</c>", "<c.yellow.bg_blue loud>Hi</c>",
                                 "<i >Hi</ i>"])
def test_webvtt_spans_with_stray_spaces(raw):
    assert parse_text(f"WEBVTT\n\n00:01.000 --> 00:02.000\n{raw}\n", "s.vtt")[0].text == "Hi"


def test_webvtt_cue_text_ends_at_a_line_with_an_arrow():
    """The spec's parser: a line holding "-->" ends the cue's text and starts a block;
    one that is no timing line spoils only that block."""
    text = ("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\ntext1\nfoo-->\n00:00:01.000 --> 00:00:02.000\n"
            "text2\n-->-->\n00:00:02.000 --> 00:00:03.000\ntext3\n00:00:03.000 --> 00:00:04.000\ntext4\n")
    transcript = parse_text(text, "arrows.vtt")
    assert lines_of(transcript) == [(0, 1000, "text1"), (1000, 2000, "text2"), (2000, 3000, "text3"),
                                    (3000, 4000, "text4")]
    # SRT has no such rule: an arrow in its text is text.
    assert parse_text("1\n00:00:01,000 --> 00:00:02,000\nleft --> right\n", "a.srt")[0].text == "left --> right"


def test_webvtt_whitespace_is_space_tab_and_form_feed():
    text = ("WEBVTT\n\nform feed\n\f\f00:00:00.000\f\f-->\f00:00:01.000\f\ntext1\n\n"
            "vertical tab\n\v00:00:01.000\v-->\v00:00:02.000\ntext2\n")
    transcript = parse_text(text, "ws.vtt")
    assert lines_of(transcript) == [(0, 1000, "text1")]
    assert transcript.warnings == [(8, "the timing line is not 'start --> end'")]


def test_webvtt_settings_right_after_a_full_end_time():
    text = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\ufffdalign:end\ntext\n\n00:00:01.000 --> 00:00:02.00\ufffd\nbad\n"
    assert [s.text for s in parse_text(text, "n.vtt")] == ["text"]


def test_zoom_speakers_by_majority_unnamed_cues_keep_none():
    text = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nSam Lee: Welcome back.\n\n"
            "2\n00:00:02.000 --> 00:00:03.000\nHmm.\n\n"
            "3\n00:00:03.000 --> 00:00:04.000\nPriya Shah: Thanks, Sam.\n\n"
            "4\n00:00:04.000 --> 00:00:05.000\nSam Lee: Let's start.\n\n"
            "5\n00:00:05.000 --> 00:00:06.000\nPriya Shah: Sure.\n")
    transcript = parse_text(text, "zoom.vtt")
    assert [(s.speaker, s.text) for s in transcript] == [
        ("Sam Lee", "Welcome back."), (None, "Hmm."), ("Priya Shah", "Thanks, Sam."),
        ("Sam Lee", "Let's start."), ("Priya Shah", "Sure.")]

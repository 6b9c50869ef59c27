"""YouTube .sbv, (Advanced) SubStation Alpha and TTML/DFXP: sample files, detection,
and broken cues named by line."""

from pathlib import Path

import pytest

from player.core.formats import TranscriptError, decode, formats, load, parse_text

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "formats" / "subtitles"

# The first lines of the CS224N pre-training lecture, as every sample times them.
LECTURE = [
    (5480, 6240, "Hello."),
    (6240, 9520, "Welcome to CS224N."),
    (9520, 12440, "Today we'll be talking about pre-training,"),
]


def lines_of(transcript):
    return [(s.start_ms, s.end_ms, s.text) for s in transcript]


def fails_at(text, name, format=None):
    with pytest.raises(TranscriptError) as caught:
        parse_text(text, name, format)
    assert str(caught.value).startswith(f"{name}:{caught.value.line}: ")
    return caught.value.line


# --- SBV --------------------------------------------------------------------------

def test_sbv_sample():
    transcript = load(SAMPLES / "lecture.sbv")
    assert lines_of(transcript)[:3] == LECTURE and len(transcript) == 6
    assert transcript[3].speaker == "PROFESSOR"
    assert transcript[3].text.startswith("which is another exciting topic on the road")
    assert transcript.warnings == []


def test_sbv_broken_cue_is_skipped_with_its_line():
    text = ("0:00:01.000,0:00:02.000\nGood\n\n"
            "0:00:03.000;0:00:04.000\nBad\n\n"           # line 4
            "0:00:05.000,0:00:04.000\nBackwards\n")       # line 7
    transcript = parse_text(text, "b.sbv", "sbv")
    assert lines_of(transcript) == [(1000, 2000, "Good")]
    assert [line for line, _ in transcript.warnings] == [4, 7]


def test_sbv_cues_without_blank_lines_between():
    text = "0:00:01.000,0:00:02.000\nOne\n0:00:02.000,0:00:03.000\nTwo\n"
    assert lines_of(parse_text(text, "t.sbv")) == [(1000, 2000, "One"), (2000, 3000, "Two")]


def test_sbv_with_no_good_cue():
    assert fails_at("0:00:01.000,0:99:02.000\nText\n", "bad.sbv") == 1


# --- ASS / SSA --------------------------------------------------------------------

def test_ass_sample():
    transcript = load(SAMPLES / "lecture.ass")
    assert transcript.title == "CS224N Lecture 9 - Pretraining"
    assert lines_of(transcript)[:3] == LECTURE   # the Comment and the drawing are no speech
    assert [s.speaker for s in transcript] == ["Prof. Hewitt"] * 3 + [None, "Student", None]
    assert transcript[3].text == "which is another exciting topic, on the road to modern NLP."  # \n
    assert transcript[4].text == "How is everyone doing?"
    assert transcript[5].text == "Thumbs up, thumbs down"   # {\an8\pos(...)} removed
    assert transcript.warnings == []


def test_ssa_sample():
    transcript = load(SAMPLES / "lecture.ssa")
    assert transcript.title == "Lecture 9"
    assert lines_of(transcript)[:2] == LECTURE[:2]
    assert transcript[2].text == "Today we'll be talking about pre-training."


ASS_HEAD = ("[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n")


def test_ass_broken_lines_are_skipped_with_their_line():
    text = ASS_HEAD + ("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Good\n"      # line 6
                       "Dialogue: 0,0:00:0x.00,0:00:04.00,Default,,0,0,0,,Bad time\n"  # line 7
                       "Dialogue: 0,0:00:05.00\n"                                      # line 8
                       "Dialogue: 0,0:00:07.00,0:00:06.00,Default,,0,0,0,,Backwards\n"  # line 9
                       "Dialogue: 0,0:00:08.00,0:00:09.00,Default,,0,0,0,,Also good\n")
    transcript = parse_text(text, "b.ass")
    assert lines_of(transcript) == [(1000, 2000, "Good"), (8000, 9000, "Also good")]
    assert [line for line, _ in transcript.warnings] == [7, 8, 9]
    assert "0:00:0x.00" in transcript.warnings[0][1]


def test_ass_with_no_dialogue():
    bad_only = ASS_HEAD + "Dialogue: 0,0:00:0x.00,0:00:04.00,Default,,0,0,0,,Bad\n"
    assert fails_at(bad_only, "x.ass") == 6
    with pytest.raises(TranscriptError, match="no Dialogue lines"):
        parse_text("[Script Info]\nTitle: empty\n", "empty.ass")


# --- TTML / DFXP ------------------------------------------------------------------

def test_ttml_sample():
    transcript = load(SAMPLES / "lecture.ttml")
    assert transcript.title == "CS224N Lecture 9: Pretraining"
    assert lines_of(transcript)[:3] == LECTURE        # <br/> becomes a space
    assert [s.speaker for s in transcript] == ["John Hewitt"] * 3 + [None, "student"]
    assert lines_of(transcript)[3] == (12440, 18120,     # dur, nested spans
                                       "which is another exciting topic on the road to modern "
                                       "natural language processing.")
    assert transcript[4].text == "How is everyone doing? Q&A <later>"


def test_dfxp_frames_ticks_and_offsets():
    transcript = load(SAMPLES / "broadcast.dfxp")
    assert lines_of(transcript) == LECTURE + [
        (12440, 18120, "which is another exciting topic"),   # 311f..453f at 25 fps
        (20160, 21760, "OK."),                              # 20.16s..21760ms
        (21760, 23520, "How is everyone doing?"),           # relative to its div's begin
    ]


TT = ('<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"'
      '{attrs}><body><div>\n{body}\n</div></body></tt>')


@pytest.mark.parametrize("attrs, begin, end, expected", [
    ("", "1.5s", "2500ms", (1500, 2500)),
    ("", "0.5m", "0.01h", (30000, 36000)),
    ("", "00:00:01:15", "00:00:02", (1500, 2000)),                 # 30 fps by default
    (' ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001"', "30f", "60f", (1001, 2002)),
    (' ttp:tickRate="10"', "15t", "20t", (1500, 2000)),
    # Without a tickRate, a tick is a sub-frame.
    (' ttp:frameRate="25" ttp:subFrameRate="2"', "100t", "150t", (2000, 3000)),
])
def test_ttml_time_expressions(attrs, begin, end, expected):
    text = TT.format(attrs=attrs, body=f'<p begin="{begin}" end="{end}">x</p>')
    segment = parse_text(text, "t.ttml")[0]
    assert (segment.start_ms, segment.end_ms) == expected


def test_ttml_span_timed_paragraph_and_bad_times():
    body = ('<p><span begin="1s" end="2s">one</span> <span begin="2s" end="3s">two</span></p>\n'
            '<p begin="soon" end="4s">bad</p>\n'
            '<p begin="5s">no end</p>')
    transcript = parse_text(TT.format(attrs="", body=body), "s.ttml")
    # A <p> with no end in a document with no end shows until the document ends.
    assert lines_of(transcript) == [(1000, 3000, "one two"), (5000, 2**31 - 1, "no end")]
    assert transcript.warnings == [(3, "not a TTML time: 'soon'")]


def test_malformed_xml_names_the_parser_line():
    text = ('<?xml version="1.0"?>\n<tt xmlns="http://www.w3.org/ns/ttml">\n<body>\n'
            '<p begin="1s" end="2s">a</span>\n</body></tt>')
    assert fails_at(text, "bad.ttml") == 4


def test_entity_declarations_are_refused():
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE tt [\n <!ENTITY lol "lol">\n'
              ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
              '<tt xmlns="http://www.w3.org/ns/ttml"><body>'
              '<p begin="1s" end="2s">&lol2;</p></body></tt>')
    with pytest.raises(TranscriptError, match="entities") as caught:
        parse_text(laughs, "laughs.ttml", "ttml")
    assert caught.value.line == 3
    external = ('<?xml version="1.0"?>\n'
                '<!DOCTYPE tt [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
                '<tt xmlns="http://www.w3.org/ns/ttml"><body>'
                '<p begin="1s" end="2s">&secret;</p></body></tt>')
    with pytest.raises(TranscriptError, match="entities"):
        parse_text(external, "external.ttml", "ttml")


def test_ttml_that_is_not_ttml():
    with pytest.raises(TranscriptError, match="root element is <html>"):
        parse_text("<html><body><p>hi</p></body></html>", "page.ttml", "ttml")
    assert fails_at(TT.format(attrs="", body=""), "empty.ttml") == 1


# --- Detection --------------------------------------------------------------------

@pytest.mark.parametrize("name, format_name", [
    ("lecture.srt", "srt"), ("youtube_auto.en.vtt", "vtt"), ("teams.vtt", "vtt"),
    ("lecture.sbv", "sbv"), ("lecture.ass", "ass"), ("lecture.ssa", "ass"),
    ("lecture.ttml", "ttml"), ("broadcast.dfxp", "ttml"),
])
def test_detected_from_content_whatever_the_name(tmp_path, name, format_name):
    misnamed = tmp_path / "transcript.txt"
    misnamed.write_bytes((SAMPLES / name).read_bytes())
    text = decode(misnamed.read_bytes(), str(misnamed))
    assert next(f.name for f in formats() if f.sniff(text)) == format_name
    assert lines_of(load(misnamed)) == lines_of(load(SAMPLES / name))


# --- ASS/SSA: the [Events] Format line decides the fields ----------------------------------

EVENTS_ONLY = "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"


@pytest.mark.parametrize("format_line, lines", [
    ("Format: Start, End, Text",
     ["Dialogue: 0:00:01.00,0:00:02.00,Hello, world", "Dialogue: 0:00:03.00,0:00:04.50,Bye"]),
    ("Format: Layer, Name, Start, End, Style, MarginL, MarginR, MarginV, Effect, Text",
     ["Dialogue: 0,Ann,0:00:01.00,0:00:02.00,Default,0,0,0,,Hello, world",
      "Dialogue: 0,,0:00:03.00,0:00:04.50,Default,0,0,0,,Bye"]),
    ("Format: Start, End, Actor, Style, Text",
     ["Dialogue: 0:00:01.00,0:00:02.00,Ann,Default,Hello, world", "Dialogue: 0:00:03.00,0:00:04.50,,,Bye"]),
])
def test_ass_format_line_shorter_or_reordered(format_line, lines):
    transcript = parse_text(EVENTS_ONLY + format_line + "\n" + "\n".join(lines) + "\n", "f.ass")
    assert [(s.start_ms, s.end_ms, s.text) for s in transcript] == [(1000, 2000, "Hello, world"),
                                                                   (3000, 4500, "Bye")]
    assert transcript.warnings == []
    if "Name" in format_line or "Actor" in format_line:
        assert transcript[0].speaker == "Ann"


def test_ass_line_with_fewer_fields_than_its_format_line_is_named():
    text = EVENTS_ONLY + "Format: Start, End, Style, Text\nDialogue: 0:00:01.00,0:00:02.00,Default,ok\n" \
                      "Dialogue: 0:00:03.00,0:00:04.00\n"
    transcript = parse_text(text, "f.ass")
    assert [s.text for s in transcript] == ["ok"]
    assert transcript.warnings == [(7, "a Dialogue line with fewer than 4 fields")]


# --- TTML timing: containment, seq, untimed documents, times in the wild ------------------

def ttml_lines(body, body_attrs=""):
    return lines_of(parse_text('<tt xmlns="http://www.w3.org/ns/ttml"><body' + body_attrs + '>' + body
                               + "</body></tt>", "t.ttml"))


def test_ttml_seq_children_run_one_after_another():
    body = ('<div timeContainer="seq"><metadata/><p begin="5s" dur="5s">A</p>'
            '<p begin="5s" dur="5s">B</p><p dur="2s">C</p></div>')
    assert ttml_lines(body) == [(5000, 10000, "A"), (15000, 20000, "B"), (20000, 22000, "C")]


def test_ttml_intervals_are_clipped_to_their_parents_and_outside_content_is_dropped():
    body = ('<div begin="2s" end="6s"><p begin="1s" end="8s">clipped</p>'
            '<p begin="5s" end="7s">must never be shown</p></div>'
            '<div begin="12s"><p begin="0s" end="1s">after the body</p></div>')
    assert ttml_lines(body, ' dur="10s"') == [(3000, 6000, "clipped")]


def test_ttml_after_an_open_ended_seq_child_nothing_begins():
    body = '<div timeContainer="seq"><div><p begin="0s" end="5s">A</p></div><div><p end="5s">B</p></div></div>'
    assert ttml_lines(body) == [(0, 5000, "A")]


def test_an_untimed_ttml_document_is_shown_for_its_whole_span():
    transcript = parse_text('<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p>One.</p><p>Two.</p></div>'
                            '</body></tt>', "untimed.ttml")
    assert [(s.start_ms, s.text) for s in transcript] == [(0, "One."), (0, "Two.")]
    assert transcript[0].end_ms == transcript[1].end_ms > 24 * 3_600_000 and transcript.warnings == []


def test_ttml_times_without_hours_or_unit_are_read_with_a_note():
    transcript = parse_text('<tt xmlns="http://www.w3.org/ns/ttml"><body><div>\n'
                            '<p begin="01:30.5" end="01:32">minutes</p>\n'
                            '<p begin="93" end="94.25">seconds</p>\n'
                            '<p begin="01:33" end="01:34">again</p>\n</div></body></tt>', "loose.ttml")
    assert lines_of(transcript) == [(90500, 92000, "minutes"), (93000, 94250, "seconds"),
                                    (93000, 94000, "again")]
    assert transcript.warnings == []
    assert transcript.notes == [(2, "'01:30.5' is not a TTML time (minutes:seconds without hours): read as such"),
                                (3, "'93' is not a TTML time (seconds without a unit): read as such")]

"""ELAN .eaf: tiers to choose from, time slots, references, and XML that is refused."""

from pathlib import Path

import pytest

from player.core.formats import (ChoiceNeeded, LoadOptions, TranscriptError, formats, load,
                                 parse_text)

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "data"
LECTURE = DATA / "lecture.eaf"


def tier(name, path=LECTURE):
    return load(path, options=LoadOptions(tier=name))


def test_several_tiers_with_annotations_ask_for_a_choice():
    assert next(f.name for f in formats() if f.sniff(LECTURE.read_text())) == "elan"
    with pytest.raises(ChoiceNeeded) as caught:
        load(LECTURE)
    assert caught.value.kind == "tier"
    assert [tier_id for tier_id, _label in caught.value.choices] == [
        "Lecturer", "Student", "Student-phrases", "Lecturer-de", "Lecturer-words"]  # not "notes"
    assert caught.value.choices[1] == ("Student", "Student, transcription, 1 annotation")
    assert "--tier" in str(caught.value)


def test_a_chosen_tier_gives_times_text_and_speaker():
    lecturer = tier("Lecturer")
    assert [(s.start_ms, s.end_ms, s.text, s.speaker) for s in lecturer] == [
        (5480, 6240, "Hello.", "Lecturer"),
        (6240, 9520, "Welcome to CS224N.", "Lecturer"),
        (9520, 12440, "Today we'll be talking about pre-training.", "Lecturer")]
    assert lecturer.warnings == []


def test_references_take_their_parents_times():
    german = tier("Lecturer-de")
    assert (german[1].start_ms, german[1].end_ms, german[1].text) == (
        6240, 9520, "Willkommen bei CS224N.")
    assert german[0].speaker == "Lecturer"  # from the tier it translates
    words = tier("Lecturer-words")        # three words share "Welcome to CS224N." in order
    assert [(s.start_ms, s.end_ms, s.text) for s in words] == [
        (6240, 7333, "Welcome"), (7333, 8426, "to"), (8426, 9520, "CS224N.")]


def test_an_unaligned_time_slot_sits_between_its_neighbours():
    phrases = tier("Student-phrases")
    assert [(s.start_ms, s.end_ms) for s in phrases] == [(21760, 22640), (22640, 23520)]


def test_one_tier_needs_no_choice():
    transcript = load(DATA / "interview.eaf")
    assert [s.speaker for s in transcript] == ["Prof. Okafor"] * 3
    assert transcript[1].text == "The key idea is that every word can look at every other word."
    assert transcript[2].is_non_speech


def test_an_unknown_tier_lists_the_known_ones():
    with pytest.raises(TranscriptError) as caught:
        tier("Teacher")
    assert "Teacher" in str(caught.value) and "Lecturer, Student" in str(caught.value)


def test_broken_annotations_are_skipped_with_their_lines():
    text = LECTURE.read_text().replace('TIME_SLOT_REF2="ts4"', 'TIME_SLOT_REF2="ts404"')
    transcript = parse_text(text, "broken.eaf", options=LoadOptions(tier="Lecturer"))
    line = next(i for i, row in enumerate(text.split("\n"), 1) if "ts404" in row)
    assert len(transcript) == 2 and transcript.warnings[0][0] == line
    # The translation of the broken annotation goes with it.
    assert len(parse_text(text, "broken.eaf", options=LoadOptions(tier="Lecturer-de"))) == 2


def test_malformed_xml_names_the_parsers_line():
    text = LECTURE.read_text()
    bare_ampersand = text.replace("<ANNOTATION_VALUE>Hello.", "<ANNOTATION_VALUE>Hello & bye.")
    with pytest.raises(TranscriptError) as caught:
        parse_text(bare_ampersand, "amp.eaf")
    assert str(caught.value) == "amp.eaf:24: not well-formed XML: not well-formed (invalid token)"
    cut = text[:3000]
    with pytest.raises(TranscriptError) as caught:
        parse_text(cut, "cut.eaf")
    assert caught.value.line == len(cut.split("\n")) and "no element found" in caught.value.reason


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
])
def test_entities_are_refused(doctype):
    text = LECTURE.read_text().replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                                       f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n')
    text = text.replace("Hello.", "&lol2;&secret;")
    with pytest.raises(TranscriptError, match="DOCTYPE") as caught:
        parse_text(text, "evil.eaf")
    assert caught.value.line == 2


def test_xml_that_is_not_elan_is_refused():
    with pytest.raises(TranscriptError, match="not an ELAN file"):
        parse_text('<?xml version="1.0"?>\n<tt xmlns="http://www.w3.org/ns/ttml"/>', "x.eaf",
                   format="elan")
    with pytest.raises(TranscriptError, match="no annotations"):
        parse_text("<ANNOTATION_DOCUMENT><TIER TIER_ID='empty'/></ANNOTATION_DOCUMENT>", "x.eaf")

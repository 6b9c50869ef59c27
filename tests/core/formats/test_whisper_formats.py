"""Whisper output: whisper.cpp bracket text, openai-whisper JSON (and bare segment lists), TSV."""

import json
from pathlib import Path

import pytest

from player.core.formats import TranscriptError, formats, load, parse_text
from tests.conftest import WHISPER_SEED

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "data"


def detected(text: str) -> str:
    return next(f.name for f in formats() if f.sniff(text))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- whisper.cpp bracket text ---------------------------------------------------------------


def test_the_seed_lecture_reads_every_cue():  # how fast: bench, "open seed: parse"
    transcript = load(WHISPER_SEED)
    assert len(transcript) == 1568 and transcript.warnings == []
    assert transcript[0].text == "[AUDIO OUT]" and transcript[0].is_non_speech
    assert [s.text for s in transcript if s.text == "[BLANK_AUDIO]"]  # kept, not dropped
    assert transcript.end_ms == 4731920


# --- openai-whisper JSON ----------------------------------------------------------------------


def test_whisper_json_keeps_words_and_strips_the_leading_space():
    transcript = load(DATA / "whisper_lecture.json")
    assert detected((DATA / "whisper_lecture.json").read_text()) == "whisper-json"
    assert len(transcript) == 8 and transcript.warnings == []
    hello = transcript[1]
    assert (hello.start_ms, hello.end_ms, hello.text) == (5480, 6240, "Hello.")
    welcome = transcript[2]
    assert [w.text for w in welcome.words] == ["Welcome", "to", "CS224N."]
    assert welcome.words[0].start_ms == 6240 and welcome.words[-1].end_ms == 9520
    assert transcript[0].is_non_speech


def test_a_bare_list_of_segments_with_speakers_and_an_untimed_word():
    transcript = load(DATA / "whisperx_segments.json")
    assert [s.speaker for s in transcript] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"]
    first = transcript[0]
    assert first.text == "Hello and welcome to week 5."
    # whisperX leaves "5." untimed: it stays, at the end of the word before it.
    assert first.words[-1].text == "5."
    assert first.words[-1].start_ms == first.words[-2].end_ms == 1455


def test_a_broken_segment_is_skipped_and_named_by_its_line(tmp_path):
    document = {"text": " a b", "language": "en", "segments": [
        {"id": 0, "start": 0.0, "end": 1.5, "text": " Good."},
        {"id": 1, "start": "soon", "end": 2.0, "text": " Bad start."},
        {"id": 2, "start": 3.0, "end": 2.0, "text": " Backwards."},
        {"id": 3, "start": 3.0, "end": 4.0, "text": " Also good."},
    ]}
    path = write(tmp_path, "pretty.json", json.dumps(document, indent=2))
    transcript = load(path)
    assert [s.text for s in transcript] == ["Good.", "Also good."]
    lines = path.read_text().split("\n")
    assert [line for line, _why in transcript.warnings] == [
        next(i for i, text in enumerate(lines, 1) if '"id": 1' in text) - 1,  # the "{" opening it
        next(i for i, text in enumerate(lines, 1) if '"id": 2' in text) - 1,
    ]


def test_json_that_is_broken_or_has_no_segments_is_refused_with_a_line(tmp_path):
    path = write(tmp_path, "cut.json", '{"text": " Hi", "segments": [\n  {"start": 0, "end": 1,\n')
    with pytest.raises(TranscriptError) as caught:
        load(path, format="whisper-json")
    assert caught.value.line == 3 and str(caught.value).startswith(f"{path}:3: not valid JSON")
    with pytest.raises(TranscriptError, match="no segments"):
        load(write(tmp_path, "silent.json", '{"text": "", "segments": [], "language": "en"}'))
    with pytest.raises(TranscriptError) as caught:
        parse_text('{"segments": [{"start": 1}]}', "one.json")
    assert caught.value.line == 1


def test_dataset_rows_are_not_taken_for_whisper_segments():
    rows = '[{"video_id": "BnpB3GrpsfM", "text": "hi", "start": 1.0, "end": 2.0}]'
    assert detected(rows) == "dataset-json"
    api = '[{"text": "hi", "start": 1.0, "duration": 2.0}]'
    assert detected(api) == "dataset-json"
    assert detected('[{"id": 0, "start": 1.0, "end": 2.0, "text": " hi"}]') == "whisper-json"


# --- openai-whisper TSV -----------------------------------------------------------------------


def test_whisper_tsv_times_are_milliseconds():
    transcript = load(DATA / "whisper_lecture.tsv")
    assert detected((DATA / "whisper_lecture.tsv").read_text()) == "whisper-tsv"
    assert [(s.start_ms, s.end_ms, s.text) for s in transcript][:2] == [
        (0, 5480, "[AUDIO OUT]"), (5480, 6240, "Hello.")]
    assert len(transcript) == 6


def test_whisper_tsv_broken_lines_are_named(tmp_path):
    text = ("start\tend\ttext\n0\t1000\tok\n1.5\t2000\tseconds, not ms\n"
            "3000\t2000\tbackwards\nno tabs\n")
    transcript = load(write(tmp_path, "w.tsv", text))
    assert [s.text for s in transcript] == ["ok"]
    assert [line for line, _why in transcript.warnings] == [3, 4, 5]
    with pytest.raises(TranscriptError) as caught:
        load(write(tmp_path, "bad.tsv", "start\tend\ttext\nx\ty\tz\n"))
    assert caught.value.line == 2


def test_openai_whisper_console_output_with_its_preamble():
    """`whisper lecture.mp3 --verbose True > out.txt 2>&1`: the language lines (and a
    warning) come first, short files time cues as MM:SS.mmm."""
    text = ("/usr/lib/python3/site-packages/whisper/transcribe.py:126: UserWarning: FP16 is not supported "
            "on CPU; using FP32 instead\n  warnings.warn(\"FP16 is not supported on CPU; using FP32 instead\")\n"
            "Detecting language using up to the first 30 seconds. Use `--language` to specify the language\n"
            "Detected language: English\n"
            "[00:00.000 --> 00:02.000]  Welcome back, everyone.\n"
            "[00:02.000 --> 01:04.500]  Today: attention.\n")
    assert detected(text) == "whisper-text"
    transcript = parse_text(text, "console.txt")
    assert [(s.start_ms, s.end_ms, s.text) for s in transcript] == [
        (0, 2000, "Welcome back, everyone."), (2000, 64500, "Today: attention.")]
    assert transcript.warnings == []

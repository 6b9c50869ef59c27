"""Reading SRT, WebVTT and Whisper bracket text; refusing the rest clearly."""

import pytest

from player.core.formats import TranscriptError, load
from tests.conftest import WHISPER_SEED

SRT = """1
00:00:01,000 --> 00:00:02,500
Hello <b>world</b> &amp; more

2
00:00:03,000 --> 00:00:04,000
Second line
wraps here
"""

VTT = """WEBVTT
Kind: captions

NOTE a comment

intro
00:00:01.000 --> 00:00:02.000 align:start
First

00:03.000 --> 00:04.500
Second
"""


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_whisper_seed_reads_every_cue():
    transcript = load(WHISPER_SEED)
    assert len(transcript) == 1568
    assert transcript[0].text == "[AUDIO OUT]" and transcript[0].is_non_speech
    assert (transcript[1].start_ms, transcript[1].end_ms, transcript[1].text) == (5480, 6240, "Hello.")
    assert transcript.end_ms == 4731920
    assert transcript.warnings == []


def test_srt_text_is_plain_text(tmp_path):
    transcript = load(write(tmp_path, "a.srt", SRT))
    assert [(s.start_ms, s.end_ms) for s in transcript] == [(1000, 2500), (3000, 4000)]
    assert transcript[0].text == "Hello world & more"  # tags stripped, entities decoded
    assert transcript[1].text == "Second line wraps here"


def test_vtt_skips_header_notes_and_cue_ids(tmp_path):
    transcript = load(write(tmp_path, "a.vtt", VTT))
    assert [(s.start_ms, s.end_ms, s.text) for s in transcript] == [(1000, 2000, "First"), (3000, 4500, "Second")]


def test_detected_from_content_not_extension(tmp_path):
    assert len(load(write(tmp_path, "misnamed.txt", SRT))) == 2
    assert len(load(write(tmp_path, "misnamed.srt", VTT))) == 2


def test_crlf_bom_and_utf16(tmp_path):
    assert len(load(write(tmp_path, "crlf.srt", "\ufeff" + SRT.replace("\n", "\r\n")))) == 2
    assert len(load(write(tmp_path, "u16.srt", "\ufeff" + SRT, "utf-16-le"))) == 2
    latin = load(write(tmp_path, "latin.srt", SRT.replace("Second", "Caf\u00e9"), "cp1252"))
    assert latin[1].text.startswith("Caf\u00e9")


def test_a_broken_cue_is_skipped_with_its_line(tmp_path):
    broken = SRT.replace("00:00:03,000 --> 00:00:04,000", "00:00:03,000 --> 00:0X:04,000")
    transcript = load(write(tmp_path, "b.srt", broken))
    assert len(transcript) == 1
    assert transcript.warnings[0][0] == 6  # the timing line of cue 2


def test_whisper_broken_line_is_named(tmp_path):
    text = "[00:00:01.000 --> 00:00:02.000]  ok\n[00:00:02.000 --> 00:99:03.000]  bad\n"
    transcript = load(write(tmp_path, "w.txt", text))
    assert len(transcript) == 1 and transcript.warnings[0][0] == 2


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    (b"just some notes\nwithout times\n", "not a transcript format"),
])
def test_unreadable_files_are_refused_by_name(tmp_path, content, reason):
    path = tmp_path / "bad.srt"
    path.write_bytes(content)
    with pytest.raises(TranscriptError) as caught:
        load(path)
    assert str(caught.value).startswith(str(path)) and reason in str(caught.value)


def test_only_broken_cues_is_an_error_with_the_line(tmp_path):
    path = write(tmp_path, "all_bad.srt", "1\n00:00:01,000 --> nonsense\nText\n")
    with pytest.raises(TranscriptError) as caught:
        load(path)
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{path}:2: ")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(TranscriptError, match="no such file"):
        load(tmp_path / "nope.srt")
    with pytest.raises(TranscriptError, match="folder"):
        load(tmp_path)

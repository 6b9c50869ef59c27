"""Whatever a learner opens, the readers answer with a transcript or a TranscriptError
naming the file: never a crash. Random input, line soup made of format fragments, and
real sample files mutated line by line."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from player.core.formats import TranscriptError, decode, load, parse_text

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "formats" / "subtitles"
SAMPLE_TEXTS = {path.name: path.read_text(encoding="utf-8-sig")
                for path in sorted(SAMPLES.iterdir())}
OUR_FORMATS = ["srt", "vtt", "sbv", "ass", "ttml"]
FORCED_OR_DETECTED = st.sampled_from([None, *OUR_FORMATS])
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of every format read here, so that soups get past the first line.
FRAGMENTS = [
    # SRT / WebVTT
    "WEBVTT", "NOTE", "STYLE", "1", "42", "3f1c5a2b-8d2e/12-0", "", " ", "-->",
    "00:00:01,000 --> 00:00:02,000", "00:00:02.000 --> 00:00:01.000 align:start position:0%",
    "0:0:4.520 --> 0:0:5.5", "00:05.000 --> 99:99.999", "00:00:01,000 --> ",
    "9" * 40 + ":00:00 --> 0:00:01",
    "hello<00:00:01.280><c> world</c>", "<00:00:99.000><c> x</c>", "<v Jane Doe>Hi</v>",
    "<v>", "<v.loud", "<i>a</i> <b>b", "<ruby>x<rt>y", "{\\an8}", "{\\p1}m 0 0",
    "&amp; &#39; &#xFFFFFFFF; &lt;", "if a < b and c > d", "Sam Lee: hello",
    # SBV
    ">> ANNA: hi", "0:00:01.000,0:00:03.500", "0:00:03.500,0:00:01.000", "0:00:0x.000,0:00:01.000",
    # ASS / SSA
    "[Script Info]", "[V4 Styles]", "[Events]", "[Fonts]", "Title: x",
    "Dialogue: 0,0:00:01.00,0:00:02.00,Default,Jane,0,0,0,,Hello\\Nworld",
    "Dialogue: 0,-0:00:05.00,0:00:02.00,,,,,,,x", "Dialogue: 0,0:00:0x.00",
    "Comment: 0,0:00:01.00,0:00:02.00,,,,,,,c", "Style: Default,Arial,abc,&HZZ",
    "Dialogue: x,y,z,,,,,,,{\\p1}m",
    # TTML
    '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter" '
    'ttp:frameRate="0" ttp:tickRate="-1" ttp:frameRateMultiplier="0 0">',
    "<body>", '<div begin="1e999s">', "</div>", "</body>", "</tt>",
    '<p begin="00:00:01:12" end="2s">a<br/>b</p>', '<p begin="99999999999h" end="1t">x</p>',
    '<p dur="5f">x</p>', '<p><span begin="1s">s</span></p>',
    "<!DOCTYPE tt [<!ENTITY a 'b'>]>", "&a;", "<![CDATA[x]]>",
    # Whisper, detected before all of these
    "[00:00:01.000 --> 00:00:02.000]  whisper",
]
FRAGMENT_OR_TEXT = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20))
soups = st.lists(FRAGMENT_OR_TEXT, max_size=25).map("\n".join)


def reads_or_refuses(text: str, format: str | None) -> None:
    try:
        if format is None:
            # Detection runs every family's sniff, also modules not tested here
            # (datasets' csv sniffing fails on a bare "\r"): give it text as load() would.
            text = decode(text.encode("utf-8", "surrogatepass"), "fuzz.txt")
        transcript = parse_text(text, "fuzz.txt", format)
    except TranscriptError as error:
        assert error.path == "fuzz.txt"
        return
    if format in OUR_FORMATS:
        for segment in transcript:
            assert isinstance(segment.start_ms, int) and isinstance(segment.end_ms, int)
            assert 0 <= segment.start_ms <= segment.end_ms
            assert segment.text and segment.text == " ".join(segment.text.split())
            for word in segment.words:
                assert segment.start_ms <= word.start_ms <= word.end_ms <= segment.end_ms
        assert all(isinstance(line, int) and line >= 1 for line, _problem in transcript.warnings)


@FAST
@given(text=st.text(), format=FORCED_OR_DETECTED)
def test_random_text(text, format):
    reads_or_refuses(text, format)


@FAST
@given(text=soups, format=FORCED_OR_DETECTED)
def test_soup_of_format_fragments(text, format):
    reads_or_refuses(text, format)


def _corrupt(line: str, data) -> str:
    """One character replaced, most often a digit of a timestamp."""
    digits = [i for i, char in enumerate(line) if char.isdigit()] or list(range(len(line)))
    at = data.draw(st.sampled_from(digits))
    return line[:at] + data.draw(st.sampled_from(["x", "9", "99", ":", "", "-", ">", "<", "&"])) \
        + line[at + 1:]


def _mutate(lines: list[str], data) -> list[str]:
    for _ in range(data.draw(st.integers(1, 4))):
        if not lines:
            break
        at = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "corrupt",
                                            "cut"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif action == "replace":
            lines[at] = data.draw(FRAGMENT_OR_TEXT)
        elif action == "corrupt" and lines[at]:
            lines[at] = _corrupt(lines[at], data)
        elif action == "cut":  # the file ends in the middle of this line
            lines[at] = lines[at][: data.draw(st.integers(0, len(lines[at])))]
            del lines[at + 1:]
    return lines


@FAST
@given(name=st.sampled_from(sorted(SAMPLE_TEXTS)), format=FORCED_OR_DETECTED, data=st.data())
def test_mutated_sample_files(name, format, data):
    lines = _mutate(SAMPLE_TEXTS[name].split("\n"), data)
    reads_or_refuses("\n".join(lines), format)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300) | soups.map(lambda text: text.encode("utf-8", "surrogatepass")),
       format=FORCED_OR_DETECTED)
def test_random_bytes_through_load(tmp_path_factory, data, format):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.srt"
    path.write_bytes(data)
    try:
        load(path, format)
    except TranscriptError as error:
        assert error.path == str(path)


def test_truncated_utf16_is_a_transcript_error(tmp_path):
    path = tmp_path / "half.srt"
    path.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nhi\n".encode("utf-16")[:-1])
    with pytest.raises(TranscriptError):
        load(path)


@pytest.mark.parametrize("name", sorted(SAMPLE_TEXTS))
def test_every_sample_in_utf16_with_crlf(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(SAMPLE_TEXTS[name].replace("\n", "\r\n").encode("utf-16"))
    again, expected = load(path), load(SAMPLES / name)
    assert [(s.start_ms, s.end_ms, s.text) for s in again] == \
           [(s.start_ms, s.end_ms, s.text) for s in expected]

"""Whatever arrives, the data-format readers read it or refuse it with a TranscriptError.

Random bytes and text, and real samples with lines lost, doubled, swapped, numbers broken and
files cut short, go through load()/parse_text(), detected and forced to each format. Only
TranscriptError (ChoiceNeeded included) may escape, and what is read must be a sound transcript.
"""

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from player.core.formats import ChoiceNeeded, LoadOptions, TranscriptError, load, parse_text
from tests.conftest import SEEDS, WHISPER_SEED

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "data"

DATA_FORMATS = ["whisper-text", "whisper-json", "whisper-tsv", "dataset-csv", "dataset-json",
                "dataset-jsonl", "dataset-viewer", "youtube-copy", "elan", "textgrid"]


def _seed_excerpts() -> dict[str, str]:
    """Short stretches of the seeds: whole seeds would make each example slow."""
    whisper = "\n".join(WHISPER_SEED.read_text(encoding="utf-8").split("\n")[:40])
    dump = (SEEDS / "000_149b69cec48c81ff.txt").read_text(encoding="utf-8").split("\n")
    both_videos = dump[:36] + dump[36 + 9 * 81:36 + 9 * 85]   # two rows of each lecture
    return {"seed whisper": whisper, "seed dump": "\n".join(both_videos)}


SAMPLES = {path.name: path.read_text(encoding="utf-8").replace("\r\n", "\n")
           for path in sorted(DATA.iterdir()) if path.is_file()}
SAMPLES.update(_seed_excerpts())

OPTIONS = [LoadOptions(), LoadOptions(video_id="BnpB3GrpsfM"), LoadOptions(video_id="1sJuWg5dULg"),
           LoadOptions(tier="Lecturer"), LoadOptions(tier="sentences"),
           LoadOptions(video_id="x", tier="x")]

BROKEN_NUMBERS = ["", "-1", "1e999", "nan", "inf", "99999999999999999999", "0x1F", "7.5.3",
                  "\u0663", "1:99", "--", "\u2026", '"', "<exists>"]


def assert_sound(transcript) -> None:
    for segment in transcript.segments:
        assert isinstance(segment.start_ms, int) and isinstance(segment.end_ms, int)
        assert 0 <= segment.start_ms <= segment.end_ms
        assert isinstance(segment.text, str)
    starts = [segment.start_ms for segment in transcript.segments]
    assert starts == sorted(starts)
    for line, problem in transcript.warnings:
        assert isinstance(line, int) and line >= 1 and isinstance(problem, str)


def read_or_refuse(text: str, format: str | None, options: LoadOptions) -> None:
    try:
        transcript = parse_text(text, "fuzzed.txt", format, options)
    except ChoiceNeeded as choice:
        assert choice.choices and all(isinstance(c, str) and isinstance(label, str)
                                      for c, label in choice.choices)
    except TranscriptError as error:
        assert error.path == "fuzzed.txt"
    else:
        assert_sound(transcript)


def every_way(text: str, options: LoadOptions) -> None:
    read_or_refuse(text, None, options)
    for format in DATA_FORMATS:
        read_or_refuse(text, format, options)


@st.composite
def mutated_samples(draw) -> str:
    lines = SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))].split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "number", "truncate", "junk"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "number":
            replacement = draw(st.sampled_from(BROKEN_NUMBERS))
            lines[at] = re.sub(r"\d+(?:\.\d+)?", lambda _m, new=replacement: new, lines[at], count=1)
        elif kind == "truncate":
            text = "\n".join(lines)
            lines = text[:draw(st.integers(0, len(text)))].split("\n")
        else:
            lines.insert(at, draw(st.text(max_size=30)))
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples(), st.sampled_from(OPTIONS))
def test_mutated_samples_are_read_or_refused(text, options):
    every_way(text, options)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.sampled_from(OPTIONS))
def test_random_text_is_read_or_refused(text, options):
    every_way(text, options)


# Text made of the pieces these formats are built from reaches deeper than random characters.
PIECES = ["\n", "\t", ",", '"', "{", "}", "[", "]", ":", " ", "0", "1.5", "00:00:01.000", "0:03",
          "-->", "video_id", "text", "start", "end", "segments", "words", "stringlengths", "11",
          "<exists>", "IntervalTier", "ooTextFile", "TextGrid", "<ANNOTATION_DOCUMENT>",
          "<TIER TIER_ID='t'>", "<ALIGNABLE_ANNOTATION TIME_SLOT_REF1='a' TIME_SLOT_REF2='b'>",
          "<ANNOTATION_VALUE>", "<REF_ANNOTATION ANNOTATION_REF='x' ANNOTATION_ID='x'>", "null",
          "true", "1e999", "\u2028"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join), st.sampled_from(OPTIONS))
def test_format_shaped_noise_is_read_or_refused(text, options):
    every_way(text, options)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_through_load_are_read_or_refused(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.bin"
        path.write_bytes(data)
        for format in [None, *DATA_FORMATS]:
            try:
                assert_sound(load(path, format=format))
            except TranscriptError:
                pass

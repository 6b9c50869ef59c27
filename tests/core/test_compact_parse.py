"""Issue 15: transcripts held compactly (Segments) and SRT/WebVTT read as a stream, with the
same lines, warnings and encodings as the reader before (tests/data/parse_snapshot.json)."""

from __future__ import annotations

import bisect
import json
import random
import tempfile
import tracemalloc
from pathlib import Path

import pytest

from player.core.formats import formats, load, parse_text
from player.core.transcript import Segment, Segments, Transcript, Word
from tests.core.parse_snapshot import SNAPSHOT, data_files, made_cases, summary, wpt_files, DATA

EXPECTED = json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def made_files():
    with tempfile.TemporaryDirectory() as folder:
        cases = {f"made/{name}": (path, options) for name, path, options in made_cases(Path(folder))}
        cases.update({name: (path, None) for name, path in wpt_files(Path(folder))})
        yield cases


@pytest.mark.parametrize("name", [str(p.relative_to(DATA)) for p in data_files()])
def test_data_files_read_as_before(name):
    assert summary(DATA / name) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(name for name in EXPECTED if name.startswith(("made/", "wpt/"))))
def test_streamed_cases_read_as_before(name, made_files):
    path, options = made_files[name]
    assert summary(path, *([options] if options else [])) == EXPECTED[name]


def test_snapshot_covers_every_data_file():
    assert {str(p.relative_to(DATA)) for p in data_files()} <= EXPECTED.keys()


def test_text_in_memory_reads_like_the_file(made_files):
    for name in ("made/big-faults.srt", "made/big-names.srt", "made/big-faults.vtt", "made/nul-rolling.vtt"):
        path, _options = made_files[name]
        from_file = load(path)
        from_text = parse_text(path.read_text(encoding="utf-8"), str(path))
        assert from_text.segments == from_file.segments, name
        assert from_text.warnings == from_file.warnings, name


# --- Segments as a sequence ----------------------------------------------------------------------

LINES = [Segment(0, 900, "first"), Segment(1000, 1900, "zweite Zeile, naïve 😀", "Ann"),
         Segment(2000, 2900, "third", None, (Word(2000, 2400, "thi"), Word(2400, 2900, "rd"))),
         Segment(3000, 3900, "[Music]", "Bob"), Segment(4000, 4900, "lone \ud800 surrogate")]


def test_segments_read_back_what_went_in():
    segments = Segments(LINES)
    assert len(segments) == 5 and bool(segments) and not Segments()
    assert list(segments) == LINES
    assert [segments[i] for i in range(5)] == LINES
    assert segments[-1] == LINES[-1] and segments[-5] == LINES[0]
    assert segments[1:4] == LINES[1:4] and segments[::-2] == LINES[::-2] and segments[9:] == []
    assert segments[3:1] == [] and segments[-2:] == LINES[-2:] and isinstance(segments[1:], Segments)
    assert segments[1:][1:3] == LINES[2:4] and segments[2:3][0].words == LINES[2].words
    assert not segments[2:3].has_speakers and segments[1:2].has_speakers
    assert segments == LINES and LINES == segments and segments != LINES[:4]
    assert segments == Segments(LINES) and segments != Segments(LINES[::-1])
    assert segments + [LINES[0]] == LINES + [LINES[0]] and [LINES[0]] + segments == [LINES[0]] + LINES
    # An edit as the transcript view makes it: lines before, the new ones, lines after.
    edited = segments[:1] + [Segment(1000, 1500, "new", "Cy")] + segments[2:]
    assert isinstance(edited, Segments)
    assert edited == [LINES[0], Segment(1000, 1500, "new", "Cy")] + LINES[2:]
    assert segments[2:] + segments[:2] == LINES[2:] + LINES[:2]
    assert segments == LINES   # untouched by the slicing and joining
    assert segments.index(LINES[3]) == 3 and LINES[2] in segments
    assert list(reversed(segments)) == LINES[::-1]
    assert list(segments.starts) == [0, 1000, 2000, 3000, 4000]
    assert [segments.text(i) for i in range(5)] == [s.text for s in LINES] and segments.text(-1) == LINES[-1].text
    assert segments.has_speakers and not Segments(LINES[:1]).has_speakers
    with pytest.raises(IndexError):
        segments[5]
    with pytest.raises(IndexError):
        segments[-6]
    with pytest.raises(TypeError):
        hash(segments)


def test_speakers_before_the_first_named_line_stay_none():
    segments = Segments([Segment(0, 1, "a"), Segment(1, 2, "b"), Segment(2, 3, "c", "Ann"), Segment(3, 4, "d")])
    assert [s.speaker for s in segments] == [None, None, "Ann", None]


def test_transcript_takes_a_list_or_segments_and_keeps_file_order_for_ties():
    transcript = Transcript([Segment(5, 6, "late"), Segment(1, 2, "a"), Segment(1, 3, "b")])
    assert isinstance(transcript.segments, Segments)
    assert [s.text for s in transcript.segments] == ["a", "b", "late"]
    unsorted = Segments([Segment(5, 6, "late"), Segment(1, 2, "a", "Ann"), Segment(1, 3, "b")])
    assert Transcript(unsorted).segments == [Segment(1, 2, "a", "Ann"), Segment(1, 3, "b"), Segment(5, 6, "late")]
    ordered = Segments(LINES)
    assert Transcript(ordered).segments is ordered   # nothing copied when already in order
    assert Transcript([]).end_ms == 0 and Transcript(LINES).end_ms == 4900


def _reference_lookups(segments: list[Segment], ms: int) -> tuple:
    """segment_at / segment_near / neighbour_start as the list-backed Transcript computed them."""
    starts = [s.start_ms for s in segments]
    near = bisect.bisect_right(starts, ms) - 1
    near = near if near >= 0 else None
    at = near if near is not None and ms < segments[near].end_ms else None
    following = 0 if near is None else near + 1
    following = starts[following] if following < len(starts) else None
    if near is None:
        previous = None
    else:
        target = near if ms - starts[near] > 1000 else near - 1
        previous = starts[target] if 0 <= target < len(starts) else None
    return at, near, following, previous


def test_lookups_match_the_list_backed_transcript():
    rnd = random.Random(15)
    segments, clock = [], 0
    for _ in range(2000):   # gaps, overlaps and shared starts
        clock += rnd.choice((0, 0, 300, 1500, 2500))
        segments.append(Segment(clock, clock + rnd.randint(1, 4000), "x"))
    transcript = Transcript(list(segments))
    for ms in list(range(-10, clock + 5000, 97)) + [s.start_ms for s in segments] + [s.end_ms for s in segments]:
        expected = _reference_lookups(segments, ms)
        got = (transcript.segment_at(ms), transcript.segment_near(ms), transcript.neighbour_start(ms, +1),
               transcript.neighbour_start(ms, -1))
        assert got == expected, ms


# --- Memory: the design's bound, not a timing -----------------------------------------------------

def _lecture_srt(path: Path, cues: int) -> int:
    """An SRT of `cues` lecture lines; returns the UTF-8 bytes of their text as read."""
    rnd = random.Random(7)
    words = "so the model learns a representation of language from raw text naïve".split()
    text_bytes = 0
    with open(path, "w", encoding="utf-8") as out:
        for number in range(cues):
            text = " ".join(rnd.choices(words, k=rnd.randint(6, 16)))
            text_bytes += len(text.encode())
            at = f"{number // 1200:02d}:{number // 20 % 60:02d}:{number * 3 % 60:02d}"   # every 3 s
            out.write(f"{number + 1}\n{at},000 --> {at},900\n{text}\n\n")
    return text_bytes


def test_segments_cost_their_text_and_three_numbers_a_line():
    texts = [f"line {i} of a lecture about language models" for i in range(100_000)]
    text_bytes = sum(len(t) for t in texts)
    tracemalloc.start()
    segments = Segments()
    for i, text in enumerate(texts):
        segments.add(i * 1000, i * 1000 + 900, text)
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    # UTF-8 text, then start, end and text end as 8-byte numbers; growth slack of the arrays.
    assert size < 1.15 * (text_bytes + 3 * 8 * len(texts))
    assert len(segments) == 100_000


def test_reading_100k_cues_peaks_at_their_text_and_a_few_chunks(tmp_path):
    srt = tmp_path / "lecture.srt"
    cues = 100_000
    text_bytes = _lecture_srt(srt, cues)
    formats()   # the readers' modules imported before counting
    tracemalloc.start()
    transcript = load(srt)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(transcript) == cues
    # Neither the file's bytes nor its text nor a list of its lines is ever held whole: at
    # most the lines' text and 24 bytes each, and a few 256 KB chunks in flight. (The reader
    # before peaked at 512 MB: read_input's buffer for the largest file allowed, then about
    # ten times the text: bytes, text, a str per line, a Segment per cue.)
    assert peak < 1.15 * (text_bytes + 24 * cues) + 4 * 2**20
    assert peak < 3 * text_bytes

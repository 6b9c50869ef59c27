"""The formats' own test suites, vendored in tests/data/conformance (see its README for
sources, licences and the decisions where this reader knowingly differs).

Each suite file is read by this app and compared with what the suite expects: the
WebVTT tests of web-platform-tests carry their expected cues; for the others a
reference parser reads the same file (ttconv for TTML/IMSC, pysubs2, pysrt, srt and
webvtt-py). Text is compared as this reader shows it: markup gone and spaces
collapsed (`cue_text`), since the reference parsers keep markup differently.

`python -m tests.core.formats.test_conformance` prints the count of files read right.
"""

from __future__ import annotations

import json
import re
from collections import Counter
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import pytest

from player.core.formats import TranscriptError, load
from player.core.formats.subtitles import cue_text
from player.core.timecode import parse_timecode

SUITES = Path(__file__).resolve().parents[2] / "data" / "conformance"

Cue = tuple[int, int, str]   # start ms, end ms, text as shown
_WHOLE_DOCUMENT_MS = 2**31 - 1   # how long a TTML <p> with no end lasts: the document


# --- This app's reading -----------------------------------------------------------------------

def ours(path: Path) -> list[Cue]:
    """What this app shows; a refused file shows nothing."""
    try:
        transcript = load(path)
    except TranscriptError:
        return []
    # In SubRip and WebVTT text the reference parsers leave Zoom's "Name: text" whole,
    # where this app takes the name out as the speaker.
    in_text = path.suffix.lower() in (".srt", ".vtt", ".webvtt")
    return [(s.start_ms, s.end_ms, f"{s.speaker}: {s.text}" if s.speaker and in_text else s.text)
            for s in transcript]


def shown(cues: list[tuple[int, int, str]]) -> list[Cue]:
    """Reference cues as this app shows cues: text without markup, cues without words left out."""
    return [(start, end, text) for start, end, raw in cues if (text := cue_text(raw))]


# --- web-platform-tests: WebVTT file parsing ------------------------------------------------

@dataclass
class WptTest:
    vtt: bytes
    count: int
    texts: dict[int, str]
    times: dict[int, tuple[float | None, float | None]]


def _js_string(quote: str, body: str) -> str:
    return json.loads('"' + body.replace("\\'", "'").replace('\\"', '"').replace('"', '\\"') + '"') \
        if quote else body


def read_wpt(path: Path) -> WptTest:
    """A .test file as wpt's build.py reads it: header, JS assertions, '===', the WebVTT
    file with Python escapes."""
    source = path.read_text(encoding="utf-8")
    _header, body = source.split("\n\n", 1)
    js, vtt = body.split("===\n", 1)
    vtt_bytes = vtt.encode("utf-8").decode("unicode_escape").encode("utf-8")
    count = int(re.search(r"assert_equals\(cues\.length, (\d+)", js)[1])
    texts: dict[int, str] = {}
    times: dict[int, tuple[float | None, float | None]] = {}
    current = None
    for line in js.splitlines():
        if held := re.match(r"\s*var cue = cues\[(\d+)\];", line):
            current = int(held[1])
        text = re.match(r"""\s*assert_equals\((?:cues\[(\d+)\]|cue)\.text, (["'])(.*)\2\);""", line)
        if text:
            index = int(text[1]) if text[1] is not None else current
            texts[index] = _js_string(text[2], text[3])
        time = re.match(r"\s*assert_equals\(cues\[(\d+)\]\.(startTime|endTime), ([\d.]+)\);", line)
        if time:
            start, end = times.get(int(time[1]), (None, None))
            value = float(time[3])
            times[int(time[1])] = (value, end) if time[2] == "startTime" else (start, value)
    # Assertions written as loops over the cues.
    loop = re.search(r"forEach\(function\(cue, index\) \{\s*assert_equals\(cue\.text, 'text' \+ \(index \+ 1\)", js)
    if loop:
        for index in range(count):
            texts[index] = f"text{index + 1}"
            start = re.search(r"cue\.startTime, ([\d.]+)", js)
            end = re.search(r"cue\.endTime, ([\d.]+)", js)
            times[index] = (float(start[1]), float(end[1]))
    pairs = re.search(r"\[\s*((?:\[[\d.]+, [\d.]+\],\s*)+)\]\.forEach", js)
    if pairs:
        for index, (start, end) in enumerate(re.findall(r"\[([\d.]+), ([\d.]+)\]", pairs[1])):
            texts[index] = f"text{index + 1}"
            times[index] = (float(start), float(end))
    return WptTest(vtt_bytes, count, texts, times)


def wpt_result(path: Path) -> str | None:
    """None if this app reads the file as the test expects, else what differs."""
    test = read_wpt(path)
    with tempfile.TemporaryDirectory() as folder:
        vtt = Path(folder) / (path.stem + ".vtt")
        vtt.write_bytes(test.vtt)
        got = ours(vtt)
    if len(got) != test.count:
        return f"{len(got)} cues, expected {test.count}"
    for index, text in test.texts.items():
        if got[index][2] != cue_text(text):
            return f"cue {index}: {got[index][2]!r}, expected {cue_text(text)!r}"
    for index, (start, end) in test.times.items():
        if start is not None and got[index][0] != round(start * 1000) or \
                end is not None and got[index][1] != round(end * 1000):
            return f"cue {index}: {got[index][:2]}, expected {(start, end)}"
    return None


# --- W3C IMSC tests: TTML timing, against ttconv -----------------------------------------------

def _paragraphs(node, paragraph_class) -> list:
    """The <p>s under an ISD node, however deep its <div>s nest."""
    found = []
    for child in node:
        found.extend([child] if isinstance(child, paragraph_class) else _paragraphs(child, paragraph_class))
    return found


def ttconv_timeline(path: Path) -> list[tuple[float, list[str]]]:
    """(instant, the text of each <p> shown from then on), as ttconv renders the document."""
    import logging

    from ttconv import model
    from ttconv.imsc import reader
    from ttconv.isd import ISD

    logging.getLogger("ttconv").setLevel(logging.CRITICAL)

    def words(element) -> str:
        parts: list[str] = []

        def walk(node) -> None:
            if isinstance(node, model.Text):
                parts.append(node.get_text())
            elif isinstance(node, model.Br):
                parts.append(" ")
            for child in node:
                walk(child)
        walk(element)
        return " ".join("".join(parts).split())

    document = reader.to_model(ElementTree.parse(path))
    timeline = []
    for instant, isd in ISD.generate_isd_sequence(document):
        texts = [text for region in isd.iter_regions() for paragraph in _paragraphs(region, model.P)
                 if (text := words(paragraph))]
        timeline.append((float(instant), sorted(texts)))
    return timeline


def ttml_result(path: Path) -> str | None:
    """None if this app shows what ttconv shows. A <p> is one line of the transcript,
    shown from when the first of its text shows to when the last goes (README): so at
    every instant each word ttconv shows must be in a line this app shows then, and
    every word of a line must be shown by ttconv at some instant while the line is."""
    timeline = [(round(instant * 1000), texts) for instant, texts in ttconv_timeline(path)]
    got = ours(path)
    changes = sorted({at for at, _texts in timeline} | {c[0] for c in got} | {c[1] for c in got})
    probes = [(at + after) / 2 for at, after in zip(changes, changes[1:] + [changes[-1] + 2000])
              if at < _WHOLE_DOCUMENT_MS]

    def reference_at(ms: float) -> list[str]:
        return next((texts for at, texts in reversed(timeline) if at <= ms), [])

    for probe in probes:
        missing = Counter(word for text in reference_at(probe) for word in text.split())
        missing -= Counter(word for start, end, text in got if start <= probe < end for word in text.split())
        if missing:
            return f"at {probe / 1000:g} s this app does not show {sorted(missing)}"
    for start, end, text in got:
        seen = {word for probe in probes if start <= probe < end for shown in reference_at(probe)
                for word in shown.split()}
        if extra := [word for word in text.split() if word not in seen]:
            return f"{text!r} ({start}-{end} ms) shows {extra}, which ttconv never shows then"
    return None


# --- Reference parsers for the libraries' own test files ---------------------------------------

def _clock_ms(stamp: str) -> int:
    return parse_timecode(stamp.replace(",", "."))


def reference_cues(path: Path, encoding: str) -> list[Cue] | None:
    """The file as the reference library for its format reads it; None if it refuses it."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".vtt", ".webvtt", ".sbv") or (suffix == ".srt" and path.parent.name == "webvtt-py"):
            import webvtt

            reader = {".srt": webvtt.from_srt, ".sbv": webvtt.from_sbv}.get(suffix, webvtt.read)
            captions = reader(str(path), encoding=encoding) if suffix in (".vtt", ".webvtt") else reader(str(path))
            return shown([(_clock_ms(c.start), _clock_ms(c.end), " ".join(c.lines)) for c in captions])
        if suffix == ".srt" and path.parent.name == "pysrt":
            import pysrt

            return shown([(item.start.ordinal, item.end.ordinal, item.text)
                          for item in pysrt.open(str(path), encoding=encoding, error_handling=pysrt.ERROR_RAISE)])
        if suffix == ".srt":
            import srt

            text = path.read_bytes().decode(encoding)
            return shown([(round(s.start.total_seconds() * 1000), round(s.end.total_seconds() * 1000), s.content)
                          for s in srt.parse(text)])
        if suffix in (".ass", ".ssa"):
            import pysubs2

            events = pysubs2.load(str(path), encoding=encoding).events
            return shown([(max(0, e.start), e.end, e.plaintext) for e in events
                          if not e.is_comment and not e.is_drawing and e.end >= e.start])
    except Exception:   # the reference refuses the file
        return None
    raise ValueError(f"no reference parser for {path}")


def pysubs2_ttml_expected(path: Path) -> list[Cue]:
    """pysubs2 keeps, beside each TTML example, the ASS it converts it to."""
    import pysubs2

    events = pysubs2.load(str(path.with_suffix(".ass"))).events
    return shown([(e.start, e.end, e.plaintext) for e in events])


def _same(got: list[Cue], expected: list[Cue], tolerance_ms: int = 0) -> str | None:
    got, expected = sorted(got), sorted(expected)
    if len(got) == len(expected) and all(
            a[2] == b[2] and abs(a[0] - b[0]) <= tolerance_ms and abs(a[1] - b[1]) <= tolerance_ms
            for a, b in zip(got, expected)):
        return None
    if len(got) != len(expected):
        return f"{len(got)} cues, expected {len(expected)}"
    first = next(index for index, (a, b) in enumerate(zip(got, expected)) if a != b)
    return f"cue {first}: {got[first]}, expected {expected[first]}"


# --- The suite files, each with how to judge it ------------------------------------------------

@dataclass(frozen=True)
class SuiteFile:
    path: Path
    encoding: str = "utf-8-sig"   # what the file is, for the reference parser

    @property
    def name(self) -> str:
        return str(self.path.relative_to(SUITES))

    def result(self) -> str | None:
        """None if this app reads the file as the suite expects, else what differs."""
        if self.path.suffix == ".test":
            return wpt_result(self.path)
        if self.path.parent.name == "imsc-tests":
            return ttml_result(self.path)
        if self.path.suffix == ".ttml":
            # ASS keeps hundredths of a second: 1.375 s is written 1.38.
            return _same(ours(self.path), pysubs2_ttml_expected(self.path), tolerance_ms=5)
        expected = reference_cues(self.path, self.encoding)
        return _same(ours(self.path), expected or [])


ENCODINGS = {   # what each legacy file is: from its suite's own assertion or documentation
    "pysrt/windows-1252.srt": "windows-1252",
    "pysrt/bom-utf-16-le.srt": "utf-16", "pysrt/bom-utf-16-be.srt": "utf-16",
    "pysrt/bom-utf-32-le.srt": "utf-32", "pysrt/bom-utf-32-be.srt": "utf-32",
    "srt/gb2312.srt": "gb2312",
    "subtitleedit/auto_detect_windows-1250.srt": "cp1250",
    "subtitleedit/auto_detect_windows-1251.srt": "cp1251",
}
_NOT_SUBTITLES = {"LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE.txt", "README.md"}


def suite_files() -> list[SuiteFile]:
    found = []
    for path in sorted(SUITES.rglob("*")):
        if not path.is_file() or path.name in _NOT_SUBTITLES or path.parent == SUITES:
            continue
        if path.parent.name == "pysubs2" and path.suffix == ".ass" and path.with_suffix(".ttml").exists():
            continue   # pysubs2's expected output for a TTML example, not a test input of its own
        name = str(path.relative_to(SUITES))
        found.append(SuiteFile(path, ENCODINGS.get(name, "utf-8-sig")))
    return found


# Where this reader knowingly differs from the suite, and what it does instead: the
# README's table. Each such file must still differ (else the entry is stale).
DECISIONS = {
    "wpt-webvtt/timings-negative.test": "a cue that ends before it starts is skipped with a warning",
    "webvtt-py/invalid_timeframe.sbv": "a cue that ends before it starts is skipped with a warning",
    "webvtt-py/missing_caption_text.sbv": "a cue that ends before it starts is skipped with a warning",
    "webvtt-py/missing_timeframe.sbv": "a cue that ends before it starts is skipped with a warning",
    "webvtt-py/sample.sbv": "a cue that ends before it starts is skipped with a warning",
    "wpt-webvtt/timings-too-short.test": "loose timestamps (one-digit fields, 1-2 fraction digits) are read",
    "pysrt/invalid.srt": "loose timestamps (no milliseconds) are read",
    "webvtt-py/invalid.vtt": "cues without the WEBVTT line are read (the content says what the file is)",
    "webvtt-py/missing_timeframe.srt": "a block with no timing line is skipped with a warning, not glued on",
    "webvtt-py/youtube_dl.vtt": "YouTube's rolling captions give each spoken line once",
}


@pytest.mark.parametrize("suite_file", suite_files(), ids=lambda f: f.name)
def test_suite_file_is_read_as_its_suite_expects(suite_file):
    difference = suite_file.result()
    if suite_file.name in DECISIONS:
        assert difference is not None, "no longer differs: drop it from DECISIONS and the README"
    else:
        assert difference is None, difference


def test_the_suites_are_there_and_small():
    files = suite_files()
    assert len(files) >= 80
    assert sum(f.path.stat().st_size for f in files) < 2_000_000


def main() -> None:
    files = suite_files()
    right = 0
    for suite_file in files:
        try:
            difference = suite_file.result()
        except Exception as error:   # an old reader may crash where a new one does not
            difference = f"crashed: {error!r}"
        right += difference is None
        mark = "ok  " if difference is None else "DIFF"
        print(f"{mark} {suite_file.name}" + (f": {difference}" if difference else ""))
    print(f"{right} of {len(files)} suite files read as their suite expects")


if __name__ == "__main__":
    main()

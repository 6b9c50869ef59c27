"""What `load` made of every test file, as the reader before issue 15 (whole file in memory, a
Segment per cue) read them: tests/data/parse_snapshot.json. test_compact_parse.py checks that
today's reader gives the same lines, warnings (with their line numbers), notes and encoding.

Besides the conformance suites, seeds and format samples, `made_cases` writes files that
stress the streamed reading: past the first chunk and the 512 KB head, CRLF and CR line ends,
wide encodings, a guessed code page, a non-UTF-8 byte after the head, broken cues far in.

    python -m tests.core.parse_snapshot            rewrites the snapshot (only with the old reader:
                                                   PYTHONPATH=<git archive of OLD_COMMIT>)
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

from player.core.formats import LoadOptions, TranscriptError, load

DATA = Path(__file__).resolve().parents[1] / "data"
SNAPSHOT = DATA / "parse_snapshot.json"
_READ = ("conformance", "seeds", "formats")
_SKIP = {".md", ".txt.license"}


def data_files() -> list[Path]:
    files = []
    for folder in _READ:
        for path in sorted((DATA / folder).rglob("*")):
            if path.is_file() and path.suffix not in _SKIP and "LICEN" not in path.name:
                files.append(path)
    return files


def _timecode(ms: int, sep: str = ",") -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def _lecture(cues: int, seed: int, words: list[str], *, vtt: bool = False, faults: bool = False,
             names: bool = False) -> str:
    rnd = random.Random(seed)
    out = ["WEBVTT\n\n"] if vtt else []
    clock = 0
    for number in range(1, cues + 1):
        text = " ".join(rnd.choices(words, k=rnd.randint(3, 14)))
        if names:
            text = f"{rnd.choice(('Ann Lee', 'Sam', 'Dr. Ng'))}: {text}"
        if rnd.random() < 0.2:
            text += "\n<i>" + " ".join(rnd.choices(words, k=3)) + "</i>"
        start, end = clock, clock + rnd.randint(500, 4000)
        sep = "." if vtt else ","
        timing = f"{_timecode(start, sep)} --> {_timecode(end, sep)}"
        roll = rnd.random() if faults else 1.0
        if roll < 0.01:
            timing = f"{_timecode(start, sep)} --> 00:99:00{sep}000"          # broken end
        elif roll < 0.02:
            timing = f"{_timecode(end, sep)} --> {_timecode(start, sep)}"     # ends before it starts
        elif roll < 0.03:
            out.append(f"{number}\n{timing}\n{text}\n")                         # runs into the next
            clock = end
            continue
        elif roll < 0.04:
            out.append("stray words outside any cue\n\n")
        out.append(f"{number}\n{timing}\n{text}\n\n")
        clock = end + rnd.randint(0, 300)
    return "".join(out)


# Blocks the usual-cue reading must leave to the line by line one, or read exactly as it would.
_EDGES = [
    "1\n00:00:01,000 --> 00:00:02,000\nan arrow --> in the text\n\n",
    "2 --> id\n00:00:02,000 --> 00:00:03,000\narrow in the identifier\n\n",
    "3\n00:00:03,000 --> 00:00:04,000\n   \nspaces before the text (YouTube)\n\n",
    "4\n00:00:04,000 --> 00:00:05,000\ntext then spaces\n \t\nafter the spaces\n\n",
    "5\n00:00:05,000 --> 00:00:06,000\n\n",
    "\n\n\n00:00:06,000 --> 00:00:07,000\nno identifier\n\n",
    "7\nseven b\n00:00:07,000 --> 00:00:08,000\ntwo identifier lines\n\n",
    "8\n00:00:08,000 --> 00:00:09,000\nruns into the next\n9\n00:00:09,000 --> 00:00:10,000\nnine\n\n",
    "10\n1:00:10,000 --> 100:00:11,500\none and three digit hours\n\n",
    "11\n00:00:11.000 --> 00:00:12.000\npoints, not commas\n\n",
    "12\n\u0660\u0660:\u0660\u0660:\u0661\u0662,\u0660\u0660\u0660 --> 00:00:13,000\nArabic-Indic digits\n\n",
    "13\n00:00:13,000 --> 00:00:14,000\n\xa0\nno-break space line\n\n",
    "14\n00:00:14,000 --> 00:00:15,000\nvertical\x0btab and form\x0cfeed\n\n",
    "15\n00:00:15,000 --> 00:00:16,000 X:1 align:start\nsettings after the end\n\n",
    "16\n00:00:16,000 --> 00:00:15,000\nends before it starts\n\n",
    "17\n00:00:17,000 --> 00:00:18,000\n<i>markup</i> &amp; {\\an8}overrides\n<v Ann>voice\n\n",
    "  18  \n00:00:18,000 --> 00:00:19,000\nspaced identifier\n\n",
    "19\n 00:00:19,000 --> 00:00:20,000\nspace before the timing\n\n",
    "20\n00:00:20,000 -->  00:00:21,000\ntwo spaces after the arrow\n\n",
    "21\n00:00:21,000 --> 00:00:22,000\nblank line of spaces ends it\n  \nstray after\n\n",
]


def _edge_blocks(repeat: int) -> str:
    """The edge blocks again and again (a line longer than a streamed chunk once, mid-file),
    each round later than the last; the last cue has no line end."""
    rounds = []
    for number in range(repeat):
        shift = f"{number % 100:02d}"
        rounds.append("".join(_EDGES).replace("00:00:", f"00:{shift}:"))
        if number == repeat // 2:
            rounds.append("99\n00:59:00,000 --> 00:59:01,000\n" + "long " * 80_000 + "\n\n")
    return "".join(rounds) + "999\n00:59:59,000 --> 00:59:59,500\nno line end"


_ENGLISH = ("so the model learns a representation of language from raw text and then we fine-tune it "
            "naïve café déjà vu — “quoted” 😀 ok").split()
_RUSSIAN = "мы видим что модель учится представлению языка из текста и затем дообучаем её".split()


def made_cases(folder: Path) -> list[tuple[str, Path, LoadOptions]]:
    """(name, file, options) for the files that exercise streaming, written into `folder`."""
    big = _lecture(30_000, 1, _ENGLISH)                       # ~2.5 MB: several chunks
    cases: dict[str, tuple[bytes, LoadOptions]] = {
        "big-utf8.srt": (big.encode(), LoadOptions()),
        "big-crlf.srt": (big.replace("\n", "\r\n").encode(), LoadOptions()),
        "big-cr.srt": (big.replace("\n", "\r").encode(), LoadOptions()),
        "big-bom-utf8.srt": (b"\xef\xbb\xbf" + big.encode(), LoadOptions()),
        "big-utf16le-bom.srt": (big.encode("utf-16"), LoadOptions()),
        "big-utf16be.srt": (big.encode("utf-16-be"), LoadOptions()),
        "big-utf32le-bom.srt": (b"\xff\xfe\x00\x00" + big.encode("utf-32-le"), LoadOptions()),
        "big-faults.srt": (_lecture(30_000, 2, _ENGLISH, faults=True).encode(), LoadOptions()),
        "big-names.srt": (_lecture(20_000, 3, _ENGLISH, names=True).encode(), LoadOptions()),
        "big-faults.vtt": (_lecture(20_000, 4, _ENGLISH, vtt=True, faults=True).encode(), LoadOptions()),
        "big-cp1251.srt": (_lecture(20_000, 5, _RUSSIAN).encode("cp1251"), LoadOptions()),
        "big-cp1251-chosen.srt": (_lecture(20_000, 5, _RUSSIAN).encode("cp1251"), LoadOptions(encoding="cp1251")),
        # Valid UTF-8 for far more than the head, then a Windows-1252 byte: guessed after all.
        "late-cp1252.srt": (big.encode() + "9999\n99:00:00,000 --> 99:00:01,000\nfin\xe9\n".encode("cp1252"),
                            LoadOptions()),
        # A BOM says UTF-8, a byte far in says otherwise: refused, naming the line.
        "late-bad-bom.srt": (b"\xef\xbb\xbf" + big.encode() + b"9999\n99:00:00,000 --> 99:00:01,000\n\xff\n",
                             LoadOptions()),
        "chosen-utf16-wrong.srt": (big[:5000].encode() + b"x", LoadOptions(encoding="utf-16-le")),
        "whitespace-only.srt": (b" \n" * 400_000, LoadOptions()),
        "long-first-line.srt": (b"x" * 600_000 + b"\n\n" + big[:20_000].encode(), LoadOptions()),
        "edges.srt": (_edge_blocks(1500).encode(), LoadOptions()),
        "edges-crlf.srt": (_edge_blocks(300).replace("\n", "\r\n").encode(), LoadOptions()),
        "edges.vtt": (("WEBVTT\n\n" + _edge_blocks(300)).encode(), LoadOptions()),
        "nul-rolling.vtt": (("WEBVTT\n\n00:00.000 --> 00:02.000\nhello<00:00:01.000><c> wor\0ld</c>\n\n"
                             + _lecture(20_000, 6, _ENGLISH, vtt=True)[8:]).encode(), LoadOptions()),
    }
    made = []
    for name, (data, options) in cases.items():
        path = folder / name
        path.write_bytes(data)
        made.append((name, path, options))
    return made


def summary(path: Path, options: LoadOptions = LoadOptions()) -> dict:
    """What load() made of a file: its lines by hash (and count), warnings and notes in full."""
    try:
        transcript = load(path, options=options)
    except TranscriptError as error:
        return {"error": [error.line, error.reason]}
    lines = [[s.start_ms, s.end_ms, s.text, s.speaker, [[w.start_ms, w.end_ms, w.text] for w in s.words]]
             for s in transcript.segments]
    canonical = json.dumps(lines, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return {"count": len(lines), "sha256": hashlib.sha256(canonical).hexdigest(),
            "first": lines[:2], "warnings": [list(w) for w in transcript.warnings],
            "notes": [list(n) for n in transcript.notes], "encoding": transcript.encoding,
            "guessed": transcript.encoding_guessed, "weak": transcript.weak_guess}


def wpt_files(folder: Path) -> list[tuple[str, Path]]:
    """The WebVTT file inside each web-platform-tests .test file, as test_conformance reads it."""
    from tests.core.formats.test_conformance import read_wpt

    made = []
    for test in sorted((DATA / "conformance" / "wpt-webvtt").rglob("*.test")):
        path = folder / (test.stem + ".vtt")
        path.write_bytes(read_wpt(test).vtt)
        made.append((f"wpt/{test.name}", path))
    return made


def snapshot() -> dict:
    results = {}
    for path in data_files():
        results[str(path.relative_to(DATA))] = summary(path)
    with tempfile.TemporaryDirectory() as folder:
        for name, path in wpt_files(Path(folder)):
            results[name] = summary(path)
        for name, path, options in made_cases(Path(folder)):
            results[f"made/{name}"] = summary(path, options)
    return results


if __name__ == "__main__":
    results = snapshot()
    SNAPSHOT.write_text("{\n" + ",\n".join(f"{json.dumps(name)}: {json.dumps(result, ensure_ascii=False)}"
                                          for name, result in results.items()) + "\n}\n", encoding="utf-8")
    print(f"{SNAPSHOT}: {len(json.loads(SNAPSHOT.read_text(encoding='utf-8')))} files", file=sys.stderr)

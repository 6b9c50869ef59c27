"""A 200 MB SRT (1.8 million cues of lecture text) read whole: parse time and peak RSS (issue 15),
and a 10,000-line one, each read in a fresh process (its own ru_maxrss), by this checkout and by
the reader before the compact, streamed one (git archive of OLD_COMMIT, same file, same run).

    python -m bench.parse_bench            [--cues N] [--no-old]

Prints `ROW {json}` lines; `python -m bench` shows them in its table.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.probes import data, row  # noqa: E402

# The last commit whose reader held every line of the file and a Segment object per cue.
OLD_COMMIT = "0c7e780ab5d5b451c0f3f5371200e96583c126a7"
BIG_CUES = 1_800_000
SMALL_CUES = 10_000

_WORDS = """the of and to a in that is it we this for you so on what with be are as can have
not do at this one from or if but about they all there which by will an so now just going like
model models data training language learn learning network networks neural loss gradient
function functions vector vectors token tokens attention layer layers weight weights parameter
parameters input output sequence sequences probability distribution sample samples embedding
embeddings representation representations objective optimization transformer encoder decoder
pretraining fine-tuning dataset corpus word words sentence sentences prediction predictions
right okay actually basically really think know see say look here example question answer
because where when then well also different other same first second next last way time
naïve café""".split()
_MARKERS = ("[Music]", "[Laughter]", "(applause)", "[inaudible]")


def _timecode(ms: int) -> str:
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    seconds, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{ms:03d}"


def write_lecture_srt(path: Path, cues: int, seed: int = 15) -> int:
    """An SRT of `cues` lines of lecture talk (Zipf-weighted words, 9-21 a cue, a second text
    line in a quarter of them, a marker in 1 %), seeded. Returns its size in bytes."""
    rnd = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(_WORDS))]
    clock = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        batch = []
        for number in range(1, cues + 1):
            length = rnd.randint(9, 21)
            duration = 800 + length * 250 + rnd.randint(0, 600)
            if rnd.random() < 0.01:
                text = rnd.choice(_MARKERS)
            else:
                words = rnd.choices(_WORDS, weights, k=length)
                words[0] = words[0].capitalize()
                if rnd.random() < 0.25:
                    half = length // 2
                    text = " ".join(words[:half]) + "\n" + " ".join(words[half:]) + "."
                else:
                    text = " ".join(words) + rnd.choice((".", ",", "?", ""))
            batch.append(f"{number}\n{_timecode(clock)} --> {_timecode(clock + duration)}\n{text}\n\n")
            clock += duration + rnd.randint(0, 300)
            if len(batch) == 10_000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))
    return path.stat().st_size


# Run in a fresh interpreter: import, then time load() alone; ru_maxrss covers the whole life.
_CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from player.core.formats import load
began = time.perf_counter()
transcript = load(sys.argv[2])
took = time.perf_counter() - began
print(json.dumps({"seconds": took, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cues": len(transcript), "warnings": len(transcript.warnings),
                  "from": sys.modules["player"].__file__}))
"""


def parse_in_child(root: Path, srt: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", _CHILD, str(root), str(srt)], capture_output=True,
                            text=True, timeout=900, cwd=tempfile.gettempdir())
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def old_checkout(folder: Path) -> Path | None:
    """The `player` package as OLD_COMMIT had it, or None outside a git clone."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", OLD_COMMIT, "player"], capture_output=True)
    if archive.returncode != 0:
        return None
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder / "old", filter="data")
    return folder / "old"


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=BIG_CUES)
    parser.add_argument("--no-old", action="store_true", help="skip the reader before issue 15")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        old = None if args.no_old else old_checkout(folder)
        for cues, target_s, target_mb in ((args.cues, 20, 500), (SMALL_CUES, None, None)):
            srt = folder / f"lecture-{cues}.srt"
            size = write_lecture_srt(srt, cues)
            label = f"parse SRT {size / 1e6:,.0f} MB, {cues:,} cues"
            new = parse_in_child(REPO, srt)
            time_target = f"< {target_s} s" if target_s else ""
            rss_target = f"< {target_mb} MB" if target_mb else ""
            before = parse_in_child(old, srt) if old is not None else None
            note = (f"before: {_seconds(before['seconds'])}" if before else "") + f"; {new['cues']:,} cues read"
            row(f"{label}: time", _seconds(new["seconds"]), time_target, note.lstrip("; "))
            note = f"before: {before['peak_mb']:,.0f} MB" if before else ""
            row(f"{label}: peak RSS", f"{new['peak_mb']:,.0f} MB", rss_target, note)
            data("parse", cues=cues, size_mb=size / 1e6, seconds=new["seconds"], peak_mb=new["peak_mb"],
                 cues_read=new["cues"], before=before)
            srt.unlink()


if __name__ == "__main__":
    main()

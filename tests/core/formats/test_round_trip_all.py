"""Every sample of every format reads, writes as SRT, and reads back the same."""

from pathlib import Path

import pytest

from player.core.formats import ChoiceNeeded, LoadOptions, load, parse_text
from player.core.formats.writers import to_srt, to_text
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "formats"
SAMPLES = sorted(p for p in DATA.rglob("*") if p.is_file()) + [SEEDS / "000_149b69cec48c81ff.txt",
                                                                SEEDS / "003_98d2fe73ddf5816f.txt"]


def load_first_choice(path):
    try:
        return load(path)
    except ChoiceNeeded as choice:
        return load(path, options=LoadOptions(**{choice.kind: choice.choices[0][0]}))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_read_write_srt_read_again(path):
    transcript = load_first_choice(path)
    again = parse_text(to_srt(transcript), f"{path.name}.srt", "srt")
    spoken = [(s.start_ms, s.end_ms, " ".join(s.text.split())) for s in transcript if s.text.strip()]
    assert [(s.start_ms, s.end_ms, s.text) for s in again] == spoken


def test_text_export_leaves_out_non_speech_markers():
    transcript = load(SEEDS / "003_98d2fe73ddf5816f.txt")
    text = to_text(transcript)
    assert "[AUDIO OUT]" not in text and "[BLANK_AUDIO]" not in text
    assert text.startswith("Hello.\nWelcome to CS224N.\n")

"""Fixtures for library tests: real library files in tmp_path, media made of plain bytes
(a fingerprint only needs bytes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from player.core.library import Library
from player.core.transcript import Segment, Transcript


def make_media(path: Path, size: int = 50_000, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(16) + bytes([seed % 256]) * size if seed else
                     (b"lecture bytes %d " % size) * (size // 16 + 1))
    return path


def sample_transcript() -> Transcript:
    return Transcript([
        Segment(0, 2000, "Welcome to the lecture on pre-training."),
        Segment(2000, 5000, "Today we talk about transformers and attention."),
        Segment(5000, 9000, "Attention lets every word look at every other word."),
        Segment(9000, 12000, "Questions at the end, please."),
    ], title="Pre-training")


@pytest.fixture
def library_path(tmp_path) -> Path:
    return tmp_path / "library.sqlite"


@pytest.fixture
def library(library_path):
    lib = Library.open(library_path)
    yield lib
    lib.close()


@pytest.fixture
def media(tmp_path) -> Path:
    return make_media(tmp_path / "media" / "lecture one.mp4", seed=1)


@pytest.fixture
def lecture(library, media):
    return library.import_lecture(media, sample_transcript())

"""Speech whose words are known: a clip of the demo lecture (espeak-ng reading the seed
transcript, resources/sample/README.md), cut with the bundled ffmpeg."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO_DIR, ffmpeg

LECTURE = DEMO_DIR / "lecture.mp4"
# Cues 2-6 of resources/sample/lecture.txt: 5.48 s to 20.16 s of the lecture.
CLIP_START_S, CLIP_END_S = 5.48, 20.16
CLIP_TEXT = ("Hello. Welcome to CS224N. Today we'll be talking about pre-training, which is another exciting "
             "topic on the road to modern natural language processing.")


@pytest.fixture(scope="session")
def speech_clip(tmp_path_factory) -> Path:
    """About 15 s of the demo lecture's speech, sound only."""
    path = tmp_path_factory.mktemp("speech") / "speech clip.m4a"
    ffmpeg("-ss", f"{CLIP_START_S}", "-to", f"{CLIP_END_S}", "-i", str(LECTURE), "-vn", "-c:a", "aac",
           "-b:a", "64k", str(path))
    return path


@pytest.fixture(scope="session")
def silent_video(tmp_path_factory) -> Path:
    """A video with no sound track at all."""
    path = tmp_path_factory.mktemp("silent") / "no sound.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=3", "-c:v", "libx264",
           "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path))
    return path


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    """The model the app ships (a dependency): tests fail, not skip, without it."""
    from player.core.transcription.models import shipped_models

    return shipped_models()["tiny.en"]

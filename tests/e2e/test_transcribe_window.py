"""Transcribing in the real window: the shipped tiny.en model in its worker process on a
clip of the demo lecture (espeak-ng reading known text), real libVLC, a real library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from player.core.formats import load
from player.core.library import Library
from player.core.transcription import TranscriptionOptions
from player.core.transcription.accuracy import word_error_rate
from player.ui.transcribing import TranscribeRequest
from tests.conftest import DEMO_DIR, ffmpeg

# Cues 2-6 of resources/sample/lecture.txt (as tests/core/transcription uses them).
CLIP_START_S, CLIP_END_S = 5.48, 20.16
CLIP_TEXT = ("Hello. Welcome to CS224N. Today we'll be talking about pre-training, which is another exciting "
             "topic on the road to modern natural language processing.")
ENGLISH = TranscriptionOptions(language="en")


@pytest.fixture(scope="module")
def speech_video(tmp_path_factory) -> Path:
    """About 15 s of the demo lecture, picture and sound."""
    path = tmp_path_factory.mktemp("speech") / "speech clip.mp4"
    ffmpeg("-ss", f"{CLIP_START_S}", "-to", f"{CLIP_END_S}", "-i", str(DEMO_DIR / "lecture.mp4"),
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", str(path))
    return path


@pytest.fixture(scope="module")
def silent_video(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("silent") / "no sound.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=3", "-c:v", "libx264",
           "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path))
    return path


def open_lecture(qtbot, window, media: Path) -> None:
    window.open_media(str(media), autoplay=False)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=10_000)


def library_lines(library_path: Path, lecture_id: int):
    with Library.open(library_path) as library:
        return library.transcript_lines(lecture_id), library.transcription_state(lecture_id)


def words(text: str) -> str:
    return " ".join(text.split())


def test_lines_appear_as_heard_while_the_learner_highlights(qtbot, window, speech_video, library_path, tmp_path):
    media = tmp_path / "lecture.mp4"
    shutil.copy(speech_video, media)
    open_lecture(qtbot, window, media)
    bar = window.transcription_bar
    assert bar.isVisible() and bar.action_button.text() == "Transcribe…"   # offered at once, not in the way
    made_while_running = []

    def highlight_the_first_line(_lines) -> None:
        if not made_while_running:   # the learner works while the rest is transcribed
            first = window.transcript[0]
            window.annotations.add_highlight(first.start_ms, first.end_ms, 2)
            made_while_running.append(window.transcriber.running)

    window.transcriber.lines_added.connect(highlight_the_first_line)
    srt = tmp_path / "lecture.srt"
    window.start_transcription(TranscribeRequest("tiny.en", False, ENGLISH, srt_path=srt))
    assert bar.isVisible() and bar.cancel_button.isVisible()
    assert window.transcript is not None and len(window.transcript) == 0   # nothing heard yet
    model = window.transcript_view.segment_model
    events: list[str] = []
    model.rowsInserted.connect(lambda *_: events.append("rows"))
    model.modelReset.connect(lambda: events.append("reset"))
    window.transcriber.finished.connect(lambda _state: events.append("finished"))
    qtbot.waitUntil(lambda: "finished" in events, timeout=120_000)

    assert events[0] == "rows" and "reset" not in events   # appended row by row, never a reset
    assert events.index("finished") == len(events) - 1
    assert made_while_running == [True]
    lines, state = library_lines(library_path, window.annotations.lecture.id)
    assert state.status == "complete" and state.model == "tiny.en"
    assert [row.text for row in lines] == [segment.text for segment in window.transcript.segments]
    assert word_error_rate(CLIP_TEXT, " ".join(line.text for line in lines)) < 0.35
    assert [(h.start_ms, h.end_ms, h.color) for h in window.annotations.highlights] == \
        [(lines[0].start_ms, lines[0].end_ms, 2)]
    assert window.transcript_view.highlight_color(0) == 2
    assert not bar.isVisible()
    assert [s.text for s in load(srt).segments] == [line.text for line in lines]   # the SRT asked for
    assert window.statusBar().currentMessage().endswith("; saved lecture.srt")


def test_cancel_keeps_the_lines_and_reopening_continues_without_duplicates(
        qtbot, window, speech_video, video_mp4, library_path):
    import threading

    open_lecture(qtbot, window, speech_video)
    lecture_id = window.annotations.lecture.id
    stopped = []
    window.transcriber.cancelled.connect(lambda: stopped.append(True))
    first_line, cancelled = threading.Event(), threading.Event()

    def hold_after_the_first_line(_run, report) -> None:
        # On the job's own thread, as the first line is saved: it waits there until the
        # learner has pressed Cancel, so the cancel comes before the next line is read,
        # however fast the machine.
        if report[0] == "lines" and not first_line.is_set():
            first_line.set()
            cancelled.wait(60)

    relay = window.transcriber.job._relay
    relay.progress.connect(hold_after_the_first_line, Qt.ConnectionType.DirectConnection)
    window.start_transcription(TranscribeRequest("tiny.en", False, ENGLISH))
    qtbot.waitUntil(first_line.is_set, timeout=120_000)
    qtbot.mouseClick(window.transcription_bar.cancel_button, Qt.MouseButton.LeftButton)   # the learner's Cancel
    cancelled.set()
    qtbot.waitUntil(lambda: bool(stopped), timeout=120_000)
    relay.progress.disconnect(hold_after_the_first_line)

    kept, state = library_lines(library_path, lecture_id)
    assert state.in_progress and len(kept) == 1 and state.done_until_ms >= kept[0].end_ms
    assert "cancelled" in window.statusBar().currentMessage()

    open_lecture(qtbot, window, video_mp4)   # another lecture, then back
    window.open_media(str(speech_video), autoplay=False)
    qtbot.waitUntil(lambda: window.transcription_bar.action_button.isVisible(), timeout=10_000)
    bar = window.transcription_bar
    assert bar.action_button.text().startswith("Continue transcribing from 0:")
    assert [s.text for s in window.transcript.segments] == [kept[0].text]   # the lines saved so far

    done = []
    window.transcriber.finished.connect(done.append)
    bar.action_button.click()
    qtbot.waitUntil(lambda: bool(done), timeout=120_000)

    lines, state = library_lines(library_path, lecture_id)
    assert state.status == "complete" and lines[0].text == kept[0].text and len(lines) > 1
    starts = [line.start_ms for line in lines]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(a.end_ms <= b.start_ms for a, b in zip(lines, lines[1:]))   # nothing heard twice
    assert word_error_rate(CLIP_TEXT, " ".join(line.text for line in lines)) < 0.35
    assert [s.text for s in window.transcript.segments] == [line.text for line in lines]


def test_a_lecture_without_sound_is_one_sentence_and_leaves_nothing(qtbot, window, silent_video, library_path):
    open_lecture(qtbot, window, silent_video)
    failed = []
    window.transcriber.failed.connect(failed.append)
    window.start_transcription(TranscribeRequest("tiny.en", False, ENGLISH))
    qtbot.waitUntil(lambda: bool(failed), timeout=60_000)
    assert failed == [f"{silent_video.absolute()}: there is no sound in it to transcribe"]
    assert window._error_box.text() == failed[0] and window._error_box.isVisible()
    assert library_lines(library_path, window.annotations.lecture.id) == ([], None)
    assert window.transcription_bar.action_button.text() == "Transcribe…"   # offered again


def test_a_model_folder_that_is_not_a_model_is_one_sentence(qtbot, window, video_mp4, tmp_path, library_path):
    open_lecture(qtbot, window, video_mp4)
    not_a_model = tmp_path / "my model"
    not_a_model.mkdir()
    (not_a_model / "readme.txt").write_text("not a model", encoding="utf-8")
    failed = []
    window.transcriber.failed.connect(failed.append)
    window.start_transcription(TranscribeRequest(str(not_a_model), False, ENGLISH))
    qtbot.waitUntil(lambda: bool(failed), timeout=60_000)
    assert str(not_a_model) in failed[0] and "\n" not in failed[0]
    assert library_lines(library_path, window.annotations.lecture.id) == ([], None)


def test_closing_the_window_stops_the_transcription_and_keeps_what_was_heard(
        qtbot, window, speech_video, library_path):
    import threading

    from player.ui.jobs import wait_for_long_jobs

    open_lecture(qtbot, window, speech_video)
    lecture_id = window.annotations.lecture.id
    first_line, closing = threading.Event(), threading.Event()

    def hold_after_the_first_line(_run, report) -> None:
        # The job's thread waits, after saving its first line, until the window is closing:
        # the close surely finds it running.
        if report[0] == "lines" and not first_line.is_set():
            first_line.set()
            closing.wait(60)

    window.transcriber.job._relay.progress.connect(hold_after_the_first_line, Qt.ConnectionType.DirectConnection)
    window.start_transcription(TranscribeRequest("tiny.en", False, ENGLISH))
    qtbot.waitUntil(first_line.is_set, timeout=120_000)
    assert window.transcriber.running
    closing.set()
    window.close()   # cancels the long jobs and waits for them

    assert wait_for_long_jobs(0)   # the job's thread has ended
    lines, state = library_lines(library_path, lecture_id)
    assert len(lines) == 1 and state.in_progress   # what was heard is kept, to continue from

    # Reopened, the app goes on by itself: it was closed, not cancelled by the learner.
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    reopened = MainWindow(VlcPlayback(), window.settings, library_path=library_path)
    qtbot.addWidget(reopened)
    reopened.show()
    done = []
    reopened.transcriber.finished.connect(done.append)
    reopened.open_media(str(speech_video), autoplay=False)
    qtbot.waitUntil(lambda: bool(done), timeout=120_000)
    lines, state = library_lines(library_path, lecture_id)
    assert state.status == "complete" and len(lines) > 1
    assert all(a.end_ms <= b.start_ms for a, b in zip(lines, lines[1:]))   # nothing heard twice
    assert word_error_rate(CLIP_TEXT, " ".join(line.text for line in lines)) < 0.35
    assert not reopened.transcription_bar.action_button.isVisible()   # nothing to press


def test_opening_another_lecture_stops_the_transcription_and_shows_its_own_transcript(
        qtbot, window, speech_video, video_mp4, tmp_path, library_path):
    from tests.conftest import TONE_CUES, write_srt

    open_lecture(qtbot, window, speech_video)
    transcribed_id = window.annotations.lecture.id
    window.start_transcription(TranscribeRequest("tiny.en", False, ENGLISH))
    other = tmp_path / "other.mp4"
    shutil.copy(video_mp4, other)
    write_srt(tmp_path / "other.srt", TONE_CUES[:5])
    window.open_media(str(other), autoplay=False)   # while the first is being transcribed
    qtbot.waitUntil(lambda: not window.transcriber.running, timeout=60_000)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None
                    and window.annotations.lecture.id != transcribed_id, timeout=10_000)
    assert [s.text for s in window.transcript.segments] == [cue[2] for cue in TONE_CUES[:5]]
    _lines, state = library_lines(library_path, transcribed_id)
    assert state is None or state.in_progress   # stopped, never finished behind the learner's back


def test_a_model_not_on_this_machine_is_downloaded_with_progress_then_used(
        qtbot, window, speech_video, tmp_path, library_path, monkeypatch):
    """A local server stands for the model hub (it serves the shipped model's files under
    base.en's name): the download's progress shows in the bar, then the lecture is transcribed."""
    from player.core.transcription import REGISTRY
    from player.core.transcription.models import shipped_models
    from tests.core.transcription.test_models import Server, _publish

    root, models = tmp_path / "hub", tmp_path / "models"
    _publish(shipped_models()["tiny.en"], root, REGISTRY["base.en"].repo)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_MODELS", str(models))
    open_lecture(qtbot, window, speech_video)
    shown = []
    window.transcriber.progress_changed.connect(lambda text, _fraction, _left: shown.append(text))
    done = []
    window.transcriber.finished.connect(done.append)
    with Server(root) as hub:
        monkeypatch.setenv("TRANSCRIPT_PLAYER_MODEL_URL", hub.url)
        window.start_transcription(TranscribeRequest("base.en", True, ENGLISH))
        qtbot.waitUntil(lambda: bool(done), timeout=120_000)

    downloading = [text for text in shown if text.startswith("Downloading the model")]
    transcribing = [text for text in shown if text.startswith("Transcribing")]
    assert downloading and transcribing and shown.index(downloading[-1]) < shown.index(transcribing[0])
    assert (models / "base.en" / "model.bin").is_file()
    lines, state = library_lines(library_path, window.annotations.lecture.id)
    assert state.model == "base.en" and state.status == "complete" and lines

"""A transcription written into the library as it arrives: begun, appended batch by batch
(segments and progress in one transaction), continued after a kill, finished; word times
and confidence kept, for transcribed lines and for files that carry word times."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from player.core.formats import load
from player.core.library import Library, TranscriptExists
from player.core.transcript import Segment, Transcript
from player.core.transcription import TranscribedSegment, TranscribedWord, TranscriptionOptions
from tests.conftest import REPO
from tests.core.library.conftest import make_media, sample_transcript


def heard(start_ms: int, text: str, gap_ms: int = 400) -> TranscribedSegment:
    """A line as the model hands it over: a word every `gap_ms`."""
    words = tuple(TranscribedWord(start_ms + i * gap_ms, start_ms + (i + 1) * gap_ms, word, 0.5 + i / 100)
                  for i, word in enumerate(text.split()))
    return TranscribedSegment(start_ms, words[-1].end_ms, text, words, avg_logprob=-0.25, no_speech_prob=0.02)


@pytest.fixture
def bare(library, tmp_path):
    """A lecture with no transcript."""
    return library.import_lecture(make_media(tmp_path / "untranscribed.m4a", seed=9))


def test_a_transcription_is_saved_batch_by_batch_with_words_and_confidence(library, bare):
    options = TranscriptionOptions(language=None, initial_prompt="CS224N, pre-training")
    transcript_id = library.begin_transcription(bare.id, "tiny.en", None, options)
    state = library.transcription_state(bare.id)
    assert (state.transcript_id, state.origin, state.status, state.model, state.language) == (
        transcript_id, "transcribed", "in_progress", "tiny.en", None)
    assert state.options["initial_prompt"] == "CS224N, pre-training" and state.options["vad"] is True
    assert (state.done_until_ms, state.segment_count, state.corrected) == (0, 0, False)

    first = library.append_transcribed(bare.id, [heard(500, "Hello and welcome.")], 1700, language="en")
    assert [line.text for line in first] == ["Hello and welcome."]
    library.append_transcribed(bare.id, [], 9000)   # a stretch without speech moves progress on
    library.append_transcribed(bare.id, [heard(9000, "Today: transformers."), heard(10_000, "Questions?")],
                               10_400)
    state = library.transcription_state(bare.id)
    assert (state.status, state.language, state.done_until_ms, state.segment_count) == ("in_progress", "en",
                                                                                        10_400, 3)
    lines = library.transcript_lines(bare.id)
    assert [line.position for line in lines] == [0, 1, 2]
    assert lines[0].words[1].text == "and" and lines[0].words[1].probability == pytest.approx(0.51)
    assert (lines[0].avg_logprob, lines[0].no_speech_prob) == (-0.25, 0.02)
    # The transcript the player uses has the word times too, line for line.
    transcript = library.transcript(bare.id)
    assert [s.text for s in transcript.segments] == ["Hello and welcome.", "Today: transformers.", "Questions?"]
    assert transcript.segments[0].words[2].start_ms == 1300
    assert library.lecture(bare.id).has_transcript
    assert library.search("transformers")[0].start_ms == 9000

    done = library.finish_transcription(bare.id, "en", 12_000)
    assert (done.status, done.language, done.done_until_ms) == ("complete", "en", 12_000)


def test_beginning_again_keeps_the_one_in_progress_to_continue_it(library, bare):
    first = library.begin_transcription(bare.id, "tiny.en", "en", {"vad": True})
    library.append_transcribed(bare.id, [heard(0, "One two three.")], 1200)
    again = library.begin_transcription(bare.id, "base", None, {"vad": False})
    state = library.transcription_state(bare.id)
    assert again == first
    assert (state.model, state.language, state.options, state.segment_count) == ("tiny.en", "en", {"vad": True}, 1)
    # Segments from before the point reached are there already: a batch that repeats them
    # adds only what is new.
    # A segment with no words says nothing: not a line.
    library.append_transcribed(bare.id, [heard(0, "One two three."), heard(1200, "Four five."),
                                         Segment(1900, 2000, "  ")], 2000)
    assert [line.text for line in library.transcript_lines(bare.id)] == ["One two three.", "Four five."]
    # replace=True starts over.
    library.begin_transcription(bare.id, "base", None, replace=True)
    state = library.transcription_state(bare.id)
    assert (state.model, state.segment_count, state.done_until_ms) == ("base", 0, 0)


def test_a_transcript_read_from_a_file_or_finished_is_never_replaced_unasked(library, lecture):
    with pytest.raises(TranscriptExists, match=r"^Pre-training already has a transcript \(read from a file\)$"):
        library.begin_transcription(lecture.id, "tiny.en")
    assert library.transcription_state(lecture.id).origin == "file"
    assert len(library.transcript(lecture.id)) == 4
    library.begin_transcription(lecture.id, "tiny.en", replace=True)
    library.append_transcribed(lecture.id, [heard(0, "New words.")], 800)
    library.finish_transcription(lecture.id, "en")
    with pytest.raises(TranscriptExists, match=r"\(transcribed with tiny.en\)"):
        library.begin_transcription(lecture.id, "base")
    library.edit_line_text(library.transcript_lines(lecture.id)[0].id, "Newer words.")
    with pytest.raises(TranscriptExists, match=r"\(with your corrections\)") as raised:
        library.begin_transcription(lecture.id, "base")
    assert raised.value.state.corrected


def test_only_a_transcription_in_progress_takes_segments(library, lecture, bare):
    with pytest.raises(ValueError, match="no transcription in progress"):
        library.append_transcribed(lecture.id, [heard(0, "x")], 100)
    library.begin_transcription(bare.id, "tiny.en")
    library.finish_transcription(bare.id)
    with pytest.raises(ValueError, match="no transcription in progress"):
        library.append_transcribed(bare.id, [heard(0, "x")], 100)
    with pytest.raises(ValueError, match="time"):
        library.append_transcribed(bare.id, [], -5)


class Unreadable:
    """A segment whose text cannot be read: the write fails half-way through a batch."""

    start_ms, end_ms = 3000, 4000

    @property
    def text(self) -> str:
        raise RuntimeError("the worker sent garbage")


def test_a_batch_that_fails_half_way_saves_nothing_of_it(library, bare):
    library.begin_transcription(bare.id, "tiny.en")
    library.append_transcribed(bare.id, [heard(0, "Kept line.")], 1000)
    with pytest.raises(RuntimeError):
        library.append_transcribed(bare.id, [heard(1000, "Lost line."), Unreadable()], 4000)
    state = library.transcription_state(bare.id)
    assert (state.segment_count, state.done_until_ms) == (1, 1000)
    assert library.search("lost") == []


APPENDER = textwrap.dedent("""
    import sys
    from player.core.library import Library
    from player.core.transcript import Segment
    library = Library.open(sys.argv[1])
    lecture_id = int(sys.argv[2])
    for batch in range(10_000):
        start = batch * 3000
        segments = [Segment(start + i * 1000, start + i * 1000 + 900, f"batch {batch} line {i}") for i in range(3)]
        library.append_transcribed(lecture_id, segments, start + 3000)
        print(batch, flush=True)
""")


def test_a_kill_mid_transcription_leaves_whole_batches_and_their_progress(library_path, library, bare):
    library.begin_transcription(bare.id, "tiny.en")
    writer = subprocess.Popen([sys.executable, "-c", APPENDER, str(library_path), str(bare.id)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(20):
            assert writer.stdout.readline(), "the writer stopped"
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    with Library.open(library_path) as reopened:
        state = reopened.transcription_state(bare.id)
        lines = reopened.transcript_lines(bare.id)
    assert state.segment_count >= 60 and state.segment_count % 3 == 0
    assert state.done_until_ms == state.segment_count * 1000 == lines[-1].end_ms + 100
    assert [line.position for line in lines] == list(range(len(lines)))


def test_words_from_files_are_kept(library, tmp_path):
    for name, seed in (("whisper_lecture.json", 3), ("youtube_auto.en.vtt", 4)):
        source = next((REPO / "tests" / "data" / "formats").rglob(name))
        transcript = load(source)
        lecture = library.import_lecture(make_media(tmp_path / f"{name}.mp4", seed=seed), transcript)
        stored = library.transcript(lecture.id)
        assert [s.words for s in stored.segments] == [s.words for s in transcript.segments], name
        assert any(s.words for s in stored.segments), name
        assert all(word.probability is None for line in library.transcript_lines(lecture.id) for word in line.words)
        assert library.transcription_state(lecture.id).origin == "file"


def test_importing_the_lecture_again_keeps_a_transcription_and_corrections(library, bare):
    media = bare.path
    library.begin_transcription(bare.id, "tiny.en")
    library.append_transcribed(bare.id, [heard(0, "Heard here.")], 900)
    # The window opens the media with an SRT written from it beside: the transcription stays.
    library.import_lecture(media, Transcript([Segment(0, 900, "Heard here.")], source=str(media) + ".srt"))
    assert library.transcription_state(bare.id).origin == "transcribed"
    assert library.transcript_lines(bare.id)[0].words
    library.import_lecture(media, sample_transcript(), replace_transcript=True)
    assert library.transcription_state(bare.id).origin == "file"


def test_the_same_file_again_keeps_line_ids_and_corrections(library, lecture, media):
    ids = [line.id for line in library.transcript_lines(lecture.id)]
    library.edit_line_text(ids[1], "Today we talk about transformers and self-attention.")
    library.import_lecture(media, sample_transcript())
    assert [line.id for line in library.transcript_lines(lecture.id)] == ids
    assert "self-attention" in library.transcript(lecture.id).segments[1].text
    # Another transcript does not silently replace the learner's corrections...
    other = Transcript([Segment(0, 1000, "Another file entirely.")])
    library.import_lecture(media, other)
    assert "self-attention" in library.transcript(lecture.id).segments[1].text
    # ...unless asked; an uncorrected one is replaced as before.
    library.import_lecture(media, other, replace_transcript=True)
    assert [s.text for s in library.transcript(lecture.id).segments] == ["Another file entirely."]
    library.import_lecture(media, sample_transcript())
    assert len(library.transcript(lecture.id)) == 4

"""Whisper segments become one line per sentence, using the word times."""

from __future__ import annotations

from types import SimpleNamespace

from player.core.transcription.worker import segment_lines


def whisper_segment(*words: tuple[float, float, str]):
    """A segment as faster-whisper yields it (words carry their leading space)."""
    return SimpleNamespace(start=words[0][0], end=words[-1][1], text="".join(w for _, _, w in words),
                           avg_logprob=-0.25, no_speech_prob=0.02,
                           words=[SimpleNamespace(start=s, end=e, word=w, probability=0.9) for s, e, w in words])


SEGMENT = whisper_segment((0.0, 0.5, " Hello,"), (0.5, 1.0, " welcome."), (1.2, 1.5, " Today"),
                          (1.5, 2.0, " e.g."), (2.0, 2.4, " things."), (2.6, 3.0, " OK?"))


def test_a_segment_is_split_after_each_sentence_with_absolute_times():
    lines = segment_lines(SEGMENT, offset=100.0)
    assert [(line["start"], line["end"], line["text"]) for line in lines] == [
        (100.0, 101.0, "Hello, welcome."), (101.2, 102.4, "Today e.g. things."), (102.6, 103.0, "OK?")]
    assert lines[0]["words"] == [{"start": 100.0, "end": 100.5, "word": "Hello,", "probability": 0.9},
                                 {"start": 100.5, "end": 101.0, "word": "welcome.", "probability": 0.9}]
    assert all(line["avg_logprob"] == -0.25 and line["no_speech_prob"] == 0.02 for line in lines)


def test_without_splitting_or_word_times_a_segment_is_one_line():
    assert [line["text"] for line in segment_lines(SEGMENT, 0.0, split_sentences=False)] == [
        "Hello, welcome. Today e.g. things. OK?"]
    bare = SimpleNamespace(start=1.0, end=2.0, text=" Hi. There.", avg_logprob=-0.1, no_speech_prob=0.0, words=None)
    assert segment_lines(bare, 10.0) == [{"start": 11.0, "end": 12.0, "text": "Hi. There.", "words": [],
                                          "avg_logprob": -0.1, "no_speech_prob": 0.0}]


def test_full_stops_without_case_split_too():
    segment = whisper_segment((0.0, 0.4, "你好。"), (0.4, 0.9, "再见。"))
    assert [line["text"] for line in segment_lines(segment, 0.0)] == ["你好。", "再见。"]

"""Transcribing a lecture, from the app's side: a Qt-free job that runs the model in its own
process (`worker.py`) and hands back each segment as soon as it is final.

    job = TranscriptionJob(media, "tiny.en", start_at_s=last_saved_end,
                           on_segment=save, on_progress=show)
    result = job.run()        # blocks: call it from a worker thread; cancel() from any thread

Segments come in time order with absolute times, so whatever the caller saved before a
crash, a kill or a cancel is final: a new job with `start_at_s` = the end of the last one
saved continues from there.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import player
from player.core.processes import popen_child
from player.core.safe_files import InputRefused, check_input
from player.core.transcript import Segment, Word
from player.core.transcription.errors import TranscriptionCancelled, TranscriptionError
from player.core.transcription.models import (
    ResolvedModel,
    available_memory_mb,
    check_memory,
    resolve_model,
)


@dataclass(frozen=True)
class TranscribedWord:
    start_ms: int
    end_ms: int
    text: str
    probability: float


@dataclass(frozen=True)
class TranscribedSegment:
    """One line as the model heard it: text, word times and how sure it was.

    avg_logprob is the mean log probability of the segment's tokens (near 0 = sure; below
    about -1 Whisper itself considers the decoding failed); no_speech_prob is the chance
    that the stretch held no speech at all.
    """

    start_ms: int
    end_ms: int
    text: str
    words: tuple[TranscribedWord, ...]
    avg_logprob: float
    no_speech_prob: float

    def to_segment(self) -> Segment:
        """The transcript's own Segment (the word times kept, the confidence dropped)."""
        return Segment(self.start_ms, self.end_ms, self.text,
                       words=tuple(Word(word.start_ms, word.end_ms, word.text) for word in self.words))

    @classmethod
    def from_line(cls, line: dict) -> "TranscribedSegment":
        words = tuple(TranscribedWord(_ms(word["start"]), _ms(word["end"]), str(word["word"]),
                                      float(word["probability"])) for word in line.get("words") or ())
        return cls(_ms(line["start"]), _ms(line["end"]), str(line["text"]), words,
                   float(line["avg_logprob"]), float(line["no_speech_prob"]))


@dataclass(frozen=True)
class Progress:
    """How far the job is: seconds of the media done, that as a fraction of its length
    (None if ffmpeg could not tell the length) and an estimate of the seconds left."""

    seconds: float
    fraction: float | None
    seconds_left: float | None


@dataclass(frozen=True)
class TranscriptionOptions:
    language: str | None = None        # None: detect it (reported through on_language)
    vad: bool = True                   # skip silence (Silero VAD)
    initial_prompt: str | None = None  # the course's terms and names, to spell them right
    word_timestamps: bool = True
    split_sentences: bool = True       # one sentence a line rather than Whisper's 30 s segments
    device: str = "auto"               # "auto" (CUDA when present), "cpu" or "cuda"
    threads: int = 0                   # CPU threads; 0: all cores


@dataclass
class TranscriptionResult:
    media: Path
    model: ResolvedModel
    language: str | None
    language_probability: float | None
    duration_s: float | None
    start_at_s: float
    end_s: float                       # how far the media was transcribed
    segments: list[TranscribedSegment] = field(default_factory=list)
    elapsed_s: float = 0.0             # from run() to the end, model loading included
    first_segment_s: float | None = None   # from run() to the first segment
    peak_rss_mb: int | None = None     # the worker's peak memory
    device: str = ""
    compute_type: str = ""


def _ms(seconds: float) -> int:
    return int(round(float(seconds) * 1000))


def _worker_environment() -> dict[str, str]:
    """The worker must import this very copy of the app, installed or not."""
    env = dict(os.environ)
    root = str(Path(player.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(part for part in (root, env.get("PYTHONPATH")) if part)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def describe_exit(code: int) -> str:
    """'signal 9' for a killed worker (with the likely cause), 'exit status 3' otherwise."""
    if code < 0:
        number = -code
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = ""
        hint = {signal.SIGKILL: ", killed: perhaps out of memory"}.get(number, f", {name}" if name else "")
        return f"signal {number}{hint}"
    return f"exit status {code}"


class TranscriptionJob:
    """Transcribe `media` with `model` (a registry name, a model folder, or None for the
    default) from `start_at_s` on.

    Callbacks run on the thread that called run(), in this order: on_language(code,
    probability) once before the first segment; on_segment(TranscribedSegment) for each
    line in time order; on_progress(Progress) as the media is covered. run() returns a
    TranscriptionResult, or raises TranscriptionError (str() is one sentence naming the
    file; `kind` says which: "media", "no_audio", "model", "memory", "crashed", "internal")
    or TranscriptionCancelled after cancel().
    """

    def __init__(self, media: str | Path, model: str | Path | None = None, *,
                 options: TranscriptionOptions | None = None, start_at_s: float = 0.0,
                 on_segment: Callable[[TranscribedSegment], None] | None = None,
                 on_progress: Callable[[Progress], None] | None = None,
                 on_language: Callable[[str, float], None] | None = None,
                 models_folder: Path | None = None, python: str | None = None,
                 first_window_s: float | None = None, window_s: float | None = None) -> None:
        self.media = Path(media)
        self.model_spec = model
        self.options = options or TranscriptionOptions()
        self.start_at_s = max(0.0, float(start_at_s))
        self.on_segment = on_segment
        self.on_progress = on_progress
        self.on_language = on_language
        self.models_folder = models_folder
        self.python = python or sys.executable
        self.first_window_s = first_window_s
        self.window_s = window_s
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._work_started = time.monotonic()

    # -- control

    def cancel(self) -> None:
        """Stop the worker now (it is killed: nothing it holds is worth waiting for)."""
        self._cancel.set()
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs."""
        with self._lock:
            return self._process.pid if self._process is not None else None

    # -- the work

    def _request(self, model: ResolvedModel) -> dict:
        options = self.options
        return {"media": str(self.media.absolute()), "model": str(model.path), "model_name": model.name,
                "start_at": self.start_at_s, "language": options.language or None, "vad": options.vad,
                "initial_prompt": options.initial_prompt, "word_timestamps": options.word_timestamps,
                "split_sentences": options.split_sentences, "device": options.device,
                "threads": options.threads, "first_window_s": self.first_window_s, "window_s": self.window_s}

    def run(self) -> TranscriptionResult:
        started = time.monotonic()
        try:
            # A pipe or a device would block ffmpeg (and the worker) for ever.
            check_input(self.media, limit=sys.maxsize)
        except InputRefused as refused:
            raise TranscriptionError(str(refused), "media") from None
        model = resolve_model(self.model_spec, self.models_folder)
        check_memory(model, available_memory_mb())
        result = TranscriptionResult(self.media, model, self.options.language, None, None, self.start_at_s,
                                     self.start_at_s)
        stderr_tail: deque[str] = deque(maxlen=20)
        with self._lock:
            if self._cancel.is_set():
                raise TranscriptionCancelled()
            try:
                # Binary pipes: the protocol is UTF-8 whatever the locale says.
                process = self._process = popen_child(
                    [self.python, "-m", "player.core.transcription.worker"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_worker_environment())
            except OSError as error:
                raise TranscriptionError(f"cannot start the transcriber ({self.python}): {error.strerror}",
                                         "internal") from None

        def drain() -> None:
            for raw in process.stderr:
                text = raw.decode("utf-8", "replace").rstrip()
                if text:
                    stderr_tail.append(text)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        outcome: dict | None = None
        try:
            try:
                process.stdin.write((json.dumps(self._request(model)) + "\n").encode("utf-8"))
                process.stdin.close()
            except OSError:
                pass   # the worker died at once: its exit status says how
            for raw in process.stdout:
                try:
                    line = json.loads(raw.decode("utf-8"))
                except ValueError:
                    stderr_tail.append(raw.decode("utf-8", "replace").rstrip())
                    continue
                if line.get("type") in ("done", "error"):
                    outcome = line
                self._handle(line, result, started)
            code = process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            reader.join(timeout=5)
            process.stdout.close()
            process.stderr.close()
            with self._lock:
                self._process = None
        result.elapsed_s = time.monotonic() - started
        if self._cancel.is_set():
            raise TranscriptionCancelled(f"{self.media}: transcription cancelled at "
                                         f"{result.end_s:.1f} s; the segments received are kept")
        if outcome is not None and outcome["type"] == "error":
            raise TranscriptionError(str(outcome.get("message")), str(outcome.get("kind") or "internal"))
        if outcome is None or code != 0:
            detail = f"; it said: {stderr_tail[-1]}" if stderr_tail and code > 0 else ""
            raise TranscriptionError(f"{self.media}: the transcriber stopped unexpectedly "
                                     f"({describe_exit(code)}){detail}", "crashed")
        result.end_s = float(outcome.get("seconds") or result.end_s)
        result.peak_rss_mb = outcome.get("peak_rss_mb")
        return result

    def _handle(self, line: dict, result: TranscriptionResult, started: float) -> None:
        kind = line.get("type")
        if kind == "segment":
            segment = TranscribedSegment.from_line(line)
            if result.first_segment_s is None:
                result.first_segment_s = time.monotonic() - started
            result.segments.append(segment)
            result.end_s = max(result.end_s, segment.end_ms / 1000)
            if self.on_segment is not None:
                self.on_segment(segment)
        elif kind == "progress":
            seconds = float(line["seconds"])
            result.end_s = max(result.end_s, seconds)
            self._report(seconds, line.get("fraction"), result)
        elif kind == "language":
            result.language = line.get("language")
            result.language_probability = line.get("probability")
            if self.on_language is not None and result.language:
                self.on_language(result.language, float(line.get("probability") or 0.0))
        elif kind == "start":
            result.duration_s = line.get("duration")
            result.device = line.get("device") or ""
            result.compute_type = line.get("compute_type") or ""
            self._work_started = time.monotonic()
            self._report(result.start_at_s, None if not result.duration_s else
                         min(1.0, result.start_at_s / result.duration_s), result)

    def _report(self, seconds: float, fraction: float | None, result: TranscriptionResult) -> None:
        if self.on_progress is None:
            return
        left = None
        done = seconds - result.start_at_s
        if result.duration_s and done >= 1.0:
            # The pace so far (model loading excluded) applied to what remains.
            elapsed = time.monotonic() - self._work_started
            left = max(0.0, elapsed * (result.duration_s - seconds) / done)
        self.on_progress(Progress(seconds, fraction, left))

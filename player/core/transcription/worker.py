"""The transcriber's own process: `python -m player.core.transcription.worker`.

It runs the model away from the app, so a crash or an out-of-memory kill in it leaves the
app running. `TranscriptionJob` starts it; nothing else should.

Input: one JSON object on stdin (see `TranscriptionJob._request`): media, model (folder),
model_name, start_at (s), language (null = detect), vad, initial_prompt, word_timestamps,
split_sentences, device ("auto", "cpu", "cuda"), threads (0 = all cores), first_window_s, window_s.

Output: one JSON object per line on stdout, times in seconds from the media's start:

    {"type": "start", "duration": 85.26, "start_at": 0.0, "model": "tiny.en",
     "device": "cpu", "compute_type": "int8"}                      once the model is loaded
    {"type": "language", "language": "en", "probability": 0.98,
     "detected": true}                                             before the first segment
    {"type": "segment", "start": 5.48, "end": 6.24, "text": "Hello.",
     "words": [{"start": 5.48, "end": 6.0, "word": "Hello.", "probability": 0.93}],
     "avg_logprob": -0.21, "no_speech_prob": 0.01}                 one line (sentence) each,
                                                                   in time order, each final
    {"type": "progress", "seconds": 30.0, "fraction": 0.35}       how far the media is done
    {"type": "done", "seconds": 85.26, "segments": 31, "elapsed": 5.1,
     "peak_rss_mb": 380}                                           the last line on success
    {"type": "error", "kind": "no_audio", "message": "..."}        the last line on failure

How it streams: the sound is decoded by ffmpeg (the one the app already bundles) from
`start_at`, 16 kHz mono float32, and transcribed window by window (first_window_s for a
quick first segment, then window_s), so memory stays flat and segments arrive while the
rest is decoded. A window's last segment near its end may be cut mid-word, and a
sentence it started is better heard whole: both are dropped and the next window starts
where the last finished sentence ended. avg_logprob and no_speech_prob are those of the
Whisper segment a line comes from.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

SAMPLE_RATE = 16000
# The first window is short for a quick first line, yet long enough that its cut (redone
# by the next window) costs little: on the demo 60 s took 30% less CPU than 30 s, and the
# first line comes as soon (Whisper decodes 30 s at a time either way).
FIRST_WINDOW_S = 60.0
# Memory grows with the window (faster-whisper's VAD runs on all of it at once): 120 s
# windows peak near 450 MB with tiny.en (650 MB with base) whatever the lecture's length;
# 240 s windows near 570 MB with tiny.en.
WINDOW_S = 120.0
# Segments ending this close to a window's end (not the media's) are done again in the next.
GUARD_S = 2.0
# Speech with no sentence end (no punctuation) is sent in pieces of about this length.
UNFINISHED_MAX_S = 20.0


class WorkerError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Emitter:
    """Writes protocol lines to the real stdout. fd 1 is pointed at stderr first, so
    whatever a library prints cannot corrupt the protocol."""

    def __init__(self) -> None:
        self._out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
        os.dup2(2, 1)
        sys.stdout = sys.stderr

    def __call__(self, line_type: str, /, **fields) -> None:
        self._out.write(json.dumps({"type": line_type, **fields}, ensure_ascii=False) + "\n")
        self._out.flush()


class AudioStream:
    """The media's first audio track from `start_s` on, as 16 kHz mono float32, read from
    an ffmpeg child in pieces."""

    def __init__(self, media: Path, start_s: float) -> None:
        from player.core.processes import popen_child
        from player.core.reel import ffmpeg_exe

        args = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error"]
        if start_s > 0:
            args += ["-ss", f"{start_s:.3f}"]
        args += ["-i", str(media), "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", str(SAMPLE_RATE),
                 "-f", "f32le", "pipe:1"]
        self.media = media
        self._errors: deque[str] = deque(maxlen=5)
        self._process = popen_child(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._drain = threading.Thread(target=self._read_errors, daemon=True)
        self._drain.start()
        self.samples_read = 0

    def _read_errors(self) -> None:
        for line in self._process.stderr:
            text = line.decode("utf-8", "replace").strip()
            if text:
                self._errors.append(text)

    def read(self, samples: int):
        """Up to `samples` samples; fewer only at the end of the sound."""
        import numpy as np

        data = self._process.stdout.read(samples * 4)
        whole = len(data) - len(data) % 4
        self.samples_read += whole // 4
        if len(data) < samples * 4:
            self._finish()
        return np.frombuffer(data[:whole], dtype=np.float32)

    def _finish(self) -> None:
        code = self._process.wait()
        self._drain.join(timeout=5)
        if code != 0:
            why = self._errors[-1] if self._errors else f"ffmpeg exit status {code}"
            where = "" if self.samples_read == 0 else f" after {self.samples_read / SAMPLE_RATE:.1f} s"
            raise WorkerError("media", f"{self.media}: the sound cannot be decoded{where} ({why})")


def _load_model(request: dict):
    """WhisperModel on CUDA when there is one (and the caller did not ask for the CPU),
    else int8 on the CPU. Errors name the model folder."""
    import ctranslate2
    from faster_whisper import WhisperModel

    # Whisper samples at a higher temperature when a greedy decoding fails: a fixed seed
    # makes the same media give the same transcript every time.
    ctranslate2.set_random_seed(0)
    path = request["model"]
    device = request.get("device") or "auto"
    threads = int(request.get("threads") or 0) or os.cpu_count() or 4
    choices = []
    if device in ("auto", "cuda") and ctranslate2.get_cuda_device_count() > 0:
        choices.append(("cuda", "int8_float16"))
    if device != "cuda" or not choices:
        choices.append(("cpu", "int8"))
    error = None
    for chosen_device, compute_type in choices:
        try:
            model = WhisperModel(path, device=chosen_device, compute_type=compute_type, cpu_threads=threads,
                                 local_files_only=True)
            return model, chosen_device, compute_type
        except MemoryError:
            raise WorkerError("memory", f"not enough memory to load the model {request.get('model_name')}") from None
        except Exception as failure:  # noqa: BLE001 - CTranslate2 raises RuntimeError/ValueError alike
            error = failure
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "bad_alloc" in message or "out of memory" in message.lower():
        raise WorkerError("memory", f"not enough memory to load the model {request.get('model_name')}")
    raise WorkerError("model", f"{path}: cannot load the model ({message})")


_SENTENCE_END = (".", "?", "!", "\u3002", "\uff1f", "\uff01")   # and the CJK full stop, ?, !
_CASELESS_END = ("\u3002", "\uff1f", "\uff01")


def _starts_sentence(word: str) -> bool:
    first = word.strip()[:1]
    return first.isupper() or first.isdigit()


def segment_lines(segment, offset: float, split_sentences: bool = True) -> list[dict]:
    """The protocol's segment lines for one Whisper segment, times made absolute.

    Whisper's segments run up to 30 s and hold several sentences; a transcript reads better
    one sentence a line, so with word times a segment is split after a word that ends a
    sentence when the next word starts one. Each line keeps its segment's confidence.
    """
    def at(seconds: float) -> float:
        return round(offset + seconds, 3)

    confidence = {"avg_logprob": round(segment.avg_logprob, 4), "no_speech_prob": round(segment.no_speech_prob, 4)}
    words = list(segment.words or ())
    if not words:
        return [{"start": at(segment.start), "end": at(segment.end), "text": segment.text.strip(), "words": [],
                 **confidence}]
    groups: list[list] = [[]]
    for index, word in enumerate(words):
        groups[-1].append(word)
        text = word.word.strip()
        following = words[index + 1].word if index + 1 < len(words) else None
        if (split_sentences and following is not None and text.endswith(_SENTENCE_END)
                and (text.endswith(_CASELESS_END) or _starts_sentence(following))):
            groups.append([])
    lines = []
    for group in groups:
        if not group:
            continue
        lines.append({"start": at(group[0].start), "end": at(group[-1].end),
                      "text": "".join(word.word for word in group).strip(),
                      "words": [{"start": at(word.start), "end": at(word.end), "word": word.word.strip(),
                                 "probability": round(word.probability, 4)} for word in group],
                      **confidence})
    return lines


def _peak_rss_mb() -> int | None:
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))


def transcribe(request: dict, emit: Emitter) -> None:
    import numpy as np

    from player.core.reel import ReelError, probe

    started = time.monotonic()
    media = Path(request["media"])
    try:
        info = probe(media)
    except ReelError as error:
        raise WorkerError("media", str(error).splitlines()[0]) from None
    if not info.has_audio:
        raise WorkerError("no_audio", f"{media}: there is no sound in it to transcribe")
    duration = info.duration_ms / 1000 if info.duration_ms else None
    start_at = max(0.0, float(request.get("start_at") or 0.0))

    model, device, compute_type = _load_model(request)
    emit("start", duration=duration, start_at=start_at, model=request.get("model_name"), device=device,
         compute_type=compute_type)

    def progress(seconds: float) -> None:
        fraction = min(1.0, seconds / duration) if duration else None
        emit("progress", seconds=round(seconds, 3), fraction=None if fraction is None else round(fraction, 4))

    language = request.get("language") or None
    if language:
        emit("language", language=language, probability=1.0, detected=False)
    user_prompt = (request.get("initial_prompt") or "").strip()
    first_window = float(request.get("first_window_s") or FIRST_WINDOW_S)
    window_s = float(request.get("window_s") or WINDOW_S)
    split_sentences = bool(request.get("split_sentences", True))
    options = {"vad_filter": bool(request.get("vad", True)),
               "word_timestamps": bool(request.get("word_timestamps", True))}

    audio = AudioStream(media, start_at)
    buffer = np.empty(0, dtype=np.float32)
    buffer_start = start_at
    wanted_s = first_window
    at_end = False
    language_known = bool(language)
    emitted = 0
    while True:
        missing = int(wanted_s * SAMPLE_RATE) - len(buffer)
        if missing > 0 and not at_end:
            piece = audio.read(missing)
            at_end = len(piece) < missing
            buffer = np.concatenate([buffer, piece]) if len(buffer) else piece
        if len(buffer) == 0:
            break
        length_s = len(buffer) / SAMPLE_RATE
        segments, found = model.transcribe(buffer, language=language, initial_prompt=user_prompt or None, **options)
        if not language_known and (found.duration_after_vad > 0 or at_end):
            language, language_known = found.language, True
            emit("language", language=found.language, probability=round(found.language_probability, 4),
                 detected=True)
        # Lines of a sentence not finished yet: a window's unfinished last sentence is done
        # again by the next window, which starts where the last finished one ended; starting
        # mid-sentence, without its beginning, Whisper tends to skip words.
        pending: list[dict] = []
        kept_end = None       # where the last line sent from this window ends (absolute)
        seen = False

        def send_pending() -> None:
            nonlocal pending, kept_end, emitted
            for ready in pending:
                emit("segment", **ready)
                emitted += 1
            kept_end = pending[-1]["end"]
            pending = []
            progress(kept_end)

        for segment in segments:
            seen = True
            if not at_end and segment.end > length_s - GUARD_S:
                break   # may be cut by the window's end: the next window does it again
            for line in segment_lines(segment, buffer_start, split_sentences):
                pending.append(line)
                if (at_end or line["text"].endswith(_SENTENCE_END)
                        or line["end"] - pending[0]["start"] > UNFINISHED_MAX_S):
                    send_pending()
        if at_end:
            break
        if pending and kept_end is None:
            send_pending()   # no sentence ended in the whole window: cut between segments
        if kept_end is None and seen:
            wanted_s = length_s + window_s   # one long segment reaches the end: read more first
            continue
        # At least a little, so that a degenerate empty segment at 0 s cannot loop for ever.
        cut_s = max(0.1, kept_end - buffer_start if kept_end is not None else length_s - GUARD_S)
        cut = int(round(cut_s * SAMPLE_RATE))
        buffer = buffer[cut:]
        buffer_start += cut / SAMPLE_RATE
        wanted_s = window_s
        if kept_end is None:
            progress(buffer_start)   # a window without speech: say how far it got
    end = start_at + audio.samples_read / SAMPLE_RATE
    progress(end)
    emit("done", seconds=round(end, 3), segments=emitted, elapsed=round(time.monotonic() - started, 3),
         peak_rss_mb=_peak_rss_mb())


def main() -> int:
    # Models come from a folder we name: never from the network behind our back.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    emit = Emitter()
    try:
        os.nice(5)   # the learner's playback comes first on a small machine
    except (AttributeError, OSError):
        pass
    try:
        request = json.loads(sys.stdin.readline())
        transcribe(request, emit)
        return 0
    except WorkerError as error:
        emit("error", kind=error.kind, message=str(error))
    except MemoryError:
        emit("error", kind="memory", message="the transcriber ran out of memory")
    except ImportError as error:
        emit("error", kind="internal", message=f"transcription needs the Python package {error.name or error} "
                                               "(reinstall the app with its dependencies)")
    except Exception as error:  # noqa: BLE001 - reported as one line; the traceback goes to stderr
        import traceback

        traceback.print_exc()
        emit("error", kind="internal", message=f"the transcriber failed: {type(error).__name__}: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main())

"""`transcript-player transcribe MEDIA`: transcribe a lecture on this machine into the library,
each line saved the moment it is heard, progress and time left on stderr. A run that was
stopped or killed continues from where it stopped. The work is player.core.transcription and
the library's begin/append/finish_transcription; this is the edge."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path

from player.cli.common import (PROG, Failed, OneLineParser, Progress, cancelled_by_signals, check_outputs, fail,
                               force_option, library_option, media_file, open_library, protected_files, stopped)

TRANSCRIBE = f"{PROG} transcribe"
# What -o writes, by the file's extension.
OUTPUT_FORMATS = {".srt": "SubRip", ".vtt": "WebVTT", ".json": "Whisper JSON"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")   # Whisper's codes: "en", "de", "haw", "yue"


def _language(text: str) -> str | None:
    if text == "auto":
        return None
    if not _LANGUAGE.match(text):
        raise argparse.ArgumentTypeError(f"a language is a code such as en, de or fr, or auto (not {text!r})")
    return text


def _parser() -> OneLineParser:
    parser = OneLineParser(
        prog=TRANSCRIBE,
        description="Transcribe a lecture on this machine (Whisper, offline) into the library: each line is "
                    "saved as soon as it is heard, with its word times, so a run that is stopped or killed "
                    "continues from where it stopped when run again. The lecture is imported if it is not "
                    "in the library yet.")
    parser.add_argument("media", help="the lecture's video or audio file")
    parser.add_argument("--model", metavar="NAME|PATH",
                        help="a model name (see 'transcript-player models list') or a model folder "
                             "(default: tiny.en, which comes with the app; an unfinished run goes on with "
                             "the model, language and options it began with)")
    parser.add_argument("--language", type=_language, metavar="xx|auto",
                        help="the language spoken (en, de, fr...), or auto to detect it (default)")
    parser.add_argument("--prompt", metavar="TEXT",
                        help="the course's names and terms, so the model spells them right")
    parser.add_argument("--no-vad", action="store_true",
                        help="transcribe silence too (default: a voice-activity filter skips it)")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="also write the transcript to OUT: .srt, .vtt or .json (Whisper's JSON, with "
                             "word times); never the media or a file of the library, an existing file "
                             "only with --force")
    force_option(parser)
    parser.add_argument("--replace", action="store_true",
                        help="transcribe a lecture that has a transcript already (read from a file, "
                             "transcribed before, or corrected): the library then keeps the new one "
                             "(files are never touched)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    library_option(parser)
    return parser


def _clock(ms: float) -> str:
    from player.core.timecode import format_clock

    return format_clock(int(ms))


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def run(argv: list[str]) -> int:
    from player.core.library import TranscriptExists

    args = _parser().parse_args(argv)
    media = media_file(args.media)
    output = Path(args.output) if args.output else None
    with open_library(args) as library:
        # Before any work: never onto the learner's files, an existing file only with --force.
        protected = protected_files(library, media)
        if output is not None:
            check_outputs([output], protected, args.force)
            if output.suffix.lower() not in OUTPUT_FORMATS:
                raise Failed(f"{output}: the transcript is written as .srt, .vtt or .json")
        lecture = library.find_media(media)
        state = library.transcription_state(lecture.id) if lecture is not None else None
        if state is not None and not args.replace and not state.in_progress:
            if state.origin == "transcribed":   # with the learner's corrections, if any
                return _already_done(library, lecture, state, output, protected, args.force)
            raise Failed(f"{TranscriptExists(state, lecture.title)}; --replace transcribes it again "
                         "(the library then keeps the new one)")
        resuming = state is not None and state.in_progress and not args.replace
        model, options = _model_and_options(args, state if resuming else None)
        return _Transcription(library, media, lecture, model, options, args).run(output, protected)


@dataclasses.dataclass(frozen=True)
class _Model:
    spec: str        # what the job is given
    stored: str      # what the library keeps: the registry name, or the folder's absolute path
    name: str


def _model_and_options(args, unfinished):
    """The model and options to use: those asked for, or those an unfinished run began with."""
    from player.core.transcription import REGISTRY, ModelNotInstalled, TranscriptionOptions, resolve_model

    if unfinished is not None:
        spec = unfinished.model or args.model
        fields = {field.name for field in dataclasses.fields(TranscriptionOptions)}
        options = TranscriptionOptions(**{key: value for key, value in unfinished.options.items() if key in fields})
        options = dataclasses.replace(options, language=unfinished.language or options.language)
        if args.model and args.model != spec:
            print(f"{TRANSCRIBE}: note: going on with {spec}, the model this transcription began with "
                  "(--replace starts over with another)", file=sys.stderr)
    else:
        spec = args.model
        options = TranscriptionOptions(language=args.language, vad=not args.no_vad,
                                       initial_prompt=args.prompt or None)
    try:
        resolved = resolve_model(spec)
    except ModelNotInstalled as missing:
        raise Failed(f"{missing}: download it with '{PROG} models download {missing.name}'") from None
    info = REGISTRY.get(resolved.name)
    if info is not None and info.english_only and options.language not in (None, "en"):
        raise Failed(f"the model {resolved.name} knows English only: choose a multilingual one "
                     f"({resolved.name.removesuffix('.en')}, for instance) for '{options.language}'")
    stored = resolved.name if spec is None or str(spec) in REGISTRY else str(resolved.path)
    return _Model(str(spec) if spec else resolved.name, stored, resolved.name), options


class _Transcription:
    """One run of the job, writing into the library. The lecture is imported and the
    transcription begun only once the job has started (media read, model loaded): a file
    that is not media, or a model that cannot load, leaves nothing in the library."""

    def __init__(self, library, media: Path, lecture, model: _Model, options, args) -> None:
        self.library, self.media, self.lecture = library, media, lecture
        self.model, self.options, self.args = model, options, args
        self.begun = False
        self.language = options.language
        state = library.transcription_state(lecture.id) if lecture is not None else None
        resuming = state is not None and state.in_progress and not args.replace
        self.start_ms = state.done_until_ms if resuming else 0
        self.lines = state.segment_count if resuming else 0
        self.progress = None if args.quiet else Progress(sys.stderr, "transcribe")

    def begin(self) -> int:
        from player.core.library import TranscriptExists

        if not self.begun:
            if self.lecture is None:
                self.lecture = self.library.import_lecture(self.media)
            try:
                self.library.begin_transcription(self.lecture.id, self.model.stored, self.options.language,
                                                 self.options, replace=self.args.replace)
            except TranscriptExists as exists:   # another process made one meanwhile
                raise Failed(str(exists)) from None
            self.begun = True
        return self.lecture.id

    def on_language(self, code: str, probability: float) -> None:
        self.language = code
        if self.options.language is None and not self.args.quiet:
            print(f"{TRANSCRIBE}: language heard: {code} ({probability:.0%} sure)", file=sys.stderr)

    def on_segment(self, segment) -> None:
        # Saved before the next one is read: a kill loses nothing heard so far.
        added = self.library.append_transcribed(self.begin(), [segment], segment.end_ms, language=self.language)
        self.lines += len(added)

    def on_progress(self, report) -> None:
        # Progress is a point where every line before it was handed over: safe to go on from.
        self.library.append_transcribed(self.begin(), [], round(report.seconds * 1000))
        if self.progress is not None:
            self.progress(report.fraction, report.seconds_left,
                          f"at {_clock(report.seconds * 1000)}, {_lines(self.lines)}")

    def run(self, output: Path | None, protected) -> int:
        from player.core.library import NotTranscribing
        from player.core.transcription import TranscriptionCancelled, TranscriptionError, TranscriptionJob

        if self.start_ms > 0:
            print(f"{TRANSCRIBE}: continuing from {_clock(self.start_ms)} ({_lines(self.lines)} kept)",
                  file=sys.stderr)
        job = TranscriptionJob(self.media, self.model.spec, options=self.options, start_at_s=self.start_ms / 1000,
                               on_segment=self.on_segment, on_progress=self.on_progress,
                               on_language=self.on_language)
        # The job runs here, on the main thread: its worker is killed with this process (the
        # kernel ties that to the thread that started it).
        with cancelled_by_signals(job) as received:
            try:
                result = job.run()
            except NotTranscribing:
                return self._overtaken(output, protected)
            except TranscriptionCancelled:
                return self._stopped(received)
            except TranscriptionError as error:
                return fail(str(error), TRANSCRIBE)
            finally:
                if self.progress is not None:
                    self.progress.done()
        lecture_id = self.begin()   # a media with nothing to transcribe still gets its (empty) transcript
        library = self.library
        if result.duration_s:
            library.set_duration(lecture_id, round(result.duration_s * 1000))
        done = library.finish_transcription(lecture_id, result.language, round(result.end_s * 1000))
        written = (_write_output(library, lecture_id, done, output, protected, self.args.force)
                   if output is not None else None)
        seconds = result.end_s - result.start_at_s
        speed = f" ({seconds / result.elapsed_s:.1f}x realtime)" if result.elapsed_s > 0 and seconds > 0 else ""
        print(f"transcribed {self.lecture.title}: {_lines(done.segment_count)}, language "
              f"{done.language or 'unknown'}, model {self.model.name}, {_clock(seconds * 1000)} in "
              f"{result.elapsed_s:.1f} s{speed}" + (f", wrote {written}" if written else ""))
        return 0

    def _overtaken(self, output: Path | None, protected) -> int:
        """Another run of the same lecture (a second terminal, the window) finished it
        first, or the learner replaced it: this one stopped adding lines."""
        state = self.library.transcription_state(self.lecture.id)
        if state is not None and state.origin == "transcribed" and not state.in_progress:
            return _already_done(self.library, self.lecture, state, output, protected, self.args.force)
        raise Failed(f"{self.lecture.title}: its transcript was replaced while this run was transcribing it; "
                     "nothing more was saved")

    def _stopped(self, received: list[int]) -> int:
        kept = self.begun or self.start_ms > 0
        state = self.library.transcription_state(self.lecture.id) if kept else None
        where = (f" at {_clock(state.done_until_ms)}: {_lines(state.segment_count)} kept in the library; run the "
                 "same command to continue" if state is not None else ": nothing was saved")
        return stopped(received, where, TRANSCRIBE)


def _already_done(library, lecture, state, output, protected, force) -> int:
    written = _write_output(library, lecture.id, state, output, protected, force) if output else None
    print(f"{lecture.title} is transcribed already ({_lines(state.segment_count)}, model {state.model}, "
          f"language {state.language or 'unknown'}); --replace transcribes it again"
          + (f"; wrote {written}" if written else ""))
    return 0


def _write_output(library, lecture_id: int, state, output: Path, protected, force: bool) -> Path:
    from player.core.formats.writers import to_srt, to_vtt
    from player.core.safe_files import check_output, write_atomic

    # Checked again: the file may have appeared while the lecture was transcribed.
    target = check_output(output, protected=protected, force=force)
    kind = output.suffix.lower()
    if kind == ".json":
        text = whisper_json(library.transcript_lines(lecture_id), state.language, state.model)
    else:
        transcript = library.transcript(lecture_id)
        text = to_srt(transcript) if kind == ".srt" else to_vtt(transcript)
    return write_atomic(target, text)


def whisper_json(lines, language: str | None, model: str | None) -> str:
    """The transcript as openai-whisper writes its JSON (times in seconds, word times and the
    model's confidence), which this app and most tools read back."""
    def seconds(ms: int) -> float:
        return round(ms / 1000, 3)

    segments = []
    for index, line in enumerate(lines):
        segment = {"id": index, "start": seconds(line.start_ms), "end": seconds(line.end_ms), "text": line.text}
        if line.speaker:
            segment["speaker"] = line.speaker
        segment["words"] = [{"start": seconds(word.start_ms), "end": seconds(word.end_ms), "word": word.text,
                             **({"probability": word.probability} if word.probability is not None else {})}
                            for word in line.words]
        if line.avg_logprob is not None:
            segment["avg_logprob"] = line.avg_logprob
        if line.no_speech_prob is not None:
            segment["no_speech_prob"] = line.no_speech_prob
        segments.append(segment)
    return json.dumps({"language": language, "model": model, "segments": segments}, ensure_ascii=False) + "\n"

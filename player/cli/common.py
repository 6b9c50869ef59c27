"""What every command stands on: the one-line parser, bounded argument types, the library
option, output checks, JSON Lines printing, progress on stderr, signals that cancel a job,
and the wrapper that turns every known failure into one line on stderr with exit status 2
(never a traceback)."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

PROG = "transcript-player"

# Bounds for numbers from the command line: anything outside is a typing mistake, and
# refusing it here makes it a usage line (the library refuses them too, as exceptions).
MAX_ID = 2**63 - 1            # SQLite's largest integer
MAX_LIMIT = 1_000_000
MAX_PAD_SECONDS = 60

_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")   # what argparse takes as a value, not an option


class Failed(Exception):
    """A command cannot do what it was asked; str() is the line to print."""


def fail(message: str, prog: str = PROG) -> int:
    print(f"{prog}: {message}", file=sys.stderr)
    return 2


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes as one line on stderr (exit 2), which scripts and people can read.

    An unknown option is named as such, with how to pass a file whose name starts with
    '-' (argparse alone reports it as a missing argument).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._has_subcommands = False

    def add_subparsers(self, **kwargs):
        self._has_subcommands = True
        return super().add_subparsers(**kwargs)

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")

    def parse_known_args(self, args=None, namespace=None):
        argv = sys.argv[1:] if args is None else list(args)
        unknown = self._unknown_option(argv)
        if unknown is not None and self._has_subcommands:
            self.error(f"unknown option {unknown!r}")
        if unknown is not None:
            self.exit(2, f"{self.prog}: unknown option {unknown!r}; if it is a file name, put '--' "
                         f"before it, after the options ({self.prog} -- {unknown}) or write ./{unknown}\n")
        return super().parse_known_args(argv, namespace)

    def _unknown_option(self, argv: list[str]) -> str | None:
        for token in argv:
            if token == "--":
                return None
            if not self._looks_like_option(token):
                if self._has_subcommands:
                    return None   # the rest belongs to the subcommand's own parser
                continue
            if not self._is_known(token):
                return token
        return None

    def _looks_like_option(self, token: str) -> bool:
        # argparse's own rule: a value if it is '-' alone, a negative number or has a space.
        return (len(token) > 1 and token[0] in self.prefix_chars and " " not in token
                and not _NEGATIVE_NUMBER.match(token))

    def _is_known(self, token: str) -> bool:
        known = self._option_string_actions   # every option string this parser accepts
        name = token.split("=", 1)[0]
        if name in known:
            return True
        if token.startswith("--"):
            return self.allow_abbrev and any(option.startswith(name) for option in known)
        return token[:2] in known   # -oFILE: a short option with its value attached


# ----- argument types: bounded, so a typo is one line, not an overflow ---------------------


def time_ms(text: str) -> int:
    """A time in a lecture, "83.5" (seconds) or "[H:]MM:SS.mmm", as milliseconds."""
    from player.core.library import MAX_TIME_MS
    from player.core.timecode import parse_timecode

    problem = (f"not a time: {text!r} (seconds or [H:]MM:SS.mmm, from 0 to "
               f"{MAX_TIME_MS // 3_600_000} hours)")
    try:
        if ":" in text:
            ms = parse_timecode(text)
        else:
            seconds = float(text)
            if not 0 <= seconds <= MAX_TIME_MS / 1000:   # also refuses nan and inf
                raise argparse.ArgumentTypeError(problem)
            ms = round(seconds * 1000)
    except ValueError:
        raise argparse.ArgumentTypeError(problem) from None
    if ms > MAX_TIME_MS:
        raise argparse.ArgumentTypeError(problem)
    return ms


def color(text: str) -> int:
    if text not in {"1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError(f"colour must be 1 to 5, not {text!r}")
    return int(text)


def _whole_number(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number from {low:,} to {high:,}, "
                                         f"not {text!r}")
    return value


def highlight_id(text: str) -> int:
    return _whole_number(text, 1, MAX_ID, "a highlight id")


def limit(text: str) -> int:
    return _whole_number(text, 0, MAX_LIMIT, "the limit")


def pad_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= MAX_PAD_SECONDS:
        raise argparse.ArgumentTypeError(f"padding must be 0 to {MAX_PAD_SECONDS} seconds, not {text!r}")
    return value


# ----- the library -------------------------------------------------------------------------


def library_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", metavar="FILE",
                        help="the library file (default: $TRANSCRIPT_PLAYER_LIBRARY, else "
                             "library.sqlite in the user data folder)")


def open_library(args: argparse.Namespace):
    """The library named by --library / the environment / the default; LibraryError if not."""
    from player.core.library import Library, default_library_path

    return Library.open(Path(args.library).expanduser() if args.library else default_library_path())


def lecture_for(library, media: str):
    lecture = library.find_media(media)
    if lecture is None:
        raise Failed(f"{media} is not in the library: import it first ({PROG} import {media})")
    return lecture


def media_file(path: str) -> Path:
    """A media file given on the command line, which must be a regular file (a FIFO would
    hang the fingerprint or ffmpeg)."""
    media = Path(path)
    if not media.exists():
        raise Failed(f"no such media file: {path}")
    if not media.is_file():
        raise Failed(f"{path}: not a media file (a folder, pipe or device)")
    return media


# ----- files written -----------------------------------------------------------------------


def force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")


def protected_files(library, media: str | Path) -> dict[Path, str]:
    """The files a command never writes, each with what it is: the lecture's media and
    everything the library owns (itself, every lecture, every transcript it read)."""
    protected = {Path(media): "the lecture's media"}
    for path, what in library.owned_paths().items():
        protected.setdefault(path, what)
    return protected


def check_outputs(outputs, protected: dict[Path, str], force: bool) -> list[Path]:
    """Each path to write, checked before any work: never a protected file (even with
    --force), an existing file only with --force. OutputRefused if not."""
    from player.core.safe_files import check_output

    return [check_output(path, protected=protected, force=force) for path in outputs]


# ----- output ------------------------------------------------------------------------------


def quiet_broken_pipe() -> None:
    """`| head` closed the pipe: not an error; send the rest (and the final flush) nowhere."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def print_json_lines(rows) -> None:
    try:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()


# ----- long work: progress, and signals that cancel it ---------------------------------------

# Ctrl-C, `kill`, a closed terminal: each cancels the job cleanly.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _time_left(seconds: float) -> str:
    return f"{seconds:.0f} s left" if seconds < 120 else f"{seconds / 60:.0f} min left"


class Progress:
    """Progress of `label` on a stream (stderr): one updating line on a terminal; a line
    every 10 % otherwise (logs, pipes)."""

    def __init__(self, stream, label: str) -> None:
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.last_step = -1
        self.last_draw = 0.0

    def __call__(self, fraction: float | None, seconds_left: float | None = None, detail: str = "") -> None:
        """`fraction` done (None: unknown, shown on a terminal only), the estimate of the
        time left, and what else to say ("12:34 of 85:00")."""
        parts = [f"{fraction * 100:5.1f} %" if fraction is not None else ""]
        parts += [detail] if detail else []
        parts += [_time_left(seconds_left)] if seconds_left is not None else []
        text = f"{self.label}: " + ", ".join(part for part in parts if part)
        if self.tty:
            now = time.monotonic()
            if now - self.last_draw >= 0.1 or (fraction or 0) >= 1:
                self._write("\r" + text.ljust(60))
                self.last_draw = now
        elif fraction is not None:
            step = int(fraction * 10)
            if step > self.last_step:
                self.last_step = step
                self._write(text + "\n")

    def done(self) -> None:
        if self.tty and self.last_draw:
            self._write("\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):   # the terminal went away (SIGHUP): the work goes on
            self.tty = False
            self.last_step = 10


@contextmanager
def cancelled_by_signals(job):
    """While the job runs, SIGINT, SIGTERM and SIGHUP call job.cancel(). Yields a list
    that receives the first signal's number. cancel() runs on a thread of its own: a job's
    cancel may take a lock that the interrupted main thread holds."""
    received: list[int] = []

    def stop(signum, frame):
        if not received:
            received.append(signum)
            threading.Thread(target=job.cancel, daemon=True).start()

    previous = {}
    try:
        for number in STOP_SIGNALS:
            previous[number] = signal.signal(number, stop)
    except ValueError:   # not the main thread (tests running main() in a thread): no handlers
        pass
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def stopped(received: list[int], what: str, prog: str) -> int:
    """The one line and exit status of a job that was cancelled: 128 + the signal's number
    when a signal stopped it (as a shell reports it), else 2. `what` says what was kept,
    e.g. ": no file was written"."""
    if received:
        fail(f"stopped by {signal.Signals(received[0]).name}{what}", prog)
        return 128 + received[0]
    return fail(f"cancelled{what}", prog)


# ----- every failure as one line -----------------------------------------------------------


def one_line(error: BaseException) -> str | None:
    """The line to print for a failure a user can cause (a bad file, a full disk), or None
    for a bug, which keeps its traceback. Errors about a file read `FILE[:LINE]: reason`."""
    from player.core.exports import ExportError
    from player.core.formats import TranscriptError
    from player.core.library import LibraryError
    from player.core.reel import ReelError
    from player.core.safe_files import InputRefused, OutputRefused
    from player.core.transcription import TranscriptionError

    if isinstance(error, (InputRefused, OutputRefused, LibraryError, TranscriptError, Failed, ExportError,
                          ReelError, TranscriptionError)):
        message = str(error)
    elif isinstance(error, OSError):
        reason = error.strerror or str(error)
        message = f"{error.filename}: {reason}" if error.filename else reason
    else:
        return None
    # The first line says what happened (a ReelError goes on with ffmpeg's last lines).
    return (message.strip().splitlines() or [type(error).__name__])[0]


def run_command(name: str | None, run, argv: list[str]) -> int:
    """Run one command: a known failure is one line on stderr and exit status 2."""
    prog = f"{PROG} {name}" if name else PROG
    try:
        return run(argv)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        line = one_line(error)
        if line is None:
            raise
        if isinstance(error, Failed) or not _names_a_file(error):
            return fail(line, prog)
        print(line, file=sys.stderr)
        return 2


def _names_a_file(error: BaseException) -> bool:
    return bool(getattr(error, "path", None) or getattr(error, "filename", None))

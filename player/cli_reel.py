"""`transcript-player reel`: cut a lecture's highlights into one video (or audio) file with
a chapter per cut, progress on stderr. The work is player.core.reel; this is the edge."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

PROG = "transcript-player reel"


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value < 3600:
        raise argparse.ArgumentTypeError(f"padding must be 0 or more seconds, not {text!r}")
    return value


def _color(text: str) -> int:
    if text not in {"1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError(f"colour must be 1 to 5, not {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=PROG,
        description="Cut a lecture's highlights into one file with a chapter per cut: MP4 "
                    "(H.264 + AAC) for a video lecture, .m4a or .mp3 for an audio one. "
                    "Overlapping or touching cuts become one.")
    parser.add_argument("media", help="the lecture's media file (imported before)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the reel to write: .mp4 for video, .m4a or .mp3 for audio")
    parser.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only highlights with this tag (repeat: any of them)")
    parser.add_argument("--color", type=_color, metavar="C", help="only highlights of this colour (1-5)")
    parser.add_argument("--id", action="append", type=int, default=[], metavar="ID", dest="ids",
                        help="exactly these highlights, in the order given (repeat)")
    parser.add_argument("--pad", type=_seconds, default=0.5, metavar="SECONDS",
                        help="seconds added before and after each highlight (default 0.5)")
    parser.add_argument("--mode", choices=["accurate", "fast"], default="accurate",
                        help="accurate: exact cuts, re-encoded (default); fast: stream copy, "
                             "each cut starts at the keyframe before it (seconds early at most)")
    parser.add_argument("--chapters", action=argparse.BooleanOptionalAction, default=True,
                        help="a chapter per cut, named after the note or the words (default on)")
    parser.add_argument("--captions", action="store_true",
                        help="burn the transcript into the picture (accurate mode, video)")
    parser.add_argument("--title-cards", action="store_true",
                        help="a 2 s card with the note and tags before each cut (accurate mode, video)")
    parser.add_argument("--sidecar", choices=["srt", "vtt"],
                        help="also write the reel's transcript beside it (OUT with .srt or .vtt)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--library", metavar="FILE",
                        help="the library file (default: $TRANSCRIPT_PLAYER_LIBRARY, else "
                             "library.sqlite in the user data folder)")
    return parser


def fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2


class _Progress:
    """One updating line on a terminal; a line every 10 % otherwise (logs, pipes)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_step = -1
        self.last_draw = 0.0

    def __call__(self, fraction: float, seconds_left: float | None) -> None:
        left = f", {seconds_left:.0f} s left" if seconds_left is not None else ""
        text = f"reel: {fraction * 100:5.1f} %{left}"
        if self.tty:
            now = time.monotonic()
            if now - self.last_draw >= 0.1 or fraction >= 1:
                self.stream.write("\r" + text.ljust(40))
                self.stream.flush()
                self.last_draw = now
        else:
            step = int(fraction * 10)
            if step > self.last_step:
                self.last_step = step
                self.stream.write(text + "\n")
                self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def run_reel(argv: list[str]) -> int:
    from player.core.library import Library, LibraryError, default_library_path
    from player.core.reel import (ReelCancelled, ReelError, ReelJob, ReelOptions, plan_cuts, probe,
                                  select_highlights)

    args = _parser().parse_args(argv)
    media = Path(args.media)
    if not media.is_file():
        return fail(f"no such media file: {args.media}")
    output = Path(args.output)
    if not output.parent.is_dir():
        return fail(f"cannot write {args.output}: the folder {output.parent} does not exist")
    if output.exists() and output.resolve() == media.resolve():
        return fail("the reel would overwrite the lecture itself: choose another output name")
    library_path = Path(args.library).expanduser() if args.library else default_library_path()
    try:
        with Library.open(library_path) as library:
            lecture = library.find_media(media)
            if lecture is None:
                return fail(f"{args.media} is not in the library: import it first "
                            f"(transcript-player import {args.media})")
            try:
                highlights = select_highlights(library, lecture.id, tags=args.tag, color=args.color,
                                               ids=args.ids or None)
            except KeyError as error:
                return fail(error.args[0] if error.args else str(error))
            transcript = library.transcript(lecture.id) if (args.captions or args.sidecar) else None
    except LibraryError as error:
        return fail(str(error))
    if not highlights:
        what = []
        if args.tag:
            what.append("tag " + " or ".join(repr(t) for t in args.tag))
        if args.color:
            what.append(f"colour {args.color}")
        return fail("nothing to export: no highlights" + (" with " + " and ".join(what) if what else "")
                    + f" in {lecture.title}")
    if (args.captions or args.sidecar) and transcript is None:
        print(f"{PROG}: note: {lecture.title} has no transcript: no captions or sidecar", file=sys.stderr)
    try:
        info = probe(media)
        cuts = plan_cuts(highlights, round(args.pad * 1000), info.duration_ms,
                         order="given" if args.ids else "time")
        if not cuts:
            return fail("nothing to export: the highlights lie beyond the end of the media")
        progress = None if args.quiet else _Progress(sys.stderr)
        job = ReelJob(media, cuts, output,
                      ReelOptions(mode=args.mode, chapters=args.chapters, captions=args.captions,
                                  title_cards=args.title_cards, sidecar=args.sidecar,
                                  title=f"{lecture.title}: highlights"),
                      transcript=transcript, on_progress=progress,
                      highlights={h.id: h for h in highlights})
        previous = signal.getsignal(signal.SIGINT)

        def interrupted(signum, frame):   # Ctrl-C: stop ffmpeg, leave nothing behind
            job.cancel()

        try:
            signal.signal(signal.SIGINT, interrupted)
        except ValueError:   # not the main thread (tests running main() in a thread)
            previous = None
        try:
            result = job.run()
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
            if progress:
                progress.done()
    except ReelCancelled:
        return fail("cancelled: no file was written")
    except ReelError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"cannot write {args.output}: {error.strerror or error}")
    seconds = result.duration_ms / 1000
    extra = f", transcript in {result.sidecar}" if result.sidecar else ""
    print(f"wrote {result.output}: {len(cuts)} cuts from {len(highlights)} highlights, "
          f"{int(seconds // 60)}:{seconds % 60:04.1f} long{extra}")
    return 0

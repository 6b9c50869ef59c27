"""Command line: the window by default, subcommands for work without one.

    transcript-player [MEDIA] [--transcript FILE] [--demo]
    transcript-player parse FILE [--format NAME] [--video-id ID] [--tier NAME]
    transcript-player formats
    transcript-player import MEDIA [--transcript FILE] [--library FILE]
    transcript-player search QUERY [--limit N] [--library FILE]
    transcript-player highlight add MEDIA --start S --end S [--color C] [--tag T]... [--note N]
    transcript-player highlight list [MEDIA] [--tag T] | highlight remove ID

The library commands use --library FILE, else $TRANSCRIPT_PLAYER_LIBRARY, else the library
in the user data folder (docs/library-schema.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from player import __version__

PROG = "transcript-player"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEMO_MEDIA = RESOURCES / "sample" / "lecture.mp4"
SUBCOMMANDS = ("parse", "formats", "import", "search", "highlight", "reel", "export")


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Play a lecture with its transcript beside it.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="subcommands (each has --help):\n"
               "  parse FILE            print a transcript as JSON Lines\n"
               "  formats               list the transcript formats it reads\n"
               "  import MEDIA          add a lecture and its transcript to the library\n"
               "  search QUERY          search transcripts, notes and tags (JSON Lines)\n"
               "  highlight add|list|remove\n"
               "                        annotate moments of a lecture\n"
               "  reel MEDIA -o OUT     cut the highlights into one video (or audio) with chapters\n"
               "  export MEDIA --format md|csv|json|srt|vtt|apkg -o OUT\n"
               "                        study notes, tables, subtitles or an Anki deck of the highlights\n"
               f"See '{PROG} parse --help'.")
    parser.add_argument("media", nargs="?", help="a video or audio lecture to open")
    parser.add_argument("--transcript", metavar="FILE",
                        help="its transcript (default: the .srt/.vtt/.txt/.json beside the media)")
    parser.add_argument("--demo", action="store_true", help="open the bundled demo lecture")
    parser.add_argument("--library", metavar="FILE",
                        help="the library file (default: $TRANSCRIPT_PLAYER_LIBRARY, else the user data folder)")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _parse_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} parse",
        description="Print a transcript as JSON Lines: "
                    '{"start": seconds, "end": seconds, "text": str, "speaker": str or null}.')
    parser.add_argument("file", help=f"a transcript file (see '{PROG} formats')")
    parser.add_argument("--format", help="read it as this format instead of detecting it")
    parser.add_argument("--video-id", help="the video to read from a dataset file holding several")
    parser.add_argument("--tier", help="the tier to read from an ELAN or Praat file holding several")
    parser.add_argument("--to", choices=["jsonl", "srt", "vtt", "txt", "md"], default="jsonl",
                        help="print it in this format instead of JSON Lines (SubRip, WebVTT, plain text, Markdown)")
    return parser


def fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2


def run_formats(argv: list[str]) -> int:
    from player.core.formats import formats

    argparse.ArgumentParser(prog=f"{PROG} formats", description="List the transcript formats.").parse_args(argv)
    known = formats()
    width = max(len(f.name) for f in known)
    for found in known:
        print(f"{found.name.ljust(width)}  {found.description}")
    return 0


def run_parse(argv: list[str]) -> int:
    from player.core.formats import LoadOptions, TranscriptError, load

    args = _parse_parser().parse_args(argv)
    try:
        transcript = load(args.file, format=args.format,
                          options=LoadOptions(video_id=args.video_id, tier=args.tier))
    except TranscriptError as error:
        print(str(error), file=sys.stderr)
        return 2
    for line, problem in transcript.warnings:
        print(f"{args.file}:{line}: skipped: {problem}", file=sys.stderr)
    out = sys.stdout
    try:
        if args.to != "jsonl":
            from player.core.formats.writers import WRITERS

            out.write(WRITERS[args.to][0](transcript))
            out.flush()
            return 0
        for segment in transcript.segments:
            out.write(json.dumps({"start": segment.start_ms / 1000, "end": segment.end_ms / 1000,
                                  "text": segment.text, "speaker": segment.speaker},
                                 ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


# ----- the library: import, search, highlight ------------------------------------------


class _OneLineParser(argparse.ArgumentParser):
    """Usage mistakes as one line on stderr (exit 2), which scripts and people can read."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _library_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", metavar="FILE",
                        help="the library file (default: $TRANSCRIPT_PLAYER_LIBRARY, else "
                             "library.sqlite in the user data folder)")


def _open_library(args: argparse.Namespace):
    """The library named by --library / the environment / the default; LibraryError if not."""
    from player.core.library import Library, default_library_path

    return Library.open(Path(args.library).expanduser() if args.library else default_library_path())


def _seconds(text: str) -> int:
    """A time on the command line, "83.5" or "1:23.5", as milliseconds."""
    from player.core.timecode import parse_timecode

    try:
        if ":" in text:
            return parse_timecode(text)
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time: {text!r} (seconds, or MM:SS.mmm)") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"not a time: {text!r}")
    return round(value * 1000)


def _color(text: str) -> int:
    if text not in {"1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError(f"colour must be 1 to 5, not {text!r}")
    return int(text)


def _print_json_lines(rows) -> None:
    try:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _with_library(run):
    """Run a library command: its known failures become one line on stderr and exit 2."""
    def wrapped(argv: list[str]) -> int:
        from player.core.formats import TranscriptError
        from player.core.library import LibraryError

        try:
            return run(argv)
        except (LibraryError, TranscriptError) as error:
            return fail(str(error))
    return wrapped


@_with_library
def run_import(argv: list[str]) -> int:
    from player.core.formats import load
    from player.core.media import find_sibling_transcript

    parser = _OneLineParser(prog=f"{PROG} import",
                                     description="Add a lecture (and its transcript) to the library. "
                                                 "Importing a moved or renamed file again updates "
                                                 "its path and keeps its highlights.")
    parser.add_argument("media", help="a video or audio file")
    parser.add_argument("--transcript", metavar="FILE",
                        help="its transcript (default: the .srt/.vtt/.txt/.json beside the media)")
    _library_option(parser)
    args = parser.parse_args(argv)
    if not Path(args.media).is_file():
        return fail(f"no such media file: {args.media}")
    transcript_path = args.transcript or find_sibling_transcript(args.media)
    transcript = load(transcript_path) if transcript_path else None
    with _open_library(args) as library:
        known = library.find_media(args.media)
        lecture = library.import_lecture(args.media, transcript)
    verb = "updated" if known else "imported"
    lines = f"{len(transcript)} transcript lines from {transcript_path}" if transcript else "no transcript"
    print(f"{verb} lecture {lecture.id}: {lecture.title} ({lecture.path}), {lines}, "
          f"{lecture.highlight_count} highlights")
    return 0


@_with_library
def run_search(argv: list[str]) -> int:
    parser = _OneLineParser(
        prog=f"{PROG} search",
        description="Search transcripts, notes and tag names; print JSON Lines: "
                    '{"media": path, "start": seconds, "end": seconds, "text": str, '
                    '"kind": "transcript"|"note"|"tag"}. Every word must match, as a prefix.')
    parser.add_argument("query", help="words to look for")
    parser.add_argument("--limit", type=int, default=50, help="at most this many results (default 50)")
    _library_option(parser)
    args = parser.parse_args(argv)
    with _open_library(args) as library:
        hits = library.search(args.query, limit=max(0, args.limit))
    _print_json_lines({"media": hit.media_path, "start": hit.start_ms / 1000, "end": hit.end_ms / 1000,
                       "text": hit.text, "kind": hit.kind} for hit in hits)
    return 0


def _highlight_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog=f"{PROG} highlight", description="Annotate moments of a lecture.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="add|list|remove")
    add = actions.add_parser("add", help="highlight a moment of an imported lecture")
    add.add_argument("media", help="the lecture's media file (imported before)")
    add.add_argument("--start", type=_seconds, required=True, metavar="S", help="start, seconds or MM:SS")
    add.add_argument("--end", type=_seconds, required=True, metavar="S", help="end, seconds or MM:SS")
    add.add_argument("--color", type=_color, default=1, metavar="C", help="1 to 5 (default 1)")
    add.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeat for more)")
    add.add_argument("--note", metavar="N", help="a note about it")
    listing = actions.add_parser("list", help="print highlights as JSON Lines")
    listing.add_argument("media", nargs="?", help="only this lecture's")
    listing.add_argument("--tag", metavar="T", help="only those with this tag")
    remove = actions.add_parser("remove", help="delete a highlight by its id")
    remove.add_argument("id", type=int)
    for sub in (parser, add, listing, remove):
        _library_option(sub)
    return parser


def _highlight_json(highlight) -> dict:
    return {"id": highlight.id, "media": highlight.media_path, "start": highlight.start_ms / 1000,
            "end": highlight.end_ms / 1000, "color": highlight.color, "tags": list(highlight.tags),
            "note": highlight.note, "text": highlight.text}


def _lecture_for(library, media: str):
    lecture = library.find_media(media)
    if lecture is None:
        raise LookupError(f"{media} is not in the library: import it first ({PROG} import {media})")
    return lecture


@_with_library
def run_highlight(argv: list[str]) -> int:
    args = _highlight_parser().parse_args(argv)
    with _open_library(args) as library:
        try:
            if args.action == "add":
                if args.end <= args.start:
                    return fail(f"the end ({args.end / 1000:g} s) must come after the start "
                                f"({args.start / 1000:g} s)")
                lecture = _lecture_for(library, args.media)
                highlight = library.add_highlight(lecture.id, args.start, args.end, args.color,
                                                  args.tag, args.note)
                _print_json_lines([_highlight_json(highlight)])
            elif args.action == "list":
                lecture = _lecture_for(library, args.media) if args.media else None
                _print_json_lines(_highlight_json(h) for h in library.highlights(
                    lecture=lecture.id if lecture else None, tag=args.tag))
            else:
                removed = library.remove_highlight(args.id)
                print(f"removed highlight {removed.id} ({removed.start_ms / 1000:g}-"
                      f"{removed.end_ms / 1000:g} s of {removed.media_path})")
        except LookupError as error:  # also KeyError: an unknown highlight id
            return fail(error.args[0] if error.args else str(error))
        except ValueError as error:
            return fail(str(error))
    return 0


LIBRARY_COMMANDS = {"import": run_import, "search": run_search, "highlight": run_highlight}


def run_window(argv: list[str]) -> int:
    args = _window_parser().parse_args(argv)
    media = str(DEMO_MEDIA) if args.demo else args.media
    for label, path in (("media", media), ("transcript", args.transcript)):
        if path and not Path(path).is_file():
            return fail(f"no such {label} file: {path}")
    from player.app import run_app

    return run_app(media, args.transcript, args.library)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "parse":
        return run_parse(argv[1:])
    if argv and argv[0] == "formats":
        return run_formats(argv[1:])
    if argv and argv[0] in LIBRARY_COMMANDS:
        return LIBRARY_COMMANDS[argv[0]](argv[1:])
    if argv and argv[0] == "reel":
        from player.cli_reel import run_reel

        return run_reel(argv[1:])
    if argv and argv[0] == "export":
        from player.cli_export import run_export

        return run_export(argv[1:])
    return run_window(argv)

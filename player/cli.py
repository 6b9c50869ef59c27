"""Command line: the window by default, subcommands for work without one.

    transcript-player [MEDIA] [--transcript FILE] [--demo]
    transcript-player parse FILE [--format NAME] [--video-id ID] [--tier NAME]
    transcript-player formats
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
SUBCOMMANDS = ("parse", "formats")


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Play a lecture with its transcript beside it.",
        epilog="Subcommands: 'parse FILE' prints a transcript as JSON Lines; 'formats' lists "
               f"the transcript formats it reads. See '{PROG} parse --help'.")
    parser.add_argument("media", nargs="?", help="a video or audio lecture to open")
    parser.add_argument("--transcript", metavar="FILE",
                        help="its transcript (default: the .srt/.vtt/.txt/.json beside the media)")
    parser.add_argument("--demo", action="store_true", help="open the bundled demo lecture")
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


def run_window(argv: list[str]) -> int:
    args = _window_parser().parse_args(argv)
    media = str(DEMO_MEDIA) if args.demo else args.media
    for label, path in (("media", media), ("transcript", args.transcript)):
        if path and not Path(path).is_file():
            return fail(f"no such {label} file: {path}")
    from player.app import run_app

    return run_app(media, args.transcript)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "parse":
        return run_parse(argv[1:])
    if argv and argv[0] == "formats":
        return run_formats(argv[1:])
    return run_window(argv)

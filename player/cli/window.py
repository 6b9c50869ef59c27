"""`transcript-player [MEDIA]`: open the window (the default when no subcommand is given)."""

from __future__ import annotations

from pathlib import Path

from player import __version__
from player.cli.common import PROG, Failed, OneLineParser

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
DEMO_MEDIA = RESOURCES / "sample" / "lecture.mp4"


def _parser() -> OneLineParser:
    import argparse

    parser = OneLineParser(
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
               "  transcribe MEDIA      transcribe a lecture on this machine into the library\n"
               "  models list|download|remove\n"
               "                        the Whisper models for transcribing\n"
               f"See '{PROG} parse --help'.")
    parser.add_argument("media", nargs="?", help="a video or audio lecture to open")
    parser.add_argument("--transcript", metavar="FILE",
                        help="its transcript (default: the .srt/.vtt/.txt/.json beside the media)")
    parser.add_argument("--demo", action="store_true", help="open the bundled demo lecture")
    parser.add_argument("--encoding", metavar="NAME",
                        help="read the transcript in this text encoding (cp1251, latin-1...) rather than the "
                             "one guessed from its bytes")
    parser.add_argument("--library", metavar="FILE",
                        help="the library file (default: $TRANSCRIPT_PLAYER_LIBRARY, else the user data folder)")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    media = str(DEMO_MEDIA) if args.demo else args.media
    for label, path in (("media", media), ("transcript", args.transcript)):
        if path and not Path(path).is_file():
            raise Failed(f"no such {label} file: {path}")
    if args.encoding:
        import codecs

        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise Failed(f"unknown encoding: {args.encoding}") from None
    from player.app import run_app

    return run_app(media, args.transcript, args.library, encoding=args.encoding)

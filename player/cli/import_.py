"""`transcript-player import MEDIA`: add a lecture and its transcript to the library."""

from __future__ import annotations

from player.cli.common import PROG, OneLineParser, library_option, media_file, open_library


def _parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROG} import",
                           description="Add a lecture (and its transcript) to the library. Importing a "
                                       "moved or renamed file again updates its path and keeps its "
                                       "highlights.")
    parser.add_argument("media", help="a video or audio file")
    parser.add_argument("--transcript", metavar="FILE",
                        help="its transcript (default: the .srt/.vtt/.txt/.json beside the media)")
    library_option(parser)
    return parser


def run(argv: list[str]) -> int:
    from player.core.formats import load
    from player.core.media import find_sibling_transcript

    args = _parser().parse_args(argv)
    media_file(args.media)
    transcript_path = args.transcript or find_sibling_transcript(args.media)
    transcript = load(transcript_path) if transcript_path else None
    with open_library(args) as library:
        known = library.find_media(args.media)
        lecture = library.import_lecture(args.media, transcript)
    verb = "updated" if known else "imported"
    lines = f"{len(transcript)} transcript lines from {transcript_path}" if transcript else "no transcript"
    print(f"{verb} lecture {lecture.id}: {lecture.title} ({lecture.path}), {lines}, "
          f"{lecture.highlight_count} highlights")
    return 0

"""`transcript-player search QUERY`: search transcripts, notes and tags (JSON Lines)."""

from __future__ import annotations

from player.cli.common import PROG, OneLineParser, library_option, limit, open_library, print_json_lines


def _parser() -> OneLineParser:
    parser = OneLineParser(
        prog=f"{PROG} search",
        description="Search transcripts, notes and tag names; print JSON Lines: "
                    '{"media": path, "start": seconds, "end": seconds, "text": str, '
                    '"kind": "transcript"|"note"|"tag"}. Every word must match; the last one may be the start '
                    'of a word (3 letters or more); "quoted words" in a row.')
    parser.add_argument("query", help="words to look for")
    parser.add_argument("--limit", type=limit, default=50, metavar="N",
                        help="at most this many results (default 50)")
    library_option(parser)
    return parser


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    with open_library(args) as library:
        hits = library.search(args.query, limit=args.limit)
    print_json_lines({"media": hit.media_path, "start": hit.start_ms / 1000, "end": hit.end_ms / 1000,
                      "text": hit.text, "kind": hit.kind} for hit in hits)
    return 0

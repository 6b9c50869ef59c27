"""`transcript-player parse FILE`: print a transcript as JSON Lines (or SRT, VTT, text, Markdown)."""

from __future__ import annotations

import json
import sys

from player.cli.common import PROG, OneLineParser, quiet_broken_pipe


def _parser() -> OneLineParser:
    parser = OneLineParser(
        prog=f"{PROG} parse",
        description="Print a transcript as JSON Lines: "
                    '{"start": seconds, "end": seconds, "text": str, "speaker": str or null}.')
    parser.add_argument("file", help=f"a transcript file (see '{PROG} formats')")
    parser.add_argument("--format", help="read it as this format instead of detecting it")
    parser.add_argument("--video-id", help="the video to read from a dataset file holding several")
    parser.add_argument("--tier", help="the tier to read from an ELAN or Praat file holding several")
    parser.add_argument("--encoding", help="read the file in this text encoding (e.g. cp1251, gb18030, shift_jis) "
                                           "instead of the one detected")
    parser.add_argument("--to", choices=["jsonl", "srt", "vtt", "txt", "md"], default="jsonl",
                        help="print it in this format instead of JSON Lines (SubRip, WebVTT, plain text, Markdown)")
    return parser


def run(argv: list[str]) -> int:
    from player.core.formats import LoadOptions, encoding_note, load

    args = _parser().parse_args(argv)
    options = LoadOptions(video_id=args.video_id, tier=args.tier, encoding=args.encoding)
    transcript = load(args.file, format=args.format, options=options)
    if note := encoding_note(transcript):
        hint = "; if the text looks wrong, choose the encoding with --encoding" if transcript.weak_guess else ""
        print(f"{args.file}: {note}{hint}", file=sys.stderr)
    for line, problem in transcript.warnings:
        print(f"{args.file}:{line}: skipped: {problem}", file=sys.stderr)
    for line, note in transcript.notes:
        print(f"{args.file}:{line}: {note}", file=sys.stderr)
    out = sys.stdout
    try:
        if args.to != "jsonl":
            from player.core.formats.writers import WRITERS

            out.write(WRITERS[args.to][0](transcript))
        else:
            for segment in transcript.segments:
                out.write(json.dumps({"start": segment.start_ms / 1000, "end": segment.end_ms / 1000,
                                      "text": segment.text, "speaker": segment.speaker},
                                     ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    return 0

"""`transcript-player reel MEDIA -o OUT`: cut a lecture's highlights into one video (or audio)
file with a chapter per cut, progress on stderr. The work is player.core.reel; this is the edge."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from player.cli.common import (PROG, Failed, OneLineParser, Progress, cancelled_by_signals, check_outputs, color,
                               fail, force_option, highlight_id, lecture_for, library_option, media_file,
                               open_library, pad_seconds, protected_files, stopped)

REEL = f"{PROG} reel"


def _parser() -> OneLineParser:
    parser = OneLineParser(
        prog=REEL,
        description="Cut a lecture's highlights into one file with a chapter per cut: MP4 "
                    "(H.264 + AAC) for a video lecture, .m4a or .mp3 for an audio one. "
                    "Overlapping or touching cuts become one. OUT (and its sidecar) is never the "
                    "lecture's media, a transcript or the library; an existing one is replaced "
                    "only with --force.")
    parser.add_argument("media", help="the lecture's media file (imported before)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the reel to write: .mp4 for video, .m4a or .mp3 for audio")
    force_option(parser)
    parser.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only highlights with this tag (repeat: any of them)")
    parser.add_argument("--color", type=color, metavar="C", help="only highlights of this colour (1-5)")
    parser.add_argument("--id", action="append", type=highlight_id, default=[], metavar="ID", dest="ids",
                        help="exactly these highlights, in the order given (repeat)")
    parser.add_argument("--pad", type=pad_seconds, default=0.5, metavar="SECONDS",
                        help="seconds added before and after each highlight, 0 to 60 (default 0.5)")
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
    parser.add_argument("--verbose", action="store_true",
                        help="when ffmpeg fails, also print its last lines (default: one line)")
    library_option(parser)
    return parser


def _nothing_chosen(args, lecture) -> Failed:
    what = []
    if args.tag:
        what.append("tag " + " or ".join(repr(t) for t in args.tag))
    if args.color:
        what.append(f"colour {args.color}")
    return Failed("nothing to export: no highlights" + (" with " + " and ".join(what) if what else "")
                  + f" in {lecture.title}")


def run(argv: list[str]) -> int:
    from player.core.reel import (ReelCancelled, ReelError, ReelJob, ReelOptions, plan_cuts, probe,
                                  select_highlights)

    args = _parser().parse_args(argv)
    media = media_file(args.media)
    output = Path(args.output)
    wanted = [output] + ([output.with_suffix("." + args.sidecar)] if args.sidecar else [])
    with open_library(args) as library:
        # Before any work: never onto the learner's files, an existing file only with --force
        # (the job checks again as it starts, with the same answer).
        protected = protected_files(library, media)
        output, *_ = check_outputs(wanted, protected, args.force)
        lecture = lecture_for(library, args.media)
        try:
            highlights = select_highlights(library, lecture.id, tags=args.tag, color=args.color,
                                           ids=args.ids or None)
        except KeyError as error:
            raise Failed(error.args[0] if error.args else str(error)) from None
        transcript = library.transcript(lecture.id) if (args.captions or args.sidecar) else None
    if not highlights:
        raise _nothing_chosen(args, lecture)
    if (args.captions or args.sidecar) and transcript is None:
        print(f"{REEL}: note: {lecture.title} has no transcript: no captions or sidecar", file=sys.stderr)
    info = probe(media)
    cuts = plan_cuts(highlights, round(args.pad * 1000), info.duration_ms, order="given" if args.ids else "time")
    if not cuts:
        raise Failed("nothing to export: the highlights lie beyond the end of the media")
    progress = None if args.quiet else Progress(sys.stderr, "reel")
    job = ReelJob(media, cuts, output,
                  ReelOptions(mode=args.mode, chapters=args.chapters, captions=args.captions,
                              title_cards=args.title_cards, sidecar=args.sidecar,
                              title=f"{lecture.title}: highlights"),
                  transcript=transcript, on_progress=progress, highlights={h.id: h for h in highlights},
                  protected=protected, force=args.force,
                  on_notice=None if args.quiet else lambda line: print(f"reel: note: {line}", file=sys.stderr))
    # Ctrl-C, `kill`, a closed terminal: each stops ffmpeg and leaves nothing behind.
    with cancelled_by_signals(job) as received:
        try:
            result = job.run()
        except ReelCancelled:
            return stopped(received, ": no file was written", REEL)
        except ReelError as error:
            # One line (ffmpeg's own last lines only with --verbose): the first says what happened.
            headline, _, details = str(error).partition("\n")
            fail(headline, REEL)
            if args.verbose and details.strip():
                print(details.rstrip(), file=sys.stderr)
            return 2
        finally:
            if progress:
                progress.done()
    seconds = result.duration_ms / 1000
    extra = f", transcript in {result.sidecar}" if result.sidecar else ""
    print(f"wrote {result.output}: {len(cuts)} cuts from {len(highlights)} highlights, "
          f"{int(seconds // 60)}:{seconds % 60:04.1f} long ({result.method}){extra}")
    return 0

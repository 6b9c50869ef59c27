"""`transcript-player highlight add|list|remove`: annotate moments of a lecture."""

from __future__ import annotations

from pathlib import Path

from player.cli.common import (PROG, Failed, OneLineParser, color, highlight_id, lecture_for,
                               library_option, open_library, print_json_lines, time_ms)


def _parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROG} highlight", description="Annotate moments of a lecture.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="add|list|remove")
    add = actions.add_parser("add", help="highlight a moment of an imported lecture")
    add.add_argument("media", help="the lecture's media file (imported before)")
    add.add_argument("--start", type=time_ms, required=True, metavar="S", help="start, seconds or MM:SS")
    add.add_argument("--end", type=time_ms, required=True, metavar="S", help="end, seconds or MM:SS")
    add.add_argument("--color", type=color, default=1, metavar="C", help="1 to 5 (default 1)")
    add.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeat for more)")
    add.add_argument("--note", metavar="N", help="a note about it")
    listing = actions.add_parser("list", help="print highlights as JSON Lines")
    listing.add_argument("media", nargs="?", help="only this lecture's")
    listing.add_argument("--tag", metavar="T", help="only those with this tag")
    remove = actions.add_parser("remove", help="delete a highlight by its id")
    remove.add_argument("id", type=highlight_id)
    for sub in (parser, add, listing, remove):
        library_option(sub)
    return parser


def _as_json(highlight) -> dict:
    return {"id": highlight.id, "media": highlight.media_path, "start": highlight.start_ms / 1000,
            "end": highlight.end_ms / 1000, "color": highlight.color, "tags": list(highlight.tags),
            "note": highlight.note, "text": highlight.text}


def _duration_ms(library, lecture, media: str) -> int | None:
    """The lecture's length: as the library knows it (the window records it when it plays the
    lecture), else asked of ffmpeg and recorded. None when ffmpeg cannot read the file."""
    if lecture.duration_ms:
        return lecture.duration_ms
    from player.core.reel import ReelError, probe

    for candidate in (Path(media), Path(lecture.path)):
        if candidate.is_file():
            try:
                duration = probe(candidate).duration_ms
            except ReelError:
                return None
            if duration:
                library.set_duration(lecture.id, duration)
            return duration
    return None


def _add(library, args) -> None:
    from player.core.timecode import format_clock

    if args.end <= args.start:
        raise Failed(f"the end ({args.end / 1000:g} s) must come after the start ({args.start / 1000:g} s)")
    lecture = lecture_for(library, args.media)
    duration = _duration_ms(library, lecture, args.media)
    if duration and args.end > duration:
        raise Failed(f"the lecture is {duration / 1000:.1f} s long ({format_clock(duration)}): a highlight "
                     f"cannot end at {args.end / 1000:g} s")
    highlight = library.add_highlight(lecture.id, args.start, args.end, args.color, args.tag, args.note)
    print_json_lines([_as_json(highlight)])


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    with open_library(args) as library:
        try:
            if args.action == "add":
                _add(library, args)
            elif args.action == "list":
                lecture = lecture_for(library, args.media) if args.media else None
                print_json_lines(_as_json(h) for h in library.highlights(
                    lecture=lecture.id if lecture else None, tag=args.tag))
            else:
                removed = library.remove_highlight(args.id)
                print(f"removed highlight {removed.id} ({removed.start_ms / 1000:g}-"
                      f"{removed.end_ms / 1000:g} s of {removed.media_path})")
        except KeyError as error:   # an unknown highlight id
            raise Failed(error.args[0] if error.args else str(error)) from None
        except ValueError as error:   # a tag with no name
            raise Failed(str(error)) from None
    return 0

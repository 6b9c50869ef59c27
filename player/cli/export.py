"""`transcript-player export MEDIA --format md|csv|json|srt|vtt|apkg -o OUT`: study notes,
tables, subtitles or an Anki deck of a lecture's highlights (player/core/exports.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from player.cli.common import (PROG, Failed, OneLineParser, check_outputs, color, force_option,
                               lecture_for, library_option, open_library, protected_files)


def _parser() -> OneLineParser:
    from player.core.exports import FORMATS

    parser = OneLineParser(
        prog=f"{PROG} export",
        description="Export the highlights of an imported lecture: Markdown study notes (md), a "
                    "table (csv, json), subtitles of just the highlighted lines (srt, vtt) or an "
                    "Anki deck with an audio clip per card (apkg). OUT is never the lecture's media, "
                    "a transcript or the library; an existing OUT is replaced only with --force.")
    parser.add_argument("media", help="the lecture's media file (imported before)")
    parser.add_argument("--format", choices=FORMATS, metavar="|".join(FORMATS),
                        help="what to write (default: from the extension of OUT)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    force_option(parser)
    parser.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only highlights with this tag (repeat: with any of them)")
    parser.add_argument("--color", type=color, metavar="C", help="only highlights of this colour (1 to 5)")
    parser.add_argument("--source-url", metavar="URL",
                        help="where the lecture is online, for links to each moment "
                             "(default: the one its transcript file names, if any)")
    parser.add_argument("--no-audio", action="store_true", help="an Anki deck without audio clips")
    library_option(parser)
    return parser


def _source_url(transcript) -> str | None:
    """The lecture's web address as its transcript file gives it (a YouTube dataset does).
    The library keeps the transcript's lines, not this, so the file is read again if it is
    still there; any problem just means no links."""
    from player.core.formats import TranscriptError, load
    from player.core.safe_files import InputRefused

    source = transcript.source if transcript is not None else None
    if not source or not Path(source).is_file():
        return None
    try:
        return load(source).source_url
    except (TranscriptError, InputRefused, OSError, ValueError, UnicodeError):
        return None


def run(argv: list[str]) -> int:
    from player.core.exports import EXTENSIONS, collect, export
    from player.core.safe_files import OutputRefused, write_atomic

    args = _parser().parse_args(argv)
    out = Path(args.output).expanduser()
    export_format = args.format or next((name for name, ext in EXTENSIONS.items()
                                         if out.suffix.lower() == ext), None)
    if export_format is None:
        raise Failed(f"cannot tell the format from {out.name!r}: give --format (one of {', '.join(EXTENSIONS)})")
    with open_library(args) as library:
        (out,) = check_outputs([out], protected_files(library, args.media), args.force)
        lecture = lecture_for(library, args.media)
        study = collect(library, lecture.id, tags=args.tag, color=args.color, source_url=args.source_url)
        if not study.source_url:
            study = replace(study, source_url=_source_url(study.transcript))
    data = export(study, export_format, audio=not args.no_audio)
    try:
        write_atomic(out, data)
    except OSError as error:   # a full disk, a folder nobody may write in: name OUT, not its temp file
        raise OutputRefused(out, f"cannot write it: {error.strerror or error}") from None
    count = len(study.highlights)
    print(f"exported {count} highlight{'s' if count != 1 else ''} of {lecture.title} to {out}")
    return 0

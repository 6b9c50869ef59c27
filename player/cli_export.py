"""`transcript-player export MEDIA --format md|csv|json|srt|vtt|apkg -o OUT`: study notes,
tables, subtitles or an Anki deck of a lecture's highlights (player/core/exports.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from player.cli import PROG, _color, _library_option, _lecture_for, _OneLineParser, _open_library, fail


def _parser() -> _OneLineParser:
    from player.core.exports import FORMATS

    parser = _OneLineParser(
        prog=f"{PROG} export",
        description="Export the highlights of an imported lecture: Markdown study notes (md), a "
                    "table (csv, json), subtitles of just the highlighted lines (srt, vtt) or an "
                    "Anki deck with an audio clip per card (apkg).")
    parser.add_argument("media", help="the lecture's media file (imported before)")
    parser.add_argument("--format", choices=FORMATS, metavar="|".join(FORMATS),
                        help="what to write (default: from the extension of OUT)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    parser.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only highlights with this tag (repeat: with any of them)")
    parser.add_argument("--color", type=_color, metavar="C", help="only highlights of this colour (1 to 5)")
    parser.add_argument("--source-url", metavar="URL",
                        help="where the lecture is online, for links to each moment "
                             "(default: the one its transcript file names, if any)")
    parser.add_argument("--no-audio", action="store_true", help="an Anki deck without audio clips")
    _library_option(parser)
    return parser


def _source_url(transcript) -> str | None:
    """The lecture's web address as its transcript file gives it (a YouTube dataset does).
    The library keeps the transcript's lines, not this, so the file is read again if it is
    still there; any problem just means no links."""
    from player.core.formats import TranscriptError, load

    source = transcript.source if transcript is not None else None
    if not source or not Path(source).is_file():
        return None
    try:
        return load(source).source_url
    except (TranscriptError, OSError, ValueError, UnicodeError):
        return None


def run_export(argv: list[str]) -> int:
    from player.core.exports import EXTENSIONS, ExportError, collect, export, write_atomic
    from player.core.formats import TranscriptError
    from player.core.library import LibraryError

    args = _parser().parse_args(argv)
    out = Path(args.output).expanduser()
    export_format = args.format or next((name for name, ext in EXTENSIONS.items()
                                         if out.suffix.lower() == ext), None)
    if export_format is None:
        return fail(f"cannot tell the format from {out.name!r}: give --format (one of "
                    f"{', '.join(EXTENSIONS)})")
    if not out.parent.is_dir():
        return fail(f"cannot write {out}: no such folder {out.parent}")
    if out.is_dir():
        return fail(f"cannot write {out}: it is a folder")
    try:
        with _open_library(args) as library:
            lecture = _lecture_for(library, args.media)
            study = collect(library, lecture.id, tags=args.tag, color=args.color,
                            source_url=args.source_url)
            if not study.source_url:
                study = replace(study, source_url=_source_url(study.transcript))
        data = export(study, export_format, audio=not args.no_audio)
        write_atomic(out, data)
    except (ExportError, LibraryError, TranscriptError) as error:
        return fail(str(error))
    except LookupError as error:
        return fail(error.args[0] if error.args else str(error))
    except OSError as error:
        return fail(f"cannot write {out}: {error.strerror or error}")
    count = len(study.highlights)
    print(f"exported {count} highlight{'s' if count != 1 else ''} of {lecture.title} to {out}")
    return 0

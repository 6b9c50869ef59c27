"""Command line: the window by default, subcommands for work without one.

    transcript-player [MEDIA] [--transcript FILE] [--demo]
    transcript-player parse FILE [--format NAME] [--video-id ID] [--tier NAME]
    transcript-player formats
    transcript-player import MEDIA [--transcript FILE] [--library FILE]
    transcript-player search QUERY [--limit N] [--library FILE]
    transcript-player highlight add MEDIA --start S --end S [--color C] [--tag T]... [--note N]
    transcript-player highlight list [MEDIA] [--tag T] | highlight remove ID
    transcript-player reel MEDIA -o OUT [--force] ...
    transcript-player export MEDIA --format md|csv|json|srt|vtt|apkg -o OUT [--force] ...
    transcript-player transcribe MEDIA [--model NAME|PATH] [--language xx|auto] [--prompt TEXT]
                                       [--no-vad] [-o OUT.srt|.vtt|.json] [--force] [--replace]
    transcript-player models list | models download NAME | models remove NAME

The library commands use --library FILE, else $TRANSCRIPT_PLAYER_LIBRARY, else the library
in the user data folder (docs/library-schema.md).

One module per command, each with `run(argv) -> int`; all of them stand on common.py.
"""

from __future__ import annotations

import importlib
import sys

from player.cli.common import PROG, run_command
from player.cli.window import DEMO_MEDIA

__all__ = ["DEMO_MEDIA", "PROG", "SUBCOMMANDS", "main"]

SUBCOMMANDS = ("parse", "formats", "import", "search", "highlight", "reel", "export", "transcribe", "models")
# The module of each command ("import" is a keyword, hence import_).
_MODULES = {name: name for name in SUBCOMMANDS} | {"import": "import_"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    name = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    # Imported on demand: `parse` should not pay for sqlite-utils or ffmpeg.
    module = importlib.import_module(f"player.cli.{_MODULES[name] if name else 'window'}")
    return run_command(name, module.run, argv[1:] if name else argv)

"""`transcript-player formats`: list the transcript formats it reads."""

from __future__ import annotations

from player.cli.common import PROG, OneLineParser


def run(argv: list[str]) -> int:
    from player.core.formats import formats

    OneLineParser(prog=f"{PROG} formats", description="List the transcript formats.").parse_args(argv)
    known = formats()
    width = max(len(f.name) for f in known)
    for found in known:
        print(f"{found.name.ljust(width)}  {found.description}")
    return 0

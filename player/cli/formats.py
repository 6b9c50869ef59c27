"""`transcript-player formats`: list the transcript formats it reads."""

from __future__ import annotations

from player.cli.common import PROG, OneLineParser


def run(argv: list[str]) -> int:
    from player.core.formats import formats

    OneLineParser(prog=f"{PROG} formats", description="List the transcript formats.").parse_args(argv)
    from player.core.formats.encoding import GUESSED_ENCODINGS

    known = formats()
    width = max(len(f.name) for f in known)
    for found in known:
        print(f"{found.name.ljust(width)}  {found.description}")
    print("\nText encodings: UTF-8, UTF-16 and UTF-32 (with a byte-order mark; UTF-16 also without);\n"
          f"others are guessed among {', '.join(GUESSED_ENCODINGS)}\n"
          f"(say which with '{PROG} parse --encoding NAME', any encoding Python knows).")
    return 0

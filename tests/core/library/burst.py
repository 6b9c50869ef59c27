"""A writer process for the durability and concurrency tests (run as a script).

    python burst.py LIBRARY MEDIA COUNT LABEL

Makes COUNT annotation edits (add a highlight, then alternately tag it, note it, recolour
it) once it reads a line on stdin, and prints "ack <highlight id> <kind> <value>" after each one has committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from player.core.library import Library  # noqa: E402


def main(library_path: str, media_path: str, count: int, label: str) -> None:
    library = Library.open(library_path)
    lecture = library.find_media(media_path) or library.import_lecture(media_path)
    print("ready", flush=True)
    sys.stdin.readline()  # "go": lets a test start two writers at the same moment
    highlight_id = None
    for number in range(count):
        step = number % 4
        if step == 0:
            highlight_id = library.add_highlight(lecture.id, number * 10, number * 10 + 5, 1,
                                                 tags=["shared"]).id
            ack = ("add", "")
        elif step == 1:
            library.add_tag(highlight_id, f"{label}-{number}")
            ack = ("tag", f"{label}-{number}")
        elif step == 2:
            library.set_note(highlight_id, f"{label} note {number}")
            ack = ("note", f"{label} note {number}")
        else:
            library.set_color(highlight_id, 1 + number % 5)
            ack = ("color", str(1 + number % 5))
        # One write per line: a kill can then cut the output only between lines.
        sys.stdout.write(" ".join(("ack", str(highlight_id), *ack)) + "\n")
        sys.stdout.flush()
    library.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])

"""Which of a lecture's highlights a reel or an export is made of: those with any of some
tags, of one colour, or exactly some ids. Both the reel and the study exports choose here."""

from __future__ import annotations

from typing import Iterable, Sequence

from player.core.library import Highlight


def select_highlights(library, lecture_id: int, *, tags: Iterable[str] = (), color: int | None = None,
                      ids: Sequence[int] | None = None) -> list[Highlight]:
    """All of a lecture's highlights, or those carrying any of `tags` (blank tags are
    ignored; case is not), and of `color` when given, in time order (start, end, id).

    With `ids`: exactly those highlights in the order given; KeyError for an unknown id or
    one of another lecture.
    """
    if ids:
        chosen = []
        for highlight_id in ids:
            highlight = library.highlight(highlight_id)
            if highlight.lecture_id != lecture_id:
                raise KeyError(f"highlight {highlight_id} belongs to another lecture")
            chosen.append(highlight)
        return chosen
    wanted = [tag for tag in tags if tag.strip()]
    if not wanted:
        found = library.highlights(lecture=lecture_id, color=color)
    else:
        by_id: dict[int, Highlight] = {}
        for tag in wanted:
            for highlight in library.highlights(lecture=lecture_id, tag=tag, color=color):
                by_id[highlight.id] = highlight
        found = list(by_id.values())
    return sorted(found, key=lambda h: (h.start_ms, h.end_ms, h.id))

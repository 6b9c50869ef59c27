"""What the library hands out: plain frozen records, safe to pass to a GUI thread.

Mutators return one of these describing what changed (the idea of Anki's OpChanges), so
a view refreshes only that, and an undo command holds what it needs to reverse the edit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lecture:
    """A media file in the library, as the lecture list shows it."""

    id: int
    fingerprint: str
    path: str                  # last known location
    title: str
    duration_ms: int | None
    highlight_count: int
    last_opened_at: str | None
    last_position_ms: int
    has_transcript: bool


@dataclass(frozen=True)
class Highlight:
    """A highlighted moment with everything attached to it: enough to restore it exactly."""

    id: int
    lecture_id: int
    start_ms: int
    end_ms: int
    color: int
    tags: tuple[str, ...]      # names, sorted ignoring case
    note: str | None
    created_at: str
    updated_at: str
    media_path: str = ""
    text: str = ""             # the transcript words it covers (not stored: read from segments)


@dataclass(frozen=True)
class HighlightEdit:
    """An edit of one highlight: `after` to refresh the view, `before` to undo it
    (Library.restore_highlight(before))."""

    before: Highlight
    after: Highlight


@dataclass(frozen=True)
class Tag:
    id: int
    name: str
    color: int | None
    usage: int = 0             # how many highlights carry it


@dataclass(frozen=True)
class TagEdit:
    """A renamed or recoloured tag and the highlights whose display changes with it."""

    before: Tag
    after: Tag
    highlight_ids: tuple[int, ...]


@dataclass(frozen=True)
class TagDeletion:
    """A deleted tag and the highlights that carried it (Library.restore_tag undoes it)."""

    tag: Tag
    highlight_ids: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.highlight_ids)


@dataclass(frozen=True)
class TagMerge:
    """`source` folded into `target`; `moved` highlights gained `target` through the merge
    (the others already had it). Library.unmerge_tags reverses it."""

    source: Tag
    target: Tag
    source_highlight_ids: tuple[int, ...]
    moved: tuple[int, ...]


@dataclass(frozen=True)
class LectureRemoval:
    lecture: Lecture
    highlight_count: int


@dataclass(frozen=True)
class SearchHit:
    """One place a search query matched; `snippet` marks the matched words with
    search.MATCH_START / MATCH_END (search.split_marks finds them)."""

    # "transcript", "note", "tag" or "summary" (a point of the lecture's notes: its
    # moment, or 0 when the linker found none)
    kind: str
    lecture_id: int
    media_path: str
    start_ms: int
    end_ms: int
    text: str
    snippet: str
    highlight_id: int | None = None

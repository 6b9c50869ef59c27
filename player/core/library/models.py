"""What the library hands out: plain frozen records, safe to pass to a GUI thread.

Mutators return one of these describing what changed (the idea of Anki's OpChanges), so
a view refreshes only that, and an undo command holds what it needs to reverse the edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.core.transcript import Segment, Word

# No lecture is this long: a time past it is a typing mistake (or "1e15"), refused
# before it reaches the library and every export made from it.
MAX_TIME_MS = 1000 * 3600 * 1000


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


# ----- transcripts: lines, corrections, transcription -----------------------------------


@dataclass(frozen=True)
class LineWord:
    """A word of a line with its own times; `probability` is the model's, for words it heard."""

    start_ms: int
    end_ms: int
    text: str
    probability: float | None = None


@dataclass(frozen=True)
class TranscriptLine:
    """One stored line of a lecture's transcript, addressed by `id` (stable across edits:
    a split keeps it for the first half, a merge for the first line). `position` is its
    index in library.transcript(lecture_id).segments; the confidence (avg_logprob: mean log
    probability of its tokens, near 0 = sure; no_speech_prob) is there for lines a model
    heard, None for lines read from a file."""

    id: int
    lecture_id: int
    position: int
    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    words: tuple[LineWord, ...] = ()
    avg_logprob: float | None = None
    no_speech_prob: float | None = None

    def to_segment(self) -> Segment:
        return Segment(self.start_ms, self.end_ms, self.text, self.speaker,
                       tuple(Word(word.start_ms, word.end_ms, word.text) for word in self.words))

    def content(self) -> tuple:
        """What the line says and when, without where it sits: two lines with the same
        content are the same line (a stale edit is found by comparing these)."""
        return (self.id, self.start_ms, self.end_ms, self.text, self.speaker, self.words,
                self.avg_logprob, self.no_speech_prob)


@dataclass(frozen=True)
class TranscriptEdit:
    """One correction of a transcript: the lines it replaced (`before`, as they were) and
    the lines it left (`after`, as they are now), so a view updates just those rows and an
    undo command holds all it needs: Library.apply_transcript_edit(edit.inverse()) undoes
    it, apply_transcript_edit(edit) redoes it.

    kind: "text", "split", "merge", "times", "shift", "speaker", "rename_speaker" or
    "restore_original". For the one-line kinds (text, split, merge, times, speaker) the
    lines are consecutive: `before` sat at positions before[0].position onwards and
    `after` sits from after[0].position, so a list view replaces len(before) rows there
    with len(after) rows; shift, rename_speaker and restore_original touch rows anywhere
    (restore_original: all of them)."""

    lecture_id: int
    kind: str
    before: tuple[TranscriptLine, ...]
    after: tuple[TranscriptLine, ...]
    clamped: bool = False      # set_line_times moved a time to keep the line between its neighbours

    def inverse(self) -> "TranscriptEdit":
        return TranscriptEdit(self.lecture_id, self.kind, self.after, self.before, self.clamped)


@dataclass(frozen=True)
class TranscriptionState:
    """What a lecture's stored transcript is and, for one made on this machine, how far
    the transcription got (a new run continues from done_until_ms)."""

    transcript_id: int
    lecture_id: int
    origin: str                # "file" (read from `source`) or "transcribed" (made here)
    status: str                # "in_progress" or "complete"
    model: str | None          # a registry name, or the model folder given
    language: str | None       # asked for, or heard (None: to be detected)
    options: dict              # the transcription options used (vad, initial_prompt...)
    done_until_ms: int         # everything before this is in the library
    segment_count: int
    corrected: bool            # the learner's corrections differ from the original
    source: str | None = None  # the file it was read from

    @property
    def in_progress(self) -> bool:
        return self.status == "in_progress"
